"""A GPT-2 block, pre-norm: LayerNorm → q, k, v from one projection → causal attention → c_proj → residual add →
LayerNorm → GELU MLP (4·d wide) → residual add. Positions are learned vectors added once, at the input."""

import math

import torch

from playground.architecture.walk import Walker


def outputs(block) -> dict:
    return {"ln_1": block.ln_1, "c_attn": block.attn.c_attn, "attn.c_proj": block.attn.c_proj, "ln_2": block.ln_2,
            "c_fc": block.mlp.c_fc, "act": block.mlp.act, "mlp.c_proj": block.mlp.c_proj}


def inputs(block) -> dict:
    return {"attn.c_proj (its input)": block.attn.c_proj, "ln_2 (its input)": block.ln_2}


def layer_norm(x: torch.Tensor, norm) -> torch.Tensor:
    centred = x - x.mean(-1, keepdim=True)
    return centred / torch.sqrt(centred.pow(2).mean(-1, keepdim=True) + norm.eps) * norm.weight.float() \
        + norm.bias.float()


def conv1d(x: torch.Tensor, module) -> torch.Tensor:
    """GPT-2's Conv1D is a linear layer stored the other way round (in × out): x · W + b."""
    return x @ module.weight.float() + module.bias.float()


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x.pow(3))))


def walk(w: Walker, model, block, x: torch.Tensor, ids: torch.Tensor) -> None:
    config = model.config
    n, heads = x.shape[0], config.n_head
    d = config.n_embd // heads
    if w.walk.layer == 0:
        embedded = model.transformer.wte.weight[ids].float() + model.transformer.wpe.weight[:n].float()
        w.step("embeddings", "embeddings_gpt2", embedded, oracle=x, against="hidden_states[0]")
    w.step("entering", "hidden_states[layer]", x)
    normed = w.step("LayerNorm", "(x − mean(x)) / √(var(x) + ε) · g + b", layer_norm(x, block.ln_1), "ln_1")
    qkv = w.step("q, k, v", "qkv_gpt2", conv1d(normed, block.attn.c_attn), "c_attn")
    q, k, v = (t.reshape(n, heads, d) for t in qkv.split(config.n_embd, dim=-1))
    scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(d)
    scores = scores.masked_fill(torch.ones(n, n, dtype=torch.bool, device=x.device).triu(1), float("-inf"))
    mixed = torch.einsum("hqk,khd->qhd", scores.softmax(-1), v).reshape(n, heads * d)
    mixed = w.step("attention", "causal_attention", mixed, "attn.c_proj (its input)")
    attended = w.step("c_proj", "heads · W_o + b", conv1d(mixed, block.attn.c_proj), "attn.c_proj")
    h = w.step("residual_add", "x_attention", x + attended, "ln_2 (its input)")
    normed = w.step("LayerNorm", "(h − mean(h)) / √(var(h) + ε) · g + b", layer_norm(h, block.ln_2), "ln_2")
    up = w.step("c_fc", "fc_gpt2", conv1d(normed, block.mlp.c_fc), "c_fc", wide=config.n_inner or 4 * config.n_embd)
    act = w.step("GELU", "0.5·u·(1 + tanh(√(2/π)·(u + 0.044715·u³)))", gelu_tanh(up), "act")
    down = w.step("c_proj", "GELU · W_proj + b", conv1d(act, block.mlp.c_proj), "mlp.c_proj")
    w.step("residual_add", "block_output", h + down, "block")

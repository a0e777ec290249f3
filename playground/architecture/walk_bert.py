"""A BERT block, post-norm: q, k, v → attention over every token (no causal mask) → output projection →
residual add, then LayerNorm → GELU MLP → residual add, then LayerNorm. The norm comes after each residual add,
so the stream leaving every block is normalised (pre-norm models let it grow)."""

import math

import torch

from playground.architecture.walk import Walker, linear
from playground.architecture.walk_gpt2 import layer_norm


def outputs(block) -> dict:
    s = block.attention.self
    return {"query": s.query, "key": s.key, "value": s.value, "attention.self": s,
            "attention.output.dense": block.attention.output.dense,
            "attention.output.LayerNorm": block.attention.output.LayerNorm,
            "intermediate.dense": block.intermediate.dense, "intermediate": block.intermediate,
            "output.dense": block.output.dense}


def inputs(block) -> dict:
    return {}


def walk(w: Walker, model, block, x: torch.Tensor, ids: torch.Tensor) -> None:
    config = model.config
    n, heads = x.shape[0], config.num_attention_heads
    d = config.hidden_size // heads
    if w.walk.layer == 0:
        e = model.embeddings
        summed = e.word_embeddings.weight[ids].float() + e.position_embeddings.weight[:n].float() \
            + e.token_type_embeddings.weight[0].float()
        w.step("embeddings", "LayerNorm(word[token] + position[i] + segment[A])", layer_norm(summed, e.LayerNorm),
               oracle=x, against="hidden_states[0]")
    w.step("entering", "hidden_states[layer]", x)
    q = w.step("q", "q_bert", linear(x, block.attention.self.query).view(n, heads, d), "query", heads=heads, d=d)
    k = w.step("k", "x · W_kᵀ + b", linear(x, block.attention.self.key).view(n, heads, d), "key")
    v = w.step("v", "x · W_vᵀ + b", linear(x, block.attention.self.value).view(n, heads, d), "value")
    weights = (torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(d)).softmax(-1)
    mixed = w.step("attention", "bert_attention", torch.einsum("hqk,khd->qhd", weights, v).reshape(n, heads * d),
                   "attention.self")
    attended = w.step("output_projection", "heads · W_oᵀ + b", linear(mixed, block.attention.output.dense),
                      "attention.output.dense")
    h = w.step("residual_norm", "post_norm", layer_norm(x + attended, block.attention.output.LayerNorm),
               "attention.output.LayerNorm")
    up = w.step("intermediate", "intermediate", linear(h, block.intermediate.dense), "intermediate.dense",
                wide=config.intermediate_size)
    act = w.step("GELU", "gelu_exact", torch.nn.functional.gelu(up), "intermediate")
    down = w.step("output", "GELU · W_downᵀ + b", linear(act, block.output.dense), "output.dense")
    w.step("residual_norm", "bert_output", layer_norm(h + down, block.output.LayerNorm), "block")

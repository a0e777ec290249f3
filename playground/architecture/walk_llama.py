"""A LLaMA-family block (LLaMA, Qwen2, SmolLM2), pre-norm: RMSNorm → q, k, v (grouped-query: fewer KV heads) →
RoPE → causal attention → o_proj → residual add → RMSNorm → SwiGLU MLP → residual add."""

import torch
import torch.nn.functional as F
from transformers.models.llama.modeling_llama import apply_rotary_pos_emb, rotate_half

from playground.architecture.walk import Walker, linear


def outputs(block) -> dict:
    a, m = block.self_attn, block.mlp
    return {"input_layernorm": block.input_layernorm, "q_proj": a.q_proj, "k_proj": a.k_proj, "v_proj": a.v_proj,
            "o_proj": a.o_proj, "post_attention_layernorm": block.post_attention_layernorm,
            "gate_proj": m.gate_proj, "up_proj": m.up_proj, "down_proj": m.down_proj}


def inputs(block) -> dict:
    return {"o_proj (its input)": block.self_attn.o_proj,
            "post_attention_layernorm (its input)": block.post_attention_layernorm,
            "down_proj (its input)": block.mlp.down_proj}


def rms_norm(x: torch.Tensor, norm) -> torch.Tensor:
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + norm.variance_epsilon) * norm.weight.float()


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """RoPE on (tokens, heads, head_dim): each pair of dimensions turned by its angle at the token's position."""
    return x * cos[:, None, :] + rotate_half(x) * sin[:, None, :]


def walk(w: Walker, model, block, x: torch.Tensor, ids: torch.Tensor) -> None:
    config, a, m = model.config, block.self_attn, block.mlp
    n, heads, kv_heads, d = x.shape[0], config.num_attention_heads, config.num_key_value_heads, a.head_dim
    w.step("entering", "hidden_states[layer]", x)
    normed = w.step("RMSNorm", "rmsnorm", rms_norm(x, block.input_layernorm), "input_layernorm")
    q = w.step("q", "q", linear(normed, a.q_proj).view(n, heads, d), "q_proj", heads=heads, d=d)
    k = w.step("k", "k", linear(normed, a.k_proj).view(n, kv_heads, d), "k_proj", kv=kv_heads, d=d,
               group=heads // kv_heads)
    v = w.step("v", "v", linear(normed, a.v_proj).view(n, kv_heads, d), "v_proj", kv=kv_heads, d=d)

    rotary = model.model.rotary_emb
    positions = torch.arange(n, device=x.device)
    angles = positions[:, None].float() * rotary.inv_freq.float()[None, :]  # position m times θ_i
    cos = torch.cat([angles, angles], -1).cos() * rotary.attention_scaling
    sin = torch.cat([angles, angles], -1).sin() * rotary.attention_scaling
    their_cos, their_sin = rotary(x[None], positions[None])
    their_q, their_k = apply_rotary_pos_emb(q.transpose(0, 1)[None], k.transpose(0, 1)[None], their_cos, their_sin)
    q = w.step("rope_q", "rope_q", rotate(q, cos, sin), oracle=their_q[0].transpose(0, 1), against="rotary_oracle")
    k = w.step("rope_k", "rope_k", rotate(k, cos, sin), oracle=their_k[0].transpose(0, 1), against="rotary_oracle")

    group = heads // kv_heads
    keys, values = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    scores = torch.einsum("qhd,khd->hqk", q, keys) * a.scaling
    scores = scores.masked_fill(torch.ones(n, n, dtype=torch.bool, device=x.device).triu(1), float("-inf"))
    mixed = torch.einsum("hqk,khd->qhd", scores.softmax(-1), values).reshape(n, heads * d)
    mixed = w.step("attention", "causal_attention", mixed, "o_proj (its input)")
    attended = w.step("o_proj", "heads · W_oᵀ", linear(mixed, a.o_proj), "o_proj")
    h = w.step("residual_add", "x_attention", x + attended, "post_attention_layernorm (its input)")
    normed = w.step("RMSNorm", "h / √(mean(h²) + ε) · g", rms_norm(h, block.post_attention_layernorm),
                    "post_attention_layernorm")
    gate = w.step("gate", "norm · W_gateᵀ", linear(normed, m.gate_proj), "gate_proj")
    up = w.step("up", "norm · W_upᵀ", linear(normed, m.up_proj), "up_proj")
    gated = w.step("SwiGLU", "swiglu", F.silu(gate) * up, "down_proj (its input)")
    down = w.step("down", "SwiGLU · W_downᵀ", linear(gated, m.down_proj), "down_proj")
    w.step("residual_add", "block_output", h + down, "block")

"""The maths of one attention row, recomputed from the model's own projections: q·k, ÷√d, + mask, softmax.

A forward pre-hook on the chosen layer's attention module catches exactly what that module received: the hidden
states, the rotary cos/sin and the mask that transformers built. From them this file applies the module's own
q/k projections and the model's own `apply_rotary_pos_emb`, so nothing is approximated: the softmax printed here
is the model's attention weight (a test holds them equal to 1e-5). Written out by hand, because showing each
step of the sum is the point; the model itself fuses them.
"""

import sys
from dataclasses import dataclass

import torch

from playground.attention.eager import caught_inputs, eager_twin
from playground.attention.extraction import check_layer_head
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel


@dataclass(frozen=True)
class CellSettings(Settings):
    """One cell of one head's attention matrix, all 0-based: the query token's row, the key token's column."""

    layer: int = 0
    head: int = 0
    query: int = 1
    key: int = 0

    def check_in(self, n_tokens: int) -> None:
        for name in ("query", "key"):
            value = getattr(self, name)
            check(0 <= value < n_tokens, f"{name} must be between 0 and {n_tokens - 1}, a token position of "
                                         f"this {n_tokens}-token prompt (got {value}).")


@dataclass
class RowMaths:
    layer: int
    head: int
    kv_head: int
    query: int
    dots: torch.Tensor  # q_query · k_j for every key j (RoPE applied where the model uses it)
    scaling: float  # 1/√d_head
    mask: torch.Tensor  # the additive mask value for every key: 0, or the dtype's minimum where it is forbidden
    weights: torch.Tensor  # softmax(dots · scaling + mask)
    model_weights: torch.Tensor  # the same row of the model's own output_attentions, from the same forward pass

    @property
    def scores(self) -> torch.Tensor:
        return self.dots * self.scaling + self.mask


def attention_modules(model) -> list[torch.nn.Module]:
    """The self-attention module of every layer, in order (Llama/Qwen2-style q_proj, or GPT-2's fused c_attn)."""
    modules = [m for m in model.modules() if hasattr(m, "q_proj") or hasattr(m, "c_attn")]
    check(modules, f"{type(model).__name__} has no attention module this tab can open.")
    return modules


@dataclass
class LayerInputs:
    """What one attention layer received in a forward pass, and its raw projections."""

    module: torch.nn.Module
    kwargs: dict  # what transformers handed the layer: the mask, the rotary (cos, sin)
    queries: torch.Tensor  # (1, heads, n, d), before RoPE
    keys: torch.Tensor  # (1, kv_heads, n, d), before RoPE
    own_weights: torch.Tensor  # (1, heads, n, n): the layer's output_attentions

    @property
    def uses_rope(self) -> bool:
        return "position_embeddings" in self.kwargs

    def rotated(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Queries and keys as the attention product sees them: with the model's own RoPE applied, if it has one."""
        if not self.uses_rope:
            return self.queries, self.keys
        rotate = sys.modules[type(self.module).__module__].apply_rotary_pos_emb  # the model's own RoPE
        return rotate(self.queries, self.keys, *self.kwargs["position_embeddings"])


def _projections(module, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(1, heads, n, d) queries and (1, kv_heads, n, d) keys from the module's own projections, before RoPE."""
    shape = (*hidden.shape[:-1], -1, module.head_dim)
    if hasattr(module, "q_proj"):  # Llama, Qwen2, SmolLM2: separate projections
        q, k = module.q_proj(hidden), module.k_proj(hidden)
    else:  # GPT-2: one fused projection
        q, k, _ = module.c_attn(hidden).split(module.split_size, dim=2)
    return q.view(shape).transpose(1, 2), k.view(shape).transpose(1, 2)


def layer_inputs(loaded: LoadedModel, token_ids: list[int], layer: int, head: int) -> LayerInputs:
    """Run the eager twin once, catching what attention layer `layer` received."""
    twin = eager_twin(loaded.model)
    modules = attention_modules(twin)
    check_layer_head(loaded.label, len(modules), twin.config.get_text_config().num_attention_heads, layer, head)
    ids = torch.tensor([token_ids])
    with caught_inputs(modules[layer]) as caught, torch.inference_mode():
        own = twin(ids, attention_mask=torch.ones_like(ids), output_attentions=True).attentions[layer]
        hidden = caught["args"][0] if caught["args"] else caught["kwargs"]["hidden_states"]
        q, k = _projections(modules[layer], hidden)
    return LayerInputs(modules[layer], caught["kwargs"], q, k, own)


def row_maths(loaded: LoadedModel, token_ids: list[int], layer: int, head: int, query: int) -> RowMaths:
    """Every step of query `query`'s attention row in one layer and head."""
    check(0 <= query < len(token_ids), f"query must be between 0 and {len(token_ids) - 1} (got {query}).")
    inputs = layer_inputs(loaded, token_ids, layer, head)
    q, k = inputs.rotated()
    kv_head = head // (q.shape[1] // k.shape[1])  # transformers' repeat_kv: consecutive query heads share one
    dots = (k[0, kv_head] @ q[0, head, query]).float()
    mask = inputs.kwargs.get("attention_mask")
    mask = torch.zeros_like(dots) if mask is None else mask[0, 0, query, : len(token_ids)].float()
    scaling = float(inputs.module.scaling)
    return RowMaths(layer, head, kv_head, query, dots, scaling, mask, torch.softmax(dots * scaling + mask, dim=-1),
                    inputs.own_weights[0, head, query].float())

"""The maths of one attention row, recomputed from the model's own projections: q·k, ÷√d, + bias, + mask, softmax.

Hooks on the chosen layer's attention module catch exactly what that module received and returned: the hidden
states, the rotary cos/sin, the mask that transformers built, and T5's relative position bias. From them this file
applies the module's own q/k projections and the model's own `apply_rotary_pos_emb`, so nothing is approximated:
the softmax printed here is the model's attention weight (a test holds them equal to 1e-5). Written out by hand,
because showing each step of the sum is the point; the model itself fuses them.
"""

import sys
from dataclasses import dataclass

import torch

from playground.attention.extraction import check_layer_head
from playground.attention.parts import attention_modules, attentions_of, check_part, forward_inputs
from playground.attention.words import WORDS
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.twins import caught_inputs, eager_twin
from playground.core.words import WORDS as CORE


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
            check(0 <= value < n_tokens,
                  WORDS.text("position", name=name, last=n_tokens - 1, count=n_tokens, value=value))


@dataclass
class RowMaths:
    layer: int
    head: int
    kv_head: int
    query: int
    dots: torch.Tensor  # q_query · k_j for every key j (RoPE applied where the model uses it)
    scaling: float  # 1/√d_head (1 in T5, which does not scale)
    bias: torch.Tensor  # T5's relative position bias for every key; 0 in models that put positions elsewhere
    mask: torch.Tensor  # the additive mask value for every key: 0, or the dtype's minimum where it is forbidden
    weights: torch.Tensor  # softmax(dots · scaling + bias + mask)
    model_weights: torch.Tensor  # the same row of the model's own output_attentions, from the same forward pass

    @property
    def scores(self) -> torch.Tensor:
        return self.dots * self.scaling + self.bias + self.mask


@dataclass
class LayerInputs:
    """What one attention layer received in a forward pass, and its raw projections."""

    module: torch.nn.Module
    kwargs: dict  # what transformers handed the layer: the mask, the rotary (cos, sin), T5's position bias
    queries: torch.Tensor  # (1, heads, queries, d), before RoPE
    keys: torch.Tensor  # (1, kv_heads, keys, d), before RoPE
    bias: torch.Tensor | None  # (1, heads, queries, keys): T5's position bias, as the layer added it
    own_weights: torch.Tensor  # (1, heads, queries, keys): the part's output_attentions for this layer

    @property
    def uses_rope(self) -> bool:
        return "position_embeddings" in self.kwargs

    def rotated(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Queries and keys as the attention product sees them: with the model's own RoPE applied, if it has one."""
        if not self.uses_rope:
            return self.queries, self.keys
        rotate = sys.modules[type(self.module).__module__].apply_rotary_pos_emb  # the model's own RoPE
        return rotate(self.queries, self.keys, *self.kwargs["position_embeddings"])

    def mask_row(self, query: int) -> torch.Tensor:
        """The additive mask the layer added to the query's row (none given: nothing forbidden)."""
        mask = self.kwargs.get("attention_mask", self.kwargs.get("mask"))  # T5 calls it `mask`
        n_queries, n_keys = self.own_weights.shape[-2:]
        if mask is None:
            return torch.zeros(n_keys, device=self.own_weights.device)
        return mask[0, 0, :, :n_keys].expand(n_queries, n_keys)[query].float()


# Each family's query and key projections and head size, by attribute name (GPT-2's fused c_attn is apart).
_PROJECTIONS = {
    "q_proj": ("q_proj", "k_proj", "head_dim"),  # Llama, Qwen2, SmolLM2
    "query": ("query", "key", "attention_head_size"),  # BERT, MiniLM
    "q": ("q", "k", "key_value_proj_dim"),  # T5
}


def _projections(module, hidden: torch.Tensor, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(1, heads, queries, d) queries from `hidden` and (1, kv_heads, keys, d) keys from `source` (the encoder's
    output in cross-attention, else `hidden`), from the module's own projections, before RoPE."""
    if hasattr(module, "c_attn"):  # GPT-2: one fused projection
        q, k, _ = module.c_attn(hidden).split(module.split_size, dim=2)
        head_dim = module.head_dim
    else:
        query, key, size = next(names for attr, names in _PROJECTIONS.items() if hasattr(module, attr))
        q, k, head_dim = getattr(module, query)(hidden), getattr(module, key)(source), getattr(module, size)
    return (q.view(*q.shape[:-1], -1, head_dim).transpose(1, 2),
            k.view(*k.shape[:-1], -1, head_dim).transpose(1, 2))


def layer_inputs(loaded: LoadedModel, token_ids: list[int], layer: int, head: int, part: str = "self") -> LayerInputs:
    """Run the eager twin once, catching what attention layer `layer` of the part received and returned."""
    check_part(loaded, part)
    twin = eager_twin(loaded.model)
    modules = attention_modules(twin, part)
    check_layer_head(loaded.label, len(modules), twin.config.get_text_config().num_attention_heads, layer, head)
    with caught_inputs(modules[layer]) as caught, torch.inference_mode():
        own = attentions_of(twin(**forward_inputs(loaded, token_ids)), part)[layer]
        hidden = caught["args"][0] if caught["args"] else caught["kwargs"]["hidden_states"]
        source = caught["kwargs"].get("key_value_states")
        q, k = _projections(modules[layer], hidden, hidden if source is None else source)
    output = caught["output"]  # T5 returns (output, position_bias, weights); the others (output, weights)
    return LayerInputs(modules[layer], caught["kwargs"], q, k, output[1] if len(output) == 3 else None, own)


def row_maths(loaded: LoadedModel, token_ids: list[int], layer: int, head: int, query: int,
              part: str = "self") -> RowMaths:
    """Every step of query `query`'s attention row in one layer and head of the part."""
    check(0 <= query < len(token_ids), CORE.text("between", name="query", low=0, high=len(token_ids) - 1, value=query))
    inputs = layer_inputs(loaded, token_ids, layer, head, part)
    q, k = inputs.rotated()
    kv_head = head // (q.shape[1] // k.shape[1])  # transformers' repeat_kv: consecutive query heads share one
    dots = (k[0, kv_head] @ q[0, head, query]).float()
    bias = torch.zeros_like(dots) if inputs.bias is None else inputs.bias[0, head, query].float()
    mask, scaling = inputs.mask_row(query), float(inputs.module.scaling)
    return RowMaths(layer, head, kv_head, query, dots, scaling, bias, mask,
                    torch.softmax(dots * scaling + bias + mask, dim=-1), inputs.own_weights[0, head, query].float())

"""The query, key and value tensors one attention layer of the real model computes, caught as its attention
function receives them: after the projections and RoPE, keys and values still at the model's KV-head count.

transformers 5 hands every attention layer's q/k/v to a function looked up by name in `AttentionInterface`. We
register one that remembers the tensors of the layer asked for, then computes what SDPA computes, and run it on a
twin of the shared model, so the shared model's own implementation is never touched.
"""

import threading
from dataclasses import dataclass

import torch
from transformers import AttentionInterface
from transformers.integrations.sdpa_attention import sdpa_attention_forward

from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.twins import twin
from playground.core.words import WORDS as CORE
from playground.internals.words import WORDS

IMPLEMENTATION = "playground_qkv"
_asked = threading.local()  # the layer this thread wants, and where to put its tensors


@dataclass
class LayerQKV:
    query: torch.Tensor  # (1, heads, n, head_dim)
    key: torch.Tensor  # (1, kv_heads, n, head_dim)
    value: torch.Tensor
    scaling: float
    layer: int


def _catching_sdpa(module, query, key, value, attention_mask, **kwargs):
    if getattr(_asked, "layer", None) == module.layer_idx:
        # a copy on the CPU in float32, where the FlashAttention lab works through it
        _asked.caught = LayerQKV(*(t.detach().to("cpu", torch.float32, copy=True) for t in (query, key, value)),
                                 float(kwargs.get("scaling") or query.shape[-1] ** -0.5), module.layer_idx)
    return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)


AttentionInterface.register(IMPLEMENTATION, _catching_sdpa)


def layer_qkv(loaded: LoadedModel, token_ids: list[int], layer: int) -> LayerQKV:
    """Run the model once over `token_ids` and return layer `layer`'s q, k and v."""
    layers = loaded.model.config.num_hidden_layers
    check(0 <= layer < layers, CORE.text("layer", last=layers - 1, model=loaded.label, value=layer))
    _asked.layer, _asked.caught = layer, None
    try:
        with torch.inference_mode():
            twin(loaded.model, IMPLEMENTATION)(torch.tensor([token_ids], device=loaded.model.device), use_cache=False)
        check(_asked.caught is not None, WORDS.text("not_caught", model=loaded.label))
        return _asked.caught
    finally:
        _asked.layer = _asked.caught = None

"""Another attention implementation for a shared model, without touching the shared model.

The attention implementation is a setting of the model's config, which every attention layer reads at call time:
eager for attention weights (`output_attentions=True` under SDPA gives none), `paged|eager` for continuous
batching. Flipping it on the shared model would change it under another request. So a model gets a *twin* per
implementation: the same architecture built on the meta device from a copy of the config, then pointed at the
shared model's very parameter and buffer tensors. It costs no memory and no load time, and cannot drift from the
shared weights, because it has none of its own.
"""

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from transformers import PreTrainedModel

_twins: "weakref.WeakKeyDictionary[PreTrainedModel, dict[str, PreTrainedModel]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def eager_twin(model: PreTrainedModel) -> PreTrainedModel:
    """A model that shares every tensor with `model` and runs eager attention (built once per model)."""
    return twin(model, "eager")


def twin(model: PreTrainedModel, attn_implementation: str) -> PreTrainedModel:
    """A model that shares every tensor with `model` and runs `attn_implementation` (built once per model and
    implementation)."""
    with _lock:
        twins = _twins.setdefault(model, {})  # weak keys: an unloaded model takes its twins with it
        if attn_implementation in twins:
            return twins[attn_implementation]
        config = type(model.config).from_dict(model.config.to_dict())
        config._attn_implementation = attn_implementation
        with torch.device("meta"):
            built = type(model)(config)
        built.load_state_dict(model.state_dict(), assign=True, strict=True)
        for name, buffer in model.named_buffers():  # non-persistent buffers (RoPE frequencies) are not in the state
            owner, _, attr = name.rpartition(".")
            built.get_submodule(owner)._buffers[attr] = buffer
        built.eval().requires_grad_(False)
        if model.can_generate():  # generate and generate_batch read it
            built.generation_config = model.generation_config
        twins[attn_implementation] = built
        return built


@contextmanager
def caught_inputs(module: torch.nn.Module) -> Iterator[dict]:
    """Catch what `module` receives and returns in the next forward pass: {"args": (...), "kwargs": {...},
    "output": ...}. The kwargs hold what transformers hands an attention layer: the mask it built, the rotary
    cos/sin. Only this thread's pass is caught: the twin is shared, and another request's forward pass through the
    same module at the same moment is not ours (the load test caught one request reading another's mask)."""
    caught, mine = {}, threading.get_ident()

    def catch(mod, args, kwargs):
        if threading.get_ident() == mine:
            caught.setdefault("args", args)
            caught.setdefault("kwargs", kwargs)

    def catch_output(mod, args, output):
        if threading.get_ident() == mine:
            caught.setdefault("output", output)

    handles = [module.register_forward_pre_hook(catch, with_kwargs=True), module.register_forward_hook(catch_output)]
    try:
        yield caught
    finally:
        for handle in handles:
            handle.remove()

"""What a model's own modules computed inside one forward pass: outputs and inputs caught by forward hooks.

The model is shared by every visitor, so a hook catches only the forward pass of the thread that set it: another
request running the same model at the same moment passes through untouched and leaves nothing behind here.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn


def _first(value):
    """A module's tensor: its output, or the first element where it returns a tuple (attention: output, weights)."""
    return value[0] if isinstance(value, tuple) else value


@contextmanager
def caught(modules: dict[str, nn.Module], inputs: dict[str, nn.Module] | None = None) -> Iterator[dict]:
    """While open, a forward pass by this thread fills the dict it yields: key -> the output of `modules[key]`,
    and key -> the (first) input of `inputs[key]`, each without its batch dimension (batch 1)."""
    seen: dict[str, torch.Tensor] = {}
    owner = threading.get_ident()

    def keep(key: str, tensor) -> None:
        if threading.get_ident() == owner:
            seen[key] = _first(tensor).detach()[0]

    handles = [m.register_forward_hook(lambda _, __, out, key=key: keep(key, out)) for key, m in modules.items()]
    handles += [m.register_forward_pre_hook(lambda _, args, key=key: keep(key, args))
                for key, m in (inputs or {}).items()]
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()

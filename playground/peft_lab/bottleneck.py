"""A classic bottleneck adapter (Houlsby et al., 2019, https://arxiv.org/abs/1902.00751): in every block, after
attention and after the MLP, h + up(GELU(down(h))).

Written here because no well-kept library has one for this stack: peft has no bottleneck adapter (its issue #244
is open; PR #2657, which tried to add one, was closed), and AdapterHub's `adapters` pins transformers 4.57. It
wraps the attention output projection (`o_proj`) and the MLP output projection (`down_proj`) of Llama-family
blocks, so the adapter sees each sublayer's output before the residual add, where Houlsby puts it. The
up-projection starts at zero, so an untrained adapter leaves the model exactly as it was.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from playground.core.errors import check

WEIGHTS, CONFIG = "bottleneck_adapter.safetensors", "bottleneck_config.json"
WRAPPED = ("self_attn.o_proj", "mlp.down_proj")  # the sublayers' output projections in a Llama-family block


class Bottleneck(nn.Module):
    def __init__(self, hidden: int, size: int):
        super().__init__()
        self.down, self.up = nn.Linear(hidden, size), nn.Linear(size, hidden)
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.up(nn.functional.gelu(self.down(h)))


class WithAdapter(nn.Module):
    """A projection followed by its adapter; `enabled` False gives the projection alone."""

    def __init__(self, projection: nn.Linear, adapter: Bottleneck):
        super().__init__()
        adapter.to(projection.weight.device, projection.weight.dtype)  # where the base's layer is
        self.projection, self.adapter, self.enabled = projection, adapter, True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.projection(x)
        return self.adapter(out) if self.enabled else out


def _has(block: nn.Module, path: str) -> bool:
    try:
        return isinstance(block.get_submodule(path), nn.Linear)
    except AttributeError:
        return False


def _blocks(model: nn.Module) -> list[nn.Module]:
    layers = getattr(getattr(model, "model", None), "layers", None)
    check(layers is not None and all(_has(b, w) for b in layers for w in WRAPPED),
          f"The bottleneck adapter wraps Llama-family blocks (self_attn.o_proj, mlp.down_proj); "
          f"{type(model).__name__} has none.")
    return list(layers)


def add_adapters(model: nn.Module, size: int) -> nn.Module:
    """Put an adapter after every block's attention and MLP; only the adapters are trainable."""
    hidden = model.config.hidden_size
    for block in _blocks(model):
        for path in WRAPPED:
            owner, _, name = path.rpartition(".")
            parent = block.get_submodule(owner)
            parent.add_module(name, WithAdapter(getattr(parent, name), Bottleneck(hidden, size)))
    model.bottleneck_size = size
    for name, p in model.named_parameters():
        p.requires_grad_(".adapter." in name)
    return model


def _adapters(model: nn.Module) -> Iterator[WithAdapter]:
    return (m for m in model.modules() if isinstance(m, WithAdapter))


@contextmanager
def disabled(model: nn.Module):
    """The model without its adapters for a while, like peft's `disable_adapter()`."""
    wrapped = list(_adapters(model))
    for m in wrapped:
        m.enabled = False
    try:
        yield model
    finally:
        for m in wrapped:
            m.enabled = True


def adapter_state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: p.detach().contiguous() for name, p in model.named_parameters() if ".adapter." in name}


def save(model: nn.Module, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    save_file(adapter_state(model), str(folder / WEIGHTS))
    (folder / CONFIG).write_text(json.dumps({"method": "bottleneck", "bottleneck_size": model.bottleneck_size,
                                             "hidden_size": model.config.hidden_size,
                                             "num_hidden_layers": model.config.num_hidden_layers}))


def load(model: nn.Module, folder: Path) -> nn.Module:
    """Add adapters to `model` (a private copy of the base) and load saved ones, checked against its shape."""
    config = json.loads((folder / CONFIG).read_text())
    for key in ("hidden_size", "num_hidden_layers"):
        check(config.get(key) == getattr(model.config, key),
              f"This bottleneck adapter was trained for a model with {key} {config.get(key)}; the base has "
              f"{getattr(model.config, key)}.")
    add_adapters(model, int(config["bottleneck_size"]))
    weights = load_file(str(folder / WEIGHTS))
    check(weights.keys() == adapter_state(model).keys(), "The bottleneck adapter's tensors do not match the model.")
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name in weights:
                p.copy_(weights[name])
    return model

"""Where a method's trainable parameters live, read from the adapted model's own parameter names: a count per
layer and component, for the diagram of the model's blocks."""

import re

import torch

COMPONENTS = ["embeddings", "virtual tokens", "q_proj", "k_proj", "v_proj", "o_proj", "KV prefix / prompt",
              "gate_proj", "up_proj", "down_proj", "adapters", "norms", "lm_head"]
_LAYER = re.compile(r"layers\.(\d+)\.")


def component(name: str) -> str:
    if ".adapter." in name:
        return "adapters"
    if "adaption" in name:  # LLaMA-Adapter's prompt and gate
        return "KV prefix / prompt"
    for proj in ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"):
        if f".{proj}." in name or name.endswith(f".{proj}"):
            return proj
    if "norm" in name:
        return "norms"
    if "lm_head" in name:
        return "lm_head"
    if "embed_tokens" in name:
        return "embeddings"
    return "virtual tokens"  # peft's prompt encoder: prompt tuning, P-tuning, prefix tuning


def trainable_map(model: torch.nn.Module, num_layers: int, prefix_tuning: bool = False) -> torch.Tensor:
    """(input + layers + output rows, components) trainable-parameter counts. Prefix tuning's one table of
    prefixes holds a key and value prefix for every layer, so its count is spread over the layers' rows."""
    counts = torch.zeros(num_layers + 2, len(COMPONENTS))
    seen = set()
    for name, p in model.named_parameters():
        if not p.requires_grad or id(p) in seen:
            continue
        seen.add(id(p))
        column = COMPONENTS.index(component(name))
        layer = _LAYER.search(name)
        if prefix_tuning and column == COMPONENTS.index("virtual tokens"):
            counts[1:-1, COMPONENTS.index("KV prefix / prompt")] += p.numel() / num_layers
        elif layer:
            counts[1 + int(layer.group(1)), column] += p.numel()
        else:  # outside the blocks: the output head and final norm at the top, the rest at the input
            counts[-1 if column == COMPONENTS.index("lm_head") or "model.norm" in name else 0, column] += p.numel()
    return counts

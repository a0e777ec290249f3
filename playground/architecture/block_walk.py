"""Runs the forward pass with the chosen block's modules hooked, then walks that block in its family's steps."""

import torch

from playground.architecture import walk_bert, walk_gpt2, walk_llama
from playground.architecture.hooks import caught
from playground.architecture.walk import BlockWalk, Walker, WalkSettings
from playground.core.errors import PlaygroundError, check
from playground.core.models import LoadedModel
from playground.core.visible import token_pieces

FAMILIES = {"llama": walk_llama, "gpt2": walk_gpt2, "bert": walk_bert}


def layers_of(model) -> list:
    for path in ("model.layers", "transformer.h", "encoder.layer"):
        holder = model
        for part in path.split("."):
            holder = getattr(holder, part, None)
        if holder is not None:
            return list(holder)
    raise PlaygroundError(f"The block walk does not know where {type(model).__name__} keeps its layers.")


def family_of(model) -> str:
    kind = model.config.model_type
    if kind in ("llama", "qwen2"):
        return "llama"
    if kind in ("gpt2", "bert"):
        return kind
    raise PlaygroundError(f"model: the block walk covers LLaMA, Qwen2 (SmolLM2 is a LLaMA), GPT-2 and BERT; "
                          f"this is a {kind}.")


def block_walk(loaded: LoadedModel, token_ids: list[int], settings: WalkSettings) -> BlockWalk:
    """Walks `settings.layer` at `settings.position` (negative counts from the end) of the prompt `token_ids`."""
    model, family = loaded.model, family_of(loaded.model)
    layers = layers_of(model)
    n = len(token_ids)
    check(0 <= settings.layer < len(layers), f"layer must be between 0 and {len(layers) - 1} for "
          f"{loaded.label} (got {settings.layer}).")
    check(-n <= settings.position < n, f"position must be between {-n} and {n - 1} for this prompt of {n} "
          f"tokens (got {settings.position}).")
    steps = FAMILIES[family]
    block = layers[settings.layer]
    ids = torch.tensor([token_ids], device=model.device)
    with torch.no_grad(), caught({"block": block, **steps.outputs(block)}, steps.inputs(block)) as seen:
        hidden = model(ids, output_hidden_states=True).hidden_states
    tokens = token_pieces(loaded.tokenizer, token_ids)
    result = BlockWalk(loaded.label, family, settings.layer, settings.position % n, tokens)
    with torch.no_grad():
        steps.walk(Walker(result, seen), model, block, hidden[settings.layer][0].float(), ids[0])
    return result

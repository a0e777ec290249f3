"""Runs the forward pass with the chosen block's modules hooked, then walks that block in its family's steps."""

import torch

from playground.architecture import walk_bert, walk_gpt2, walk_llama
from playground.architecture.hooks import caught
from playground.architecture.walk import BlockWalk, Walker, WalkSettings
from playground.architecture.words import WORDS
from playground.core.errors import PlaygroundError, check
from playground.core.models import LoadedModel
from playground.core.visible import token_pieces
from playground.core.words import WORDS as CORE_WORDS

FAMILIES = {"llama": walk_llama, "gpt2": walk_gpt2, "bert": walk_bert}


def layers_of(model) -> list:
    for path in ("model.layers", "transformer.h", "encoder.layer"):
        holder = model
        for part in path.split("."):
            holder = getattr(holder, part, None)
        if holder is not None:
            return list(holder)
    raise PlaygroundError(WORDS.text("no_layers", model=type(model).__name__))


def family_of(model) -> str:
    kind = model.config.model_type
    if kind in ("llama", "qwen2"):
        return "llama"
    if kind in ("gpt2", "bert"):
        return kind
    raise PlaygroundError(WORDS.text("families", kind=kind))


def block_walk(loaded: LoadedModel, token_ids: list[int], settings: WalkSettings) -> BlockWalk:
    """Walks `settings.layer` at `settings.position` (negative counts from the end) of the prompt `token_ids`."""
    model, family = loaded.model, family_of(loaded.model)
    layers = layers_of(model)
    n = len(token_ids)
    check(0 <= settings.layer < len(layers),
          CORE_WORDS.text("layer", last=len(layers) - 1, model=loaded.label, value=settings.layer))
    check(-n <= settings.position < n, WORDS.text("position", first=-n, last=n - 1, count=n, value=settings.position))
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

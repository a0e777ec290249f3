"""Prompts' key/value caches, kept per model: the chat template's opening, and each recent prompt's.

Prefill is bound by compute (about 0.1 s per short prompt here) and stalls every running row of the batch, so
nothing is prefilled twice:
- **The opening.** Every chat prompt starts with the same tokens (SmolLM2's system message: 24 of a short
  question's 38), computed once per model. A new prompt prefills only what follows it, on a copy of that cache.
- **Recent prompts.** A classroom sends the same prompt many times (the default question, the exercise of the
  hour), so each prompt's cache is kept, the most recently used first, up to PROMPT_BYTES per model, as vLLM's
  automatic prefix caching keeps shared blocks. A prompt is always computed alone, with no padding and nobody
  beside it, so a kept cache is exactly what a lone run computes: whoever's request computed it first, nobody's
  tokens change. Another person sending the same prompt gets the same result a little sooner, and nothing else.

A cached key already carries its rotary position, so a kept cache serves a row wherever its padding puts it.

Example:
    cache = kept_prompt(loaded, tuple(prompt_ids))  # one row: every token but the last; never write to it
"""

import copy
import threading
from collections import OrderedDict
from weakref import WeakKeyDictionary

import torch
from transformers import DynamicCache

from playground.core.models import LoadedModel
from playground.core.prompts import template_prefix

PROMPT_BYTES = 64 * 2**20  # SmolLM2 keeps 46 KB per token: about 35 prompts of 40 tokens

_KEPT: WeakKeyDictionary = WeakKeyDictionary()  # model -> its Kept
_KEEPING = threading.Lock()


class Kept:
    """One model's kept caches."""

    def __init__(self):
        self.opening: tuple[tuple[int, ...], DynamicCache] | None = None
        self.prompts: OrderedDict[tuple[int, ...], DynamicCache] = OrderedDict()
        self.bytes = 0


def _kept(loaded: LoadedModel) -> Kept:
    return _KEPT.setdefault(loaded.model, Kept())


def kept_opening(loaded: LoadedModel) -> tuple[tuple[int, ...], DynamicCache | None]:
    """The tokens every chat prompt of this model starts with, and their cache (computed on first use); no
    tokens and None without a chat template."""
    shared = template_prefix(loaded.tokenizer)
    if not shared:
        return (), None
    with _KEEPING:
        kept = _kept(loaded)
        if kept.opening is None or kept.opening[0] != shared:
            ids = torch.tensor([shared], device=loaded.model.device)
            with torch.inference_mode():
                kept.opening = (shared, loaded.model(input_ids=ids, use_cache=True, logits_to_keep=1).cache)
        return kept.opening


def kept_prompt(loaded: LoadedModel, prompt: tuple[int, ...]) -> DynamicCache | None:
    """The cache of every token of the prompt but its last (None for a one-token prompt), one row: kept, or
    computed alone now (after the opening when it starts with it) and kept."""
    if len(prompt) < 2:
        return None
    with _KEEPING:
        kept = _kept(loaded)
        if prompt in kept.prompts:
            kept.prompts.move_to_end(prompt)
            return kept.prompts[prompt]
    shared, opening = kept_opening(loaded)
    cache = (prefill_after(loaded, shared, opening, prompt) if opening is not None and starts_with(prompt, shared)
             else _prefill_alone(loaded, prompt))
    with _KEEPING:
        if prompt not in kept.prompts:
            kept.prompts[prompt] = cache
            kept.bytes += _bytes(cache)
            while kept.bytes > PROMPT_BYTES and len(kept.prompts) > 1:
                kept.bytes -= _bytes(kept.prompts.popitem(last=False)[1])
        return kept.prompts[prompt]


def starts_with(prompt: tuple[int, ...], shared: tuple[int, ...]) -> bool:
    """Whether the prompt is the opening and more (its last token is always left for generate's first step)."""
    return bool(shared) and len(prompt) > len(shared) and prompt[: len(shared)] == shared


def prefill_after(loaded: LoadedModel, shared: tuple[int, ...], opening: DynamicCache,
                  prompt: tuple[int, ...]) -> DynamicCache:
    """The cache of the prompt but its last token, from a copy of the opening's cache and the prompt's rest."""
    cache = copy.deepcopy(opening)  # the kept one is never written to
    rest = prompt[len(shared) : -1]
    if not rest:
        return cache
    ids = torch.tensor([rest], device=loaded.model.device)
    positions = torch.arange(len(shared), len(prompt) - 1, device=loaded.model.device)[None]
    with torch.inference_mode():
        return loaded.model(input_ids=ids, position_ids=positions, cache=cache, use_cache=True,
                            logits_to_keep=1).cache


def _prefill_alone(loaded: LoadedModel, prompt: tuple[int, ...]) -> DynamicCache:
    ids = torch.tensor([prompt[:-1]], device=loaded.model.device)
    with torch.inference_mode():
        return loaded.model(input_ids=ids, use_cache=True, logits_to_keep=1).cache


def _bytes(cache: DynamicCache) -> int:
    return sum(layer.keys.nbytes + layer.values.nbytes for layer in cache.layers)

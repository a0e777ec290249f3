"""Prompts' caches kept per model (prefix.py): a prompt's cache, computed after the kept template opening, is what a
whole prefill computes, to float precision; a boarding's cache is the kept caches, stacked, to the bit; nothing
written to a kept cache; the least recently used go first when they outgrow their bytes."""

import copy
from weakref import WeakKeyDictionary

import pytest
import torch

from playground.core import models
from playground.core.prompts import build_prompt, template_prefix
from playground.decoding import prefix
from playground.decoding.batcher import run_pass
from playground.decoding.continuous import Request, prefill, prefill_whole
from playground.decoding.prefix import kept_opening, kept_prompt
from playground.decoding.strategies import DecodingSettings

TEXTS = ["Write a haiku about the sea.", "Hi", "用一句话解释什么是注意力机制。",
         "Explain in two sentences how a transformer predicts the next word."]


def next_probabilities(loaded, cache, prompts) -> torch.Tensor:
    """Each prompt's last token run on (a copy of) the cache of the rest, as a segment's first step runs it."""
    cache = copy.deepcopy(cache)  # a forward pass appends to the cache it is given
    width = max(map(len, prompts))
    ids = torch.tensor([[p[-1]] for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    positions = torch.tensor([[len(p) - 1] for p in prompts])
    with torch.inference_mode():
        logits = loaded.model(input_ids=ids, attention_mask=mask, position_ids=positions, cache=cache).logits
    return torch.softmax(logits[:, -1].float(), -1)


@pytest.fixture(params=["smollm2-135m-instruct", "tiny-llama", "tiny-qwen2"])
def loaded(request):
    return models.load_causal_lm(request.param)


def prompts_of(loaded) -> list[tuple[int, ...]]:
    """Chat prompts of several lengths, one that is the opening and one token more, and one without a template."""
    chat = [tuple(build_prompt(loaded.tokenizer, text).input_ids) for text in TEXTS]
    opening = template_prefix(loaded.tokenizer)
    plain = tuple(build_prompt(loaded.tokenizer, "Once upon a time", use_chat_template=False).input_ids)
    return chat + [opening + chat[0][len(opening) : len(opening) + 1], plain]


def test_a_kept_prompt_is_what_a_whole_prefill_computes(loaded):
    assert template_prefix(loaded.tokenizer), "these models' tokenizers have a chat template"
    for prompt in prompts_of(loaded):
        whole = next_probabilities(loaded, prefill_whole(loaded, [prompt]), [prompt])
        kept = next_probabilities(loaded, kept_prompt(loaded, prompt), [prompt])
        assert torch.equal(kept.argmax(-1), whole.argmax(-1))
        assert kept == pytest.approx(whole, rel=1e-4, abs=1e-7)


def test_a_boarding_is_its_prompts_kept_caches_stacked(loaded):
    prompts = prompts_of(loaded)
    boarded = prefill(loaded, prompts)
    width = max(map(len, prompts)) - 1
    for row, prompt in enumerate(prompts):
        own = len(prompt) - 1
        for mine, kept in zip(boarded.layers, kept_prompt(loaded, prompt).layers, strict=True):
            assert torch.equal(mine.keys[row, :, width - own :], kept.keys[0])
            assert torch.equal(mine.values[row, :, width - own :], kept.values[0])
            assert not mine.keys[row, :, : width - own].any()  # the padding on its left


def test_nothing_is_written_to_the_kept_caches(loaded):
    kept = [kept_opening(loaded)[1]] + [kept_prompt(loaded, p) for p in prompts_of(loaded)]
    before = [[(layer.keys.clone(), layer.values.clone()) for layer in cache.layers] for cache in kept]
    run_pass(loaded, [Request(list(p), ["greedy", "top_p"], DecodingSettings(max_new_tokens=4))
                      for p in prompts_of(loaded)])
    assert kept_prompt(loaded, prompts_of(loaded)[0]) is kept[1]  # the same cache, kept
    for cache, tensors in zip(kept, before, strict=True):
        for layer, (keys, values) in zip(cache.layers, tensors, strict=True):
            assert torch.equal(layer.keys, keys) and torch.equal(layer.values, values)


def test_the_least_recently_used_prompts_go_first(monkeypatch):
    tiny = models.load_causal_lm("tiny-llama")
    monkeypatch.setattr(prefix, "_KEPT", WeakKeyDictionary())  # none kept yet
    p0, p1, p2 = prompts_of(tiny)[:3]
    computed = {p: copy.deepcopy(kept_prompt(tiny, p)) for p in (p0, p1, p2)}
    size = {p: sum(layer.keys.nbytes + layer.values.nbytes for layer in computed[p].layers) for p in computed}
    monkeypatch.setattr(prefix, "_KEPT", WeakKeyDictionary())
    monkeypatch.setattr(prefix, "PROMPT_BYTES", sum(size.values()) - 1)  # one short of all three
    first = kept_prompt(tiny, p0)
    kept_prompt(tiny, p1)
    assert kept_prompt(tiny, p0) is first  # used again: now the most recent
    kept_prompt(tiny, p2)
    kept = prefix._kept(tiny)
    assert list(kept.prompts) == [p0, p2] and kept.bytes == size[p0] + size[p2]
    again = kept_prompt(tiny, p1)  # computed again, alone: the same to the bit
    assert again is not computed[p1]
    for a, b in zip(again.layers, computed[p1].layers, strict=True):
        assert torch.equal(a.keys, b.keys) and torch.equal(a.values, b.values)


def test_without_a_template_a_prompt_is_prefilled_alone_and_whole(monkeypatch):
    tiny = models.load_causal_lm("tiny-llama")
    monkeypatch.setattr(tiny.tokenizer, "chat_template", None)
    assert kept_opening(tiny) == ((), None)
    prompt = tuple(build_prompt(tiny.tokenizer, "Once upon a time there was", use_chat_template=False).input_ids)
    assert next_probabilities(tiny, kept_prompt(tiny, prompt), [prompt]) == pytest.approx(
        next_probabilities(tiny, prefill_whole(tiny, [prompt]), [prompt]), rel=1e-5, abs=1e-8)

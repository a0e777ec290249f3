"""Every strategy in the batched pass against transformers' own generate, the oracle."""

import pytest
import torch

from playground.core import config
from playground.decoding import runner
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt
from playground.decoding.strategies import SAMPLING_FAMILY, STRATEGIES, DecodingSettings, generate_kwargs_for, validate


def bare_generate(loaded, prompt_ids, name, settings, **extra):
    ids = torch.tensor([prompt_ids])
    torch.manual_seed(settings.seed)
    out = loaded.model.generate(
        ids, attention_mask=torch.ones_like(ids), pad_token_id=loaded.tokenizer.pad_token_id,
        **generate_kwargs_for(name, settings), **extra,
    )
    return out


def generated(out, prompt_ids, n):
    sequences = out.sequences if hasattr(out, "sequences") else out
    return sequences[0, len(prompt_ids) : len(prompt_ids) + n].tolist()


SETTINGS = DecodingSettings(max_new_tokens=12, seed=7, temperature=0.8)


def test_greedy_row_in_a_mixed_batch_equals_generate_greedy(tiny):
    prompt = build_prompt(tiny.tokenizer, "Tell me a story about a cat.")
    results = runner.run_sampling_batch(tiny, prompt.input_ids, list(SAMPLING_FAMILY), SETTINGS)
    greedy = next(r for r in results if r.name == "greedy")
    expected = generated(bare_generate(tiny, prompt.input_ids, "greedy", SETTINGS), prompt.input_ids, 99)
    assert greedy.token_ids == expected[: len(greedy.token_ids)]
    assert len(greedy.token_ids) == len(expected) or greedy.stop_reason == "eos"


@pytest.mark.parametrize("name", SAMPLING_FAMILY)
def test_single_row_equals_seeded_generate(tiny, name):
    """Our per-row warpers draw exactly what generate(do_sample=True, ...) draws with the same seed."""
    prompt = build_prompt(tiny.tokenizer, "Once upon a time")
    [ours] = runner.run_sampling_batch(tiny, prompt.input_ids, [name], SETTINGS)
    expected = generated(bare_generate(tiny, prompt.input_ids, name, SETTINGS), prompt.input_ids, 99)
    assert ours.token_ids == expected[: len(ours.token_ids)]


def test_embedded_model_greedy_and_sampling_rows_match_generate(smollm2):
    settings = DecodingSettings(max_new_tokens=20, seed=1, top_p=0.9)
    prompt = build_prompt(smollm2.tokenizer, "What is the capital of France?")
    results = runner.run_sampling_batch(smollm2, prompt.input_ids, ["greedy", "top_p", "min_p", "typical"], settings)
    greedy = results[0]
    assert greedy.text.startswith("The capital of France is Paris")
    expected = generated(bare_generate(smollm2, prompt.input_ids, "greedy", settings), prompt.input_ids, 99)
    assert greedy.token_ids == expected[: len(greedy.token_ids)]
    [alone] = runner.run_sampling_batch(smollm2, prompt.input_ids, ["top_p"], settings)
    assert alone.token_ids == generated(
        bare_generate(smollm2, prompt.input_ids, "top_p", settings), prompt.input_ids, len(alone.token_ids)
    )


def test_seed_makes_the_comparison_reproducible(tiny):
    prompt = build_prompt(tiny.tokenizer, "Hello")
    first = runner.run_sampling_batch(tiny, prompt.input_ids, ["sampling", "top_k"], SETTINGS)
    again = runner.run_sampling_batch(tiny, prompt.input_ids, ["sampling", "top_k"], SETTINGS)
    assert [r.token_ids for r in first] == [r.token_ids for r in again]


def test_shared_modifiers_reach_every_row(smollm2):
    """no_repeat_ngram_size=2 must hold in every row of the batch: no bigram occurs twice."""
    settings = DecodingSettings(max_new_tokens=40, seed=0, no_repeat_ngram_size=2)
    prompt = build_prompt(smollm2.tokenizer, "My favourite fruits are apples, bananas, and", use_chat_template=False)
    for result in runner.run_sampling_batch(smollm2, prompt.input_ids, ["greedy", "sampling"], settings):
        ids = prompt.input_ids + result.token_ids
        bigrams = [tuple(ids[i : i + 2]) for i in range(len(ids) - 1)]
        assert len(bigrams) == len(set(bigrams))


def test_trace_numbers_are_the_models_distribution(tiny):
    prompt = build_prompt(tiny.tokenizer, "Hello there")
    [result] = runner.run_sampling_batch(tiny, prompt.input_ids, ["greedy"], SETTINGS)
    ids = torch.tensor([prompt.input_ids + result.token_ids])
    with torch.no_grad():
        logits = tiny.model(ids).logits[0, len(prompt.input_ids) - 1 : -1]
    probs = torch.softmax(logits, -1)
    for step, p in zip(result.steps, probs):
        assert step.prob == pytest.approx(float(p[step.token_id]), rel=1e-3, abs=1e-6)
        assert step.rank == 1 and step.sampled_prob == pytest.approx(1.0)
        assert step.top[0][1] == pytest.approx(float(p.max()), rel=1e-3)


BAD = [
    (dict(temperature=0.0), "greedy"),
    (dict(temperature=-1.0), "temperature"),
    (dict(top_p=0.0), "top_p"),
    (dict(top_p=1.5), "top_p"),
    (dict(top_k=-1), "top_k"),
    (dict(min_p=1.5), "min_p"),
    (dict(num_beams=config.MAX_BEAMS + 1), "num_beams"),
    (dict(max_new_tokens=config.MAX_NEW_TOKENS + 1), "max_new_tokens"),
    (dict(max_new_tokens=0), "max_new_tokens"),
    (dict(temperature=float("nan")), "finite"),
]


@pytest.mark.parametrize("change,words", BAD)
def test_bad_parameters_are_explained(change, words):
    with pytest.raises(PlaygroundError, match=words):
        validate(list(STRATEGIES), DecodingSettings(**change))


def test_a_strategys_own_parameter_is_checked_only_when_it_runs():
    odd = DecodingSettings(temperature=0.0, num_beams=1, penalty_alpha=2.0)
    assert validate(["greedy"], odd) == ["greedy"]  # greedy ignores temperature, beams and alpha
    for name, words in [("sampling", "temperature"), ("beam", "num_beams"), ("contrastive", "penalty_alpha")]:
        with pytest.raises(PlaygroundError, match=words):
            validate(["greedy", name], odd)
    no_nucleus = DecodingSettings(top_p=0.0)
    assert validate(["top_k", "min_p"], no_nucleus) == ["top_k", "min_p"]
    with pytest.raises(PlaygroundError, match="top_p"):
        validate(["top_k", "top_p"], no_nucleus)


@pytest.mark.parametrize("names,words", [([], "at least one"), (["nucleus"], "Unknown"), (["dola"], "downloaded code")])
def test_bad_strategy_names_are_explained(names, words):
    with pytest.raises(PlaygroundError, match=words):
        validate(names, DecodingSettings())


def test_prompt_plus_new_tokens_over_the_context_is_explained(tokenizer):
    from transformers import GPT2Config, GPT2LMHeadModel

    from playground.core.models import LoadedModel

    short = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=1, n_head=2, n_positions=40))
    loaded = LoadedModel("short", "short-context GPT-2", short.eval(), tokenizer, random_weights=True)
    with pytest.raises(PlaygroundError, match="context of 40 tokens"):
        runner.compare(loaded, "one two three four five six seven eight nine ten " * 3, ["greedy"],
                         DecodingSettings(max_new_tokens=16), use_chat_template=False)

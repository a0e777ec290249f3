"""Speculative decoding is exact: with greedy decoding, every drafter gives plain greedy's tokens (hypothesis over
prompts and draft lengths on the tiny models; the drafters on SmolLM2). Each recorded pass adds up to the text, and
the shared model is left as it was."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import models
from playground.core.errors import PlaygroundError
from playground.internals.speculative import SpeculativeSettings, draft_model_for, private_view, speculative_run

WORDS = ["the", "cat", "sat", "on", "mat", "and", "then", "the", "dog", "ran", ",", ".", "42", "é"]
# (target, drafter settings): each drafter on each tiny model that supports it
CASES = [("tiny-llama", dict(drafter="prompt_lookup")), ("tiny-llama", dict(drafter="early_exit", exit_layer=1)),
         ("tiny-llama", dict(drafter="draft_model", draft_model="tiny-qwen2")),
         ("tiny-qwen2", dict(drafter="early_exit", exit_layer=1)),
         ("tiny-gpt2", dict(drafter="prompt_lookup")), ("tiny-gpt2", dict(drafter="draft_model"))]


def assert_passes_add_up(run):
    """Each pass's kept drafts and its own token are the next tokens of the text; a rejected draft differs from
    the token the model put in its place (greedy), except in the last pass, which max_new_tokens or the end of
    text may cut on a draft the model agreed with."""
    position = 0
    for step in run.steps:
        assert run.token_ids[position:position + step.new_tokens] == step.drafted[:step.accepted] + [step.added]
        if step.accepted < len(step.drafted) and step is not run.steps[-1]:
            assert step.drafted[step.accepted] != step.added
        position += step.new_tokens
    assert position == len(run.token_ids)


@pytest.mark.parametrize("key,drafter", CASES)
@settings(max_examples=6, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), draft_length=st.integers(1, 6))
def test_greedy_with_any_drafter_is_plain_greedy(key, drafter, words, draft_length):
    run = speculative_run(models.load_causal_lm(key), " ".join(words),
                          SpeculativeSettings(draft_length=draft_length, max_new_tokens=12, **drafter),
                          use_chat_template=False)
    assert run.token_ids == run.plain_ids and len(run.token_ids) >= 1
    assert_passes_add_up(run)
    assert all(len(step.drafted) <= draft_length for step in run.steps)


@pytest.mark.parametrize("drafter", [dict(drafter="prompt_lookup"), dict(drafter="early_exit", exit_layer=28),
                                     dict(drafter="draft_model", draft_model="tiny-llama")])
def test_smollm2_with_each_drafter_is_plain_greedy(smollm2, drafter):
    prompt = "Repeat this text exactly: The quick brown fox jumps over the lazy dog on a sunny day."
    run = speculative_run(smollm2, prompt, SpeculativeSettings(max_new_tokens=12, draft_length=4, **drafter))
    assert run.same_as_plain
    assert_passes_add_up(run)
    assert len(run.steps) < len(run.token_ids) or drafter["drafter"] != "prompt_lookup"  # copying pays here
    assert run.first_draft is not None and run.first_draft.target_logits.shape == (len(smollm2.tokenizer),)
    assert (run.first_draft.draft_logits is None) == (drafter["drafter"] == "prompt_lookup")


def test_early_exit_leaves_the_shared_model_as_it_was(smollm2):
    config, generation = smollm2.model.config.to_dict(), smollm2.model.generation_config.to_dict()
    speculative_run(smollm2, "Hello", SpeculativeSettings(drafter="early_exit", exit_layer=3, max_new_tokens=3))
    assert smollm2.model.config.to_dict() == config and smollm2.model.generation_config.to_dict() == generation
    view = private_view(smollm2.model)
    view.config.num_hidden_layers = 1
    assert smollm2.model.model.config.num_hidden_layers == 30
    assert view.model.layers[0] is smollm2.model.model.layers[0]  # the same weights, not a copy


def test_sampling_keeps_the_text_a_function_of_the_seed():
    settings_ = SpeculativeSettings(drafter="early_exit", exit_layer=1, do_sample=True, max_new_tokens=8, seed=3)
    first, again = (speculative_run(models.load_causal_lm("tiny-llama"), "Once upon a time", settings_)
                    for _ in range(2))
    assert first.token_ids == again.token_ids and first.plain_ids == again.plain_ids


def test_clear_errors(tiny, monkeypatch):
    layers = tiny.model.config.num_hidden_layers
    with pytest.raises(PlaygroundError, match="exit_layer must be between 1 and|stacks its blocks"):
        speculative_run(tiny, "Hi", SpeculativeSettings(drafter="early_exit", exit_layer=layers))
    with pytest.raises(PlaygroundError, match="drafter must be one of"):
        SpeculativeSettings(drafter="medusa")
    with pytest.raises(PlaygroundError, match="draft_length must be between 1 and 32"):
        SpeculativeSettings(draft_length=0)
    other = models.LoadedModel("other", "a BERT-vocabulary model", tiny.model, models.load_encoder().tokenizer)
    monkeypatch.setattr("playground.internals.speculative.load_causal_lm", lambda key: other)
    with pytest.raises(PlaygroundError, match="uses another tokenizer"):
        draft_model_for(tiny, "anything")


def test_gpt2_has_no_early_exit_and_says_so():
    with pytest.raises(PlaygroundError, match="stacks its blocks"):
        speculative_run(models.load_causal_lm("tiny-gpt2"), "Hi", SpeculativeSettings(drafter="early_exit",
                                                                                       exit_layer=1))


def test_each_pass_is_one_forward_of_the_target(smollm2, monkeypatch):
    """The target runs once per recorded pass (plus the plain run's and the warm-up's): counted at its forward."""
    calls = []
    base = smollm2.model.model
    hook = base.register_forward_hook(lambda module, args, out: calls.append(module.config.num_hidden_layers))
    try:
        run = speculative_run(smollm2, "Repeat exactly: one two three four five six seven eight.",
                              SpeculativeSettings(max_new_tokens=12))
    finally:
        hook.remove()
    assert len(calls) == 2 + len(run.plain_ids) + len(run.steps)
    assert torch.tensor(calls).eq(30).all()

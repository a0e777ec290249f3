"""The sampler pipeline against transformers: its own processors, and generate's own processed scores."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import (
    MinPLogitsWarper,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt
from playground.next_token.pipeline import SamplerParams, run_pipeline
from playground.next_token.view import explore

params_strategy = st.builds(
    SamplerParams,
    temperature=st.floats(0.05, 3.0),
    top_k=st.integers(0, 60),
    top_p=st.floats(0.01, 1.0),
    min_p=st.floats(0.0, 0.5),
)
logits_strategy = st.lists(st.floats(-20, 20, allow_subnormal=False), min_size=8, max_size=120).map(torch.tensor)


@given(logits=logits_strategy, p=params_strategy)
@settings(max_examples=150, deadline=None)
def test_pipeline_equals_transformers_processors_called_directly(logits, p):
    ids = torch.tensor([[0]])
    expected = logits[None, :].float()
    if p.temperature != 1.0:
        expected = TemperatureLogitsWarper(p.temperature)(ids, expected)
    if p.top_k > 0:
        expected = TopKLogitsWarper(p.top_k)(ids, expected)
    if p.top_p < 1.0:
        expected = TopPLogitsWarper(p.top_p)(ids, expected)
    if p.min_p > 0:
        expected = MinPLogitsWarper(p.min_p)(ids, expected)
    final = run_pipeline(logits, [0], p)[-1]
    assert torch.equal(final.kept, torch.isfinite(expected[0]))
    assert torch.allclose(final.probs, torch.softmax(expected[0], -1), atol=1e-6)


@given(logits=logits_strategy, p=params_strategy)
@settings(max_examples=150, deadline=None)
def test_probabilities_sum_to_one_and_the_kept_set_is_a_prefix(logits, p):
    stages = run_pipeline(logits, [0], p)
    final, raw = stages[-1], stages[0].probs
    assert float(final.probs.sum()) == pytest.approx(1.0, abs=1e-5)
    assert int(final.kept.sum()) >= 1
    # A prefix of the tokens sorted by probability; ties may straddle the boundary, so: every kept token is at
    # least as likely as every cut one.
    if not bool(final.kept.all()):
        assert float(raw[final.kept].min()) >= float(raw[~final.kept].max())


def test_generate_samples_from_the_same_distribution(tiny):
    """generate's own processed scores for one step (it builds its processors itself) match our final stage."""
    prompt = build_prompt(tiny.tokenizer, "Hello there", use_chat_template=False)
    ids = torch.tensor([prompt.input_ids])
    for p in [SamplerParams(temperature=0.7, top_k=40, top_p=0.9, min_p=0.02),
              SamplerParams(temperature=1.5, top_p=0.5, repetition_penalty=1.3)]:
        out = tiny.model.generate(
            ids, attention_mask=torch.ones_like(ids), do_sample=True, max_new_tokens=1, temperature=p.temperature,
            top_k=p.top_k, top_p=p.top_p, min_p=p.min_p or None, repetition_penalty=p.repetition_penalty,
            return_dict_in_generate=True, output_scores=True, pad_token_id=tiny.tokenizer.pad_token_id,
        )
        view = explore(tiny, "Hello there", p, use_chat_template=False)
        theirs = out.scores[0][0]
        assert torch.equal(view.final.kept, torch.isfinite(theirs))
        assert torch.allclose(view.final.probs, torch.softmax(theirs, -1), atol=1e-5)


def test_order_matters():
    """Top-p 0.5 before temperature 3 keeps one token; after it, the flattened distribution needs several."""
    logits = torch.tensor([3.0, 1.0, 0.5, 0.0, -1.0])
    before = SamplerParams(temperature=3.0, top_p=0.5, order=("top_p", "temperature"))
    after = SamplerParams(temperature=3.0, top_p=0.5, order=("temperature", "top_p"))
    assert int(run_pipeline(logits, [0], before)[-1].kept.sum()) == 1
    assert int(run_pipeline(logits, [0], after)[-1].kept.sum()) > 1


@pytest.mark.parametrize(
    "params,words",
    [
        (dict(temperature=0.0), "greedy"),
        (dict(top_p=0.0), "top_p"),
        (dict(top_p=1.2), "top_p"),
        (dict(min_p=-0.1), "min_p"),
        (dict(min_p=1.1), "min_p"),
        (dict(top_k=-1), "top_k"),
        (dict(order=("top_p", "nucleus")), "Unknown stage"),
        (dict(temperature=math.inf), "finite"),
    ],
)
def test_bad_parameters_are_explained(tiny, params, words):
    with pytest.raises(PlaygroundError, match=words):
        explore(tiny, "Hello", SamplerParams(**params))

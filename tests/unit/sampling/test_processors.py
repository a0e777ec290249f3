"""The registry against `generate`'s own `_get_logits_processor`: the same processors, for random settings."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import GenerationConfig

from playground.core import models
from playground.core.errors import PlaygroundError
from playground.sampling.processors import GENERATE_ORDER, STAGES, processors_for


def off_or(values):
    """None (not set), the value that switches a stage off, or a random setting."""
    return st.one_of(st.none(), values)


stage_values = st.fixed_dictionaries({
    "repetition_penalty": off_or(st.sampled_from([1.0]) | st.floats(0.5, 2.0)),
    "temperature": off_or(st.sampled_from([1.0]) | st.floats(0.05, 3.0)),
    "top_k": off_or(st.sampled_from([0, 1]) | st.integers(0, 80)),
    "top_p": off_or(st.sampled_from([1.0]) | st.floats(0.01, 1.0)),
    "min_p": off_or(st.sampled_from([0.0]) | st.floats(0.0, 0.5)),
    "typical_p": off_or(st.sampled_from([1.0]) | st.floats(0.01, 1.0)),
    "epsilon": off_or(st.sampled_from([0.0]) | st.floats(1e-5, 0.2)),
    "eta": off_or(st.sampled_from([0.0]) | st.floats(1e-5, 0.2)),
})


def described(processor) -> tuple:
    """A processor's class and its arguments, with tensors as plain numbers, for comparing two processors."""
    state = {k: (v.tolist() if isinstance(v, torch.Tensor) else v) for k, v in vars(processor).items()}
    return type(processor).__name__, sorted(state.items())


@pytest.fixture(scope="module")
def model():
    return models.load_causal_lm("tiny-llama").model


@given(values=stage_values, seed=st.integers(0, 2**16))
@settings(max_examples=200, deadline=None)
def test_the_registry_builds_exactly_what_generate_builds(model, values, seed):
    config = GenerationConfig(do_sample=True, **{STAGES[name].generate_arg: v for name, v in values.items()})
    ids = torch.tensor([[1, 2, 3, 2]])
    theirs = model._get_logits_processor(config, input_ids_seq_length=ids.shape[1], device="cpu")
    ours = processors_for(values)
    assert [described(p) for p in ours] == [described(p) for p in theirs]
    scores = torch.randn(1, 64, generator=torch.Generator().manual_seed(seed))
    mine, yours = scores.clone(), scores.clone()
    for processor in ours:
        mine = processor(ids, mine)
    assert torch.equal(mine, theirs(ids, yours))


def test_min_p_zero_is_applied_as_generate_applies_it():
    """generate adds MinPLogitsWarper whenever min_p is set, even at 0, where it keeps every token."""
    [processor] = processors_for({"min_p": 0.0})
    scores = torch.randn(1, 10)
    assert torch.equal(processor(torch.tensor([[0]]), scores.clone()), scores)
    assert processors_for({"min_p": None}) == []


def test_the_order_is_generates():
    assert GENERATE_ORDER == ("repetition_penalty", "temperature", "top_k", "top_p", "min_p", "typical_p", "epsilon",
                              "eta")


@pytest.mark.parametrize(
    "stage,value,words",
    [("temperature", 0.0, "greedy"), ("top_p", 0.0, r"\(0, 1\]"), ("top_p", 1.5, "1.5"), ("top_k", -1, "-1"),
     ("top_k", 2.5, "whole number"), ("min_p", 1.1, "min_p"), ("typical_p", 0.0, "typical_p"),
     ("epsilon", 1.0, "epsilon"), ("eta", 0.0, "eta"), ("repetition_penalty", 0.0, "1 means none")],
)
def test_each_stage_explains_a_bad_value(stage, value, words):
    with pytest.raises(PlaygroundError, match=words):
        STAGES[stage].check(value)


@pytest.mark.parametrize("stage,value", [("temperature", 0.05), ("top_p", 1.0), ("top_k", 0), ("min_p", 0.0),
                                         ("typical_p", 1.0), ("epsilon", 3e-4), ("repetition_penalty", 1.0)])
def test_each_stage_accepts_its_edge_values(stage, value):
    STAGES[stage].check(value)

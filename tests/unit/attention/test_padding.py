"""Padding side, proven on the embedded model: left padding reproduces the prompt alone, right padding does not."""

import pytest

from playground.attention.padding import padding_proof
from playground.core.errors import PlaygroundError


def test_left_padding_matches_the_prompt_alone_and_right_padding_does_not(smollm2):
    proof = padding_proof(smollm2, ["The capital of France is", "Hi there"])
    runs = {run.side: run for run in proof.runs}
    assert proof.prompt == "Hi there"
    assert runs["left"].continuation == proof.alone and runs["left"].last_logits_gap < 1e-3
    assert runs["right"].continuation != proof.alone and runs["right"].last_logits_gap > 1.0


def test_prompts_of_one_length_are_explained(tiny):
    with pytest.raises(PlaygroundError, match="different lengths"):
        padding_proof(tiny, ["one two", "three four"])

"""RoPE: the pair's score where it sits is the model's own q·k/√d, and it depends on the distance alone."""

import pytest

from playground.attention.cell import row_maths
from playground.attention.rope import rope_demo
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt


def test_moving_the_pair_together_keeps_the_models_own_score(smollm2):
    ids = build_prompt(smollm2.tokenizer, "The capital of France is Paris", use_chat_template=False).input_ids
    demo = rope_demo(smollm2, ids, layer=5, head=3, query=5, key=3)
    maths = row_maths(smollm2, ids, 5, 3, 5)
    assert demo.shifted[0][:2] == (5, 3)
    assert demo.shifted[0][2] == pytest.approx(float(maths.dots[3] * maths.scaling), abs=1e-4)
    assert all(score == pytest.approx(demo.shifted[0][2], abs=1e-3) for *_, score in demo.shifted)
    assert demo.distance_scores[2] == pytest.approx(demo.shifted[0][2], abs=1e-3)  # distance 2, anywhere
    assert max(demo.distance_scores) - min(demo.distance_scores) > 1.0  # the distance itself does matter


def test_rope_on_a_model_without_it_is_explained(tiny):
    ids = build_prompt(tiny.tokenizer, "one two three", use_chat_template=False).input_ids
    if tiny.key == "tiny-gpt2":
        with pytest.raises(PlaygroundError, match="does not use RoPE"):
            rope_demo(tiny, ids, 0, 0, 2, 1)
    else:
        assert len(rope_demo(tiny, ids, 0, 0, 2, 1).shifted) == 5

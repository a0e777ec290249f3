"""Head statistics on matrices worked by hand, and on the real model: SmolLM2 has sink and induction heads."""

import pytest
import torch

from playground.attention.extraction import extract
from playground.attention.heads import head_scores, induction_mask, ranked


def one_hot_rows(keys: list[int]) -> torch.Tensor:
    """A (1, 1, n, n) attention where query i puts all its weight on key keys[i]."""
    n = len(keys)
    weights = torch.zeros(1, 1, n, n)
    weights[0, 0, torch.arange(n), torch.tensor(keys)] = 1.0
    return weights


def test_first_token_and_previous_token_by_hand():
    sink = one_hot_rows([0, 0, 0, 0])
    previous = one_hot_rows([0, 0, 1, 2])
    ids = [5, 6, 7, 8]
    assert float(head_scores(sink, ids, "first_token")) == 1.0
    assert float(head_scores(previous, ids, "previous_token")) == 1.0
    assert float(head_scores(previous, ids, "first_token")) == pytest.approx(1 / 3)  # only query 1 looks at 0
    assert float(head_scores(sink, ids, "entropy")) == 0.0
    uniform = torch.tril(torch.ones(4, 4))
    uniform = (uniform / uniform.sum(-1, keepdim=True))[None, None]
    assert float(head_scores(uniform, ids, "entropy")) == pytest.approx((1 + 1.5849625 + 2) / 3)


def test_induction_looks_at_the_token_after_the_earlier_occurrence():
    ids = [1, 2, 3, 1, 2, 3]  # A B C A B C: the second A (query 3) should look at the first B (key 1)
    mask = induction_mask(ids)
    assert mask.nonzero().tolist() == [[3, 1], [4, 2], [5, 3]]
    copying = one_hot_rows([0, 0, 1, 1, 2, 3])
    assert float(head_scores(copying, ids, "induction")) == 1.0
    assert float(head_scores(one_hot_rows([0] * 6), ids, "induction")) == 0.0
    assert float(head_scores(copying, [1, 2, 3, 4, 5, 6], "induction")) == 0.0  # nothing repeats


def test_ranking_puts_the_most_notable_first():
    scores = torch.tensor([[0.1, 0.9], [0.5, 0.3]])
    assert [(l, h) for l, h, _ in ranked(scores, "first_token", 3)] == [(0, 1), (1, 0), (1, 1)]
    assert [(l, h) for l, h, _ in ranked(scores, "entropy", 2)] == [(0, 0), (1, 1)]  # low entropy first


def test_smollm2_has_a_first_token_sink_and_induction_heads(smollm2):
    prompt = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog."
    attention = extract(smollm2, prompt, use_chat_template=False)
    [(_, _, sink)] = ranked(head_scores(attention.weights, attention.token_ids, "first_token"), "first_token", 1)
    assert sink > 0.9
    [(_, _, copying)] = ranked(head_scores(attention.weights, attention.token_ids, "induction"), "induction", 1)
    assert copying > 0.3  # far above what chance spreads over ~20 visible keys

"""A trace's figures for one step, against their definitions computed row by row."""

import pytest
import torch

from playground.core import metrics
from playground.decoding.results import TOP_ALTERNATIVES, rows_numbers


def test_each_rows_figures_are_its_probability_rank_entropy_and_top_alternatives():
    raw = torch.randn(3, 400, generator=torch.Generator().manual_seed(0)) * 4
    raw[1, 10:] = -float("inf")  # a distribution over 10 tokens only: p = 0 adds nothing to the entropy
    raw[2, 7] = 30.0  # nearly one-hot
    drawn_from = torch.softmax(raw / 0.7, dim=-1)
    tokens = torch.tensor([[5], [3], [7]])
    for row, numbers in enumerate(rows_numbers(raw, drawn_from, tokens)):
        probs, token = torch.softmax(raw[row], dim=-1), int(tokens[row])
        assert numbers.prob == pytest.approx(float(probs[token]), rel=1e-6)
        assert numbers.sampled_prob == pytest.approx(float(drawn_from[row, token]), rel=1e-6)
        assert numbers.rank == sum(float(p) > float(probs[token]) for p in probs) + 1
        assert numbers.entropy_bits == pytest.approx(metrics.entropy_bits(probs), abs=1e-5)
        assert [i for i, _ in numbers.top] == probs.argsort(descending=True)[:TOP_ALTERNATIVES].tolist()

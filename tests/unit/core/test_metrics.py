"""Text metrics on cases worked by hand."""

import math

import pytest
import torch

from playground.core import metrics


def test_distinct_n_by_hand():
    tokens = [1, 2, 1, 2, 3]  # unigrams {1,2,3} of 5; bigrams (1,2),(2,1),(1,2),(2,3): 3 unique of 4
    assert metrics.distinct_n(tokens, 1) == pytest.approx(3 / 5)
    assert metrics.distinct_n(tokens, 2) == pytest.approx(3 / 4)
    assert metrics.distinct_n([], 2) == 0.0


def test_repetition_rate_counts_repeated_trigrams():
    loop = [5, 6, 7, 5, 6, 7, 5]  # trigrams: 567, 675, 756, 567*, 675*
    assert metrics.repetition_rate(loop) == pytest.approx(2 / 5)
    assert metrics.repetition_rate([1, 2, 3, 4]) == 0.0


def test_perplexity_of_uniform_choices_is_the_number_of_choices():
    logprobs = [math.log(1 / 4)] * 6
    assert metrics.perplexity(logprobs) == pytest.approx(4.0)
    assert metrics.mean_logprob(logprobs) == pytest.approx(math.log(0.25))


def test_entropy_bits():
    assert metrics.entropy_bits(torch.full((8,), 1 / 8)) == pytest.approx(3.0)
    assert metrics.entropy_bits(torch.tensor([1.0, 0.0])) == pytest.approx(0.0)

"""The temperature sweep, batched over every temperature, against one softmax per temperature."""

import math

import pytest
import torch

from playground.core import metrics
from playground.next_token.sweep import SWEEP_TEMPERATURES, temperature_sweep


def test_each_point_equals_its_own_softmax():
    logits = torch.randn(5000, generator=torch.Generator().manual_seed(0)) * 4
    top_ids = [3, 17, 4999]
    for point in temperature_sweep(logits, SWEEP_TEMPERATURES, top_ids):
        probs = torch.softmax(logits / point.temperature, dim=-1)
        assert point.entropy_bits == pytest.approx(metrics.entropy_bits(probs), abs=1e-4)
        assert point.effective_vocab == pytest.approx(2 ** point.entropy_bits)
        assert point.top_probs == pytest.approx(probs[top_ids].tolist(), abs=1e-6)


def test_entropy_grows_with_temperature():
    points = temperature_sweep(torch.randn(1000) * 3, SWEEP_TEMPERATURES, [0])
    entropies = [p.entropy_bits for p in points]
    assert entropies == sorted(entropies) and entropies[-1] <= math.log2(1000)  # uniform over 1,000 at most

"""The empirical check: the bound holds for the right distribution, and catches the wrong one."""

import torch

from playground.next_token.empirical import sample, total_variation, tv_bound
from playground.next_token.pipeline import SamplerParams, run_pipeline


def test_ten_thousand_samples_fall_within_the_tv_bound():
    torch.manual_seed(0)
    logits = torch.randn(500) * 2
    final = run_pipeline(logits, [0], SamplerParams(top_k=30, temperature=0.8))[-1]
    draws = sample(final.probs, 10_000, seed=1234)
    bound = tv_bound(support=30, n=10_000)
    assert bound < 0.06
    assert total_variation(final.probs, draws) < bound
    # and the check has teeth: samples from a different distribution fail it
    other = sample(torch.softmax(logits, -1), 10_000, seed=1234)
    assert total_variation(final.probs, other) > bound

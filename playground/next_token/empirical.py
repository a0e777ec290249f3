"""The empirical check: draw from the final distribution and compare the frequencies with the probabilities.

Over the whole vocabulary the check could never fail: with 49,152 tokens and 1,000 draws, the distance that chance
alone allows exceeds 1, the largest total variation there is. So the check is made on the distribution people see:
the tokens on show plus one bucket for the rest of the vocabulary. With 21 buckets and 1,000 draws chance allows
about 0.12, and drawing from the wrong distribution shows.
"""

import math
from dataclasses import dataclass

import torch


def sample(probs: torch.Tensor, n: int, seed: int) -> torch.Tensor:
    """n draws (with replacement) from `probs`, reproducible for a seed."""
    generator = torch.Generator().manual_seed(seed)
    return torch.multinomial(probs, n, replacement=True, generator=generator)


def total_variation(probs: torch.Tensor, draws: torch.Tensor) -> float:
    """TV distance between `probs` and the empirical distribution of `draws`: half the L1 difference."""
    counts = torch.bincount(draws, minlength=probs.numel()).double()
    return 0.5 * float((counts / draws.numel() - probs.double()).abs().sum())


def tv_bound(support: int, n: int, delta: float = 1e-6) -> float:
    """With probability ≥ 1 - delta, TV(empirical, true) < this, for a distribution on `support` outcomes.

    Bretagnolle-Huber-Carol: P(sum |p̂ - p| ≥ 2ε) ≤ 2^k exp(-2nε²), so ε = sqrt((k ln 2 + ln(1/δ)) / 2n).
    """
    return math.sqrt((support * math.log(2) + math.log(1 / delta)) / (2 * n))


def coarsen(probs: torch.Tensor, draws: torch.Tensor, shown_ids: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """The distribution and the draws over the shown tokens plus one last bucket for every other token."""
    shown = torch.tensor(shown_ids, dtype=torch.long)
    coarse = torch.cat([probs[shown], (1 - probs[shown].sum()).clamp(min=0)[None]])
    bucket = torch.full((probs.numel(),), len(shown_ids), dtype=torch.long)
    bucket[shown] = torch.arange(len(shown_ids))
    return coarse, bucket[draws]


@dataclass
class EmpiricalCheck:
    draws: torch.Tensor  # token ids drawn from the final distribution
    tv: float  # total variation over the shown tokens plus the rest
    bound: float  # what chance alone allows, at 99.9999% confidence

    @property
    def passed(self) -> bool:
        return self.tv < self.bound


def empirical_check(probs: torch.Tensor, draws: torch.Tensor, shown_ids: list[int]) -> EmpiricalCheck:
    """Measure `draws` (token ids) against the distribution `probs` over the shown tokens plus the rest."""
    coarse, buckets = coarsen(probs, draws, shown_ids)
    return EmpiricalCheck(draws, total_variation(coarse, buckets), tv_bound(len(shown_ids) + 1, draws.numel()))

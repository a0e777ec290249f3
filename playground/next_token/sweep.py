"""Temperature alone, across a range: how it sharpens (T < 1) or flattens (T > 1) the distribution."""

from dataclasses import dataclass

import torch

from playground.core import metrics

SWEEP_TEMPERATURES = [round(0.1 * i, 1) for i in range(1, 31)]  # 0.1 .. 3.0


@dataclass
class SweepPoint:
    temperature: float
    entropy_bits: float  # of softmax(logits / T)
    effective_vocab: float  # 2^H = e^(H in nats): how many equally likely tokens carry the same uncertainty
    top_probs: list[float]  # softmax(logits / T) of the tokens on show, for the animated bars


def temperature_sweep(logits: torch.Tensor, temperatures: list[float], top_ids: list[int]) -> list[SweepPoint]:
    points = []
    for t in temperatures:
        probs = torch.softmax(logits.float() / t, dim=-1)
        h = metrics.entropy_bits(probs)
        points.append(SweepPoint(t, h, 2**h, probs[top_ids].tolist()))
    return points

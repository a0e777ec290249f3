"""Temperature alone, across a range: how it sharpens (T < 1) or flattens (T > 1) the distribution."""

import math
from dataclasses import dataclass

import torch

SWEEP_TEMPERATURES = [round(0.1 * i, 1) for i in range(1, 31)]  # 0.1 .. 3.0


@dataclass
class SweepPoint:
    temperature: float
    entropy_bits: float  # of softmax(logits / T)
    effective_vocab: float  # 2^H = e^(H in nats): how many equally likely tokens carry the same uncertainty
    top_probs: list[float]  # softmax(logits / T) of the tokens on show, for the animated bars


def temperature_sweep(logits: torch.Tensor, temperatures: list[float], top_ids: list[int]) -> list[SweepPoint]:
    """Every temperature in one batched softmax (30 × the vocabulary): the sweep is most of a re-render's work."""
    log_probs = torch.log_softmax(logits.float()[None, :] / torch.tensor(temperatures)[:, None], dim=-1)
    probs = log_probs.exp()
    entropy_bits = (-(probs * log_probs).sum(dim=-1) / math.log(2)).tolist()  # the logits are finite: no 0 · -inf
    top_probs = probs[:, top_ids].tolist()
    return [SweepPoint(t, h, 2**h, top) for t, h, top in zip(temperatures, entropy_bits, top_probs)]

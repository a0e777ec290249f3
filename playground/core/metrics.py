"""Numbers that describe one generated text: likelihood under the model, diversity and repetition."""

import math
from collections.abc import Sequence

import torch


def ngrams(tokens: Sequence[int], n: int) -> list[tuple[int, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def distinct_n(tokens: Sequence[int], n: int) -> float:
    """Unique n-grams / all n-grams (Li et al., 2016). 1.0 means no n-gram repeats; 0 when there are none."""
    grams = ngrams(tokens, n)
    return len(set(grams)) / len(grams) if grams else 0.0


def repetition_rate(tokens: Sequence[int], n: int = 3) -> float:
    """Share of n-grams that already appeared earlier in the same text: the signature of a decoding loop."""
    grams = ngrams(tokens, n)
    seen: set[tuple[int, ...]] = set()
    repeats = 0
    for gram in grams:
        repeats += gram in seen
        seen.add(gram)
    return repeats / len(grams) if grams else 0.0


def mean_logprob(logprobs: Sequence[float]) -> float:
    """Average natural-log probability per token under the model (0 is certain, more negative is less likely)."""
    return sum(logprobs) / len(logprobs) if logprobs else 0.0


def perplexity(logprobs: Sequence[float]) -> float:
    """exp(-mean log-prob): the number of equally likely tokens the model was, on average, choosing among."""
    return math.exp(-mean_logprob(logprobs)) if logprobs else float("nan")


def entropy_bits(probs) -> float:
    """Shannon entropy of one distribution (a 1-D tensor of probabilities), in bits."""
    p = probs[probs > 0]
    return float(-(p * torch.log2(p)).sum())

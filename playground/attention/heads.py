"""One number per (layer, head), to rank heads and find the ones with a known job.

- entropy: how spread out a query's attention is (bits; 0 = all on one key). Low = a focused head.
- first_token: attention to the first token. Many heads park most of their attention there when they have
  nothing to do: an attention *sink* (Xiao et al., 2023, https://arxiv.org/abs/2309.17453).
- previous_token: attention to the token just before the query: a previous-token head.
- induction: attention to the token *after* an earlier occurrence of the query's own token, the pattern that
  copies a repeated sequence forward (Olsson et al., 2022, https://arxiv.org/abs/2209.11895). Needs a prompt that
  repeats itself.
Row 0 attends only to itself in a causal model, so the statistics read the queries from position 1 on.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch

from playground.attention.words import WORDS


@dataclass(frozen=True)
class Statistic:
    name: str  # its words: "stat.<name>" (what a person reads for it) and "about.<name>" (what it measures)
    compute: Callable[[torch.Tensor, list[int]], torch.Tensor]  # (layers, heads, q, k), token ids -> (layers, heads)
    high_is_notable: bool = True  # rank highest first (entropy: lowest first, the focused heads)

    @property
    def label(self) -> str:
        return WORDS.text(f"stat.{self.name}")

    @property
    def explanation(self) -> str:
        return WORDS.text(f"about.{self.name}")


def entropy_bits(weights: torch.Tensor, token_ids: list[int]) -> torch.Tensor:
    rows = weights[..., 1:, :]
    return (-torch.special.xlogy(rows, rows).sum(-1) / torch.log(torch.tensor(2.0))).mean(-1)


def first_token(weights: torch.Tensor, token_ids: list[int]) -> torch.Tensor:
    return weights[..., 1:, 0].mean(-1)


def previous_token(weights: torch.Tensor, token_ids: list[int]) -> torch.Tensor:
    return torch.diagonal(weights, offset=-1, dim1=-2, dim2=-1).mean(-1)


def induction_mask(token_ids: list[int]) -> torch.Tensor:
    """(q, k) True where the token before key k is query q's own token, and k comes before q."""
    ids = torch.tensor(token_ids)
    n = len(token_ids)
    q, k = torch.arange(n)[:, None], torch.arange(n)[None, :]
    earlier = torch.zeros(n, n, dtype=torch.bool)
    earlier[:, 1:] = ids[:, None] == ids[None, :-1]  # key k's predecessor holds the query's token
    return earlier & (k < q)


def induction(weights: torch.Tensor, token_ids: list[int]) -> torch.Tensor:
    mask = induction_mask(token_ids)
    queries = mask.any(-1)
    if not bool(queries.any()):
        return torch.zeros(weights.shape[:2])
    return (weights * mask).sum(-1)[..., queries].mean(-1)


STATISTICS = {stat.name: stat for stat in [
    Statistic("first_token", first_token),
    Statistic("previous_token", previous_token),
    Statistic("induction", induction),
    Statistic("entropy", entropy_bits, high_is_notable=False),
]}


def head_scores(weights: torch.Tensor, token_ids: list[int], statistic: str) -> torch.Tensor:
    """(layers, heads) values of one statistic."""
    return STATISTICS[statistic].compute(weights, token_ids)


def ranked(scores: torch.Tensor, statistic: str, n: int = 5) -> list[tuple[int, int, float]]:
    """The n most notable (layer, head, value), most notable first."""
    flat = scores.flatten() if STATISTICS[statistic].high_is_notable else -scores.flatten()
    top = torch.topk(flat, min(n, flat.numel())).indices.tolist()
    heads = scores.shape[1]
    return [(i // heads, i % heads, float(scores.flatten()[i])) for i in top]

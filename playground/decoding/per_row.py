"""One logits processor that gives every batch row its own sampling settings and its own random generator.

transformers applies one set of warpers to the whole batch, and `generate(do_sample=True)` draws every row from
torch's one global generator, so a row's draws would depend on how many rows share the batch: tick one more
strategy and the others' texts change. To compare strategies in one batched pass (the way vLLM gives each
request its own SamplingParams and seed) each row runs its own transformers warpers on its slice of the scores
and draws its token with its own `torch.Generator`. It hands `generate` a one-hot score for that token, which
`generate` (run greedy, so that it draws nothing from the global generator) can only pick, and keeps the figures
of each step's trace: the model's distribution (the scores it is handed are the raw logits) and the one the row
drew from. Decoding
one token is bound by memory bandwidth, so 8 rows cost about 2x one row instead of 8x.

Why not inside `generate`: it takes one generator for the whole batch (none at all in transformers 5), and the
draw is the step after the processors, so a processor is the one place a row can own its randomness.
"""

import torch
from transformers import LogitsProcessor

from playground.decoding.results import StepNumbers, step_numbers


class PerRowSampler(LogitsProcessor):
    """Row `i` gets `row_warpers[i]` (LogitsProcessors, in order, on its tokens from `starts[i]`) and draws with
    `generators[i]`.

    A generator seeded with s draws what torch's global generator draws after `torch.manual_seed(s)`, so a row
    equals bare `generate(do_sample=True, ...)` for its strategy alone after that seed, whatever shares the batch.

    Example:
        rows = [[TopKLogitsWarper(1)], [TemperatureLogitsWarper(0.7), TopPLogitsWarper(0.9)]]
        sampler = PerRowSampler(rows, seeded_generators([5, 5]))
        model.generate(ids.repeat(2, 1), do_sample=False, logits_processor=[sampler])
        sampler.numbers[1][step].sampled_prob  # row 1's token's probability in what it drew from at that step
    """

    def __init__(self, row_warpers: list[list[LogitsProcessor]], generators: list[torch.Generator],
                 starts: list[int] | None = None):
        if len(row_warpers) != len(generators):
            raise ValueError(f"{len(row_warpers)} rows of warpers for {len(generators)} generators")
        self.row_warpers, self.generators = row_warpers, generators
        # where each row's own tokens begin: a left-padded row's penalties must not count its padding
        self.starts = starts or [0] * len(row_warpers)
        # per row, per step: the figures of its trace (the model's distribution and the one the row drew from),
        # so that no vocabulary-sized tensor outlives its step: 32 rows × 256 steps of them would be 1.6 GB
        self.numbers: list[list[StepNumbers]] = [[] for _ in row_warpers]
        # per step and row: how far a row that kept one token only (greedy) was from a tie with the runner-up
        self.margins: list[list[float]] = []

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if scores.shape[0] != len(self.row_warpers):
            raise ValueError(f"{scores.shape[0]} rows of scores for {len(self.row_warpers)} rows of warpers")
        chosen, margins = [], []
        for i, (warpers, generator, start) in enumerate(zip(self.row_warpers, self.generators, self.starts)):
            row_scores, row_ids = scores[i : i + 1], input_ids[i : i + 1, start:]
            for warper in warpers:
                row_scores = warper(row_ids, row_scores)
            margins.append(_margin(scores[i], row_scores))
            # as generate draws: softmax of the processed float scores, one multinomial sample
            token = torch.multinomial(torch.softmax(row_scores, dim=-1), 1, generator=generator)
            self.numbers[i].append(step_numbers(scores[i], row_scores[0], int(token)))
            chosen.append(token)
        self.margins.append(margins)
        one_hot = torch.full_like(scores, -float("inf"))
        return one_hot.scatter_(1, torch.cat(chosen, dim=0), 0.0)


def _margin(scores: torch.Tensor, warped: torch.Tensor) -> float:
    """For a row whose warpers kept one token (an argmax): its lead over the runner-up; else infinity."""
    if int(torch.isfinite(warped).sum()) != 1:
        return float("inf")
    top = torch.topk(scores.float(), 2).values
    return float(top[0] - top[1])


def seeded_generators(seeds: list[int], device: torch.device | str = "cpu") -> list[torch.Generator]:
    """One generator per row, each seeded as `torch.manual_seed` would seed the global one."""
    return [torch.Generator(device=device).manual_seed(seed) for seed in seeds]

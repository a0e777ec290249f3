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

import time

import torch
from transformers import LogitsProcessor, TopKLogitsWarper

from playground.decoding.results import StepNumbers, rows_numbers


class PerRowSampler(LogitsProcessor):
    """Row `i` gets `row_modifiers[i]` (on its own tokens, from `starts[i]`), then `row_warpers[i]`, and draws with
    `generators[i]`. Rows handed the same list of warpers are warped together as one batch (warpers read no tokens,
    and a row's result does not depend on its company), which saves most of a wide pass's sorting.

    A generator seeded with s draws what torch's global generator draws after `torch.manual_seed(s)`, so a row
    equals bare `generate(do_sample=True, ...)` for its strategy alone after that seed, whatever shares the batch.

    Example:
        rows = [[TopKLogitsWarper(1)], [TemperatureLogitsWarper(0.7), TopPLogitsWarper(0.9)]]
        sampler = PerRowSampler(rows, seeded_generators([5, 5]))
        model.generate(ids.repeat(2, 1), do_sample=False, logits_processor=[sampler])
        sampler.numbers[1][step].sampled_prob  # row 1's token's probability in what it drew from at that step
    """

    def __init__(self, row_warpers: list[list[LogitsProcessor]], generators: list[torch.Generator],
                 starts: list[int] | None = None, row_modifiers: list[list[LogitsProcessor]] | None = None,
                 running: list[bool] | None = None):
        """`running`, when given, is kept up to date by the caller: a row that has stopped draws nothing more (its
        later tokens are cut away, and its generator is used by nobody else)."""
        if len(row_warpers) != len(generators):
            raise ValueError(f"{len(row_warpers)} rows of warpers for {len(generators)} generators")
        self.row_warpers, self.generators, self.running = row_warpers, generators, running
        # A greedy row (top-k 1) takes its argmax: a draw from a one-hot distribution is that token, and costs a
        # vocabulary of random numbers (1.3 ms a row here). A sampled row always draws, even when its warpers left
        # one token, so that its generator's stream stays the one bare `generate` would use.
        self.draws = [not any(isinstance(w, TopKLogitsWarper) and w.top_k == 1 for w in warpers)
                      for warpers in row_warpers]
        self.row_modifiers = row_modifiers or [[] for _ in row_warpers]
        # where each row's own tokens begin: a left-padded row's penalties must not count its padding
        self.starts = starts or [0] * len(row_warpers)
        # per row, per step: the figures of its trace (the model's distribution and the one the row drew from),
        # so that no vocabulary-sized tensor outlives its step: 32 rows × 256 steps of them would be 1.6 GB
        self.numbers: list[list[StepNumbers]] = [[] for _ in row_warpers]
        # per step and row: how far a row that kept one token only (greedy) was from a tie with the runner-up
        self.margins: list[list[float]] = []
        self.drawing_s = self.figures_s = 0.0  # the seconds it took, for the batcher's timeline

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if scores.shape[0] != len(self.row_warpers):
            raise ValueError(f"{scores.shape[0]} rows of scores for {len(self.row_warpers)} rows of warpers")
        began = time.perf_counter()
        # A row that has stopped is warped, drawn and traced no more (its later tokens are cut away): up to a
        # quarter of a wide segment's rows ride along stopped until it breaks (continuous.py).
        live = [i for i in range(len(scores)) if self.running is None or self.running[i]]
        ids, raw = (input_ids, scores) if len(live) == len(scores) else (input_ids[live], scores[live])
        modified = raw.clone() if any(self.row_modifiers[i] for i in live) else raw
        for at, i in enumerate(live):
            for modifier in self.row_modifiers[i]:
                modified[at : at + 1] = modifier(ids[at : at + 1, self.starts[i] :], modified[at : at + 1])
        warped = torch.empty_like(raw)
        for warpers, at in self.groups(live):
            part = modified[at]
            for warper in warpers:
                part = warper(ids[at], part)
            warped[at] = part
        # as generate draws: softmax of the processed float scores, one multinomial sample, here per row
        drawn_from = torch.softmax(warped, dim=-1)
        tokens = drawn_from.argmax(dim=-1, keepdim=True)
        drawing = [at for at, i in enumerate(live) if self.draws[i]]
        for at in drawing:
            tokens[at] = torch.multinomial(drawn_from[at], 1, generator=self.generators[live[at]])
        drawn = time.perf_counter()
        for i, numbers in zip(live, rows_numbers(raw, drawn_from, tokens)):
            self.numbers[i].append(numbers)
        margins = [float("inf")] * len(scores)
        for i, margin in zip(live, _margins(raw, warped)):
            margins[i] = margin
        self.margins.append(margins)
        chosen = torch.zeros(len(scores), 1, dtype=torch.long, device=scores.device)  # a stopped row's: any token
        chosen[live] = tokens
        one_hot = torch.full_like(scores, -float("inf")).scatter_(1, chosen, 0.0)
        self.drawing_s += drawn - began
        self.figures_s += time.perf_counter() - drawn
        return one_hot

    def groups(self, live: list[int]) -> list[tuple[list[LogitsProcessor], torch.Tensor]]:
        """The running rows handed the same warpers, with their places among the running rows."""
        groups: dict[int, tuple[list[LogitsProcessor], list[int]]] = {}
        for at, i in enumerate(live):
            groups.setdefault(id(self.row_warpers[i]), (self.row_warpers[i], []))[1].append(at)
        return [(warpers, torch.tensor(at)) for warpers, at in groups.values()]


def _margins(scores: torch.Tensor, warped: torch.Tensor) -> list[float]:
    """Per row whose warpers kept one token (an argmax): its lead over the runner-up; else infinity."""
    top = torch.topk(scores.float(), 2, dim=-1).values
    one_token = torch.isfinite(warped).sum(-1) == 1
    return torch.where(one_token, top[:, 0] - top[:, 1], float("inf")).tolist()


def seeded_generators(seeds: list[int], device: torch.device | str = "cpu") -> list[torch.Generator]:
    """One generator per row, each seeded as `torch.manual_seed` would seed the global one."""
    return [torch.Generator(device=device).manual_seed(seed) for seed in seeds]

"""One logits processor that gives every batch row its own sampling settings.

transformers applies one set of warpers to the whole batch. To compare strategies in one batched pass (the way
vLLM gives each request its own SamplingParams) we run each row's own transformers warpers on that row's
slice; `generate(do_sample=True)` then samples every row at once. Decoding one token is bound by memory
bandwidth, so 8 rows cost about 2x one row instead of 8x.
"""

import torch
from transformers import LogitsProcessor


class PerRowLogitsWarper(LogitsProcessor):
    """Applies `row_warpers[i]` (a list of LogitsProcessors, in order) to row `i` of the scores.

    Example:
        rows = [[TopKLogitsWarper(1)], [TemperatureLogitsWarper(0.7), TopPLogitsWarper(0.9)]]
        model.generate(ids.repeat(2, 1), do_sample=True, top_k=0, logits_processor=[PerRowLogitsWarper(rows)])
        # row 0 decodes greedily, row 1 with temperature 0.7 and top-p 0.9
    """

    def __init__(self, row_warpers: list[list[LogitsProcessor]]):
        self.row_warpers = row_warpers

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if scores.shape[0] != len(self.row_warpers):
            raise ValueError(f"{scores.shape[0]} rows of scores for {len(self.row_warpers)} rows of warpers")
        rows = []
        for i, warpers in enumerate(self.row_warpers):
            row_scores, row_ids = scores[i : i + 1], input_ids[i : i + 1]
            for warper in warpers:
                row_scores = warper(row_ids, row_scores)
            rows.append(row_scores)
        return torch.cat(rows, dim=0)

"""The tree of hypotheses that transformers' own beam search explored, recorded while it runs.

`generate(num_beams=...)` hands every live beam's tokens and next-token log-probs to each `LogitsProcessor`.
`BeamTreeRecorder` is such a processor: it changes nothing, and at each step writes down the candidates that
beam search ranks, the top `2 * num_beams` continuations across all beams by cumulative log-prob (the same
`beams_to_keep` that transformers' `_get_top_k_continuations` gathers). The best `num_beams` that do not end in
EOS live on; EOS candidates ranked in the top `num_beams` become finished hypotheses (at the length limit,
every top candidate does); the rest are pruned. The returned beams are
transformers' own, so nothing here can drift from them.
"""

from dataclasses import dataclass, field

import torch
from transformers import LogitsProcessor


@dataclass
class BeamNode:
    tokens: tuple[int, ...]  # generated tokens from the prompt to this node
    score: float  # cumulative log-probability (natural log) of `tokens`
    step: int
    status: str = "pruned"  # "kept" (lives on as a beam), "finished" (a finished hypothesis) or "pruned"
    returned: bool = False  # on the path of the sequence generate returned

    @property
    def token(self) -> int:
        return self.tokens[-1]

    @property
    def parent(self) -> tuple[int, ...]:
        return self.tokens[:-1]


@dataclass
class BeamTree:
    num_beams: int
    nodes: dict[tuple[int, ...], BeamNode] = field(default_factory=dict)
    live_prefixes: list[list[tuple[int, ...]]] = field(default_factory=list)  # what each step was handed

    def candidates(self, step: int) -> list[BeamNode]:
        return sorted((n for n in self.nodes.values() if n.step == step), key=lambda n: -n.score)

    def mark_returned(self, tokens: tuple[int, ...]) -> None:
        for end in range(1, len(tokens) + 1):
            if tokens[:end] in self.nodes:
                self.nodes[tokens[:end]].returned = True


class BeamTreeRecorder(LogitsProcessor):
    """Records beam search's candidates at every step and returns the scores unchanged.

    Place it last in the processor list so it sees the log-probs beam search ranks. Works for one prompt
    (batch size 1), which is how the playground runs beam search.

    Example:
        recorder = BeamTreeRecorder(prompt_len=ids.shape[1], num_beams=4, eos_token_ids={2}, max_new_tokens=20)
        out = model.generate(ids, num_beams=4, max_new_tokens=20, logits_processor=[recorder])
        recorder.tree.candidates(0)  # the 8 first-step candidates beam search compared
    """

    def __init__(self, prompt_len: int, num_beams: int, eos_token_ids: set[int], max_new_tokens: int):
        self.prompt_len = prompt_len
        self.last_step = max_new_tokens - 1
        self.eos = set(eos_token_ids)
        self.beams_to_keep = max(2, 1 + len(self.eos)) * num_beams
        self.tree = BeamTree(num_beams)
        self._scores: dict[tuple[int, ...], float] = {(): 0.0}

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        step = input_ids.shape[1] - self.prompt_len
        prefixes = list(dict.fromkeys(tuple(row[self.prompt_len :].tolist()) for row in input_ids))
        prefixes = [p for p in prefixes if p in self._scores]  # at step 0 every beam is the empty prefix
        self.tree.live_prefixes.append(prefixes)
        rows = {tuple(row[self.prompt_len :].tolist()): i for i, row in enumerate(input_ids)}
        candidates = []
        for prefix in prefixes:
            top = torch.topk(scores[rows[prefix]], self.beams_to_keep)
            base = self._scores[prefix]
            candidates += [(base + float(lp), prefix + (int(tok),)) for lp, tok in zip(top.values, top.indices)]
        candidates.sort(key=lambda c: -c[0])
        kept = 0
        for rank, (score, tokens) in enumerate(candidates[: self.beams_to_keep]):
            node = BeamNode(tokens, score, step)
            ends = tokens[-1] in self.eos or step == self.last_step
            if ends and rank < self.tree.num_beams:  # only the top num_beams may finish
                node.status = "finished"
            elif not ends and kept < self.tree.num_beams:
                node.status, kept = "kept", kept + 1
            self._scores[tokens] = score
            self.tree.nodes[tokens] = node
        return scores

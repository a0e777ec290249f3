"""How close the batching benchmark's top-p and min-p cuts come to float noise.

A row in a running batch sees logits that differ from its lone run's in the last bits (decoding/batcher.py says
why). An argmax near a tie is caught and run again alone; a top-p or min-p cut is not. This counts how often the
noise could move one: at each step of the batching benchmark's workload (16 comparisons of top-p and min-p × 16
tokens on SmolLM2, in one batch), each row's warpers run again on its logits scaled by 1 ± delta, and a row-step
counts when the set of tokens kept changes. Scaling by 1 ± 1e-6 moves SmolLM2's leading logits (about 20) by
about 2e-5, the largest batched-vs-lone difference measured here (2e-5 relative, in probabilities). A moved cut
changes the text only if the draw then lands elsewhere.
"""

import torch
from common import write

from playground.core import config
from playground.core.models import load_causal_lm
from playground.core.prompts import build_prompt
from playground.decoding import per_row
from playground.decoding.continuous import Flight, Request
from playground.decoding.strategies import DecodingSettings

PROMPTS = ["Write a haiku about the sea.", "What is the capital of France?", "Name three fruits.",
           "Tell me a joke about cats.", "Why is the sky blue?", "Count to five."]
DELTAS = (1e-6, 1e-5, 1e-4)


def main() -> None:
    loaded = load_causal_lm(config.EMBEDDED_LM)
    moved, row_steps = {d: 0 for d in DELTAS}, [0]
    draw = per_row.PerRowSampler.__call__

    def watched(sampler, input_ids, scores):
        for warpers, rows in sampler.groups(list(range(len(scores)))):
            def kept(logits):
                part = logits[rows]
                for warper in warpers:
                    part = warper(input_ids[rows], part)
                return torch.isfinite(part)

            base = kept(scores)
            for d in DELTAS:
                moved[d] += int(((kept(scores * (1 + d)) != base) | (kept(scores * (1 - d)) != base)).any(-1).sum())
            row_steps[0] += len(rows)
        return draw(sampler, input_ids, scores)

    per_row.PerRowSampler.__call__ = watched
    for round_ in range(2):
        flight = Flight(loaded)
        flight.board([Request(build_prompt(loaded.tokenizer, PROMPTS[(c + round_) % len(PROMPTS)]).input_ids,
                              ["top_p", "min_p"], DecodingSettings(max_new_tokens=16, seed=c * 2 + round_))
                      for c in range(16)])
        while flight.rows:
            flight.step(newcomer_fits=lambda running: False)
    per_row.PerRowSampler.__call__ = draw
    write("cut_edges", {"row_steps": row_steps[0],
                        **{f"cuts_moved_by_logits_times_1_pm_{d:g}": moved[d] for d in DELTAS}})


if __name__ == "__main__":
    main()

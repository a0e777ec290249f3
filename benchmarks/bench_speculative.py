"""Speculative decoding on the embedded SmolLM2, greedy, each speedup against plain greedy on the same prompt in
the same run (the median of three runs):
- prompt lookup on an input-grounded prompt (repeat a text; we expect >= 1.5x) and on an open-ended story;
- early exit's acceptance rate as the drafter keeps more of the 30 layers (it should rise with L).
Every run must give plain greedy's tokens."""

import statistics

from common import write
from playground.core import models
from playground.internals.speculative import SpeculativeSettings, speculative_run
from playground.ui.internals_speculative import REPEAT, STORY

REPEATS = 3
EXIT_LAYERS = [6, 12, 18, 24, 28]


def measured(lm, prompt: str, settings: SpeculativeSettings) -> dict:
    runs = [speculative_run(lm, prompt, settings) for _ in range(REPEATS)]
    assert all(run.same_as_plain for run in runs), "speculative greedy differs from plain greedy"
    run = runs[0]
    return {"tokens": len(run.token_ids), "target_passes": len(run.steps),
            "acceptance": round(run.acceptance_rate, 3), "tokens_per_pass": round(run.tokens_per_forward, 2),
            "speedup": round(statistics.median(r.speedup for r in runs), 2)}


def main() -> None:
    lm = models.load_causal_lm()
    lookup = SpeculativeSettings(drafter="prompt_lookup", draft_length=8, max_new_tokens=64)
    grounded, story = measured(lm, REPEAT, lookup), measured(lm, STORY, lookup)
    early = {}
    for layers in EXIT_LAYERS:
        run = speculative_run(lm, STORY, SpeculativeSettings(drafter="early_exit", exit_layer=layers,
                                                             draft_length=4, max_new_tokens=32))
        assert run.same_as_plain, f"early exit at {layers} differs from plain greedy"
        early[layers] = [round(run.acceptance_rate, 3), round(run.speedup, 2)]
    write("speculative", {
        "prompt_lookup_input_grounded": grounded,
        "ratio_prompt_lookup_vs_plain_input_grounded (expect >= 1.5)": grounded["speedup"],
        "prompt_lookup_open_ended": story,
        "ratio_prompt_lookup_vs_plain_open_ended": story["speedup"],
        "early_exit_L_acceptance_speedup": early,
        "early_exit_acceptance_rises_with_L": all(
            early[a][0] <= early[b][0] for a, b in zip(EXIT_LAYERS, EXIT_LAYERS[1:])),
    })


if __name__ == "__main__":
    main()

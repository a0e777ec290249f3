"""Re-rendering the distribution after a parameter change, against one forward pass of the prompt (SmolLM2).

A parameter change reuses the cached logits, so it should cost a small fraction of running the model
(target <= 0.2). Reports the figures' build time separately, and the payload sent to the browser.
"""

import json
import os

import torch

from common import interleaved_medians, write
from playground.core import models
from playground.next_token import plots
from playground.next_token.pipeline import SamplerParams
from playground.next_token.view import explore

REPEATS = int(os.environ.get("BENCH_REPEATS", 9))
PROMPT = "Write a short poem about the sea and the wind, in the style of an old sailor's song."


def main() -> None:
    lm = models.load_causal_lm()
    first = explore(lm, PROMPT, SamplerParams(), use_chat_template=True)
    ids = torch.tensor([first.prompt_ids])
    settings = iter([])

    def forward():
        with torch.inference_mode():
            lm.model(ids)

    def next_params():
        nonlocal settings
        try:
            return next(settings)
        except StopIteration:
            settings = iter([SamplerParams(temperature=t, top_p=p, top_k=k, min_p=m)
                             for t, p, k, m in [(0.7, 0.9, 50, 0.0), (1.3, 0.8, 0, 0.05), (2.0, 0.95, 100, 0.1)]])
            return next(settings)

    def rerender():
        explore(lm, PROMPT, next_params(), use_chat_template=True)

    view = explore(lm, PROMPT, SamplerParams(temperature=1.3, top_p=0.9), use_chat_template=True)
    figures = [plots.stage_bars_figure, plots.cumulative_figure, plots.sweep_figure,
               plots.animated_bars_figure, plots.empirical_figure]

    def build_figures():
        for figure in figures:
            figure(view)

    forward(), rerender(), build_figures()  # warm up
    t = interleaved_medians({"forward": forward, "rerender": rerender, "figures": build_figures}, REPEATS)
    payload = len(json.dumps(view.to_api()).encode()) + sum(len(f(view).to_json().encode()) for f in figures)
    write(
        "next_token",
        {
            "prompt_tokens": len(first.prompt_ids),
            "forward_pass_ms": round(t["forward"] * 1000, 2),
            "rerender_compute_ms": round(t["rerender"] * 1000, 2),
            "figures_build_ms": round(t["figures"] * 1000, 2),
            "payload_kB (JSON + 5 figures)": round(payload / 1000, 1),
            "ratio_rerender_plus_figures_vs_forward": round((t["rerender"] + t["figures"]) / t["forward"], 3),
            "ratio_rerender_vs_forward (target <= 0.2)": round(t["rerender"] / t["forward"], 3),
        },
    )


if __name__ == "__main__":
    main()

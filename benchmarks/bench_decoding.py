"""Decoding speed on the embedded SmolLM2, each figure a ratio measured side by side in one run.

- batched: 6 sampling strategies x 48 new tokens in the playground's one batched pass, against the same 6
  bare `model.generate` calls run one after another (target <= 0.35).
- overhead: the playground's single-strategy run (traces included) against bare `generate` (target <= 1.05).
- floor: single-stream greedy ms/token against the memory-bandwidth floor (weight bytes / measured bandwidth).
"""

import os

import torch

from common import interleaved_medians, median_seconds, write
from playground.core import models
from playground.decoding import runner
from playground.core.prompts import build_prompt
from playground.decoding.strategies import DecodingSettings, generate_kwargs_for

REPEATS = int(os.environ.get("BENCH_REPEATS", 5))
SIX = ["sampling", "top_k", "top_p", "min_p", "typical", "epsilon"]


def main() -> None:
    lm = models.load_causal_lm()
    settings = DecodingSettings(max_new_tokens=48, seed=0)
    # A plain completion prompt: long continuations, so both sides generate all 48 tokens.
    prompt = build_prompt(lm.tokenizer, "Once upon a time, in a small village by the sea,", use_chat_template=False)
    ids = torch.tensor([prompt.input_ids])
    common = dict(attention_mask=torch.ones_like(ids), pad_token_id=lm.tokenizer.pad_token_id)

    def bare(name, **extra):
        with torch.inference_mode():
            torch.manual_seed(settings.seed)
            return lm.model.generate(ids, **common, **{**generate_kwargs_for(name, settings), **extra})

    def sequential():
        for name in SIX:
            bare(name)

    def batched():
        runner.run_sampling_batch(lm, prompt.input_ids, SIX, settings)

    def playground_single():
        runner.run_sampling_batch(lm, prompt.input_ids, ["top_p"], settings)

    batched(), sequential()  # warm up
    t = interleaved_medians(
        {"batched": batched, "sequential": sequential, "single": playground_single, "bare": lambda: bare("top_p")},
        REPEATS,
    )

    # The physical floor: decoding one token at batch 1 reads every weight once.
    weight_bytes = sum(p.numel() * p.element_size() for p in lm.model.parameters())  # tied weights counted once
    big = torch.empty(256 * 2**20 // 4, dtype=torch.float32).uniform_()  # 256 MiB, far beyond the caches
    big.sum()
    bandwidth = big.numel() * 4 / median_seconds(big.sum, 9)  # bytes/s of streaming reads
    floor_ms = weight_bytes / bandwidth * 1000
    n = 64
    greedy = lambda k: bare("greedy", max_new_tokens=k, min_new_tokens=k)  # noqa: E731
    per_token = interleaved_medians({"long": lambda: greedy(n + 1), "short": lambda: greedy(1)}, 3)
    ms_per_token = (per_token["long"] - per_token["short"]) / n * 1000

    write(
        "decoding",
        {
            "batched_6_strategies_s": round(t["batched"], 3),
            "sequential_6_generate_s": round(t["sequential"], 3),
            "playground_single_s": round(t["single"], 3),
            "bare_generate_single_s": round(t["bare"], 3),
            "weight_MB": round(weight_bytes / 1e6, 1),
            "read_bandwidth_GB_s": round(bandwidth / 1e9, 2),
            "floor_ms_per_token": round(floor_ms, 2),
            "greedy_ms_per_token": round(ms_per_token, 2),
            "ratio_overhead_single_vs_bare (target <= 1.05)": round(t["single"] / t["bare"], 3),
            "ratio_greedy_vs_bandwidth_floor": round(ms_per_token / floor_ms, 2),
            "ratio_batched_vs_sequential (target <= 0.35)": round(t["batched"] / t["sequential"], 3),
        },
    )


if __name__ == "__main__":
    main()

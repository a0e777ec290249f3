"""Inference internals on the embedded SmolLM2, each ratio measured side by side in one run:
- greedy generation of 256 new tokens with the KV cache and without it (we expect >= 3x), same text both ways;
- peak extra memory of naive attention over the tiled (FlashAttention) forward at N = 2048;
- decode tokens/s at batch 16 over batch 1;
- ms per token over the memory floor (weight bytes / measured bandwidth)."""

from common import write
from playground.core import models
from playground.internals.flash_lab import FlashSettings, sweep
from playground.internals.kv_cache import KVSettings, compare_cache, head_shape
from playground.internals.roofline import RooflineSettings, measure_roofline

NEW_TOKENS = 256
PROMPT = "Write a short story about a lighthouse keeper."


def main() -> None:
    lm = models.load_causal_lm()
    result = compare_cache(lm, PROMPT, KVSettings(new_tokens=NEW_TOKENS))
    at_2048 = sweep(*head_shape(lm.model.config), FlashSettings(max_length=2048))[-1]
    roof = measure_roofline(lm, PROMPT, RooflineSettings(new_tokens=32, max_batch=16, exhibit_tokens=64))
    tokens_per_s = dict(roof.batches)
    write("internals", {
        "new_tokens": NEW_TOKENS,
        "cached_seconds": round(result.cached.total, 2),
        "uncached_seconds": round(result.uncached.total, 2),
        "ratio_uncached_vs_cached (expect >= 3)": round(result.speedup, 2),
        "same_greedy_text": result.same_output,
        "cache_bytes_formula": result.formula_bytes,
        "cache_bytes_real": result.real_bytes,
        "attention_N": at_2048.length,
        "peak_MB_naive_tiled_sdpa": [round(at_2048.peak_bytes[w] / 1e6, 1) for w in ("naive", "tiled", "sdpa")],
        "ratio_peak_naive_vs_tiled": round(at_2048.peak_bytes["naive"] / at_2048.peak_bytes["tiled"], 1),
        "tokens_per_s_batch_1_and_16": [round(tokens_per_s[1], 1), round(tokens_per_s[16], 1)],
        "ratio_tokens_per_s_batch16_vs_batch1": round(tokens_per_s[16] / tokens_per_s[1], 2),
        "weight_MB": round(roof.weight_bytes / 1e6, 1),
        "bandwidth_GB_per_s": round(roof.bandwidth / 1e9, 1),
        "floor_ms": round(roof.floor_ms, 1),
        "ms_per_token": round(roof.ms_per_token, 1),
        "ratio_ms_per_token_vs_floor": round(roof.over_floor, 2),
        "matmul_GB_per_s_in_one_step": round(roof.matmul_bandwidth / 1e9, 1),
        "exhibits_ms_token_agreement_top1": {e.name: [round(e.ms_per_token, 1), round(e.token_agreement, 3),
                                                      round(e.top1_agreement, 3)] for e in roof.exhibits},
    })


if __name__ == "__main__":
    main()

"""Inference internals on the embedded SmolLM2: greedy generation of 256 new tokens with the KV cache and without
it, side by side in one run (we expect >= 3x), with the same text both ways."""

from common import write
from playground.core import models
from playground.internals.kv_cache import KVSettings, compare_cache

NEW_TOKENS = 256


def main() -> None:
    lm = models.load_causal_lm()
    result = compare_cache(lm, "Write a short story about a lighthouse keeper.", KVSettings(new_tokens=NEW_TOKENS))
    write("internals", {
        "new_tokens": NEW_TOKENS,
        "cached_seconds": round(result.cached.total, 2),
        "uncached_seconds": round(result.uncached.total, 2),
        "ratio_uncached_vs_cached (expect >= 3)": round(result.speedup, 2),
        "same_greedy_text": result.same_output,
        "cache_bytes_formula": result.formula_bytes,
        "cache_bytes_real": result.real_bytes,
    })


if __name__ == "__main__":
    main()

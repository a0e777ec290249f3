"""Attention extraction on the embedded SmolLM2, side by side with bare transformers, and the payload per view.

- extraction: the playground's `extract` for a 128-token prompt (the eager twin, every layer kept) against a bare
  eager model's forward with `output_attentions=True` on the same ids (target <= 1.5).
- payload: the bytes one /attention view sends (5 figures + the JSON), at 128 tokens and at the 256-token cap
  (target <= 1 MB).
"""

import json
import os

import torch
from transformers import AutoModelForCausalLM

from common import interleaved_medians, write
from playground.attention import plots
from playground.attention.extraction import extract
from playground.core import config, models

REPEATS = int(os.environ.get("BENCH_REPEATS", 7))
SENTENCE = "The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill. "


def prompt_of(lm, n_tokens: int) -> str:
    ids = lm.tokenizer(SENTENCE * 40, add_special_tokens=False)["input_ids"][:n_tokens]
    return lm.tokenizer.decode(ids)


def view_bytes(attention) -> int:
    figures = [plots.head_figure(attention, 3, 4), plots.layer_heads_figure(attention, 3),
               plots.mean_figure(attention, 3), plots.overview_figure(attention, "first_token"),
               plots.summed_figure(attention, 3, 4, list(range(len(attention.tokens))))]
    payload = {"tokens": attention.tokens, "attention": attention.weights[3, 4].double().round(decimals=4).tolist(),
               "summed": attention.summed(3, [])[4].double().round(decimals=4).tolist()}
    return sum(len(f.to_json().encode()) for f in figures) + len(json.dumps(payload).encode())


def main() -> None:
    lm = models.load_causal_lm()
    bare = AutoModelForCausalLM.from_pretrained(models.smollm2_cache_dir(), attn_implementation="eager",
                                                dtype=torch.float32).eval()
    prompt = prompt_of(lm, 128)
    ids = torch.tensor([extract(lm, prompt, use_chat_template=False).token_ids])

    def bare_forward():
        with torch.inference_mode():
            bare(ids, output_attentions=True)

    t = interleaved_medians({"playground": lambda: extract(lm, prompt, use_chat_template=False),
                             "bare": bare_forward}, REPEATS)
    at_cap = extract(lm, prompt_of(lm, config.MAX_ATTENTION_TOKENS), use_chat_template=False)
    write(
        "attention",
        {
            "prompt_tokens": ids.shape[1],
            "playground_extract_ms": round(t["playground"] * 1000, 1),
            "bare_eager_forward_ms": round(t["bare"] * 1000, 1),
            "view_payload_kB_128_tokens": round(view_bytes(extract(lm, prompt, use_chat_template=False)) / 1000, 1),
            f"view_payload_kB_{len(at_cap.tokens)}_tokens (target <= 1000)": round(view_bytes(at_cap) / 1000, 1),
            "ratio_extract_vs_bare (target <= 1.5)": round(t["playground"] / t["bare"], 3),
        },
    )


if __name__ == "__main__":
    main()

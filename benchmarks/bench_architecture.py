"""The architecture tab on the embedded SmolLM2, against the forward pass it is built on (64-token prompt).

- block walk: one layer walked (the forward pass with hooks, then every step recomputed and compared) against one
  forward pass with `output_hidden_states=True` (target <= 1.5).
- logit lens: every layer's stream through the final norm and LM head at every position, against the same
  forward pass (target <= 2), and against its floor: the LM head alone applied to every layer's stream. SmolLM2's
  head (49,152 x 576) is a fifth of the model's weights, so reading 31 streams through it costs several forward
  passes by arithmetic alone.
"""

import os

import torch

from common import interleaved_medians, write
from playground.architecture.block_walk import block_walk
from playground.architecture.logit_lens import logit_lens
from playground.architecture.walk import WalkSettings
from playground.core import models

REPEATS = int(os.environ.get("BENCH_REPEATS", 7))
SENTENCE = "The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill. "


def main() -> None:
    lm = models.load_causal_lm()
    ids = lm.tokenizer(SENTENCE * 10, add_special_tokens=False)["input_ids"][:64]
    tensor = torch.tensor([ids])

    def forward():
        with torch.no_grad():
            lm.model(tensor, output_hidden_states=True)

    streams = torch.randn(lm.model.config.num_hidden_layers + 1, len(ids), lm.model.config.hidden_size)

    def head_alone():
        with torch.no_grad():
            for row in streams:
                lm.model.lm_head(row)

    medians = interleaved_medians({
        "forward": forward,
        "head": head_alone,
        "walk": lambda: block_walk(lm, ids, WalkSettings(layer=15, position=-1)),
        "lens": lambda: logit_lens(lm, ids),
    }, REPEATS)
    write("architecture", {
        "forward pass with hidden states, 64 tokens (s)": round(medians["forward"], 4),
        "block walk, one layer (s)": round(medians["walk"], 4),
        "logit lens, every layer and position (s)": round(medians["lens"], 4),
        "the LM head alone on every layer's stream (s)": round(medians["head"], 4),
        "logit lens / its LM head alone": round(medians["lens"] / medians["head"], 2),
        "block walk / forward (target <= 1.5)": round(medians["walk"] / medians["forward"], 2),
        "logit lens / forward (target <= 2)": round(medians["lens"] / medians["forward"], 2),
    })


if __name__ == "__main__":
    main()

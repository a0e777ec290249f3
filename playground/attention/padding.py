"""Padding side, proven: batched greedy generation with left vs right padding, against the short prompt alone.

A decoder-only model continues from the last position of each row. With right padding the short prompt's row
ends in padding, so `generate` appends after the pads and the continuation goes wrong; with left padding the
real tokens end the row, the mask hides the pads, and the continuation equals the prompt run alone. The tokens
are padded here by hand, so the shared tokenizer's own `padding_side` is never changed.
"""

from dataclasses import dataclass

import torch

from playground.attention.words import WORDS
from playground.core.device import onto
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.prompts import encode_text

NEW_TOKENS = 12


@dataclass
class PaddedRun:
    side: str
    continuation: str  # what greedy generation appended to the short prompt's row of the batch
    last_logits_gap: float  # max |logits at the row's last position - logits of the prompt alone|


@dataclass
class PaddingProof:
    prompt: str  # the shorter prompt, the one that gets padded
    alone: str  # its greedy continuation run on its own
    runs: list[PaddedRun]


def pad_rows(rows: list[list[int]], pad: int, side: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded to one length on the `side`, and the 2D mask that marks the real tokens with 1."""
    n = max(map(len, rows))
    ids = [[pad] * (n - len(r)) + r if side == "left" else r + [pad] * (n - len(r)) for r in rows]
    mask = [[0] * (n - len(r)) + [1] * len(r) if side == "left" else [1] * len(r) + [0] * (n - len(r)) for r in rows]
    return torch.tensor(ids), torch.tensor(mask)


def padding_proof(loaded: LoadedModel, prompts: list[str]) -> PaddingProof:
    """Generate for both prompts in one batch, padded left and then right, and compare the short one with itself
    run alone."""
    tokenizer = loaded.tokenizer
    rows = [encode_text(tokenizer, p, split_special_tokens=True) for p in prompts]
    check(len(rows) == 2 and len(rows[0]) != len(rows[1]) and min(map(len, rows)) > 0,
          WORDS.text("different_lengths"))
    short = min(range(2), key=lambda r: len(rows[r]))
    greedy = dict(do_sample=False, max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS,
                  pad_token_id=tokenizer.pad_token_id)
    with torch.inference_mode():
        alone_ids = torch.tensor([rows[short]], device=loaded.model.device)
        alone = loaded.model.generate(alone_ids, attention_mask=torch.ones_like(alone_ids), **greedy)
        alone_logits = loaded.model(alone_ids).logits[0, -1]
        runs = []
        for side in ("left", "right"):
            ids, mask = onto(loaded.model.device, *pad_rows(rows, tokenizer.pad_token_id, side))
            out = loaded.model.generate(ids, attention_mask=mask, **greedy)
            last = loaded.model(ids, attention_mask=mask).logits[short, -1]
            runs.append(PaddedRun(side, tokenizer.decode(out[short, ids.shape[1]:], skip_special_tokens=True),
                                  float((last.float() - alone_logits.float()).abs().max())))
    return PaddingProof(prompts[short], tokenizer.decode(alone[0, alone_ids.shape[1]:], skip_special_tokens=True),
                        runs)

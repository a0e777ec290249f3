"""Edit the mask, watch the prediction: block chosen (query, key) cells and run the model with that mask.

The edit is a transformers mask function (the shape of `masking_utils`' own overlays): causal AND "not one of
the blocked cells", turned into the 4D additive float mask by `masking_utils.eager_mask` (0 where allowed, the
dtype's minimum where forbidden). The shared model takes a 4D mask as it is, so this is a real experiment on the
real model, not a simulation: with nothing blocked, its logits equal the plain forward exactly.
"""

from dataclasses import dataclass

import torch
from transformers.masking_utils import and_masks, causal_mask_function, eager_mask

from playground.attention.words import WORDS
from playground.core.device import to_cpu
from playground.core.errors import check
from playground.core.models import LoadedModel

TOP = 10


def blocked_cells_function(blocked: torch.Tensor):
    """A mask function that forbids the cells where `blocked` (q, k) is True."""

    def inner_mask(batch_idx, head_idx, q_idx, kv_idx):
        return ~blocked[q_idx, kv_idx]

    return inner_mask


def check_blocked(blocked: list, n: int) -> list[tuple[int, int]]:
    """The blocked cells as (query, key) pairs, each inside the matrix, on or below the diagonal, and leaving every
    query at least one key."""
    check(isinstance(blocked, list) and all(isinstance(c, (list, tuple)) and len(c) == 2 for c in blocked),
          WORDS.text("blocked", value=f"{blocked!r:.80}"))
    cells = []
    for query, key in blocked:
        check(all(isinstance(v, int) and not isinstance(v, bool) for v in (query, key)),
              WORDS.text("whole", query=repr(query), key=repr(key)))
        check(0 <= query < n and 0 <= key < n, WORDS.text("outside", query=query, key=key, n=n))
        check(key <= query, WORDS.text("hidden", query=query, key=key))
        cells.append((query, key))
    for query in {q for q, _ in cells}:
        check(sum(1 for q, _ in set(cells) if q == query) <= query,
              WORDS.text("nothing_left", query=query))
    return cells


def cells_from_text(tokens: list[str], text: str) -> list[list[int]]:
    """Cells from what a person types: "query,key" pairs ("4,3; 4,2"), or words the last token may not see
    ("France" blocks the last query from every token that reads France)."""
    cells, last = [], len(tokens) - 1
    for part in (p.strip() for p in text.replace(";", "\n").splitlines() if p.strip()):
        numbers = [n.strip() for n in part.split(",")]
        if len(numbers) == 2 and all(n.lstrip("-").isdigit() for n in numbers):
            cells.append([int(numbers[0]), int(numbers[1])])
            continue
        keys = [k for k, t in enumerate(tokens) if t.strip().lower() == part.lower() and k < last]
        check(keys, WORDS.text("no_such_token", word=part, tokens=", ".join(repr(t) for t in tokens)))
        cells += [[last, k] for k in keys]
    return cells


def edited_mask(n: int, cells: list[tuple[int, int]]) -> torch.Tensor:
    """The (1, 1, n, n) additive float mask: causal, with `cells` forbidden as well."""
    blocked = torch.zeros(n, n, dtype=torch.bool)
    for query, key in cells:
        blocked[query, key] = True
    return eager_mask(batch_size=1, q_length=n, kv_length=n,
                      mask_function=and_masks(causal_mask_function, blocked_cells_function(blocked)))


@dataclass
class MaskEdit:
    cells: list[tuple[int, int]]
    mask: torch.Tensor  # (n, n) additive float mask the model ran with
    before: torch.Tensor  # next-token probabilities with the model's own causal mask
    after: torch.Tensor  # ... with the edited mask

    def top(self, probs: torch.Tensor, tokenizer) -> list[dict]:
        values, ids = torch.topk(probs, TOP)
        return [{"id": int(i), "text": tokenizer.decode([int(i)]), "prob": round(float(p), 6)}
                for p, i in zip(values, ids)]


def edit_and_predict(loaded: LoadedModel, token_ids: list[int], blocked: list) -> MaskEdit:
    """The next-token distribution at the last position, before and after blocking `blocked` cells."""
    cells = check_blocked(blocked, len(token_ids))
    mask = edited_mask(len(token_ids), cells)
    ids = torch.tensor([token_ids], device=loaded.model.device)
    with torch.inference_mode():
        before = to_cpu(loaded.model(ids).logits[0, -1])
        model_mask = mask.to(ids.device, loaded.model.dtype)
        after = to_cpu(loaded.model(ids, attention_mask=model_mask).logits[0, -1])
    return MaskEdit(cells, mask[0, 0], torch.softmax(before, -1), torch.softmax(after, -1))

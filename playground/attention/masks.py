"""The masks a model really applies, caught at its first attention layer, beside transformers' own `masking_utils`.

For each kind the app runs the model's eager twin on a batch of two prompts and catches the 4D mask its first
attention layer received. Causal, padding and packing masks the model builds itself from the 2D padding mask and
the `position_ids`; sliding-window and chunked masks (which SmolLM2 does not use) are built with `masking_utils`
and handed to the model as a 4D mask. A test holds every caught mask equal to `masking_utils`' own.
"""

from dataclasses import dataclass

import torch
from transformers.masking_utils import (
    and_masks,
    bidirectional_mask_function,
    causal_mask_function,
    chunked_overlay,
    eager_mask,
    find_packed_sequence_indices,
    packed_sequence_mask_function,
    sdpa_mask,
    sliding_window_overlay,
)

from playground.attention.padding import pad_rows
from playground.attention.parts import attention_modules
from playground.attention.words import WORDS
from playground.core.device import onto, to_cpu
from playground.core.errors import check
from playground.core.prompts import encode_text
from playground.core.twins import caught_inputs, eager_twin
from playground.core.visible import token_pieces
from playground.core.words import WORDS as CORE

MAX_MASK_TOKENS = 64  # a mask is for looking at: beyond this its cells are too small to see

# The masks shown, each with a short name ("mask_name.<kind>") and what it is ("mask.<kind>") in words.py.
MASK_KINDS = ("causal", "padding_right", "padding_left", "sliding_window", "chunked", "packed", "bidirectional", "t5")


@dataclass
class MaskPanel:
    """One mask beside the attention it produced, for one sequence: queries down, keys across."""

    name: str
    query_tokens: list[str]  # "" for padding
    key_tokens: list[str]
    allowed: torch.Tensor  # (queries, keys) bool, as the model's attention layer received it
    reference: torch.Tensor  # the same, from masking_utils
    attention: torch.Tensor  # (queries, keys): the layer's attention, mean over heads

    @property
    def matches_reference(self) -> bool:
        return bool(torch.equal(self.allowed, self.reference))


@dataclass
class MaskView:
    kind: str
    tokens: list[list[str]]  # per batch row, "" for padding
    allowed: torch.Tensor  # (rows, n, n) bool: True where the model's mask let the query see the key
    reference: torch.Tensor  # (rows, n, n) bool: what masking_utils builds for the same kind and inputs
    attention: torch.Tensor  # (rows, n, n) layer 0's attention, mean over heads

    @property
    def live_queries(self) -> torch.Tensor:
        """(rows, n) True for queries with at least one key to see (a padding query sees nothing)."""
        return self.allowed.any(-1)

    def panels(self) -> list[MaskPanel]:
        return [MaskPanel(WORDS.text("row", r=r), tokens, tokens, self.allowed[r], self.reference[r],
                          self.attention[r])
                for r, tokens in enumerate(self.tokens)]

    @property
    def matches_reference(self) -> bool:
        return bool(torch.equal(self.allowed, self.reference))

    @property
    def forbidden_weight(self) -> float:
        """The largest attention weight on a forbidden cell of a query that sees anything: 0, exactly."""
        forbidden = ~self.allowed & self.live_queries[..., None]
        return float(self.attention[forbidden].abs().max()) if bool(forbidden.any()) else 0.0

    @property
    def row_sum_error(self) -> float:
        """How far the live queries' rows are from summing to 1."""
        return float((self.attention.sum(-1)[self.live_queries] - 1).abs().max())


def batch(tokenizer, prompts: list[str], kind: str) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """Token ids, the 2D padding mask and the position_ids for the kind: two rows padded, or one packed row."""
    rows = [encode_text(tokenizer, p, add_special_tokens=kind == "bidirectional", split_special_tokens=True)
            for p in prompts]
    if kind in ("causal", "sliding_window", "chunked"):
        return torch.tensor([rows[0]]), None, None
    if kind == "packed":
        positions = [i for row in rows for i in range(len(row))]
        return torch.tensor([[t for row in rows for t in row]]), None, torch.tensor([positions])
    ids, padding = pad_rows(rows, tokenizer.pad_token_id, "left" if kind == "padding_left" else "right")
    return ids, padding, None


def mask_function(kind: str, rows: int, positions: torch.Tensor | None, window: int):
    """transformers' mask function for the kind (padding is added by `sdpa_mask` from the 2D mask)."""
    if kind == "sliding_window":
        return and_masks(causal_mask_function, sliding_window_overlay(window))
    if kind == "chunked":
        return and_masks(causal_mask_function, chunked_overlay(window, torch.zeros(rows, dtype=torch.long)))
    if kind == "packed":
        return and_masks(causal_mask_function, packed_sequence_mask_function(find_packed_sequence_indices(positions)))
    return bidirectional_mask_function if kind == "bidirectional" else causal_mask_function


def reference_mask(kind: str, ids: torch.Tensor, padding: torch.Tensor | None, positions: torch.Tensor | None,
                   window: int) -> torch.Tensor:
    """(rows, n, n) bool: the mask `masking_utils` builds for the kind."""
    rows, n = ids.shape
    function = mask_function(kind, rows, positions, window)
    return sdpa_mask(batch_size=rows, q_length=n, kv_length=n, mask_function=function, attention_mask=padding,
                     allow_is_causal_skip=False)[:, 0]


def view_mask(model, tokenizer, prompts: list[str], kind: str, window: int = 3) -> MaskView:
    """Run the model's eager twin on the prompts and catch the mask its first attention layer applied."""
    check(kind in MASK_KINDS and kind != "t5",
          WORDS.text("mask_kind", names=", ".join(MASK_KINDS), value=repr(kind)))
    check(len(prompts) == 2 and all(isinstance(p, str) and p.strip() for p in prompts), WORDS.text("two_prompts"))
    check(1 <= window <= 64, CORE.text("between", name="window", low=1, high=64, value=window))
    ids, padding, positions = batch(tokenizer, prompts, kind)
    rows, n = ids.shape
    check(n <= MAX_MASK_TOKENS, WORDS.text("mask_tokens", count=n, limit=MAX_MASK_TOKENS))
    given = None  # sliding-window and chunked masks are not SmolLM2's own: hand the model the 4D mask
    if kind in ("sliding_window", "chunked"):
        given = eager_mask(batch_size=rows, q_length=n, kv_length=n,
                           mask_function=mask_function(kind, rows, positions, window))
    twin = eager_twin(model)
    inputs = onto(twin.device, ids, padding if given is None else given.to(twin.dtype), positions)
    with caught_inputs(attention_modules(twin)[0]) as caught, torch.inference_mode():
        # No cache: transformers detects packing (position_ids that restart) only without one.
        out = twin(inputs[0], attention_mask=inputs[1], position_ids=inputs[2], use_cache=False,
                   output_attentions=True)
    mask = caught["kwargs"].get("attention_mask")  # additive: 0 where allowed, the dtype's minimum where not
    allowed = torch.ones(rows, n, n, dtype=torch.bool) if mask is None else (mask[:, 0] == 0).cpu()
    tokens = [[piece if padding is None or padding[r, i] else "" for i, piece in
               enumerate(token_pieces(tokenizer, ids[r].tolist()))] for r in range(rows)]
    return MaskView(kind, tokens, allowed, reference_mask(kind, ids, padding, positions, window),
                    to_cpu(out.attentions[0].mean(1)))


def packing_gap(model, tokenizer, prompts: list[str], restart_positions: bool = True) -> float:
    """Packing, proven: max |logits of document 2 inside the packed row - logits of document 2 run alone|. With
    `position_ids` restarting at document 2 the model masks document 1 away and the gap is float noise; with
    positions counting on (restart_positions=False) document 2 sees document 1 and the gap is large."""
    ids, _, positions = batch(tokenizer, prompts, "packed")
    first = len(encode_text(tokenizer, prompts[0], split_special_tokens=True))
    if not restart_positions:
        positions = torch.arange(ids.shape[1])[None]
    ids, positions = onto(model.device, ids, positions)
    with torch.inference_mode():
        packed = model(ids, position_ids=positions, use_cache=False).logits[0, first:]
        alone = model(ids[:, first:], use_cache=False).logits[0]
    return float((packed.float() - alone.float()).abs().max())

"""The mask caught at the model's first attention layer equals masking_utils' own, for every kind, and the
attention it produced is exactly 0 where the mask forbids and sums to 1 along every row that sees anything."""

import pytest
import torch

from playground.attention.masks import MASK_KINDS, packing_gap, view_mask
from playground.core import models
from playground.core.errors import PlaygroundError

PROMPTS = ["The capital of France is", "Hi there"]
DECODER_KINDS = [kind for kind in MASK_KINDS if kind not in ("bidirectional", "t5")]  # t5: test_t5_masks


@pytest.mark.parametrize("kind", DECODER_KINDS)
def test_every_decoder_kind_on_a_tiny_model(tiny, kind):
    view = view_mask(tiny.model, tiny.tokenizer, PROMPTS, kind, window=2)
    assert view.matches_reference
    assert view.forbidden_weight == 0.0 and view.row_sum_error < 1e-5


@pytest.mark.parametrize("kind", DECODER_KINDS)
def test_every_decoder_kind_on_smollm2(smollm2, kind):
    view = view_mask(smollm2.model, smollm2.tokenizer, PROMPTS, kind, window=3)
    assert view.matches_reference and view.forbidden_weight == 0.0


def test_the_shapes_people_should_see(smollm2):
    left = view_mask(smollm2.model, smollm2.tokenizer, PROMPTS, "padding_left")
    assert left.tokens[1][:3] == ["", "", ""]  # "Hi there" is 2 tokens, padded to 5 on the left
    assert not bool(left.allowed[1, :, :3].any())  # nobody looks at the padding
    assert torch.equal(left.allowed[0], torch.tril(torch.ones(5, 5, dtype=torch.bool)))
    packed = view_mask(smollm2.model, smollm2.tokenizer, PROMPTS, "packed")
    assert not bool(packed.allowed[0, 5:, :5].any())  # the second document cannot see the first
    window = view_mask(smollm2.model, smollm2.tokenizer, PROMPTS, "sliding_window", window=2)
    assert window.allowed[0].sum(-1).tolist() == [1, 2, 2, 2, 2]


def test_bert_is_bidirectional_with_padding_hidden():
    encoder = models.load_encoder()
    view = view_mask(encoder.model, encoder.tokenizer, PROMPTS, "bidirectional")
    assert view.matches_reference and view.forbidden_weight == 0.0
    assert bool(view.allowed[0].all())  # every token of the longer prompt sees every other, the future included
    assert view.allowed[1, 0].tolist() == [True] * 4 + [False] * 3  # [CLS] hi there [SEP], then padding


@pytest.mark.parametrize("prompts,kind,window,words", [
    (PROMPTS, "diagonal", 3, "mask_kind must be one of"),
    (["only one"], "causal", 3, "two non-empty prompts"),
    (PROMPTS, "chunked", 0, "window must be between 1 and 64"),
    (["word " * 80, "hi"], "causal", 3, "at most 64"),
])
def test_bad_requests_are_explained(tiny, prompts, kind, window, words):
    with pytest.raises(PlaygroundError, match=words):
        view_mask(tiny.model, tiny.tokenizer, prompts, kind, window)


def test_packing_proven_document_two_is_computed_as_if_alone(tiny, smollm2):
    prompts = ["The capital of France is", "Hi there, how are you"]
    for loaded in (tiny, smollm2):
        assert packing_gap(loaded.model, loaded.tokenizer, prompts) < 1e-3
    assert packing_gap(smollm2.model, smollm2.tokenizer, prompts, restart_positions=False) > 1.0

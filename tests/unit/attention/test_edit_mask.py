"""Editing the mask: nothing blocked is the model's own forward exactly; an edit is what eager attention computes
with the same mask, and the blocked cells get exactly zero weight."""

import pytest
import torch
from transformers.masking_utils import eager_mask

from playground.core.twins import eager_twin
from playground.attention.edit_mask import cells_from_text, check_blocked, edit_and_predict, edited_mask
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt


def ids_of(loaded, text="The capital of France is"):
    return build_prompt(loaded.tokenizer, text, use_chat_template=False).input_ids


def test_with_nothing_blocked_the_mask_is_transformers_causal_mask_and_the_logits_are_exact(smollm2):
    ids = ids_of(smollm2)
    assert torch.equal(edited_mask(len(ids), []), eager_mask(batch_size=1, q_length=len(ids), kv_length=len(ids)))
    edit = edit_and_predict(smollm2, ids, [])
    assert torch.equal(edit.before, edit.after)


def test_an_edit_equals_eager_attention_with_the_same_mask_and_moves_the_prediction(smollm2):
    ids = ids_of(smollm2)  # The · capital · of · France · is
    edit = edit_and_predict(smollm2, ids, [[4, 3]])  # "is" may not see "France"
    with torch.inference_mode():
        eager = eager_twin(smollm2.model)(torch.tensor([ids]), attention_mask=edited_mask(len(ids), [(4, 3)]),
                                          output_attentions=True)
    assert torch.allclose(torch.softmax(eager.logits[0, -1].float(), -1), edit.after, atol=1e-5)
    assert all(float(layer[0, :, 4, 3].abs().max()) == 0.0 for layer in eager.attentions)
    paris = smollm2.tokenizer.encode(" Paris")[0]
    assert int(edit.before.argmax()) == paris and float(edit.after[paris]) < float(edit.before[paris]) / 2


@pytest.mark.parametrize("blocked,words", [
    ([[5, 0]], "outside the 5 × 5"),
    ([[1, 3]], "already hidden"),
    ([[2, 0], [2, 1], [2, 2]], "nothing to attend to"),
    ([[1]], "pairs"),
    ([[1.5, 0]], "whole numbers"),
    ("4,3", "list of"),
])
def test_bad_cells_are_explained(blocked, words):
    with pytest.raises(PlaygroundError, match=words):
        check_blocked(blocked, 5)


def test_cells_from_typed_pairs_and_words():
    tokens = ["The", " capital", " of", " France", " is"]
    assert cells_from_text(tokens, "4,3; 4, 2") == [[4, 3], [4, 2]]
    assert cells_from_text(tokens, "France\ncapital") == [[4, 3], [4, 1]]
    with pytest.raises(PlaygroundError, match="No token before the last one reads 'Spain'"):
        cells_from_text(tokens, "Spain")

"""The maths of one row, recomputed from the real projections, equals the model's own output_attentions."""

import pytest
import torch

from playground.attention.cell import row_maths
from playground.attention.extraction import extract

PROMPT = "The cat sat on the mat because it was warm"


def check_every_row(loaded, layer: int, head: int):
    attention = extract(loaded, PROMPT, use_chat_template=False)
    for query in range(len(attention.tokens)):
        maths = row_maths(loaded, attention.token_ids, layer, head, query)
        assert torch.allclose(maths.weights, attention.weights[layer, head, query], atol=1e-5)
        assert torch.equal(maths.model_weights, attention.weights[layer, head, query])
        forbidden = maths.mask < -1e30
        assert forbidden.tolist() == [key > query for key in range(len(attention.tokens))]
        assert float(maths.weights[forbidden].abs().sum()) == 0.0
    return attention, maths


@pytest.mark.parametrize("layer,head", [(0, 0), (1, 3)])
def test_tiny_models_rows_equal_output_attentions(tiny, layer, head):
    check_every_row(tiny, layer, head)


def test_smollm2_rows_equal_output_attentions_and_heads_share_kv_as_gqa_says(smollm2):
    attention, maths = check_every_row(smollm2, layer=18, head=8)
    assert maths.kv_head == attention.kv_head(8) == 2 and maths.scaling == pytest.approx(64 ** -0.5)
    shared = [row_maths(smollm2, attention.token_ids, 5, h, 6).dots for h in (3, 4, 5)]  # one KV head, three queries
    assert not torch.allclose(shared[0], shared[1])  # different queries over the same keys


def test_a_cell_outside_the_prompt_is_explained():
    from playground.attention.cell import CellSettings
    from playground.core.errors import PlaygroundError

    CellSettings(query=3, key=2).check_in(4)
    with pytest.raises(PlaygroundError, match="query must be between 0 and 3"):
        CellSettings(query=4).check_in(4)
    with pytest.raises(PlaygroundError, match="key must be between 0 and 3"):
        CellSettings(key=-1).check_in(4)

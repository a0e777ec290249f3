"""The maths of one row, recomputed from the real projections, equals the model's own output_attentions."""

import pytest
import torch

from playground.attention.cell import row_maths
from playground.core.twins import eager_twin
from playground.attention.extraction import extract, tokenize
from playground.attention.parts import PARTS, attentions_of, forward_inputs, part_token_ids
from playground.core import models
from playground.core.errors import PlaygroundError

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


@pytest.mark.parametrize("encoder", ["tiny-bert", "minilm-l6-v2"])
def test_bert_rows_equal_output_attentions_and_see_both_ways(encoder):
    loaded = models.load_any(encoder)
    attention = extract(loaded, PROMPT)
    assert attention.tokens[0].strip() == "[CLS]" and attention.tokens[-1].strip() == "[SEP]"
    for layer, head in [(0, 0), (1, 3)]:
        for query in range(len(attention.tokens)):
            maths = row_maths(loaded, attention.token_ids, layer, head, query)
            assert torch.allclose(maths.weights, attention.weights[layer, head, query], atol=1e-5)
            assert not bool((maths.mask != 0).any()) and not bool((maths.bias != 0).any())  # every key, no bias
            head_dim = loaded.model.config.hidden_size / loaded.model.config.num_attention_heads
            assert maths.scaling == pytest.approx(head_dim ** -0.5)


@pytest.mark.parametrize("part", list(PARTS))
def test_t5_three_attentions_rows_equal_output_attentions(part):
    t5 = models.load_any("tiny-t5")
    ids = tokenize(t5, PROMPT, use_chat_template=False)
    with torch.inference_mode():
        own = attentions_of(eager_twin(t5.model)(**forward_inputs(t5, ids)), part)  # eager, with no hooks
    queries, keys = part_token_ids(t5, ids, part)
    for layer in range(2):
        for query in range(len(queries)):
            maths = row_maths(t5, ids, layer, 1, query, part)
            assert torch.allclose(maths.weights, own[layer][0, 1, query], atol=1e-5)
            assert maths.scaling == 1.0 and len(maths.dots) == len(keys)  # T5 does not divide by √d
            forbidden = (maths.mask < -1e30).tolist()
            assert forbidden == [part == "decoder" and key > query for key in range(len(keys))]
            assert bool((maths.bias != 0).any()) == (part != "cross")  # the relative bias: self-attention only


def test_only_an_encoder_decoder_has_decoder_and_cross_attention(tiny):
    with pytest.raises(PlaygroundError, match="'cross' needs an encoder-decoder"):
        row_maths(tiny, [1, 2, 3], 0, 0, 1, part="cross")


def test_a_cell_outside_the_prompt_is_explained():
    from playground.attention.cell import CellSettings

    CellSettings(query=3, key=2).check_in(4)
    with pytest.raises(PlaygroundError, match="query must be between 0 and 3"):
        CellSettings(query=4).check_in(4)
    with pytest.raises(PlaygroundError, match="key must be between 0 and 3"):
        CellSettings(key=-1).check_in(4)

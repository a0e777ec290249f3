"""Attention from the eager twin: the shared model's own numbers, GQA mapped right."""

import pytest
import torch

from playground.attention.extraction import AttentionSettings, extract
from playground.core import config
from playground.core.errors import PlaygroundError


def test_every_row_is_a_distribution_over_the_keys_it_may_see(tiny):
    attention = extract(tiny, "One two three four five", use_chat_template=False)
    n = len(attention.tokens)
    assert attention.weights.shape[-2:] == (n, n)
    assert torch.allclose(attention.weights.sum(-1), torch.ones(attention.weights.shape[:-1]), atol=1e-5)
    future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    assert float(attention.weights[..., future].abs().max()) == 0.0  # the causal mask, exactly


def test_gqa_query_heads_map_to_their_kv_head_as_repeat_kv_does(smollm2):
    attention = extract(smollm2, "Hello there", use_chat_template=False)
    assert (attention.num_heads, attention.num_kv_heads) == (9, 3)
    assert [attention.kv_head(h) for h in range(9)] == [0, 0, 0, 1, 1, 1, 2, 2, 2]


@pytest.mark.parametrize("layer,head,words", [(2, 0, "layer must be between 0 and 1"), (-1, 0, "layer"),
                                              (0, 4, "head must be between 0 and 3")])
def test_a_layer_or_head_out_of_range_is_explained(tiny, layer, head, words):
    attention = extract(tiny, "Hello", use_chat_template=False)
    with pytest.raises(PlaygroundError, match=words):
        attention.check_layer_head(layer, head)


def test_long_prompts_are_refused_with_the_reason(tiny):
    with pytest.raises(PlaygroundError, match="square of the length"):
        extract(tiny, "word " * (config.MAX_ATTENTION_TOKENS + 5), use_chat_template=False)


def test_settings_check_the_statistic():
    with pytest.raises(PlaygroundError, match="statistic must be one of"):
        AttentionSettings(statistic="loudness")
    with pytest.raises(PlaygroundError, match="whole number"):
        AttentionSettings(layer=1.5)


def test_several_queries_add_their_rows(tiny):
    attention = extract(tiny, "One two three four five", use_chat_template=False)
    n = len(attention.tokens)
    summed = attention.summed(1, [3, 1, 3.0])  # repeats count once, in order
    assert attention.chosen_queries([3, 1, 3.0]) == [1, 3]
    assert torch.allclose(summed, attention.weights[1, :, 1] + attention.weights[1, :, 3])
    assert torch.allclose(summed.sum(-1), torch.full((attention.num_heads,), 2.0))  # two rows of 1 each
    assert torch.equal(attention.summed(0, []), attention.weights[0, :, n - 1])  # none chosen: the last token
    for bad in ([n], [-1], [1.5]):
        with pytest.raises(PlaygroundError, match=f"queries must be token positions between 0 and {n - 1}"):
            attention.chosen_queries(bad)


def test_an_encoder_sees_both_ways_and_an_encoder_decoder_shows_its_encoder():
    from playground.core import models

    bert = extract(models.load_any("minilm-l6-v2"), "The cat sat on the mat")
    n = len(bert.tokens)
    future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    assert (bert.num_layers, bert.num_heads, bert.num_kv_heads) == (6, 12, 12)
    assert float(bert.weights[..., future].min()) > 0  # no causal mask: every token sees every other
    assert bert.shown == "encoder" and "[CLS]" in bert.tokens[0]
    t5 = models.load_any("tiny-t5")
    encoder = extract(t5, "The cat sat on the mat")
    assert encoder.shown == "seq2seq"
    assert float(encoder.weights[..., future[:len(encoder.tokens), :len(encoder.tokens)]].min()) > 0


def test_the_causal_tabs_refuse_an_encoder_with_the_reason():
    from playground.core import models

    with pytest.raises(PlaygroundError, match="not a decoder-only causal LM"):
        models.load_causal_lm("minilm-l6-v2")
    with pytest.raises(PlaygroundError, match="not a decoder-only causal LM"):
        models.load_causal_lm("tiny-t5")


def test_a_model_without_attention_is_explained(tokenizer):
    from transformers import MambaConfig, MambaForCausalLM

    from playground.core.models import LoadedModel

    mamba = MambaForCausalLM(MambaConfig(vocab_size=len(tokenizer), hidden_size=32, state_size=4,
                                         num_hidden_layers=1)).eval()
    with pytest.raises(PlaygroundError, match="tiny Mamba cannot return its attention weights"):
        extract(LoadedModel("tiny-mamba", "tiny Mamba", mamba, tokenizer), "Hello", use_chat_template=False)

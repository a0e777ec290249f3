"""Attention from the eager twin: the shared model's own numbers, the shared model untouched, GQA mapped right."""

import pytest
import torch

from playground.attention.eager import eager_twin
from playground.attention.extraction import AttentionSettings, extract
from playground.core import config
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt


def test_the_twin_shares_every_tensor_and_leaves_the_shared_model_alone(tiny):
    twin = eager_twin(tiny.model)
    assert twin is eager_twin(tiny.model)  # built once
    assert twin.config._attn_implementation == "eager"
    assert tiny.model.config._attn_implementation != "eager"
    shared, own = tiny.model.state_dict(), twin.state_dict()
    assert own.keys() == shared.keys()
    assert all(own[name].data_ptr() == shared[name].data_ptr() for name in shared)
    assert not any(p.requires_grad for p in twin.parameters())


def test_the_twin_computes_what_the_shared_model_computes(smollm2):
    ids = torch.tensor([build_prompt(smollm2.tokenizer, "The capital of France is", False).input_ids])
    with torch.inference_mode():
        shared = smollm2.model(ids).logits
        twin = eager_twin(smollm2.model)(ids, output_attentions=True)
    assert torch.allclose(shared, twin.logits, atol=1e-4)
    assert len(twin.attentions) == 30 and twin.attentions[0].shape == (1, 9, ids.shape[1], ids.shape[1])


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

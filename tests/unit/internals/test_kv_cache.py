"""The KV ledger: the formula from the model's shape equals the real cache tensors' bytes, sliding windows
included; and the cache changes the speed, never the output."""

import pytest
import torch
from transformers import MistralConfig, MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM

from playground.core.errors import PlaygroundError
from playground.internals.kv_cache import (
    KVSettings,
    bytes_per_token,
    cache_bytes,
    compare_cache,
    filled_cache,
    naive_cache_bytes,
    real_cache_bytes,
)

SIZES = dict(vocab_size=100, hidden_size=32, intermediate_size=64, num_attention_heads=4, num_key_value_heads=2)


def test_smollm2_keeps_45_kib_per_token_and_the_real_cache_agrees(smollm2):
    assert bytes_per_token(smollm2.model.config) == 2 * 30 * 3 * 64 * 4 == 45 * 1024
    assert bytes_per_token(smollm2.model.config, kv_heads=9) == 3 * bytes_per_token(smollm2.model.config)  # MHA
    ids = torch.tensor([smollm2.tokenizer("The capital of France is")["input_ids"]])
    assert real_cache_bytes(filled_cache(smollm2.model, ids)) == cache_bytes(smollm2.model.config, ids.shape[1])


@pytest.mark.parametrize("model", [
    MistralForCausalLM(MistralConfig(**SIZES, num_hidden_layers=2, sliding_window=4)),  # every layer slides
    Qwen2ForCausalLM(Qwen2Config(**SIZES, num_hidden_layers=4, use_sliding_window=True, sliding_window=4,
                                 max_window_layers=2)),  # two full layers, then two sliding
    Qwen2ForCausalLM(Qwen2Config(**SIZES, num_hidden_layers=2)),  # no window
])
@pytest.mark.parametrize("context", [1, 3, 4, 10])
def test_the_calculator_equals_the_real_cache_with_and_without_a_window(model, context):
    cache = filled_cache(model.eval(), torch.randint(0, 100, (1, context)))
    assert real_cache_bytes(cache) == cache_bytes(model.config, context)
    assert naive_cache_bytes(model.config, context) >= cache_bytes(model.config, context)


def test_the_cache_changes_the_time_not_the_text():
    from playground.core import models

    tiny = models.load_causal_lm("tiny-llama")
    result = compare_cache(tiny, "The capital of France is", KVSettings(new_tokens=12))
    assert result.same_output and len(result.cached.step_seconds) == len(result.uncached.step_seconds) == 12
    assert result.real_bytes == result.formula_bytes == (result.prompt_tokens + 12) * result.per_token_bytes
    with pytest.raises(PlaygroundError, match="new_tokens must be between 1 and"):
        KVSettings(new_tokens=100_000)


def test_the_calculator_caps_sliding_layers_and_shows_the_naive_error():
    from playground.core.published import KV_REFERENCES
    from playground.internals.kv_cache import CalculatorSettings, calculator_row

    settings = CalculatorSettings(context=32768, batch=1, dtype="bfloat16")
    llama = calculator_row("Llama-3-8B", KV_REFERENCES["Llama-3-8B"], settings)
    assert llama["KiB per token (full layers)"] == 2 * 32 * 8 * 128 * 2 / 1024 == 128  # the published 128 KiB
    assert llama["naive error"] == 0 and llama["cache (GiB)"] == 4.0
    gemma = calculator_row("Gemma-2-9B", KV_REFERENCES["Gemma-2-9B"], settings)
    # 21 full layers keep 32,768 tokens, 21 sliding ones 4,095: the naive formula is 78% too high
    assert gemma["naive error"] == pytest.approx((42 * 32768) / (21 * 32768 + 21 * 4095) - 1)
    with pytest.raises(PlaygroundError, match="dtype must be one of"):
        CalculatorSettings(dtype="float8")

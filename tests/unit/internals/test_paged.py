"""Real PagedAttention: transformers' continuous batching generates what plain `generate` does, its block tables
are disjoint and just big enough, and attention over keys and values gathered through them equals SDPA over the
contiguous cache."""

import math

import pytest
from transformers import MistralConfig, MistralForCausalLM

from playground.core.errors import PlaygroundError
from playground.core.models import LoadedModel, load_causal_lm
from playground.internals.paged import PagedSettings, paged_generate

PROMPTS = "The capital of France is\nOnce upon a time there was a\ndef fib(n):"


def check_run(run, tolerance):
    blocks = [b for r in run.requests for b in r.blocks]
    assert len(blocks) == len(set(blocks))  # no block held by two requests
    assert set(blocks) <= set(run.block_ids)
    for request in run.requests:
        assert request.paged_ids == request.plain_ids
        assert len(request.blocks) == math.ceil(request.cached_tokens / run.block_size)
        assert request.gather_error <= tolerance


# Each tiny model once and each block size once (the engine takes seconds to start, whatever the model's size).
@pytest.mark.parametrize("model,block_size", [("tiny-llama", 4), ("tiny-qwen2", 8), ("tiny-gpt2", 32)])
def test_paged_generation_on_tiny_models_equals_plain_generate(model, block_size):
    tiny = load_causal_lm(model)
    run = paged_generate(tiny, PROMPTS, PagedSettings(new_tokens=6, block_size=block_size, num_blocks=128))
    assert len(run.requests) == 3
    check_run(run, 1e-6)


def test_paged_generation_on_smollm2_equals_plain_generate(smollm2):
    run = paged_generate(smollm2, PROMPTS, PagedSettings(new_tokens=12, block_size=4))
    check_run(run, 1e-4)  # the paged engine's keys come from another kernel path: equal to float rounding
    assert run.block_bytes == 4 * 45 * 1024


@pytest.mark.parametrize("prompts,change,message", [
    (PROMPTS, dict(block_size=12), "block_size must be a power of two"),
    (PROMPTS, dict(block_size=0), "block_size must be between 4"),
    (PROMPTS, dict(new_tokens=1000), "new_tokens must be between 1 and 64"),
    (PROMPTS, dict(num_blocks=2), "need .* blocks"),
    ("\n".join(["Hi"] * 9), {}, "At most 8 prompts"),
    ("  \n ", {}, "at least one prompt"),
])
def test_bad_input_is_refused(prompts, change, message):
    with pytest.raises(PlaygroundError, match=message):
        paged_generate(load_causal_lm("tiny-llama"), prompts, PagedSettings(**change))


def test_a_sliding_window_model_is_refused_with_the_reason():
    config = MistralConfig(vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=2,
                           num_attention_heads=2, num_key_value_heads=1, sliding_window=8)
    tiny = load_causal_lm("tiny-llama")
    mistral = LoadedModel("tiny-mistral", "tiny mistral", MistralForCausalLM(config).eval(), tiny.tokenizer)
    with pytest.raises(PlaygroundError, match="sliding-window layers"):
        paged_generate(mistral, PROMPTS, PagedSettings())

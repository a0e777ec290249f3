"""Adapted equals base at initialisation, and every method's text follows a step-by-step argmax of its own
forward (generate does not, for prompt and prefix tuning, in this stack: see decode.py)."""

import pytest
import torch

from playground.peft_lab.decode import decode
from playground.peft_lab.methods import METHODS, MethodSettings, adapted_copy

IDS = [504, 3575, 282, 4649, 314]  # "The capital of France is" in SmolLM2's tokenizer
STARTS_AS_BASE = ["lora", "ia3", "llama_adapter", "bottleneck", "full"]


@pytest.mark.parametrize("method", STARTS_AS_BASE)
def test_at_initialisation_adapted_equals_base(llama, logits, method):
    """LoRA's B is 0, IA3's vectors are 1, LLaMA-Adapter's gate is 0, the bottleneck's up-projection is 0."""
    model = adapted_copy(llama, method, MethodSettings(adapter_layers=2), seed=3)
    assert torch.allclose(logits(model), logits(llama.model), atol=1e-6)


def argmax_of_forward(model, logits, steps: int) -> list[int]:
    ids = list(IDS)
    for _ in range(steps):
        ids.append(int(logits(model, ids)[0, -1].argmax()))
    return ids[len(IDS):]


@pytest.mark.parametrize("method", list(METHODS))
def test_greedy_output_follows_the_methods_own_forward(llama, logits, perturb, method):
    model = perturb(llama, method)
    out = decode(model, METHODS[method].prompt_learning, IDS, 8, eos_ids=set())
    assert out == argmax_of_forward(model, logits, 8)
    assert out != decode(llama.model, False, IDS, 8, eos_ids=set())  # and the method changed the output


def test_sampling_is_seeded_and_stops_at_the_end_of_text(llama, perturb):
    model = perturb(llama, "prompt_tuning")
    sampling = {"temperature": 1.0, "top_p": 0.9}
    first = decode(model, True, IDS, 6, set(), sampling, seed=5)
    assert first == decode(model, True, IDS, 6, set(), sampling, seed=5)
    assert decode(model, True, IDS, 6, {first[0]}, sampling, seed=5) == first[:1]

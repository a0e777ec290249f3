"""Base and adapted side by side: LoRA's scale blends between them, merging changes nothing, and the per-token
probabilities and KL come from the two models' own distributions."""

import copy

import pytest
import torch
from peft.helpers import rescale_adapter_scale

from playground.core.errors import PlaygroundError
from playground.peft_lab.compare import Adapted, CompareSettings, compare, next_token_log_probs
from playground.peft_lab.decode import decode


def test_lora_scale_zero_is_the_base_and_merging_changes_nothing(llama, logits, perturb):
    model = perturb(llama, "lora")
    with rescale_adapter_scale(model, 0.0):
        assert torch.allclose(logits(model), logits(llama.model), atol=1e-6)
    unmerged = logits(model)
    merged = copy.deepcopy(model).merge_and_unload()
    assert torch.allclose(logits(merged), unmerged, atol=1e-5)


@pytest.mark.parametrize("method", ["lora", "prefix_tuning"])
def test_the_comparison_reads_both_models(llama, perturb, method):
    adapted = Adapted("test", method, perturb(llama, method), method == "prefix_tuning")
    result = compare(llama, adapted, "The capital of France is", CompareSettings(max_new_tokens=6))
    ids = result.prompt_ids
    assert result.base["greedy"] == decode(llama.model, False, ids, 6, llama.eos_token_ids)
    assert result.adapted["greedy"] == decode(adapted.model, adapted.prompt_learning, ids, 6, llama.eos_token_ids)
    new = result.adapted["greedy"]
    base_lp = next_token_log_probs(llama.model, ids, new)
    assert torch.allclose(result.adapted_under_base, base_lp[range(len(new)), new].exp())
    # greedy: each adapted token is its own model's most likely one
    assert all(p >= 0.99 * float(lp.exp().max()) for p, lp in
               zip(result.adapted_probs, next_token_log_probs(adapted.model, ids, new)))
    assert (result.kl >= 0).all() and float(result.kl.max()) > 0.01


def test_lora_scale_zero_makes_the_two_sides_equal(llama, perturb):
    adapted = Adapted("test", "lora", perturb(llama, "lora"), False)
    result = compare(llama, adapted, "The capital of France is", CompareSettings(max_new_tokens=5, lora_scale=0.0))
    assert result.adapted == result.base and float(result.kl.max()) < 1e-5


def test_the_scale_is_for_lora_only(llama, perturb):
    adapted = Adapted("test", "ia3", perturb(llama, "ia3"), False)
    with pytest.raises(PlaygroundError, match="lora_scale blends LoRA only"):
        compare(llama, adapted, "Hello", CompareSettings(lora_scale=0.5))

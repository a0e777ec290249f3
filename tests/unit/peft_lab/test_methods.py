"""Every method's trainable parameters: counted by peft (the oracle) and by the model, equal to the formula."""

import pytest
import torch

from playground.core.errors import PlaygroundError
from playground.peft_lab.counts import expected_trainable, full_count
from playground.peft_lab.methods import METHODS, MethodSettings, adapted_copy, trainable_parameters

SETTINGS = MethodSettings(lora_targets="q_proj,k_proj,down_proj", adapter_layers=2, init_text="Answer briefly")


@pytest.mark.parametrize("method", list(METHODS))
def test_counts_equal_the_formula_and_peft(llama, method):
    model = adapted_copy(llama, method, SETTINGS)
    trainable, total = trainable_parameters(model)
    assert trainable == expected_trainable(method, SETTINGS, llama.model.config)
    if hasattr(model, "get_nb_trainable_parameters"):  # peft's own count, for the methods peft implements
        assert model.get_nb_trainable_parameters() == (trainable, total)
    assert total == full_count(llama.model.config) + (0 if method == "full" else trainable)


@pytest.mark.parametrize("method,expected", [
    ("prompt_tuning", 8 * 576),  # n_virtual × hidden
    ("prefix_tuning", 8 * 30 * 2 * 3 * 64),  # n_virtual × layers × (key, value) × KV heads × head_dim
    ("lora", 30 * 8 * ((576 + 576) + (576 + 192))),  # layers × r × (in + out) for q_proj and v_proj
    ("full", 134_515_008),
])
def test_smollm2_counts_match_the_published_shapes(smollm2, method, expected):
    assert expected_trainable(method, MethodSettings(), smollm2.model.config) == expected
    assert trainable_parameters(adapted_copy(smollm2, method, MethodSettings()))[0] == expected


def test_the_copy_is_private(llama):
    model = adapted_copy(llama, "full", SETTINGS)
    with torch.no_grad():
        next(model.parameters()).add_(1.0)
    assert not any(p.requires_grad for p in llama.model.parameters())
    assert all(p.data_ptr() != q.data_ptr() for p, q in zip(model.parameters(), llama.model.parameters()))


def test_bad_method_settings_are_explained(llama):
    with pytest.raises(PlaygroundError, match="method must be one of"):
        adapted_copy(llama, "magic", SETTINGS)
    with pytest.raises(PlaygroundError, match="lora_targets must be some of"):
        MethodSettings(lora_targets="attention")
    with pytest.raises(PlaygroundError, match="adapter_layers must be at most 2"):
        adapted_copy(llama, "llama_adapter", MethodSettings(adapter_layers=5))

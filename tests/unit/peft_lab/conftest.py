"""The PEFT lab's tests train tiny Llamas for a few steps; the integration tests use the embedded SmolLM2."""

import pytest
import torch

from playground.core import models
from playground.peft_lab.methods import MethodSettings, adapted_copy

IDS = [504, 3575, 282, 4649, 314]  # "The capital of France is" in SmolLM2's tokenizer


@pytest.fixture(scope="session")
def llama():
    return models.load_causal_lm("tiny-llama")


def text_logits(model, ids=IDS) -> torch.Tensor:
    """The logits over the text's own positions (prompt-learning models put their virtual tokens first)."""
    ids = torch.tensor([ids])
    with torch.no_grad():
        return model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[:, -ids.shape[1]:]


def perturbed(loaded, method: str):
    """The method with its trainable parameters moved off their initial values, as training would."""
    model = adapted_copy(loaded, method, MethodSettings(adapter_layers=2), seed=1)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(torch.randn(p.shape, generator=generator) * 0.3)
    return model.eval()


@pytest.fixture
def logits():
    return text_logits


@pytest.fixture
def perturb():
    return perturbed

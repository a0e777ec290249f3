"""The anatomy table: per-component parameter counts by formula equal the sums over named_parameters, the totals
match the published sizes, and each architectural fact is read correctly from the model."""

import pytest
import torch

from playground.architecture.anatomy import REFERENCE_MODELS, anatomy_row, counted, formula, reference_rows
from playground.core import models

PUBLISHED_MILLIONS = {"BERT-base": 109.5, "GPT-2 (124M)": 124.4, "T5-small": 60.5, "Llama-3-8B": 8030.3,
                      "Qwen2.5-7B": 7615.6}


@pytest.mark.parametrize("name,cls,config", REFERENCE_MODELS, ids=[m[0] for m in REFERENCE_MODELS])
def test_formula_equals_named_parameters_for_each_reference_model(name, cls, config):
    with torch.device("meta"):
        model = cls(config)
    assert formula(config) == counted(model)
    assert sum(counted(model).values()) / 1e6 == pytest.approx(PUBLISHED_MILLIONS[name], abs=0.1)


def test_formula_equals_named_parameters_for_the_loaded_models(tiny, smollm2):
    encoder = models.load_encoder()
    for model in (tiny.model, smollm2.model, encoder.model):
        assert formula(model.config) == counted(model)


def test_the_facts_are_read_from_the_models():
    rows = {row.name: row for row in reference_rows()}
    assert rows["BERT-base"].norm == "LayerNorm, post-norm" and rows["BERT-base"].layout == "encoder-only"
    assert rows["GPT-2 (124M)"].norm == "LayerNorm, pre-norm" and rows["GPT-2 (124M)"].positions == "learned absolute"
    assert rows["T5-small"].norm == "RMSNorm, pre-norm" and rows["T5-small"].positions == "relative position bias"
    assert rows["T5-small"].layout == "encoder-decoder" and "cross-attention" in rows["T5-small"].mask
    llama = rows["Llama-3-8B"]
    assert (llama.norm, llama.activation) == ("RMSNorm, pre-norm", "SwiGLU (gated SiLU)")
    assert llama.positions.startswith("RoPE") and llama.attention == "GQA: 32 query heads, 8 KV heads"
    assert rows["Qwen2.5-7B"].attention == "GQA: 28 query heads, 4 KV heads"


def test_smollm2_row(smollm2):
    row = anatomy_row("SmolLM2", smollm2.model)
    assert (row.layout, row.mask, row.attention) == ("decoder-only", "causal", "GQA: 9 query heads, 3 KV heads")
    assert row.total / 1e6 == pytest.approx(134.5, abs=0.1)  # the embedding is tied to the output head

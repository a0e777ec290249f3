"""The roofline's pieces against their oracles: bytes read per step from the parameters, the profiler's split, and
the exhibits made on private copies that leave the shared model exactly as it was."""

import pytest
import torch

from playground.core.errors import PlaygroundError
from playground.internals.roofline import (
    RooflineSettings,
    _top1_agreement,
    exhibits,
    read_bytes_per_step,
    step_split,
)


def test_a_step_reads_every_weight_but_an_untied_input_embedding(tiny):
    model = tiny.model
    every = {id(p): p.numel() * 4 for p in model.parameters()}
    embedding = model.get_input_embeddings().weight
    tied = model.get_output_embeddings().weight is embedding
    assert read_bytes_per_step(model) == sum(every.values()) - (0 if tied else embedding.numel() * 4)


def test_smollm2_reads_its_tied_head_once(smollm2):
    assert read_bytes_per_step(smollm2.model) == 134_515_008 * 4  # SmolLM2-135M's parameters, the head tied


def test_the_step_split_names_matrix_products_and_the_rest(tiny):
    split = step_split(tiny.model, [1, 2, 3, 4])
    assert set(split) == {"matmul", "attention", "norms", "other"}
    assert split["matmul"] > 0 and all(v >= 0 for v in split.values())


def test_fp32_fed_its_own_text_agrees_with_itself(tiny):
    ids = [5, 6, 7]
    with torch.inference_mode():
        out = tiny.model.generate(torch.tensor([ids]), max_new_tokens=8, min_new_tokens=8, do_sample=False)
    assert _top1_agreement(tiny.model, ids, out[0, 3:].tolist()) == 1.0


def test_the_exhibits_are_copies_and_leave_the_shared_model_alone(tiny):
    before = {name: (p.data_ptr(), p.dtype, p.detach().clone()) for name, p in tiny.model.named_parameters()}
    rows = exhibits(tiny, [5, 6, 7], RooflineSettings(exhibit_tokens=8))
    assert [r.name.split()[0] for r in rows] == ["fp32", "bf16", "int8"]
    assert rows[1].weight_bytes * 2 == rows[0].weight_bytes
    has_linears = any(isinstance(m, torch.nn.Linear) and m is not tiny.model.get_output_embeddings()
                      for m in tiny.model.modules())  # GPT-2's layers are Conv1D: nothing for quantize_dynamic
    assert (rows[2].weight_bytes < rows[0].weight_bytes) == has_linears
    assert all(0 <= r.token_agreement <= 1 and 0 <= r.top1_agreement <= 1 for r in rows)
    for name, p in tiny.model.named_parameters():
        ptr, dtype, values = before[name]
        assert p.data_ptr() == ptr and p.dtype == dtype == torch.float32 and torch.equal(p, values)


@pytest.mark.parametrize("field,value", [("max_batch", 100), ("new_tokens", 2), ("exhibit_tokens", 0)])
def test_settings_out_of_range_are_refused(field, value):
    with pytest.raises(PlaygroundError, match=f"{field} must be between"):
        RooflineSettings(**{field: value})

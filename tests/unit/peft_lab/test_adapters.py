"""Every method saves (safetensors) and loads back to the same model; an upload is checked before loading."""

import json
import zipfile

import pytest
import torch

from playground.core import models
from playground.core.errors import PlaygroundError
from playground.peft_lab import adapters
from playground.peft_lab.compare import Adapted
from playground.peft_lab.methods import METHODS


@pytest.mark.parametrize("method", list(METHODS))
def test_save_zip_unpack_and_load_give_the_same_model(llama, logits, perturb, method, tmp_path):
    model = perturb(llama, method)
    folder = adapters.save(Adapted("trained", method, model, METHODS[method].prompt_learning), tmp_path / "a")
    assert not [p for p in folder.rglob("*") if p.suffix in adapters.PICKLES]
    assert any(p.suffix == ".safetensors" for p in folder.rglob("*"))
    unpacked = adapters.unpack(adapters.zip_folder(folder, tmp_path / "a.zip"))
    loaded = adapters.load(llama, unpacked, "uploaded")
    assert loaded.method == method and loaded.prompt_learning == METHODS[method].prompt_learning
    assert torch.allclose(logits(loaded.model), logits(model), atol=1e-5)
    assert not torch.allclose(logits(loaded.model), logits(llama.model), atol=1e-3)


def test_a_pickle_is_refused_before_anything_loads(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("adapter_config.json", "{}")
        archive.writestr("adapter_model.bin", b"\x80\x04not really")
    with pytest.raises(PlaygroundError, match="adapter_model.bin is a pickle file"):
        adapters.unpack(path)


@pytest.mark.parametrize("make,words", [
    (lambda f: (f / "notes.txt").write_text("hi"), "holds no adapter"),
    (lambda f: (f / "adapter_config.json").write_text(json.dumps({"peft_type": "VERA", "task_type": "CAUSAL_LM"})),
     "this one is"),
])
def test_a_folder_that_is_no_known_adapter_is_explained(llama, tmp_path, make, words):
    make(tmp_path)
    with pytest.raises(PlaygroundError, match=words):
        adapters.load(llama, tmp_path, "x")


def test_an_adapter_for_another_base_is_refused(llama, perturb, tmp_path):
    folder = adapters.save(Adapted("q", "lora", perturb(llama, "lora"), False), tmp_path / "a")
    with pytest.raises(PlaygroundError, match="trained on a different model"):
        adapters.load(models.load_causal_lm("tiny-qwen2"), folder, "x")


@pytest.mark.parametrize("name", adapters.shipped())
def test_the_shipped_adapters_load_on_smollm2_and_change_its_answers(smollm2, name):
    from playground.peft_lab.data import load_task
    from playground.peft_lab.evaluation import exact_match

    folder = adapters.SHIPPED / name
    assert adapters.size_on_disk(folder) <= 5_000_000
    assert {p.suffix for p in folder.iterdir()} == {".json", ".safetensors"}
    adapted = adapters.load(smollm2, folder, name)
    task = load_task(name.split("-")[0])
    rows = task.heldout[:8]
    base = exact_match(smollm2.model, False, smollm2.tokenizer, smollm2.eos_token_ids, rows)
    mine = exact_match(adapted.model, adapted.prompt_learning, smollm2.tokenizer, smollm2.eos_token_ids, rows)
    assert mine.outputs != base.outputs and mine.exact_match > base.exact_match


def test_the_shipped_adapters_are_the_ones_make_adapters_lists():
    from playground.peft_lab.make_adapters import SHIPPED

    assert adapters.shipped() == sorted(SHIPPED)

"""The block walk: every step computed from the weights equals what the model's own module computed in the same
forward pass (caught by hooks), on every family; a wrong formula shows as a difference; bad input is named."""

import threading

import pytest
import torch

from playground.architecture import walk_llama
from playground.architecture.block_walk import FAMILIES, block_walk, layers_of
from playground.architecture.hooks import caught
from playground.architecture.walk import WalkSettings
from playground.core import models
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt

PROMPT = "The capital of France is Paris, and the capital of Italy is"
FLOAT32 = 1e-5  # relative to each tensor's largest value: float32 keeps about 7 digits


def ids_of(loaded, text=PROMPT):
    return build_prompt(loaded.tokenizer, text, use_chat_template=False).input_ids


def assert_every_step_matches(walk, block):
    compared = {s.checked_against for s in walk.steps if s.difference is not None}
    family = FAMILIES[walk.family]
    hooked = {*family.outputs(block), *family.inputs(block), "block"}
    assert {f"the output of `{key}`" for key in hooked} <= compared, "a hooked module was never compared"
    for step in walk.steps:
        if step.difference is not None:
            assert step.relative <= FLOAT32, f"{step.name}: {step.difference} of {step.scale}"
    assert walk.steps[-1].checked_against == "the output of `block`"


@pytest.mark.parametrize("layer", [0, 1])
def test_every_step_of_a_tiny_block_is_its_modules_own(tiny, layer):
    walk = block_walk(tiny, ids_of(tiny), WalkSettings(layer=layer, position=-1))
    assert_every_step_matches(walk, layers_of(tiny.model)[layer])
    if walk.family == "llama":  # RoPE is checked against transformers' own rotation
        assert [s.difference is not None for s in walk.steps if s.name.startswith("RoPE")] == [True, True]
    else:
        assert any(s.name == "embeddings" for s in walk.steps) == (layer == 0)


def test_smollm2_and_minilm_walk_to_their_own_outputs(smollm2):
    ids = ids_of(smollm2)
    walk = block_walk(smollm2, ids, WalkSettings(layer=7, position=3))
    assert_every_step_matches(walk, smollm2.model.model.layers[7])
    assert [s.shape for s in walk.steps if s.name in ("q", "k")] == [(len(ids), 9, 64), (len(ids), 3, 64)]  # GQA
    encoder = models.load_encoder()
    walk = block_walk(encoder, encoder.tokenizer(PROMPT)["input_ids"], WalkSettings(layer=0, position=1))
    assert walk.family == "bert"
    assert_every_step_matches(walk, encoder.model.encoder.layer[0])
    assert walk.steps[0].name == "embeddings" and walk.steps[0].difference is not None
    assert walk.tokens[0] == "[CLS]"


@pytest.mark.parametrize("key", ["tiny-llama", "tiny-qwen2"])
def test_a_wrong_formula_shows_as_a_difference(key, monkeypatch):
    """LayerNorm where RMSNorm belongs: the walk reports it against the module, not a match."""
    tiny = models.load_causal_lm(key)
    monkeypatch.setattr(walk_llama, "rms_norm", lambda x, norm: torch.nn.functional.layer_norm(
        x, x.shape[-1:], norm.weight.float(), eps=norm.variance_epsilon))
    walk = block_walk(tiny, ids_of(tiny), WalkSettings(layer=0, position=-1))
    assert next(s for s in walk.steps if s.name == "RMSNorm").relative > 1e-3


def test_the_chosen_position_is_the_one_reported(smollm2):
    ids = ids_of(smollm2)
    first, last = (block_walk(smollm2, ids, WalkSettings(layer=2, position=p)) for p in (0, -1))
    assert (first.position, last.position) == (0, len(ids) - 1)
    assert first.steps[0].strip != last.steps[0].strip and first.steps[0].norm != last.steps[0].norm
    x = smollm2.model(torch.tensor([ids]), output_hidden_states=True).hidden_states[2][0]
    assert first.steps[0].strip == [round(v, 5) for v in x[0, :8].tolist()]
    assert last.steps[0].norm == pytest.approx(x[-1].norm().item())


@pytest.mark.parametrize("settings, named", [(WalkSettings(layer=2), "layer"), (WalkSettings(layer=-1), "layer"),
                                             (WalkSettings(layer=0, position=99), "position")])
def test_out_of_range_is_refused_by_name(settings, named):
    loaded = models.load_causal_lm("tiny-llama")
    with pytest.raises(PlaygroundError, match=f"^{named} must be between"):
        block_walk(loaded, ids_of(loaded), settings)


def test_a_model_outside_the_families_is_refused():
    with pytest.raises(PlaygroundError, match="^model: the block walk covers LLaMA, Qwen2"):
        block_walk(models.tiny_t5(), [1, 2, 3], WalkSettings())


def test_hooks_catch_only_their_own_threads_forward_pass():
    loaded = models.load_causal_lm("tiny-llama")
    ids = torch.tensor([ids_of(loaded)])
    with caught({"block": loaded.model.model.layers[0]}) as seen:
        other = threading.Thread(target=lambda: loaded.model(ids))
        other.start()
        other.join()
        assert seen == {}
        loaded.model(ids)
        assert seen["block"].shape == (ids.shape[1], 64)
    loaded.model(ids[:, :3])
    assert seen["block"].shape[0] == ids.shape[1]  # removed on leaving

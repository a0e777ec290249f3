"""PLAYGROUND_DEVICE and PLAYGROUND_DTYPE on this CPU machine: auto is the CPU here, a CUDA device torch cannot see
is a clear error, and a bfloat16 model keeps every oracle the float32 one keeps, on its own device and dtype:
decoding equals its `generate`, the next-token logits its forward, attention its `output_attentions`."""

import pytest
import torch

from playground.attention.extraction import extract
from playground.core import config, device, models
from playground.core.errors import PlaygroundError
from playground.core.twins import eager_twin
from playground.decoding.runner import compare
from playground.decoding.strategies import DecodingSettings
from playground.next_token.logits_cache import LOGITS
from playground.ui import header
from playground.ui.i18n import resolve


@pytest.mark.skipif(torch.cuda.is_available(), reason="auto is CUDA where torch sees a GPU")
def test_auto_is_the_cpu_here_and_the_header_says_so(monkeypatch):
    monkeypatch.setattr(config, "DEVICE", "auto")
    assert device.placement() == (torch.device("cpu"), torch.float32)
    assert device.describe() == {"device": "cpu", "dtype": "float32"}
    assert "run on **cpu** in **float32**" in resolve(header())


@pytest.mark.parametrize("setting,value,message", [
    pytest.param("DEVICE", "cuda", "PLAYGROUND_DEVICE=cuda, but torch sees no CUDA device",
                 marks=pytest.mark.skipif(torch.cuda.is_available(), reason="torch sees a GPU here")),
    ("DEVICE", "tpu", "PLAYGROUND_DEVICE must be one of auto, cpu, cuda"),
    ("DTYPE", "int4", "PLAYGROUND_DTYPE must be one of float32, bfloat16, float16"),
])
def test_a_setting_this_machine_cannot_honour_is_a_clear_error(monkeypatch, setting, value, message):
    monkeypatch.setattr(config, setting, value)
    with pytest.raises(PlaygroundError, match=message):
        device.placement()


@pytest.fixture(scope="module")
def bf16_llama():
    """A tiny Llama placed as PLAYGROUND_DTYPE=bfloat16 places it, under a key of its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "DTYPE", "bfloat16")
        label, build = models.TINY_MODELS["tiny-llama"]
        model, tokenizer = build()
        return models.LoadedModel("tiny-llama-bf16", label, models.placed(model), tokenizer, random_weights=True)


def test_a_bfloat16_model_keeps_the_oracles(bf16_llama):
    model = bf16_llama.model
    assert model.dtype == torch.bfloat16 and not any(p.requires_grad for p in model.parameters())
    run = compare(bf16_llama, "Hello there", ["greedy"], DecodingSettings(max_new_tokens=8), False)
    ids = torch.tensor([run.prompt.input_ids])
    expected = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=8,
                              pad_token_id=bf16_llama.tokenizer.pad_token_id)
    assert run.results[0].token_ids == expected[0, ids.shape[1]:].tolist()[: len(run.results[0].steps)]

    logits = LOGITS.get(bf16_llama, run.prompt.input_ids)
    with torch.inference_mode():
        own = model(ids).logits[0, -1]
    assert logits.dtype == torch.float32 and torch.equal(logits, own.float())

    attention = extract(bf16_llama, "Hello there", use_chat_template=False)
    with torch.inference_mode():
        own = eager_twin(model)(torch.tensor([attention.token_ids]), output_attentions=True).attentions
    assert own[0].dtype == torch.bfloat16
    assert torch.equal(attention.weights, torch.stack([a[0] for a in own]).float())


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU takes 128 rows")
@pytest.mark.parametrize("threads,public,rows", [(2, False, 32), (2, True, 16), (1, False, 16), (8, False, 64)])
def test_the_decoding_batch_follows_the_machine_unless_set(monkeypatch, threads, public, rows):
    monkeypatch.setattr(config, "DEVICE", "auto")
    monkeypatch.setattr(config, "PUBLIC", public)
    monkeypatch.setattr(config, "MAX_BATCH_ROWS", None)
    monkeypatch.setattr(config, "MERGE_WINDOW_MS", None)
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    assert device.decoding_batch() == (rows, 30)
    monkeypatch.setattr(config, "MAX_BATCH_ROWS", 7)
    monkeypatch.setattr(config, "MERGE_WINDOW_MS", 0)
    assert device.decoding_batch() == (7, 0)  # what the environment says wins

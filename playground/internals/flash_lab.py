"""FlashAttention on the loaded model: one real attention row walked tile by tile with the online softmax, the
tiled forward held to SDPA on the layer's real q/k/v, and naive vs tiled vs SDPA measured as the sequence grows."""

import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.words import WORDS as CORE
from playground.internals.flash import TileStep, naive_attention, online_softmax_row, tiled_attention
from playground.internals.kv_cache import head_shape
from playground.internals.profiling import peak_allocated_bytes
from playground.internals.qkv import layer_qkv

MAX_FLASH_LENGTH = 4096  # naive attention at 4096 holds heads × 4096² scores: 600 MB for SmolLM2's 9 heads
MIN_SWEEP_LENGTH = 128


@dataclass(frozen=True)
class FlashSettings(Settings):
    layer: int = 0
    head: int = 0
    key_tile: int = 4  # keys per tile in the step-by-step walk
    q_tile: int = 64  # queries per tile in the tiled forward
    k_tile: int = 64  # keys per tile in the tiled forward
    max_length: int = 2048  # the sweep doubles the sequence from 128 up to this

    RANGES = {"layer": (0, 1_000), "head": (0, 1_000), "key_tile": (1, MAX_FLASH_LENGTH),
              "q_tile": (1, MAX_FLASH_LENGTH), "k_tile": (1, MAX_FLASH_LENGTH),
              "max_length": (MIN_SWEEP_LENGTH, MAX_FLASH_LENGTH)}


@dataclass
class SweepPoint:
    length: int
    peak_bytes: dict[str, int]  # naive / tiled / sdpa: the most extra memory held at once
    seconds: dict[str, float]


@dataclass
class FlashResult:
    tokens: list[str]
    layer: int
    head: int
    steps: list[TileStep]  # the last token's row, a key tile at a time
    row_error: float  # |online row − softmax(q·Kᵀ·scale)·V|, max over the row
    tiled_error: dict[str, float]  # causal / full: |tiled − SDPA| on the layer's real q/k/v, max over everything
    sweep: list[SweepPoint]


def _sdpa(q, k, v, causal, scale=None):
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True, scale=scale)


def walk_real_row(loaded: LoadedModel, prompt: str, settings: FlashSettings) -> FlashResult:
    """Catch the layer's q/k/v for the prompt, walk the last token's row in the chosen head a tile of keys at a time,
    run the tiled forward against SDPA, then measure the sweep."""
    ids = build_prompt(loaded.tokenizer, prompt, use_chat_template=False).input_ids
    heads, kv_heads, head_dim = head_shape(loaded.model.config)
    check(settings.head < heads, CORE.text("between", name="head", low=0, high=heads - 1, value=settings.head))
    qkv = layer_qkv(loaded, ids, settings.layer)
    kv_head = settings.head // (heads // kv_heads)  # GQA: the KV head this query head reads
    q, k, v = qkv.query[0, settings.head, -1], qkv.key[0, kv_head], qkv.value[0, kv_head]
    row, steps = online_softmax_row(q, k, v, settings.key_tile, qkv.scaling)
    exact = torch.softmax(k @ q * qkv.scaling, dim=-1) @ v
    tiled_error = {}
    for name, causal in [("causal", True), ("full", False)]:
        tiled = tiled_attention(qkv.query, qkv.key, qkv.value, causal, settings.q_tile, settings.k_tile, qkv.scaling)
        tiled_error[name] = float((tiled - _sdpa(qkv.query, qkv.key, qkv.value, causal, qkv.scaling)).abs().max())
    tokens = loaded.tokenizer.convert_ids_to_tokens(ids)
    return FlashResult(tokens, settings.layer, settings.head, steps, float((row - exact).abs().max()), tiled_error,
                       sweep(heads, kv_heads, head_dim, settings))


def sweep(heads: int, kv_heads: int, head_dim: int, settings: FlashSettings) -> list[SweepPoint]:
    """Causal attention over random q/k/v of the model's shape, doubling the length: the peak extra memory (from
    the profiler's allocation log) and the time of naive attention, the tiled forward and SDPA."""
    points, length = [], MIN_SWEEP_LENGTH
    generator = torch.Generator().manual_seed(0)
    while length <= settings.max_length:
        q = torch.randn(1, heads, length, head_dim, generator=generator)
        k, v = (torch.randn(1, kv_heads, length, head_dim, generator=generator) for _ in range(2))
        ways = {"naive": lambda: naive_attention(q, k, v, causal=True),
                "tiled": lambda: tiled_attention(q, k, v, True, settings.q_tile, settings.k_tile),
                "sdpa": lambda: _sdpa(q, k, v, True)}
        peaks, seconds = {}, {}
        for name, way in ways.items():
            peaks[name] = peak_allocated_bytes(way)
            start = time.perf_counter()
            way()
            seconds[name] = time.perf_counter() - start
        points.append(SweepPoint(length, peaks, seconds))
        length *= 2
    return points

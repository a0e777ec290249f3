"""The decode roofline, measured: why one token costs what it costs. Each decode step reads every weight once to
produce a batch of tokens, so at batch 1 its floor is weight bytes ÷ memory bandwidth, and a bigger batch reuses the
same read. All of it is measured in one run on this machine: the bandwidth, ms per token, tokens/s per batch size,
torch.profiler's split of one step, and bf16 / int8 copies of the model as exhibits (never the shared model).
"""

import copy
import statistics
import time
from dataclasses import dataclass

import torch

from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.words import WORDS as CORE
from playground.internals.kv_cache import filled_cache, timed_generate
from playground.internals.profiling import self_time_by_op
from playground.internals.words import WORDS

MAX_ROOFLINE_BATCH = 64
BANDWIDTH_BYTES = 256 * 2**20  # big enough to overflow every cache level, so the sum reads main memory
GROUPS = {  # torch.profiler's aten ops, by what they do in a transformer
    "matmul": ("aten::mm", "aten::addmm", "aten::bmm", "aten::matmul", "aten::linear", "aten::baddbmm",
                         "quantized::linear_dynamic", "aten::_weight_int8pack_mm"),
    "attention": ("aten::_scaled_dot_product", "aten::scaled_dot_product", "aten::softmax", "aten::_softmax"),
    "norms": ("aten::pow", "aten::mean", "aten::rsqrt", "aten::rms_norm", "aten::_fused_rms_norm",
              "aten::layer_norm", "aten::native_layer_norm"),
}


@dataclass(frozen=True)
class RooflineSettings(Settings):
    new_tokens: int = 16  # tokens per timed decode
    max_batch: int = 32  # the sweep doubles the batch from 1 up to this
    exhibit_tokens: int = 64  # greedy tokens compared for the bf16 and int8 exhibits

    RANGES = {"new_tokens": (4, 128), "max_batch": (1, MAX_ROOFLINE_BATCH), "exhibit_tokens": (8, 128)}


@dataclass
class Exhibit:
    name: str
    weight_bytes: int
    ms_per_token: float
    token_agreement: float  # its free-running greedy tokens equal to fp32's, position by position
    top1_agreement: float  # its argmax on fp32's text equal to fp32's next token


@dataclass
class Roofline:
    weight_bytes: int  # what one decode step reads
    bandwidth: float  # bytes/s, measured
    ms_per_token: float  # batch 1, with the cache (median decode step)
    batches: list[tuple[int, float]]  # (batch, tokens/s)
    step_split: dict[str, float]  # seconds of one decode step by kind of op (words "op.*"), the rest as "other"
    exhibits: list[Exhibit]

    @property
    def floor_ms(self) -> float:
        return self.weight_bytes / self.bandwidth * 1000

    @property
    def over_floor(self) -> float:
        return self.ms_per_token / self.floor_ms

    @property
    def matmul_bandwidth(self) -> float:
        """Bytes/s the step's matrix products achieved: weight bytes ÷ their profiled time."""
        return self.weight_bytes / max(self.step_split["matmul"], 1e-9)


def read_bytes_per_step(model) -> int:
    """The bytes of weights a decode step reads: all of them, except an untied input embedding, of which it reads
    one row per token."""
    total = sum(p.numel() * p.element_size() for p in model.parameters())  # tied weights are one parameter
    embedding = model.get_input_embeddings().weight
    output = model.get_output_embeddings()
    if output is None or output.weight is not embedding:
        total -= embedding.numel() * embedding.element_size()
    return total


def measure_bandwidth(repeats: int = 5, device: torch.device = torch.device("cpu")) -> float:
    """Read bandwidth in bytes/s of the memory the model lives in (main memory, or the GPU's): the best of a few
    sums over a buffer bigger than every cache."""
    buffer = torch.ones(BANDWIDTH_BYTES // 4, device=device)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        buffer.sum().item()  # .item() waits for a GPU to finish
        best = min(best, time.perf_counter() - start)
    return BANDWIDTH_BYTES / best


def decode_ms(loaded: LoadedModel, ids: list[int], new_tokens: int, model=None) -> tuple[float, list[int]]:
    """The median decode step in ms (the first step, which also reads the prompt, left out) and the tokens."""
    run = timed_generate(loaded, ids, new_tokens, use_cache=True, model=model)
    return statistics.median(run.step_seconds[1:]) * 1000, run.token_ids


def tokens_per_second(loaded: LoadedModel, ids: list[int], batch: int, new_tokens: int) -> float:
    run = timed_generate(loaded, ids, new_tokens, use_cache=True, batch=batch)
    return batch * (new_tokens - 1) / sum(run.step_seconds[1:])  # decode steps only


def step_split(model, ids: list[int], steps: int = 8) -> dict[str, float]:
    """Decode steps (one new token each, with the cache) under torch.profiler, by kind of op, in seconds per step
    (averaged over `steps`, so one noisy step does not decide it)."""
    cache = filled_cache(model, torch.tensor([ids]))
    token = torch.tensor([[ids[-1]]], device=model.device)

    def decode():
        for _ in range(steps):
            model(token, cache=cache, use_cache=True)

    with torch.inference_mode():
        model(token, cache=copy.deepcopy(cache), use_cache=True)  # warm
        ops, wall = self_time_by_op(decode)
    split = {group: sum(t for op, t in ops.items() if op.startswith(prefixes)) / steps
             for group, prefixes in GROUPS.items()}
    split["other"] = max(0.0, wall / steps - sum(split.values()))
    return split


def exhibits(loaded: LoadedModel, ids: list[int], settings: RooflineSettings) -> list[Exhibit]:
    """fp32 as the reference, then a bf16 copy and an int8 dynamically quantised copy of the linear layers."""
    fp32_ms, reference = decode_ms(loaded, ids, settings.exhibit_tokens)
    shared = {torch.float32: "fp32", torch.bfloat16: "bf16", torch.float16: "fp16"}[loaded.model.dtype]
    rows = [Exhibit(shared, read_bytes_per_step(loaded.model),
                    fp32_ms, 1.0, 1.0)]
    bf16 = copy.deepcopy(loaded.model).to(torch.bfloat16)
    copies = [("bf16", bf16, read_bytes_per_step(bf16))]
    if loaded.model.device.type == "cpu" and loaded.model.dtype == torch.float32:  # torch's dynamic int8: fp32, CPU
        per_channel = torch.ao.quantization.per_channel_dynamic_qconfig  # a scale per output row, not per matrix
        int8 = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(loaded.model), dict.fromkeys(_quantised_linears(loaded.model), per_channel),
            dtype=torch.qint8)
        copies.append(("int8", int8, _int8_bytes(loaded.model)))
    for name, model, weight_bytes in copies:
        ms, tokens = decode_ms(loaded, ids, settings.exhibit_tokens, model=model)
        same = sum(a == b for a, b in zip(tokens, reference)) / len(reference)
        rows.append(Exhibit(name, weight_bytes, ms, same, _top1_agreement(model, ids, reference)))
    return rows


def _quantised_linears(model) -> set[str]:
    """Every linear layer but the output head, which stays float as in common int8 recipes (a per-tensor int8
    head over a 49k vocabulary flips the argmax often)."""
    head = model.get_output_embeddings()
    return {name for name, m in model.named_modules() if isinstance(m, torch.nn.Linear) and m is not head}


def _int8_bytes(model) -> int:
    """The quantised linear weights at one byte each, the rest as they are."""
    names = _quantised_linears(model)
    saved = sum(m.weight.numel() * (m.weight.element_size() - 1) for n, m in model.named_modules() if n in names)
    return read_bytes_per_step(model) - saved


def _top1_agreement(model, ids: list[int], reference: list[int]) -> float:
    """Fed fp32's text, how often the model's argmax is fp32's next token."""
    with torch.inference_mode():
        logits = model(torch.tensor([ids + reference[:-1]], device=model.device)).logits[0, len(ids) - 1:]
    return float((logits.argmax(-1).cpu() == torch.tensor(reference)).float().mean())


def measure_roofline(loaded: LoadedModel, prompt: str, settings: RooflineSettings, progress=None) -> Roofline:
    check(loaded.is_decoder_only, CORE.text("model.not_causal", label=loaded.label))
    ids = build_prompt(loaded.tokenizer, prompt, use_chat_template=False).input_ids
    say = progress or (lambda *a, **k: None)
    say(0.1, desc=WORDS.text("progress.measuring"))
    timed_generate(loaded, ids, 2, use_cache=True)  # warm-up
    bandwidth = measure_bandwidth(device=loaded.model.device)
    ms, _ = decode_ms(loaded, ids, settings.new_tokens)
    say(0.3, desc=WORDS.text("progress.batching"))
    batches, batch = [], 1
    while batch <= settings.max_batch:
        batches.append((batch, tokens_per_second(loaded, ids, batch, settings.new_tokens)))
        batch *= 2
    say(0.6, desc=WORDS.text("progress.profiling"))
    split = step_split(loaded.model, ids)
    return Roofline(read_bytes_per_step(loaded.model), bandwidth, ms, batches, split,
                    exhibits(loaded, ids, settings))

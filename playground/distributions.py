"""The next-token distribution, stage by stage through the sampler pipeline.

The model runs once per prompt; its last-position logits are cached. Every stage is transformers' own
`LogitsProcessor` class, applied in the order the user chooses (transformers' `generate` order by default:
repetition penalty, temperature, top-k, top-p, min-p, typical-p). A change of sampling parameter only re-runs
these cheap stages on the cached logits.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import torch
from transformers import (
    LogitsProcessor,
    MinPLogitsWarper,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from playground import metrics
from playground.errors import as_floats, check
from playground.models import LoadedModel

# transformers' own order in `generate` (see GenerationMixin._get_logits_processor)
GENERATE_ORDER = ("repetition_penalty", "temperature", "top_k", "top_p", "min_p", "typical_p")


@dataclass(frozen=True)
class SamplerParams:
    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0
    min_p: float = 0.0
    typical_p: float = 1.0
    repetition_penalty: float = 1.0
    order: tuple[str, ...] = GENERATE_ORDER

    def __post_init__(self):
        as_floats(self, ("temperature", "top_p", "min_p", "typical_p", "repetition_penalty"))

    def validate(self) -> "SamplerParams":
        values = (self.temperature, self.top_p, self.min_p, self.typical_p, self.repetition_penalty)
        check(all(isinstance(v, (int, float)) and math.isfinite(v) for v in values),
              "Every parameter must be a finite number.")
        check(
            self.temperature > 0,
            f"temperature must be > 0 (got {self.temperature}). As temperature → 0 all probability goes to the "
            "top token: that is greedy decoding. Try temperature 0.05 to see it, or top_k = 1 (the suggested "
            "experiment 'Temperature → 0 is greedy' sets it).",
        )
        check(0 < self.top_p <= 1, f"top_p must be in (0, 1] (got {self.top_p}); 1 keeps every token.")
        check(0 <= self.min_p <= 1, f"min_p must be in [0, 1] (got {self.min_p}); 0 keeps every token.")
        check(0 < self.typical_p <= 1, f"typical_p must be in (0, 1] (got {self.typical_p}); 1 is off.")
        check(int(self.top_k) == self.top_k and self.top_k >= 0, f"top_k must be a whole number ≥ 0 (got {self.top_k}).")
        check(self.repetition_penalty > 0, f"repetition_penalty must be > 0 (got {self.repetition_penalty}).")
        unknown = [s for s in self.order if s not in GENERATE_ORDER]
        check(not unknown, f"Unknown stage(s) {unknown}; stages are {', '.join(GENERATE_ORDER)}.")
        check(len(set(self.order)) == len(self.order), "Each stage may appear once in the order.")
        return self


def stage_processor(stage: str, p: SamplerParams) -> LogitsProcessor | None:
    """transformers' processor for one stage, or None when the stage is switched off (as generate skips it)."""
    if stage == "repetition_penalty" and p.repetition_penalty != 1.0:
        return RepetitionPenaltyLogitsProcessor(p.repetition_penalty)
    if stage == "temperature" and p.temperature != 1.0:
        return TemperatureLogitsWarper(p.temperature)
    if stage == "top_k" and p.top_k > 0:
        return TopKLogitsWarper(int(p.top_k))
    if stage == "top_p" and p.top_p < 1.0:
        return TopPLogitsWarper(p.top_p)
    if stage == "min_p" and p.min_p > 0.0:
        return MinPLogitsWarper(p.min_p)
    if stage == "typical_p" and p.typical_p < 1.0:
        return TypicalLogitsWarper(mass=p.typical_p)
    return None


@dataclass
class Stage:
    name: str
    scores: torch.Tensor  # 1-D scores after this stage (-inf = cut)

    @property
    def probs(self) -> torch.Tensor:
        return torch.softmax(self.scores, dim=-1)

    @property
    def kept(self) -> torch.Tensor:
        return torch.isfinite(self.scores)


def run_pipeline(logits: torch.Tensor, context_ids: list[int], p: SamplerParams) -> list[Stage]:
    """The raw distribution, then one Stage per active processor in `p.order`; the last one is sampled from."""
    stages = [Stage("raw", logits.float())]
    ids = torch.tensor([context_ids])
    for name in p.order:
        processor = stage_processor(name, p)
        if processor is not None:
            scores = processor(ids, stages[-1].scores.clone()[None, :])[0]
            stages.append(Stage(name, scores))
    return stages


def sample(probs: torch.Tensor, n: int, seed: int) -> torch.Tensor:
    """n draws (with replacement) from `probs`, reproducible for a seed."""
    generator = torch.Generator().manual_seed(seed)
    return torch.multinomial(probs, n, replacement=True, generator=generator)


def total_variation(probs: torch.Tensor, draws: torch.Tensor) -> float:
    """TV distance between `probs` and the empirical distribution of `draws`: half the L1 difference."""
    counts = torch.bincount(draws, minlength=probs.numel()).double()
    return 0.5 * float((counts / draws.numel() - probs.double()).abs().sum())


def tv_bound(support: int, n: int, delta: float = 1e-6) -> float:
    """With probability ≥ 1 - delta, TV(empirical, true) < this, for a distribution on `support` tokens.

    Bretagnolle-Huber-Carol: P(sum |p̂ - p| ≥ 2ε) ≤ 2^k exp(-2nε²), so ε = sqrt((k ln 2 + ln(1/δ)) / 2n).
    """
    return math.sqrt((support * math.log(2) + math.log(1 / delta)) / (2 * n))


@dataclass
class SweepPoint:
    temperature: float
    entropy_bits: float  # of softmax(logits / T)
    effective_vocab: float  # 2^H = e^(H in nats): how many equally likely tokens carry the same uncertainty
    top_probs: list[float]  # softmax(logits / T) of the tokens on show, for the animated bars


def temperature_sweep(logits: torch.Tensor, temperatures: list[float], top_ids: list[int]) -> list[SweepPoint]:
    """Temperature alone, across a range: how it sharpens (T < 1) or flattens (T > 1) the distribution."""
    points = []
    for t in temperatures:
        probs = torch.softmax(logits.float() / t, dim=-1)
        h = metrics.entropy_bits(probs)
        points.append(SweepPoint(t, h, 2**h, probs[top_ids].tolist()))
    return points


class LogitsCache:
    """Last-position logits per (model, context), so a parameter change never re-runs the model."""

    def __init__(self, size: int = 32):
        self.size = size
        self._store: "OrderedDict[tuple, torch.Tensor]" = OrderedDict()
        self._lock = threading.Lock()
        self.forward_passes = 0

    def get(self, loaded: LoadedModel, context_ids: list[int]) -> torch.Tensor:
        key = (loaded.key, tuple(context_ids))
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                return self._store[key]
        check(len(context_ids) < loaded.context_length, f"The text is longer than {loaded.label}'s context.")
        with torch.inference_mode():
            logits = loaded.model(torch.tensor([context_ids])).logits[0, -1].float()
        with self._lock:
            self.forward_passes += 1
            self._store[key] = logits
            while len(self._store) > self.size:
                self._store.popitem(last=False)
        return logits


LOGITS = LogitsCache()


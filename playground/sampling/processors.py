"""The one registry of sampling stages: each stage's transformers processor, when it applies, and its check.

`generate(do_sample=True, ...)` builds its processors in `GenerationMixin._get_logits_processor`: the repetition
penalty first, then the warpers in the order of `STAGES` below. Each stage here builds the same class with the
same arguments, and is skipped exactly when `generate` skips it (min_p is applied whenever it is set, even to 0,
where it keeps every token). A decoding strategy is a few of these stages; the next-token tab runs them one at a
time. A test holds this table to `generate`'s own processors for random settings.

Example:
    processors_for({"temperature": 0.7, "top_p": 0.9})
    # [TemperatureLogitsWarper(0.7), TopPLogitsWarper(top_p=0.9)], as generate(temperature=0.7, top_p=0.9) builds
"""

from collections.abc import Callable
from dataclasses import dataclass

from transformers import (
    EpsilonLogitsWarper,
    EtaLogitsWarper,
    LogitsProcessor,
    MinPLogitsWarper,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from playground.core.errors import PlaygroundError
from playground.sampling.words import WORDS


@dataclass(frozen=True)
class SamplingStage:
    name: str  # the parameter a person sets, and the settings field that holds it
    generate_arg: str  # the same parameter's name in `generate` / `GenerationConfig`
    processor: Callable[[float], LogitsProcessor]
    applies: Callable[[float], bool]  # generate's own condition for adding the processor
    valid: Callable[[float], bool]  # what it means, in words: the stage's rule and hint in words.py

    def check(self, value) -> None:
        """Raise a PlaygroundError that a person can act on unless `value` is valid for this stage."""
        if not self.valid(value):
            raise PlaygroundError(WORDS.text("invalid", name=self.name, value=value,
                                             hint=WORDS.text(f"hint.{self.name}"),
                                             rule=WORDS.text(f"rule.{self.name}", minimum=MIN_TEMPERATURE)))

    def build(self, value) -> LogitsProcessor | None:
        """transformers' processor for `value`, or None where `generate` would not add one."""
        return self.processor(value) if value is not None and self.applies(value) else None


MIN_TEMPERATURE = 0.01


def _in_open_unit_interval(value) -> bool:
    return 0 < value < 1


STAGES = {
    stage.name: stage
    for stage in [
        SamplingStage(
            "repetition_penalty", "repetition_penalty", RepetitionPenaltyLogitsProcessor,
            applies=lambda v: v != 1.0, valid=lambda v: v > 0,
        ),
        SamplingStage(
            "temperature", "temperature", TemperatureLogitsWarper,
            # not just > 0: logits ÷ 1e-40 overflow float32 to inf, and softmax then gives NaN
            applies=lambda v: v != 1.0, valid=lambda v: v >= MIN_TEMPERATURE,
        ),
        SamplingStage(
            "top_k", "top_k", lambda v: TopKLogitsWarper(top_k=int(v)),
            applies=lambda v: v != 0, valid=lambda v: v >= 0 and int(v) == v,
        ),
        SamplingStage(
            "top_p", "top_p", lambda v: TopPLogitsWarper(top_p=v),
            applies=lambda v: v < 1.0, valid=lambda v: 0 < v <= 1,
        ),
        SamplingStage(
            "min_p", "min_p", lambda v: MinPLogitsWarper(min_p=v),
            applies=lambda v: True, valid=lambda v: 0 <= v <= 1,
        ),
        SamplingStage(
            "typical_p", "typical_p", lambda v: TypicalLogitsWarper(mass=v),
            applies=lambda v: v < 1.0, valid=lambda v: 0 < v <= 1,
        ),
        SamplingStage(
            "epsilon", "epsilon_cutoff", lambda v: EpsilonLogitsWarper(epsilon=v),
            applies=_in_open_unit_interval, valid=_in_open_unit_interval,
        ),
        SamplingStage(
            "eta", "eta_cutoff", lambda v: EtaLogitsWarper(epsilon=v),
            applies=_in_open_unit_interval, valid=_in_open_unit_interval,
        ),
    ]
}

GENERATE_ORDER = tuple(STAGES)


def processors_for(values: dict[str, float]) -> list[LogitsProcessor]:
    """The processors `generate` would build for these stage values (keyed by stage name), in its order."""
    built = (STAGES[name].build(values[name]) for name in GENERATE_ORDER if name in values)
    return [processor for processor in built if processor is not None]

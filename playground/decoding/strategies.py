"""Decoding strategies: their names, their settings, and the sampling stages each one applies.

A sampling-family strategy is a few stages of the one registry (`playground.sampling.processors`), built exactly
as `generate(do_sample=True, ...)` builds them, so a row of our batched pass draws from exactly the distribution
that bare `generate` would.
"""

from dataclasses import asdict, dataclass

from transformers import LogitsProcessor, NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor

from playground.core import config
from playground.core.errors import PlaygroundError, Settings, check
from playground.core.words import WORDS as CORE_WORDS
from playground.decoding.words import WORDS
from playground.sampling.processors import STAGES, processors_for

STRATEGIES = ("greedy", "beam", "sampling", "top_k", "top_p", "top_k_top_p", "min_p", "typical", "epsilon", "eta",
              "contrastive")
SAMPLING_FAMILY = tuple(s for s in STRATEGIES if s not in ("beam", "contrastive"))

# transformers 5 moved these to Hub `custom_generate` repos, which would run downloaded code; we never do (the
# reasons are in words.py). Contrastive search did too; playground.decoding.contrastive implements it locally.
UNAVAILABLE = ("diverse_beam", "dola")


def label(name: str) -> str:
    """What a person reads for a strategy, on its card and in a legend."""
    return WORDS.text(f"strategy.{name}")


def unavailable(name: str) -> str:
    """Why a strategy is not offered."""
    return WORDS.text(f"unavailable.{name}")


MAX_CONTRASTIVE_K = 20


@dataclass(frozen=True)
class DecodingSettings(Settings):
    """Every knob of the comparison, in the order of the /compare_decoding parameters. Temperature applies to every
    sampling strategy except greedy, exactly as `generate(temperature=..., top_p=...)` combines them."""

    max_new_tokens: int = 48
    seed: int = 0
    temperature: float = 1.0
    top_k: int = 50
    top_p: float = 0.9
    min_p: float = 0.1
    typical_p: float = 0.9
    epsilon: float = 3e-4
    eta: float = 3e-4
    num_beams: int = 4
    length_penalty: float = 1.0
    early_stopping: bool = True
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    penalty_alpha: float = 0.6  # contrastive search: weight of the degeneration penalty
    contrastive_k: int = 4  # contrastive search: candidates considered per step

    def as_dict(self) -> dict:
        return asdict(self)


# strategy -> the registry stages its row applies (each read from the settings field of the same name)
STRATEGY_STAGES = {
    "sampling": ("temperature",),
    "top_k": ("temperature", "top_k"),
    "top_p": ("temperature", "top_p"),
    "top_k_top_p": ("temperature", "top_k", "top_p"),  # the study note's advice: top-k first caps the tail, then top-p
    "min_p": ("temperature", "min_p"),
    "typical": ("temperature", "typical_p"),
    "epsilon": ("temperature", "epsilon"),
    "eta": ("temperature", "eta"),
}


def stage_values(name: str, s: DecodingSettings) -> dict[str, float]:
    """The registry stages one sampling-family strategy applies, with their values."""
    if name == "greedy":
        return {"top_k": 1}  # one-hot distribution: sampling it is argmax, exactly
    return {stage: getattr(s, stage) for stage in STRATEGY_STAGES[name]}


def validate(strategies: list[str], s: DecodingSettings) -> list[str]:
    """Check names and parameters; returns the strategies in canonical order. Raises PlaygroundError."""
    strategies = list(dict.fromkeys(strategies or []))
    check(len(strategies) > 0, WORDS.text("none_chosen"))
    for name in strategies:
        if name in UNAVAILABLE:
            raise PlaygroundError(WORDS.text("unavailable", name=name, why=unavailable(name)))
        check(name in STRATEGIES, WORDS.text("unknown", name=name, names=", ".join(STRATEGIES)))
    strategies = [name for name in STRATEGIES if name in strategies]
    # A strategy's own parameter is checked only when that strategy runs: greedy ignores temperature.
    for name in (n for n in strategies if n in SAMPLING_FAMILY):
        for stage, value in stage_values(name, s).items():
            STAGES[stage].check(value)
    chosen = set(strategies)
    own_checks = [
        ("beam", 2 <= s.num_beams <= config.MAX_BEAMS,
         WORDS.text("num_beams", limit=config.MAX_BEAMS, value=s.num_beams)),
        ("contrastive", 0 <= s.penalty_alpha <= 1, WORDS.text("penalty_alpha", value=s.penalty_alpha)),
        ("contrastive", 1 <= s.contrastive_k <= MAX_CONTRASTIVE_K,
         CORE_WORDS.text("between", name="contrastive_k", low=1, high=MAX_CONTRASTIVE_K, value=s.contrastive_k)),
    ]
    for user, ok, message in own_checks:
        check(user not in chosen or ok, message)
    STAGES["repetition_penalty"].check(s.repetition_penalty)
    check(s.no_repeat_ngram_size >= 0, WORDS.text("no_repeat", value=s.no_repeat_ngram_size))
    check(1 <= s.max_new_tokens <= config.MAX_NEW_TOKENS,
          WORDS.text("max_new_tokens", limit=config.MAX_NEW_TOKENS, value=s.max_new_tokens))
    check(0 <= s.seed < 2**63, CORE_WORDS.text("seed", value=s.seed))
    return strategies


def shared_modifiers(s: DecodingSettings) -> list[LogitsProcessor]:
    """The modifiers every strategy of a comparison shares, as `generate` builds them: the repetition penalty and
    the no-repeat n-gram ban (before any strategy's own warpers)."""
    modifiers: list[LogitsProcessor] = []
    if s.repetition_penalty != 1.0:
        modifiers.append(RepetitionPenaltyLogitsProcessor(s.repetition_penalty))
    if s.no_repeat_ngram_size > 0:
        modifiers.append(NoRepeatNGramLogitsProcessor(s.no_repeat_ngram_size))
    return modifiers


def warpers_for(name: str, s: DecodingSettings) -> list[LogitsProcessor]:
    """The warpers `generate(do_sample=True)` would apply for this strategy, in generate's own order."""
    return processors_for(stage_values(name, s))


def generate_kwargs_for(name: str, s: DecodingSettings) -> dict:
    """The bare `generate` arguments that mean the same as one strategy: the oracle our tests compare with."""
    shared = dict(
        max_new_tokens=s.max_new_tokens,
        repetition_penalty=s.repetition_penalty,
        no_repeat_ngram_size=s.no_repeat_ngram_size,
    )
    if name == "greedy":
        return dict(shared, do_sample=False)
    if name == "beam":
        return dict(
            shared, do_sample=False, num_beams=s.num_beams, length_penalty=s.length_penalty,
            early_stopping=s.early_stopping,
        )
    own = {STAGES[stage].generate_arg: value for stage, value in stage_values(name, s).items()}
    return dict(shared, do_sample=True, **{"top_k": 0, **own})  # else generate's default top_k = 50 would apply

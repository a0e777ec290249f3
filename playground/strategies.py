"""Decoding strategies: their names, their parameters, and the transformers warpers that implement each one.

Every sampling-family strategy is expressed as the list of transformers' own `LogitsProcessor` warpers that
`generate(do_sample=True, ...)` would build for the same settings, so a row of our batched pass draws from
exactly the distribution that bare `generate` would.
"""

import math
from dataclasses import asdict, dataclass

from transformers import (
    EpsilonLogitsWarper,
    EtaLogitsWarper,
    LogitsProcessor,
    MinPLogitsWarper,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from playground import config
from playground.errors import PlaygroundError, as_floats, check

# name -> what a person reads on the card
LABELS = {
    "greedy": "Greedy",
    "beam": "Beam search",
    "sampling": "Sampling (temperature)",
    "top_k": "Top-k sampling",
    "top_p": "Top-p (nucleus) sampling",
    "min_p": "Min-p sampling",
    "typical": "Typical sampling",
    "epsilon": "Epsilon sampling",
    "eta": "Eta sampling",
    "contrastive": "Contrastive search",
}
STRATEGIES = tuple(LABELS)
SAMPLING_FAMILY = tuple(s for s in STRATEGIES if s not in ("beam", "contrastive"))

# transformers 5 moved these to Hub `custom_generate` repos, which would run downloaded code; we never do.
# (Contrastive search did too; playground.contrastive implements it locally.)
UNAVAILABLE = {
    "diverse_beam": "Diverse (group) beam search moved out of transformers 5 into the Hub repo "
    "transformers-community/group-beam-search; this app never runs downloaded code.",
    "dola": "DoLa decoding moved out of transformers 5 into the Hub repo transformers-community/dola; "
    "this app never runs downloaded code.",
}


MAX_CONTRASTIVE_K = 20


@dataclass(frozen=True)
class DecodingSettings:
    """Every knob of the comparison. Temperature applies to every sampling strategy except greedy,
    exactly as `generate(temperature=..., top_p=...)` combines them."""

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
    max_new_tokens: int = 48
    seed: int = 0

    def __post_init__(self):
        as_floats(self, ("temperature", "top_p", "min_p", "typical_p", "epsilon", "eta", "length_penalty",
                         "repetition_penalty", "penalty_alpha"))

    def as_dict(self) -> dict:
        return asdict(self)


def _finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def validate(strategies: list[str], s: DecodingSettings) -> list[str]:
    """Check names and parameters; returns the strategies in canonical order. Raises PlaygroundError."""
    strategies = list(dict.fromkeys(strategies or []))
    check(len(strategies) > 0, "Choose at least one decoding strategy.")
    for name in strategies:
        if name in UNAVAILABLE:
            raise PlaygroundError(f"'{name}' is unavailable: {UNAVAILABLE[name]}")
        check(name in LABELS, f"Unknown strategy '{name}'. Choose from: {', '.join(STRATEGIES)}.")
    check(
        all(_finite(v) for v in (s.temperature, s.top_p, s.min_p, s.typical_p, s.epsilon, s.eta,
                                 s.length_penalty, s.repetition_penalty, s.penalty_alpha)),
        "Every parameter must be a finite number.",
    )
    # A strategy's own parameter is checked only when that strategy runs: greedy ignores temperature.
    chosen = set(strategies)
    samplers = chosen & (set(SAMPLING_FAMILY) - {"greedy"})
    own_checks = [
        (samplers, s.temperature > 0, f"temperature must be > 0 (got {s.temperature}). Temperature → 0 is greedy "
         "decoding: choose the 'greedy' strategy for that."),
        ({"top_p"}, 0 < s.top_p <= 1, f"top_p must be in (0, 1] (got {s.top_p})."),
        ({"top_k"}, int(s.top_k) == s.top_k and s.top_k >= 0,
         f"top_k must be a whole number ≥ 0 (got {s.top_k}); 0 keeps all."),
        ({"min_p"}, 0 <= s.min_p <= 1, f"min_p must be in [0, 1] (got {s.min_p})."),
        ({"typical"}, 0 < s.typical_p <= 1, f"typical_p must be in (0, 1] (got {s.typical_p})."),
        ({"epsilon"}, 0 < s.epsilon < 1, f"epsilon must be in (0, 1) (got {s.epsilon}); typical values are 1e-4 "
         "to 1e-3."),
        ({"eta"}, 0 < s.eta < 1, f"eta must be in (0, 1) (got {s.eta}); typical values are 1e-4 to 2e-3."),
        ({"beam"}, 2 <= s.num_beams <= config.MAX_BEAMS,
         f"num_beams must be between 2 and {config.MAX_BEAMS} (got {s.num_beams}); 1 beam is greedy."),
        ({"contrastive"}, 0 <= s.penalty_alpha <= 1,
         f"penalty_alpha must be in [0, 1] (got {s.penalty_alpha}); 0 is greedy."),
        ({"contrastive"}, 1 <= s.contrastive_k <= MAX_CONTRASTIVE_K,
         f"contrastive_k must be between 1 and {MAX_CONTRASTIVE_K} (got {s.contrastive_k})."),
    ]
    for users, ok, message in own_checks:
        check(not (users & chosen) or ok, message)
    check(s.repetition_penalty > 0, f"repetition_penalty must be > 0 (got {s.repetition_penalty}); 1 means none.")
    check(s.no_repeat_ngram_size >= 0, f"no_repeat_ngram_size must be ≥ 0 (got {s.no_repeat_ngram_size}).")
    check(
        1 <= s.max_new_tokens <= config.MAX_NEW_TOKENS,
        f"max_new_tokens must be between 1 and {config.MAX_NEW_TOKENS} (got {s.max_new_tokens}).",
    )
    check(0 <= s.seed < 2**63, f"seed must be a whole number ≥ 0 (got {s.seed}).")
    return [name for name in STRATEGIES if name in strategies]


def warpers_for(name: str, s: DecodingSettings) -> list[LogitsProcessor]:
    """The warpers `generate(do_sample=True)` would apply for this strategy, in generate's own order."""
    if name == "greedy":
        return [TopKLogitsWarper(top_k=1)]  # one-hot distribution: sampling it is argmax, exactly
    warpers: list[LogitsProcessor] = []
    if s.temperature != 1.0:
        warpers.append(TemperatureLogitsWarper(s.temperature))
    if name == "top_k" and s.top_k > 0:
        warpers.append(TopKLogitsWarper(top_k=int(s.top_k)))
    elif name == "top_p" and s.top_p < 1.0:
        warpers.append(TopPLogitsWarper(top_p=s.top_p))
    elif name == "min_p":
        warpers.append(MinPLogitsWarper(min_p=s.min_p))
    elif name == "typical" and s.typical_p < 1.0:
        warpers.append(TypicalLogitsWarper(mass=s.typical_p))
    elif name == "epsilon":
        warpers.append(EpsilonLogitsWarper(epsilon=s.epsilon))
    elif name == "eta":
        warpers.append(EtaLogitsWarper(epsilon=s.eta))
    return warpers


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
    own = {
        "sampling": {},
        "top_k": {"top_k": s.top_k},
        "top_p": {"top_p": s.top_p},
        "min_p": {"min_p": s.min_p},
        "typical": {"typical_p": s.typical_p},
        "epsilon": {"epsilon_cutoff": s.epsilon},
        "eta": {"eta_cutoff": s.eta},
    }[name]
    return dict(shared, do_sample=True, temperature=s.temperature, top_k=own.pop("top_k", 0), **own)

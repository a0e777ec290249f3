"""The next-token distribution as an engine reports it: only the head.

An engine returns the top-N log-probabilities of a step, not the whole vocabulary (vLLM allows 20 unless started
with a higher `--max-logprobs`). So the view from an engine is that head plus one "rest" bucket that holds the
probability the engine did not name, and it must say it is the top-N only. The stages of the tab then run on this
partial distribution (the tab's wiring is the next step of issue 11).

Example:
    head = engine_head(Engine(url), "smollm2-gguf", rendered_prompt, top_n=20)
    head.tokens[0], head.probs[0], head.rest  # the most likely token, its probability, and the unnamed mass
"""

import math
from dataclasses import dataclass

from playground.core.engine import Engine, Sampling
from playground.core.errors import check
from playground.core.words import WORDS as CORE
from playground.next_token.words import WORDS

MAX_ENGINE_TOP_N = 20  # vLLM's default --max-logprobs


@dataclass
class EngineHead:
    tokens: list[str]  # most likely first
    probs: list[float]
    rest: float  # 1 − the head's mass: every token the engine did not name, as one bucket

    @property
    def covered(self) -> float:
        return 1.0 - self.rest


def engine_head(engine: Engine, model: str, prompt: str, top_n: int = MAX_ENGINE_TOP_N) -> EngineHead:
    """One step with `max_tokens=1`. The engine's log-probabilities are of the model's own distribution (vLLM's
    default logprobs mode, and llama.cpp's), so the sampling parameters sent with the step do not reshape them;
    they are sent as the neutral ones all the same (temperature 1, no cut, no penalty)."""
    check(1 <= top_n <= MAX_ENGINE_TOP_N, CORE.text("between", name="top_n", low=1, high=MAX_ENGINE_TOP_N, value=top_n))
    step = engine.complete(model, prompt, Sampling(temperature=1.0), max_tokens=1, top_logprobs=top_n).tokens
    check(bool(step), WORDS.text("engine.nothing", url=engine.url))
    ranked = sorted(step[0].top.items(), key=lambda item: item[1], reverse=True)
    probs = [math.exp(logprob) for _, logprob in ranked]
    return EngineHead([token for token, _ in ranked], probs, max(0.0, 1.0 - sum(probs)))

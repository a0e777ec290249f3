"""The decoding comparison on a model an outside engine serves (core/served.py).

Each strategy becomes one completions request with that strategy's parameters, every one sent explicitly, plus
per-token log-probabilities and the top alternatives for the traces. The requests go out at once, so the engine's
continuous batching serves them together: the engine-side form of the in-process tab's one batched pass.
"""

import math
import time
from concurrent.futures import ThreadPoolExecutor

from playground.core.engine import Completion, EngineToken, Sampling
from playground.core.errors import check
from playground.core.served import ServedModel
from playground.decoding.results import TOP_ALTERNATIVES, Comparison, StepTrace, StrategyResult
from playground.decoding.strategies import DecodingSettings, stage_values, validate
from playground.decoding.words import WORDS

# What the OpenAI-compatible engines (vLLM, llama.cpp's server) cannot do (the reasons a person reads: words.py).
NOT_ON_ENGINES = ("beam", "contrastive", "typical", "epsilon", "eta")


def why_not_on_engines(name: str) -> str:
    return WORDS.text(f"engine.{name}")


def engine_sampling(name: str, s: DecodingSettings) -> Sampling:
    """One strategy's request: greedy is temperature 0; the others send the tab's temperature and their own
    stage, and every request sends the penalty and the seed."""
    shared = dict(repetition_penalty=s.repetition_penalty, seed=s.seed)
    if name == "greedy":
        return Sampling(temperature=0.0, **shared)
    own = {stage: value for stage, value in stage_values(name, s).items() if stage != "temperature"}
    return Sampling(temperature=s.temperature, **own, **shared)


def engine_step(token: EngineToken) -> StepTrace:
    """A step from the engine's log-probabilities: the rank is known while the token is among or above the top
    alternatives the engine named."""
    top = sorted(token.top.items(), key=lambda item: item[1], reverse=True)
    above = sum(logprob > token.logprob for _, logprob in top)
    known = token.text in token.top or above < len(top)
    return StepTrace(
        token_id=None, text=token.text, prob=token.prob, sampled_prob=None, rank=above + 1 if known else None,
        entropy_bits=None, top=[(text, math.exp(logprob)) for text, logprob in top[:TOP_ALTERNATIVES]],
    )


def _result(name: str, done: Completion, seconds: float, others: list[str]) -> StrategyResult:
    stop = {"length": "length", "stop": "stop"}.get(done.finish_reason, done.finish_reason or "stop")
    return StrategyResult(name=name, text=done.text, steps=[engine_step(t) for t in done.tokens], stop_reason=stop,
                          seconds=seconds, batched_with=others)


def compare_on_engine(served: ServedModel, prompt_text: str, strategies: list[str], settings: DecodingSettings,
                      use_chat_template: bool = True) -> Comparison:
    """Validate as in-process, set aside what engines cannot run (with the reason), then send the rest at once."""
    names = validate(strategies, settings)
    check(settings.no_repeat_ngram_size == 0, WORDS.text("engine.no_repeat"))
    not_run = {name: why_not_on_engines(name) for name in names if name in NOT_ON_ENGINES}
    runnable = [name for name in names if name not in not_run]
    check(bool(runnable), WORDS.text("engine.none_runs"))
    prompt = served.prompt(prompt_text, use_chat_template)

    def run(name: str) -> tuple[Completion, float]:
        start = time.perf_counter()
        done = served.engine.complete(served.model_id, prompt.rendered, engine_sampling(name, settings),
                                      max_tokens=settings.max_new_tokens, top_logprobs=TOP_ALTERNATIVES)
        return done, time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=len(runnable)) as pool:
        answers = list(pool.map(run, runnable))
    results = [_result(name, done, seconds, [n for n in runnable if n != name])
               for name, (done, seconds) in zip(runnable, answers)]
    backend = {"engine": served.engine.url, "served_model": served.model_id}
    return Comparison(served.label, False, prompt, settings, results, backend=backend, not_run=not_run)

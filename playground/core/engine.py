"""An outside serving engine (vLLM, llama.cpp's server, ...) through its OpenAI-compatible completions API.

The playground renders the prompt itself (the model's chat template) and sends raw text to `/v1/completions`, so
both backends see the same prompt: llama-cpp-python's own chat formatting of SmolLM2 answered "L'Étoile, la
Cit…" to "What is the capital of France?", where the model's template gives "Paris". Every sampling parameter is
sent explicitly, because engines have their own defaults: llama-cpp-python's completions use a repeat penalty of
1.1 unless told, so "temperature 0" was not greedy there until `repeat_penalty=1.0` was sent.

Example:
    engine = Engine("http://127.0.0.1:8000/v1")
    done = engine.complete("smollm2", "The capital of France is", Sampling(temperature=0.0), max_tokens=8)
    done.text, [t.top for t in done.tokens]  # the text, and each step's top alternatives with log-probabilities
"""

import math
from dataclasses import dataclass, field

import openai

from playground.core import config
from playground.core.errors import PlaygroundError, check

# What each engine calls the parameters the OpenAI API lacks; unknown fields are ignored by both servers, so every
# request carries both names of the repetition penalty.
EXTRA_NAMES = {"top_k": ("top_k",), "min_p": ("min_p",), "repetition_penalty": ("repetition_penalty",
                                                                                "repeat_penalty")}


@dataclass(frozen=True)
class Sampling:
    """One strategy's parameters, every one of them sent. Temperature 0 is greedy; top_k 0 keeps every token.

    The same names as the decoding tab's DecodingSettings, but not the same thing: those are a whole comparison's
    knobs with the tab's defaults (top_k 50, top_p 0.9); these are one request's wire values, each defaulting to
    the value that changes nothing, and core may not import a tab. The decoding tab maps a strategy onto this."""

    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    min_p: float = 0.0
    repetition_penalty: float = 1.0
    seed: int = 0

    def request(self) -> tuple[dict, dict]:
        """(the OpenAI API's own arguments, the engine-specific rest for `extra_body`)."""
        extra = {name: getattr(self, field_name) for field_name, names in EXTRA_NAMES.items() for name in names}
        return {"temperature": self.temperature, "top_p": self.top_p, "seed": self.seed}, extra


@dataclass
class EngineToken:
    text: str
    logprob: float
    top: dict[str, float] = field(default_factory=dict)  # the step's most likely tokens, text -> log-probability

    @property
    def prob(self) -> float:
        return math.exp(self.logprob)


@dataclass
class Completion:
    text: str
    tokens: list[EngineToken]
    finish_reason: str


class Engine:
    """One engine's endpoint. Its errors become PlaygroundErrors that say which engine and what went wrong."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float | None = None):
        self.url = url.rstrip("/")
        self.timeout = timeout if timeout is not None else config.ENGINE_TIMEOUT
        # no retries: a retry would hide a hang behind several timeouts
        self.client = openai.OpenAI(base_url=self.url, api_key=api_key or config.ENGINE_API_KEY or "none",
                                    timeout=self.timeout, max_retries=0)

    def models(self) -> list[str]:
        return [m.id for m in self._call(self.client.models.list).data]

    def complete(self, model: str, prompt: str, sampling: Sampling, max_tokens: int, top_logprobs: int = 5,
                 echo: bool = False) -> Completion:
        """One completion with each step's log-probability and its `top_logprobs` most likely alternatives."""
        standard, extra = sampling.request()
        answer = self._call(self.client.completions.create, model=model, prompt=prompt, max_tokens=max_tokens,
                            logprobs=top_logprobs, echo=echo, extra_body=extra, **standard)
        choice = answer.choices[0]
        logprobs = choice.logprobs
        check(logprobs is not None and logprobs.tokens is not None and logprobs.token_logprobs is not None,
              f"The engine at {self.url} returned no log-probabilities, and the playground draws every token's "
              "probability. Use an engine that returns them (vLLM: `--max-logprobs 20`).")
        tops = logprobs.top_logprobs or [None] * len(logprobs.tokens)
        tokens = [EngineToken(text, lp, _most_likely(top or {}, top_logprobs)) for text, lp, top in
                  zip(logprobs.tokens, logprobs.token_logprobs, tops, strict=True)]
        return Completion(choice.text, tokens, choice.finish_reason or "")

    def _call(self, method, **kwargs):
        try:
            return method(**kwargs)
        except openai.APITimeoutError as err:
            raise PlaygroundError(f"The engine at {self.url} did not answer within {self.timeout:g} s.") from err
        except openai.APIConnectionError as err:
            raise PlaygroundError(f"The engine at {self.url} is unreachable ({err.__cause__ or err}).") from err
        except openai.APIStatusError as err:
            raise PlaygroundError(f"The engine at {self.url} answered HTTP {err.status_code}: "
                                  f"{str(err.message)[:300]}") from err


def _most_likely(top: dict[str, float], n: int) -> dict[str, float]:
    """A step's `n` most likely tokens. The completions API also lists the sampled token when it is not among them
    ("up to logprobs+1 elements"), which would pass for the next in rank; llama.cpp's server does so."""
    return dict(sorted(top.items(), key=lambda item: item[1], reverse=True)[:n])

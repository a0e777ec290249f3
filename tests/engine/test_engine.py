"""The engine client against a real llama.cpp server serving the embedded SmolLM2 GGUF, with llama.cpp's own
Python API as the oracle; and against stand-ins for an engine that is down, hangs, fails or lacks log-probs."""

import math
import socket
import time

import pytest
import torch

from playground.core.engine import Engine, Sampling
from playground.core.errors import PlaygroundError
from playground.core.models import SMOLLM2_HUB_ID as ALIAS
from playground.decoding.engine_runner import engine_step
from playground.next_token.engine_head import engine_head
from tests.engine.oracle import own_completion
from tests.engine.stand_in import StandIn, serving

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture(scope="module")
def prompt(tokenizer) -> str:
    """The chat template rendered here, as raw text: both backends see the same prompt."""
    return tokenizer.apply_chat_template(QUESTION, tokenize=False, add_generation_prompt=True)


def test_engine_greedy_equals_llama_cpps_own_greedy_token_for_token(llama_server, engine_python, gguf, prompt):
    ours = Engine(llama_server).complete(ALIAS, prompt, Sampling(temperature=0.0), max_tokens=16)
    own = own_completion([str(engine_python)], gguf, prompt, temperature=0.0, seed=0, max_tokens=16)
    assert [t.text for t in ours.tokens] == own["tokens"] and ours.text == own["text"]


def test_the_engine_sees_the_prompt_the_model_here_sees(llama_server, prompt, smollm2):
    """The same five most likely first tokens as the fp32 model in this process, each within 0.5 nats. They are
    not in the same order: llama.cpp multiplies the Q4_1 weights by activations quantized to 8 bits, and here the
    first answer token is a near tie ("The" -1.88 and "L" -1.97 in fp32; "L" -1.94 and "The" -2.29 in llama.cpp),
    which is why llama.cpp answers "L'Étoile, …" where the fp32 model answers "The capital of France is Paris"."""
    engine_top = Engine(llama_server).complete(ALIAS, prompt, Sampling(temperature=0.0), 1).tokens[0].top
    ids = smollm2.tokenizer(prompt, return_tensors="pt").input_ids
    with torch.no_grad():
        logprobs = torch.log_softmax(smollm2.model(ids).logits[0, -1], dim=-1)
    values, indices = logprobs.topk(5)
    here = {smollm2.tokenizer.decode([int(i)]): float(v) for i, v in zip(indices, values, strict=True)}
    assert set(engine_top) == set(here)
    assert all(abs(engine_top[token] - here[token]) < 0.5 for token in here)


def test_a_seeded_sample_is_reproducible(llama_server, prompt):
    engine = Engine(llama_server)

    def sample(seed):
        return [t.text for t in engine.complete(ALIAS, prompt, Sampling(temperature=1.5, seed=seed), 24).tokens]

    first = sample(5)
    assert sample(5) == first
    assert sample(6) != first


def test_each_step_carries_its_top_alternatives(llama_server, prompt):
    done = Engine(llama_server).complete(ALIAS, prompt, Sampling(temperature=0.0), max_tokens=8, top_logprobs=5)
    assert len(done.tokens) == 8 and done.finish_reason == "length"
    for token in done.tokens:  # greedy: the chosen token is the most likely alternative
        assert len(token.top) == 5 and token.top[token.text] == pytest.approx(max(token.top.values()))
        assert token.logprob == pytest.approx(token.top[token.text], abs=1e-4)
        assert sum(math.exp(lp) for lp in token.top.values()) <= 1 + 1e-4


def test_the_models_it_serves(llama_server):
    assert Engine(llama_server).models() == [ALIAS]


class Misbehaving(StandIn):
    """An engine that misbehaves as told by its `behaviour`."""

    behaviour = "ok"

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.behaviour == "hang":
            time.sleep(5)
            return
        status, body = {
            "400": (400, {"error": {"message": "max_tokens must be at least 1", "type": "invalid_request_error"}}),
            "500": (500, {"error": {"message": "CUDA out of memory", "type": "server_error"}}),
            "no logprobs": (200, {"id": "c", "object": "text_completion", "created": 0, "model": ALIAS,
                                  "choices": [{"index": 0, "text": " Paris", "logprobs": None,
                                               "finish_reason": "length"}]}),
            # asked for 2 alternatives, it drew a token outside them and lists that one too, as the API allows
            "sampled beyond the top": (200, {"id": "c", "object": "text_completion", "created": 0, "model": ALIAS,
                                             "choices": [{"index": 0, "text": " Zebra", "finish_reason": "length",
                                                          "logprobs": {"tokens": [" Zebra"], "token_logprobs": [-9.0],
                                                                       "top_logprobs": [{" Paris": -0.1, " Lyon": -3.0,
                                                                                         " Zebra": -9.0}]}}]}),
        }[self.behaviour]
        self.answer(status, body)


@pytest.fixture
def stand_in(request):
    with serving(type("Handler", (Misbehaving,), {"behaviour": request.param})) as url:
        yield url


@pytest.mark.parametrize("stand_in,message", [
    ("hang", r"did not answer within 1 s"),
    ("400", r"answered HTTP 400: .*max_tokens must be at least 1"),
    ("500", r"answered HTTP 500: .*CUDA out of memory"),
    ("no logprobs", r"returned no log-probabilities.*--max-logprobs"),
], indirect=["stand_in"])
def test_an_engine_that_misbehaves_is_a_clear_error(stand_in, message):
    with pytest.raises(PlaygroundError, match=message):
        Engine(stand_in, timeout=1).complete(ALIAS, "Hi", Sampling(), max_tokens=4)


@pytest.mark.parametrize("stand_in", ["sampled beyond the top"], indirect=True)
def test_a_sampled_token_listed_beyond_the_top_is_not_taken_for_the_next_in_rank(stand_in):
    [token] = Engine(stand_in, timeout=5).complete(ALIAS, "Hi", Sampling(), max_tokens=1, top_logprobs=2).tokens
    assert token.top == {" Paris": -0.1, " Lyon": -3.0}
    step = engine_step(token)
    assert step.rank is None and step.prob == pytest.approx(math.exp(-9.0))  # below the top 2: rank unknown


def test_an_engine_that_is_down_is_a_clear_error():
    with socket.socket() as s:  # a port that was free a moment ago, and nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PlaygroundError, match=r"is unreachable"):
        Engine(f"http://127.0.0.1:{port}/v1", timeout=5).complete(ALIAS, "Hi", Sampling(), max_tokens=4)


def test_the_next_token_head_is_the_engines_own_log_probabilities_and_the_rest(llama_server, prompt):
    head = engine_head(Engine(llama_server), ALIAS, prompt, top_n=20)
    own = Engine(llama_server).complete(ALIAS, prompt, Sampling(temperature=0.0), 1, top_logprobs=20).tokens[0].top
    assert len(head.tokens) == 20 and head.probs == sorted(head.probs, reverse=True)
    assert {t: math.log(p) for t, p in zip(head.tokens, head.probs, strict=True)} == pytest.approx(own, abs=1e-6)
    assert head.rest == pytest.approx(1 - sum(head.probs)) and 0 < head.rest < 1
    with pytest.raises(PlaygroundError, match="top_n must be between 1 and 20"):
        engine_head(Engine(llama_server), ALIAS, prompt, top_n=50)

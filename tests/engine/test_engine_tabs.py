"""The decoding and next-token tabs on a model the engine serves: each strategy one request with its own
parameters, sent at once, against a recording stand-in; and the whole path against the real llama.cpp server, with
the engine's own answers as the oracle."""

import json
import math
import threading
import time

import pytest

from playground.core import config, served
from playground.core.engine import Engine, Sampling
from playground.core.errors import PlaygroundError
from playground.core.models import SMOLLM2_HUB_ID, load_any
from playground.decoding.engine_runner import compare_on_engine, why_not_on_engines
from playground.decoding.strategies import DecodingSettings
from playground.next_token.engine_head import engine_head
from playground.next_token.engine_view import explore_engine
from playground.next_token.pipeline import SamplerParams
from tests.engine.stand_in import StandIn, serving

KEY = served.PREFIX + SMOLLM2_HUB_ID
QUESTION = "What is the capital of France?"
SETTINGS = DecodingSettings(max_new_tokens=6, seed=7, temperature=0.8, top_k=40, top_p=0.85, min_p=0.05,
                            repetition_penalty=1.2)
# What each strategy's request must carry, written out here rather than taken from the code under test.
EXPECTED = {
    "greedy": dict(temperature=0.0, top_p=1.0, top_k=0, min_p=0.0),
    "sampling": dict(temperature=0.8, top_p=1.0, top_k=0, min_p=0.0),
    "top_k": dict(temperature=0.8, top_p=1.0, top_k=40, min_p=0.0),
    "top_p": dict(temperature=0.8, top_p=0.85, top_k=0, min_p=0.0),
    "min_p": dict(temperature=0.8, top_p=1.0, top_k=0, min_p=0.05),
}


class Recorder(StandIn):
    """An engine that answers " Paris" after a pause, keeping every request body and the most it held at once."""

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        with self.lock:
            self.bodies.append(body)
            self.held[0] += 1
            self.held[1] = max(self.held)
        time.sleep(0.5)
        with self.lock:
            self.held[0] -= 1
        top = {" Paris": -0.1, " Lyon": -2.5}
        answer = {"id": "c", "object": "text_completion", "created": 0, "model": SMOLLM2_HUB_ID,
                  "choices": [{"index": 0, "text": " Paris", "finish_reason": "stop", "logprobs": {
                      "tokens": [" Paris"], "token_logprobs": [-0.1], "top_logprobs": [top], "text_offset": [0]}}]}
        self.answer(200, answer)


@pytest.fixture
def recorder(monkeypatch):
    handler = type("Handler", (Recorder,), {"bodies": [], "held": [0, 0], "lock": threading.Lock()})
    with serving(handler) as url:
        monkeypatch.setattr(config, "ENGINE_URL", url)
        yield handler


@pytest.fixture
def engine_url(llama_server, monkeypatch):
    monkeypatch.setattr(config, "ENGINE_URL", llama_server)
    return llama_server


def test_each_strategy_is_one_request_with_its_own_parameters_all_sent_at_once(recorder, tokenizer):
    comparison = compare_on_engine(served.served_model(KEY), QUESTION, [*EXPECTED, "beam", "typical"], SETTINGS)
    prompt = tokenizer.apply_chat_template([{"role": "user", "content": QUESTION}], tokenize=False,
                                           add_generation_prompt=True)
    assert recorder.held[1] == len(EXPECTED)  # every request was in the engine at the same moment
    sent = sorted(recorder.bodies, key=lambda body: (body["temperature"], body["top_k"], body["min_p"], body["top_p"]))
    wanted = sorted(EXPECTED.values(), key=lambda e: (e["temperature"], e["top_k"], e["min_p"], e["top_p"]))
    for body, expected in zip(sent, wanted, strict=True):
        assert {name: body[name] for name in expected} == expected
        assert body["prompt"] == prompt and body["max_tokens"] == 6 and body["seed"] == 7 and body["logprobs"] == 5
        assert body["repetition_penalty"] == body["repeat_penalty"] == 1.2
    assert [r.name for r in comparison.results] == list(EXPECTED)
    assert comparison.not_run == {"beam": why_not_on_engines("beam"), "typical": why_not_on_engines("typical")}
    step = comparison.results[0].steps[0]
    assert (step.text, step.rank, step.prob) == (" Paris", 1, pytest.approx(math.exp(-0.1)))


def test_what_an_engine_cannot_do_is_a_clear_error(recorder):
    model = served.served_model(KEY)
    with pytest.raises(PlaygroundError, match="None of the chosen strategies runs on an engine"):
        compare_on_engine(model, QUESTION, ["beam", "contrastive"], SETTINGS)
    with pytest.raises(PlaygroundError, match="no_repeat_ngram_size is not available on an engine"):
        compare_on_engine(model, QUESTION, ["greedy"], DecodingSettings(no_repeat_ngram_size=3))
    with pytest.raises(PlaygroundError, match="repetition penalty needs the logit of every token"):
        explore_engine(model, QUESTION, SamplerParams(repetition_penalty=1.3))
    assert recorder.bodies == []  # refused before anything was sent


def test_weight_reading_tabs_refuse_an_engine_model_and_say_why():
    with pytest.raises(PlaygroundError, match="served by an outside engine.*needs the weights in this process"):
        load_any(KEY)


def test_an_engine_model_without_an_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(config, "ENGINE_URL", "")
    with pytest.raises(PlaygroundError, match="set PLAYGROUND_ENGINE_URL"):
        served.served_model(KEY)
    assert served.served_choices() == []


def test_the_comparison_on_the_real_engine(engine_url):
    model = served.served_model(KEY)
    comparison = compare_on_engine(model, QUESTION, ["greedy", "beam", "top_k", "top_p", "min_p"], SETTINGS)
    again = compare_on_engine(model, QUESTION, ["top_k", "top_p", "min_p"], SETTINGS)
    greedy = Engine(engine_url).complete(SMOLLM2_HUB_ID, comparison.prompt.rendered, Sampling(
        temperature=0.0, repetition_penalty=1.2), max_tokens=6)
    results = {r.name: r for r in comparison.results}
    assert results["greedy"].text == greedy.text and [s.rank for s in results["greedy"].steps] == [1] * 6
    assert {r.name: r.text for r in again.results} == {n: results[n].text for n in ("top_k", "top_p", "min_p")}
    assert list(comparison.not_run) == ["beam"] and comparison.backend["engine"] == engine_url
    assert served.served_choices() == [(model.label, KEY)]


def test_the_next_token_view_on_the_real_engine(engine_url):
    model = served.served_model(KEY)
    prompt = model.prompt(QUESTION, True).rendered
    head = engine_head(model.engine, SMOLLM2_HUB_ID, prompt)
    view = explore_engine(model, QUESTION, SamplerParams(temperature=0.5))
    raw, named, final = (view.stages[i].probs.tolist() for i in (0, 1, -1))
    assert [s.name for s in view.stages] == ["raw", "engine top-20", "temperature", "min_p"]  # min-p 0 keeps all
    assert raw == pytest.approx(head.probs + [head.rest], abs=1e-6)  # the engine's own head, and the rest
    assert named[-1] == 0 and final[-1] == 0  # the rest is cut before the sampler's stages
    squared = [p**2 for p in head.probs]  # temperature 0.5 on the named tokens: p² renormalised
    assert final[:-1] == pytest.approx([p / sum(squared) for p in squared], abs=1e-5)
    assert view.to_api()["engine_rest"] == pytest.approx(head.rest, abs=1e-6)

    walked = explore_engine(model, QUESTION, SamplerParams(temperature=0.5), [head.tokens[0]])
    after = engine_head(model.engine, SMOLLM2_HUB_ID, prompt + head.tokens[0])
    assert walked.path[0].text == head.tokens[0] and walked.path[0].prob == pytest.approx(final[0], abs=1e-5)
    assert walked.stages[0].probs.tolist() == pytest.approx(after.probs + [after.rest], abs=1e-6)

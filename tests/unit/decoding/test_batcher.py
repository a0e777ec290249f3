"""Concurrent comparisons in one running batch: each request gets the tokens and stop reasons it gets
alone, and the same probabilities to float precision, on SmolLM2 and the tiny models.

Not bit for bit: a row's logits move in the last bits with the batch around it (about 1e-7 on the tiny models).
torch's CPU matrix products block the work by the number of rows (one row takes another kernel), and a padded
batch sends attention down SDPA's masked path, so the order of float additions changes with the company a row
keeps. This is LLM inference's batch-invariance problem, which vLLM meets the same way (its batch-invariant mode
swaps in kernels that fix the order). Below a near-tie a millionth wide, the same token wins and the same draw
falls on it, which is what the tests hold; the probabilities are held to a relative 1e-4 (SmolLM2 measured 2e-5
after 14 steps, its 30 layers carrying the last-bit changes along)."""

import functools
import threading
from concurrent.futures import CancelledError

import pytest
import torch
from transformers import TopKLogitsWarper

from playground.core import models
from playground.core.prompts import build_prompt
from playground.decoding import batcher
from playground.decoding.batcher import Batcher, run_pass
from playground.decoding.continuous import Flight, Request, results_of
from playground.decoding.per_row import PerRowSampler, seeded_generators
from playground.decoding.strategies import DecodingSettings
from playground.decoding.timeline import Timeline

# Eight requests of different prompt lengths, strategies, seeds, limits and modifiers.
ASKED = [
    ("What is the capital of France?", ["greedy", "top_p"], dict(seed=1)),
    ("Write a haiku about the sea.", ["sampling", "min_p", "typical"], dict(seed=5, temperature=1.3)),
    ("Hi", ["top_k"], dict(seed=7, max_new_tokens=6)),
    ("Explain in one sentence why the sky is blue, for a child of seven.", ["greedy", "eta"], dict(seed=2)),
    ("List three fruits.", ["epsilon", "top_p"], dict(seed=3, repetition_penalty=1.3)),
    ("Name a colour.", ["sampling"], dict(seed=11, no_repeat_ngram_size=2, max_new_tokens=10)),
    ("Count to five.", ["greedy", "sampling", "top_k"], dict(seed=0, temperature=0.7)),
    ("Write a poem about the moon.", ["min_p"], dict(seed=9, min_p=0.2)),
]


def requests_for(loaded) -> list[Request]:
    return [Request(build_prompt(loaded.tokenizer, prompt).input_ids, names,
                    DecodingSettings(**{"max_new_tokens": 14, **changes}))
            for prompt, names, changes in ASKED]


def seen(results) -> list[tuple]:
    """What a person sees of each strategy: its tokens and how it stopped, exactly."""
    return [(r.name, r.token_ids, r.stop_reason) for r in results]


def probabilities(results) -> list[float]:
    """Each token's probability under the model and in what its strategy drew from."""
    return [p for r in results for s in r.steps for p in (s.prob, s.sampled_prob)]


def assert_same(merged, alone) -> None:
    assert seen(merged) == seen(alone)
    assert probabilities(merged) == pytest.approx(probabilities(alone), rel=1e-4, abs=1e-9)


@pytest.fixture(params=["smollm2-135m-instruct", "tiny-llama", "tiny-qwen2", "tiny-gpt2"])
def loaded(request):
    return models.load_causal_lm(request.param)


@functools.cache
def alone(key: str) -> list:
    """Each request of ASKED run alone on the model `key`: the oracle of both tests below, computed once."""
    loaded = models.load_causal_lm(key)
    return [run_pass(loaded, [request])[0] for request in requests_for(loaded)]


def test_a_merged_request_gets_exactly_what_it_gets_alone(loaded):
    merged = run_pass(loaded, requests_for(loaded))
    for results, lone in zip(merged, alone(loaded.key), strict=True):
        assert_same(results, lone)
    assert {(r.pass_requests, r.pass_rows) for results in merged for r in results} == {(8, 15)}


def test_requests_that_board_between_steps_get_what_they_get_alone(loaded):
    """Continuous batching: one request boards after each decoding step, its prompt's cache stacked beside the
    running rows' (shorter and longer ones, so the stacked caches are both cut and padded on the left); the
    finished rows leave. Every request still gets its lone tokens."""
    asked = requests_for(loaded)
    flight, waiting, finished, widest = Flight(loaded), list(asked), {}, 0
    while waiting or flight.rows:
        if waiting:
            flight.board([waiting.pop(0)])
        widest = max(widest, len(flight.rows))
        for request, rows in flight.step(newcomer_fits=lambda running: True):  # every step a boundary
            finished[asked.index(request)] = results_of(loaded, request, rows)
    for i, lone in enumerate(alone(loaded.key)):
        assert_same(finished[i], lone)
    assert widest > max(len(names) for _, names, _ in ASKED)  # rows of several requests ran together


def asked_at_once(batcher: Batcher, loaded, requests: list[Request], cancel: int | None = None) -> dict:
    """Each request from its own thread, at once: its results, or "cancelled" for the one whose caller gives up
    before it boards (within the batcher's window)."""
    answers = {}

    def ask(i: int) -> None:
        try:
            answers[i] = batcher.run(loaded, requests[i])
        except CancelledError:
            answers[i] = "cancelled"

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    if cancel is not None:
        assert requests[cancel].done.cancel()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_requests_meet_in_one_pass_and_keep_their_results():
    tiny = models.load_causal_lm("tiny-llama")
    answers = asked_at_once(Batcher(window_ms=300, max_rows=9), tiny, requests_for(tiny))
    for i, request in enumerate(requests_for(tiny)):
        assert_same(answers[i], run_pass(tiny, [request])[0])
    passes = {(r.pass_requests, r.pass_rows) for i in answers for r in answers[i]}
    assert all(rows <= 9 for _, rows in passes) and max(n for n, _ in passes) > 1  # merged, within the cap


def test_a_cancelled_request_leaves_the_others_their_results():
    """A caller that gives up before its request boards (its future cancelled) is dropped; a caller that goes away
    later leaves its rows to finish unread. Neither touches anyone else's result, and the driver flies on."""
    tiny = models.load_causal_lm("tiny-llama")
    batcher = Batcher(window_ms=1000, max_rows=32)
    answers = asked_at_once(batcher, tiny, requests_for(tiny)[:4], cancel=1)
    assert answers[1] == "cancelled"
    for i in (0, 2, 3):
        assert_same(answers[i], run_pass(tiny, [requests_for(tiny)[i]])[0])
    assert_same(batcher.run(tiny, requests_for(tiny)[4]), run_pass(tiny, [requests_for(tiny)[4]])[0])


def test_a_failing_batch_tells_its_requests_and_the_next_one_flies(monkeypatch):
    tiny = models.load_causal_lm("tiny-llama")
    batcher = Batcher(window_ms=1, max_rows=32)
    step = Flight.step

    def fails_once(flight, newcomer_fits, on_finished=None):
        monkeypatch.setattr(Flight, "step", step)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(Flight, "step", fails_once)
    with pytest.raises(RuntimeError, match="out of memory"):
        batcher.run(tiny, requests_for(tiny)[0])
    assert_same(batcher.run(tiny, requests_for(tiny)[1]), run_pass(tiny, [requests_for(tiny)[1]])[0])


def test_a_request_whose_argmax_came_near_a_tie_is_run_again_alone(monkeypatch):
    """An argmax step closer to a tie than NEAR_TIE could flip with the batch's float noise: such a request gets
    its lone run. Made to happen here by calling every argmax near."""
    loaded = models.load_causal_lm("tiny-llama")
    monkeypatch.setattr(batcher, "NEAR_TIE", float("inf"))
    merged = run_pass(loaded, requests_for(loaded))
    for (_, names, _), results in zip(ASKED, merged, strict=True):
        # an argmax step: the row drew from one token (greedy always; a sampler when its cut left one)
        argmax = any(step.sampled_prob == 1.0 for r in results for step in r.steps)
        assert {(r.pass_requests, r.pass_rows) for r in results} == ({(1, len(names))} if argmax else {(8, 15)})
    assert {r.pass_requests for results in merged for r in results} == {1, 8}  # some of each


def test_the_batcher_boards_a_near_tie_request_again_alone(monkeypatch):
    """The same through the driver: the request goes back to the front of the line and flies alone."""
    loaded = models.load_causal_lm("tiny-llama")
    monkeypatch.setattr(batcher, "NEAR_TIE", float("inf"))
    answers = asked_at_once(Batcher(window_ms=1000, max_rows=32), loaded, requests_for(loaded))
    for i, (_, names, _) in enumerate(ASKED):
        argmax = any(step.sampled_prob == 1.0 for r in answers[i] for step in r.steps)
        assert {(r.pass_requests, r.pass_rows) for r in answers[i]} == ({(1, len(names))} if argmax else {(8, 15)})
        assert_same(answers[i], run_pass(loaded, [requests_for(loaded)[i]])[0])


def test_the_margin_is_the_argmax_lead_and_only_for_rows_that_keep_one_token():
    scores = torch.tensor([[2.0, 2.0 - 3e-6, 0.0], [2.0, 1.0, 0.0]])
    sampler = PerRowSampler([[TopKLogitsWarper(1)], []], seeded_generators([0, 0]))
    sampler(torch.zeros(2, 1, dtype=torch.long), scores)
    assert sampler.margins[0][0] == pytest.approx(3e-6, rel=0.02)  # float32's spacing near 2.0 is 2.4e-7
    assert sampler.margins[0][1] == float("inf")  # row 1 keeps all three tokens


def test_once_most_rows_have_stopped_the_rest_run_narrower_with_their_lone_tokens():
    """Nine short rows and three long ones: after the short ones stop, the segment ends and the long rows go on in
    a batch of three, not twelve; every request still gets what it gets alone."""
    loaded = models.load_causal_lm("tiny-llama")
    asked = [Request(build_prompt(loaded.tokenizer, prompt).input_ids, names,
                     DecodingSettings(max_new_tokens=new, seed=seed))
             for prompt, names, new, seed in [("Hi", ["greedy", "top_p", "sampling"], 3, 1),
                                              ("Name a colour.", ["top_k", "min_p", "typical"], 3, 2),
                                              ("Count to five.", ["greedy", "eta", "epsilon"], 3, 3),
                                              ("Write a poem about the moon.", ["greedy", "top_p", "sampling"], 10, 4)]]
    timeline = Timeline()
    together = run_pass(loaded, asked, timeline)
    assert [(s.rows, s.steps) for s in timeline.segments] == [(12, 3), (3, 7)]
    for request, results in zip(asked, together):
        again = Request(request.prompt_ids, request.names, request.settings)
        assert_same(results, run_pass(loaded, [again])[0])

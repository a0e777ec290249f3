"""The batcher's timeline, which the batching benchmark's breakdown reads: each request's way in order, and each
segment's figures adding up to what was decoded."""

import time

from playground.core import models
from playground.core.prompts import build_prompt
from playground.decoding.batcher import Batcher, run_pass
from playground.decoding.continuous import Request
from playground.decoding.strategies import DecodingSettings
from playground.decoding.timeline import Timeline
from tests.unit.decoding.test_batcher import asked_at_once


def requests(tiny, tokens: list[int]) -> list[Request]:
    return [Request(build_prompt(tiny.tokenizer, f"Question number {i}?").input_ids, ["greedy", "top_p"],
                    DecodingSettings(max_new_tokens=n, seed=i)) for i, n in enumerate(tokens)]


def test_a_lone_pass_is_one_segment_of_its_steps_and_one_journey():
    tiny, timeline = models.load_causal_lm("tiny-llama"), Timeline()
    [request] = requests(tiny, [7])
    [results] = run_pass(tiny, [request], timeline)
    [segment] = timeline.segments
    assert (segment.rows, segment.newcomers, segment.prompts) == (2, 2, 1)
    assert segment.steps == max(len(r.token_ids) for r in results)  # an EOS may end it early
    assert all(s >= 0 for s in (segment.prefill_s, segment.stack_s, segment.decode_s, segment.drawing_s,
                                segment.figures_s))
    assert segment.started + segment.prefill_s + segment.decode_s + segment.drawing_s <= segment.ended
    [journey] = timeline.journeys
    assert (journey.seed, journey.prompt_tokens, journey.rows) == (0, len(request.prompt_ids), 2)
    # it finished at its last step, within the segment, and its results were built after
    assert journey.arrived <= journey.boarded <= segment.started <= journey.finished <= segment.ended
    assert journey.finished <= journey.traced


def test_the_batchers_timeline_keeps_every_request_and_the_rows_of_its_segments():
    tiny = models.load_causal_lm("tiny-llama")
    batcher = Batcher(window_ms=300, max_rows=32)
    asked = requests(tiny, [5, 9, 3, 6])
    answers = asked_at_once(batcher, tiny, asked)
    assert sorted(j.seed for j in batcher.timeline.journeys) == [0, 1, 2, 3]
    # a caller hears within the segment, which the driver records when it ends: wait for that
    deadline = time.monotonic() + 30
    while sum(s.newcomers for s in batcher.timeline.segments) < 2 * len(asked) and time.monotonic() < deadline:
        time.sleep(0.01)
    segments = list(batcher.timeline.segments)
    assert sum(s.newcomers for s in segments) == 2 * len(asked)  # every row boarded once (nobody ran again alone)
    assert max(s.rows for s in segments) > 2  # they met
    tokens = sum(len(r.token_ids) for i in answers for r in answers[i])
    assert sum(s.rows * s.steps for s in segments) >= tokens  # every token was one row's step of a segment
    batcher.timeline.clear()
    assert not batcher.timeline.segments and not batcher.timeline.journeys

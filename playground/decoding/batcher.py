"""Concurrent comparisons served together: continuous batching inside the playground.

Decoding a token is bound by memory bandwidth: a batch of 8 rows costs about 2x one row. So the sampling-family
rows of every `/compare_decoding` request on a model go into one running batch (continuous.py), which a new
request joins between two decoding steps, the way vLLM's scheduler admits requests into its running batch
(https://docs.vllm.ai/en/latest/design/arch_overview.html). One driver thread runs the batch; each caller waits
for its own results. The batch holds at most PLAYGROUND_MAX_BATCH_ROWS rows, and requests board in the order
they came (one that does not fit waits, and so do those behind it); the first request of a batch waits
PLAYGROUND_MERGE_WINDOW_MS for company. Unset, both follow the machine (core/device.py's decoding_batch). A window of 0 runs each request alone, one at a time: the old behaviour,
kept for the benchmark.

Example:
    results = BATCHER.run(loaded, Request(prompt_ids, ["greedy", "top_p"], settings))  # one per strategy
"""

import threading
import time
from collections import deque

from playground.core.device import decoding_batch
from playground.core.models import LoadedModel
from playground.decoding.continuous import Flight, Request, Row, results_of
from playground.decoding.results import StrategyResult
from playground.decoding.timeline import Timeline

# A row's logits differ from its lone run's in the last bits when other rows share its batch (about 1e-7: torch's
# CPU matrix products block their work by the number of rows, and a padded batch takes SDPA's masked path). That
# cannot move a sampled draw unless it lands within ~1e-7 of a boundary, but it can flip an argmax between two
# tokens this close, which a random-weight model's flat logits meet often. So a request that had company and whose
# argmax step came closer than this to a tie is run again alone, and gets its lone result.
NEAR_TIE = 1e-4


def needs_lone_run(request: Request, rows: list[Row]) -> bool:
    return request.company[0] > 1 and min((m for row in rows for m in row.margins), default=1.0) < NEAR_TIE


def run_pass(loaded: LoadedModel, requests: list[Request], timeline: Timeline | None = None
             ) -> list[list[StrategyResult]]:
    """The requests decoded together from start to end, with nobody joining: each request's results."""
    flight, finished = Flight(loaded, timeline), {}
    flight.board(requests)
    while flight.rows:
        for request, rows in flight.step(newcomer_fits=lambda running: False):
            if needs_lone_run(request, rows):
                again = Request(request.prompt_ids, request.names, request.settings)
                finished[id(request)] = run_pass(loaded, [again], timeline)[0]
            else:
                finished[id(request)] = traced(loaded, request, rows, timeline)
    return [finished[id(r)] for r in requests]


def traced(loaded: LoadedModel, request: Request, rows: list[Row], timeline: Timeline | None
           ) -> list[StrategyResult]:
    """A finished request's results, its way through the batcher kept in the timeline."""
    results = results_of(loaded, request, rows)
    request.journey.traced = time.perf_counter()
    if timeline is not None:
        timeline.journeys.append(request.journey)
    return results


class Batcher:
    """The waiting requests, and the driver thread that boards them into a running batch per model."""

    def __init__(self, window_ms: int | None = None, max_rows: int | None = None):
        rows, window = decoding_batch()
        self.window_ms = window if window_ms is None else window_ms
        self.max_rows = rows if max_rows is None else max_rows
        self._waiting: deque[tuple[LoadedModel, Request]] = deque()
        self._lock = threading.Lock()
        self._driving = False
        self._alone = threading.Lock()  # window 0: one request at a time
        self.timeline = Timeline()  # where the time went (benchmarks/bench_batching.py)

    def run(self, loaded: LoadedModel, request: Request) -> list[StrategyResult]:
        """The request's results, one per strategy, once its rows are done."""
        if self.window_ms <= 0:
            with self._alone:
                return run_pass(loaded, [request], self.timeline)[0]
        with self._lock:
            self._waiting.append((loaded, request))
            if not self._driving:
                self._driving = True
                threading.Thread(target=self._drive, name="decoding-batcher", daemon=True).start()
        # its texts and traces are built here, in the caller's thread, not in the driver's
        return traced(loaded, request, request.done.result(), self.timeline)

    def _drive(self) -> None:
        """Fly one batch after another until nobody waits. Cancelling a request (a closed tab) leaves its rows to
        finish unread; nothing a request does stops this thread, so nobody else's result is lost."""
        while True:
            time.sleep(self.window_ms / 1000)  # the batch's first passengers gather
            with self._lock:
                if not self._waiting:
                    self._driving = False
                    return
                loaded = self._waiting[0][0]
            self._fly(loaded)

    def _fly(self, loaded: LoadedModel) -> None:
        aboard: list[Request] = []

        def finished(request: Request, rows: list[Row]) -> None:
            """Its caller hears at once, from within the segment."""
            aboard.remove(request)
            if needs_lone_run(request, rows):  # boards again, alone (its future stays running)
                request.alone, request.company = True, (1, 0)
                with self._lock:
                    self._waiting.appendleft((loaded, request))
            else:
                request.done.set_result(rows)

        try:
            flight = Flight(loaded, self.timeline)
            while True:
                boarding = self._take(flight)
                aboard += boarding
                flight.board(boarding)
                if not flight.rows:
                    return
                flight.step(lambda running: self._head_fits(flight, running), finished)
        except Exception as err:  # noqa: BLE001 - every request aboard hears of it; the driver flies on
            with self._lock:
                if not aboard and self._waiting and self._waiting[0][0] is loaded:
                    aboard.append(self._waiting.popleft()[1])  # it failed before anyone boarded: the first hears
            for request in aboard:
                if not request.done.done():
                    request.done.set_exception(err)

    def _take(self, flight: Flight) -> list[Request]:
        """The waiting requests that board now: from the front, on this model, while they fit. An empty batch takes
        the first whatever its size; a request run alone keeps its batch to itself."""
        taken: list[Request] = []
        with self._lock:
            while self._waiting and self._waiting[0][0] is flight.loaded:
                if (flight.rows or taken) and not self._fits(flight, self._waiting[0][1], taken):
                    break
                request = self._waiting.popleft()[1]
                # a cancelled future: its caller gave up waiting, so it is dropped (one run again alone is running)
                if request.done.running() or request.done.set_running_or_notify_cancel():
                    taken.append(request)
        return taken

    def _head_fits(self, flight: Flight, running: int) -> bool:
        """Whether the first waiting request could board beside `running` rows of this flight."""
        with self._lock:
            return bool(self._waiting) and self._waiting[0][0] is flight.loaded and \
                self._fits(flight, self._waiting[0][1], [], running)

    def _fits(self, flight: Flight, request: Request, taken: list[Request], rows: int | None = None) -> bool:
        rows = len(flight.rows) + sum(len(t.names) for t in taken) if rows is None else rows
        alone = request.alone or any(r.request.alone for r in flight.rows) or any(t.alone for t in taken)
        return not alone and rows + len(request.names) <= self.max_rows


BATCHER = Batcher()

"""16 clients at once on loopback, 3 mixed requests each with fixed seeds: no failures, every result equal to
the same request run alone, the queue's per-event limits held, memory bounded. p50/p95 go in `make bench`."""

import threading

from benchmarks.load import run_load
from playground.core import config
from playground.decoding import continuous
from playground.decoding.batcher import BATCHER
from playground.ui import decoding, internals_flash


class Concurrency:
    """Wraps a function and notes the most calls in flight at once."""

    def __init__(self, fn):
        self.fn, self.now, self.most, self.lock = fn, 0, 0, threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self.fn(*args, **kwargs)
        finally:
            with self.lock:
                self.now -= 1


def test_a_classroom_at_once_gets_what_each_would_get_alone(app_url, monkeypatch):
    compare = Concurrency(decoding.compare)
    flash = Concurrency(internals_flash.walk_real_row)
    monkeypatch.setattr(decoding, "compare", compare)
    monkeypatch.setattr(internals_flash, "walk_real_row", flash)
    segments, step = [], continuous.Flight.step  # the requests and rows of each segment of the running batch
    monkeypatch.setattr(continuous.Flight, "step", lambda flight, fits, finished=None: segments.append(
        (len({id(r.request) for r in flight.rows}), len(flight.rows))) or step(flight, fits, finished))
    report = run_load(app_url, clients=16, per_client=3, timeout=900)
    print(f"\n{len(report.latencies)} requests in {report.seconds:.0f} s: p50 {report.p50:.2f} s, p95 "
          f"{report.p95:.2f} s, peak RSS {report.peak_rss_mb:.0f} MB (from {report.start_rss_mb:.0f} MB)")
    assert report.failures == []
    assert report.mismatches == [], report.mismatches
    assert len(report.latencies) == 48
    assert 1 < compare.most <= BATCHER.max_rows  # comparisons are taken together, up to the event's limit
    assert max(requests for requests, _ in segments) > 1  # ... and share the running batch
    assert all(rows <= BATCHER.max_rows for requests, rows in segments if requests > 1)
    assert 1 <= flash.most <= config.CONCURRENCY
    assert report.peak_rss_mb - report.start_rss_mb < 1500

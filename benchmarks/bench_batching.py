"""A classroom's comparisons in one running batch (continuous batching), against the same comparisons served one at
a time, with where a batched comparison's time goes.

16 gradio_client clients on loopback, in a process of their own, connect (each opening its session, as a page load
does) and then each send 2 comparisons, on the embedded SmolLM2, in two workloads:
- uniform: 2 strategies (top_p, min_p) × 16 tokens, all sent at once;
- mixed: 8 prompts (one Chinese, one code), three strategy mixes of 1-3 rows, 12-26 new tokens, each client
  starting up to 0.6 s after the first, so that newcomers board a running batch.
Each workload's requests are first sent alone, one after another (each one's lone latency); then the workload runs
serialised once (a merge window of 0: each comparison alone, one at a time, the old behaviour) and batched RUNS
times (the machine's window and row cap), against one app. Reports per workload: the lone latency (median and
range), p50/p95 latency and throughput (medians of the runs, with their spread), p95 ÷ the median lone latency,
the p95 of each request's latency over its own lone latency (its slowdown), throughput batched ÷ serialised, how many batched results differ from their serialised run, and the breakdown of a batched
comparison's wall time from the batcher's timeline (decoding/timeline.py) and the clients' clocks (perf_counter
is the machine's monotonic clock, the same in both processes).
"""

import multiprocessing
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from common import write
from gradio_client import Client

from playground.core import config, heap
from playground.decoding.batcher import BATCHER
from playground.ui import LAUNCH_KWARGS, build_app, queued

CLIENTS, PER_CLIENT, RUNS = 16, 2, int(os.environ.get("BATCHING_RUNS", 3))
UNIFORM = ["Write a haiku about the sea.", "What is the capital of France?", "Name three fruits.",
           "Tell me a joke about cats.", "Why is the sky blue?", "Count to five."]
MIXED = UNIFORM[:5] + ["用一句话解释什么是注意力机制。", "def fibonacci(n):\n    # return the n-th Fibonacci number",
                       "Explain in two sentences how a transformer predicts the next word."]
MIXES = [["top_p", "min_p"], ["greedy", "top_k", "typical"], ["sampling"]]


def uniform(client: int, r: int) -> tuple[float, dict]:
    """(seconds after the start to send it, the request)"""
    return 0.0, dict(prompt=UNIFORM[(client + r) % len(UNIFORM)], strategies=["top_p", "min_p"], max_new_tokens=16)


def mixed(client: int, r: int) -> tuple[float, dict]:
    return 0.04 * client, dict(prompt=MIXED[(client + 3 * r) % len(MIXED)], strategies=MIXES[(client + r) % 3],
                               max_new_tokens=12 + (5 * client + 7 * r) % 15)


WORKLOADS = {"uniform": uniform, "mixed": mixed}
CHOSEN = os.environ.get("BATCHING_WORKLOADS", ",".join(WORKLOADS)).split(",")  # one of them, while tuning


def request(workload: str, client: int, r: int) -> dict:
    return dict(model=config.EMBEDDED_LM, seed=client * PER_CLIENT + r, **WORKLOADS[workload](client, r)[1])


def tokens(output) -> list:
    return [(r["strategy"], r["token_ids"]) for r in output[1]["results"]]


def opened(url: str) -> Client:
    """A client whose session the server already holds, as a browser's is once its page has loaded (the page's
    load event makes it). Gradio builds a session's state on its first event, about 60 ms for this app's components
    in the event loop, one session after another: 16 new sessions' first comparisons at once waited up to 1.6 s
    for it before their handlers ran, which a browser pays on opening the page, not on pressing Compare."""
    client = Client(url, verbose=False)
    client.predict(strategy=None, api_name="/decoding_trace")  # a cheap event: no comparison yet, an empty trace
    return client


def classroom(url: str, workload: str) -> tuple[dict, float]:
    """Every client connected first, then each sending its comparisons one after another from its start time:
    ({seed: (sent, received, tokens)}, wall seconds)."""
    got = {}
    with ThreadPoolExecutor(CLIENTS) as pool:
        clients = list(pool.map(lambda _: opened(url), range(CLIENTS)))
    started = time.perf_counter()

    def one_client(c: int) -> None:
        time.sleep(WORKLOADS[workload](c, 0)[0])
        for r in range(PER_CLIENT):
            asked = request(workload, c, r)
            sent = time.perf_counter()
            output = clients[c].predict(**asked, api_name="/compare_decoding")
            got[asked["seed"]] = (sent, time.perf_counter(), tokens(output))

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one_client, range(CLIENTS)))
    wall = time.perf_counter() - started
    for client in clients:  # its heartbeat stream ends, as a closed tab's does
        client.close()
    return got, wall


def lone_latencies(url: str, workload: str) -> dict:
    """Each of the workload's requests sent alone, one after another (after one warm-up): {seed: seconds}."""
    client = Client(url, verbose=False)
    client.predict(**request(workload, 0, 0), api_name="/compare_decoding")
    lone = {}
    for c in range(CLIENTS):
        for r in range(PER_CLIENT):
            asked = request(workload, c, r)
            start = time.perf_counter()
            client.predict(**asked, api_name="/compare_decoding")
            lone[asked["seed"]] = time.perf_counter() - start
    client.close()
    return lone


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def spread(values: list[float], digits: int = 2) -> str:
    """The median of the runs, with their lowest and highest."""
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def breakdown(got: dict) -> dict:
    """Where a batched comparison's wall time went: the mean seconds of each stage of its way, and the batcher's
    segments while the run lasted."""
    journeys = {j.seed: j for j in BATCHER.timeline.journeys}  # a request run again alone: its last journey
    ways = [(sent, received, journeys[seed]) for seed, (sent, received, _) in got.items()]
    first, last = min(sent for sent, _, _ in ways), max(received for _, received, _ in ways)
    segments = [s for s in BATCHER.timeline.segments if first <= s.started <= last]

    def mean(values) -> float:
        return round(statistics.fmean(values), 3)

    stages = {
        "before_the_batcher_s (queue, request in, checks, prompt)": mean(j.arrived - s for s, _, j in ways),
        "waiting_to_board_s (merge window, full batch)": mean(j.boarded - j.arrived for _, _, j in ways),
        "in_the_batch_s": mean(j.finished - j.boarded for _, _, j in ways),
        "results_built_s (texts, traces)": mean(j.traced - j.finished for _, _, j in ways),
        "after_s (cards, figures, JSON, sent back)": mean(r - j.traced for _, r, j in ways),
    }
    busy = sum(s.ended - s.started for s in segments)
    by_rows = {}
    for s in segments:
        by_rows.setdefault(1 << (s.rows - 1).bit_length(), []).append(s.step_s)
    return {
        "stages_mean": stages,
        "segments": len(segments), "driver_busy_s": round(busy, 2), "wall_s": round(last - first, 2),
        "prefill_s": round(sum(s.prefill_s for s in segments), 2),
        "stack_s": round(sum(s.stack_s for s in segments), 2),
        "decode_steps": sum(s.steps for s in segments),
        "decode_s (forward passes, generate's own work)": round(sum(s.decode_s for s in segments), 2),
        "drawing_s (penalties, warpers, draws)": round(sum(s.drawing_s for s in segments), 2),
        "figures_s (trace figures)": round(sum(s.figures_s for s in segments), 2),
        "between_segments_s": round(sum(b.started - a.ended for a, b in zip(segments, segments[1:])), 2),
        "step_s_by_rows (up to)": {rows: round(statistics.median(t), 3) for rows, t in sorted(by_rows.items())},
    }


def measure(clients, url: str, workload: str) -> dict:
    lone = clients.apply(lone_latencies, (url, workload))
    lone_s = statistics.median(lone.values())
    window = BATCHER.window_ms
    BATCHER.window_ms = 0  # serialised: each comparison alone, one at a time
    serial, serial_wall = clients.apply(classroom, (url, workload))
    BATCHER.window_ms = window
    runs = []
    for _ in range(RUNS):
        BATCHER.timeline.clear()
        got, wall = clients.apply(classroom, (url, workload))
        latencies = [received - sent for sent, received, _ in got.values()]
        runs.append(dict(p50=statistics.median(latencies), p95=p95(latencies), wall=wall, got=got,
                         slowdown=p95([(received - sent) / lone[seed] for seed, (sent, received, _) in got.items()])))
    requests = CLIENTS * PER_CLIENT
    differing = sorted({seed for run in runs for seed in run["got"] if run["got"][seed][2] != serial[seed][2]})
    serial_latencies = [received - sent for sent, received, _ in serial.values()]
    return {
        "comparisons": requests, "lone_latency_s (median)": round(lone_s, 2),
        "lone_latency_range_s": f"{min(lone.values()):.2f}-{max(lone.values()):.2f}",
        "serialised_p95_s": round(p95(serial_latencies), 2),
        "serialised_throughput_per_s": round(requests / serial_wall, 3),
        "batched_p50_s": spread([r["p50"] for r in runs]), "batched_p95_s": spread([r["p95"] for r in runs]),
        "batched_throughput_per_s": spread([requests / r["wall"] for r in runs], 3),
        "batched_p95_over_lone": spread([r["p95"] / lone_s for r in runs]),
        "batched_p95_slowdown (each request's latency over its own lone latency)": spread([r["slowdown"] for r in runs]),
        "throughput_batched_over_serialised": spread([serial_wall / r["wall"] for r in runs]),
        "batched_tokens_equal_serialised": f"{requests - len(differing)}/{requests} in each of {RUNS} runs"
                                           if not differing else f"{len(differing)} differ",
        "differing_seeds": differing,
        "breakdown_of_the_last_run": breakdown(runs[-1]["got"]),
    }


def main() -> None:
    demo = queued(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **LAUNCH_KWARGS)
    heap.settle()  # as app.py does once it has loaded
    # The clients run in a process of their own, as a classroom's browsers would: in the server's process their
    # threads would take the interpreter lock from the decoding driver.
    try:
        with multiprocessing.get_context("spawn").Pool(1) as clients:
            results = {workload: measure(clients, url, workload) for workload in CHOSEN}
    finally:
        demo.close()
    write("batching", {"clients": CLIENTS, "per_client": PER_CLIENT, "runs": RUNS,
                       "merge_window_ms": BATCHER.window_ms, "max_batch_rows": BATCHER.max_rows,
                       "cpu_threads": os.cpu_count(), **results})


if __name__ == "__main__":
    main()

"""A classroom's comparisons in one running batch (continuous batching), against the same comparisons served one at
a time.

16 gradio_client clients on loopback, in a process of their own, connect and then each send 2 comparisons of 2
strategies × 16 tokens with fixed seeds, on the embedded SmolLM2: once batched (PLAYGROUND_MERGE_WINDOW_MS, the
default), once serialised (a window of 0, the old behaviour), in one run against one app. Reports p50/p95 latency
and throughput of each, p95 ÷ the lone request's latency, throughput batched ÷ serialised, and whether every
batched result kept its serialised tokens.
"""

import multiprocessing
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from common import write
from gradio_client import Client

from playground.core import config
from playground.decoding.batcher import BATCHER
from playground.ui import LAUNCH_KWARGS, build_app, queued

CLIENTS, PER_CLIENT = 16, 2
PROMPTS = ["Write a haiku about the sea.", "What is the capital of France?", "Name three fruits.",
           "Tell me a joke about cats.", "Why is the sky blue?", "Count to five."]


def request(client: int, r: int) -> dict:
    return dict(model=config.EMBEDDED_LM, prompt=PROMPTS[(client + r) % len(PROMPTS)],
                strategies=["top_p", "min_p"], max_new_tokens=16, seed=client * PER_CLIENT + r)


def tokens(output) -> list:
    return [(r["strategy"], r["token_ids"]) for r in output[1]["results"]]


def classroom(url: str) -> tuple[list[float], float, dict]:
    """Every client connected first, then all sending at once: (latencies, wall seconds, tokens per request)."""
    latencies, got = [], {}
    with ThreadPoolExecutor(CLIENTS) as pool:
        clients = list(pool.map(lambda _: Client(url, verbose=False), range(CLIENTS)))

    def one_client(c: int) -> None:
        for r in range(PER_CLIENT):
            start = time.perf_counter()
            got[(c, r)] = tokens(clients[c].predict(**request(c, r), api_name="/compare_decoding"))
            latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one_client, range(CLIENTS)))
    return latencies, time.perf_counter() - started, got


def lone_latency(url: str) -> float:
    client = Client(url, verbose=False)
    client.predict(**request(0, 0), api_name="/compare_decoding")  # warm
    lone = []
    for _ in range(3):
        start = time.perf_counter()
        client.predict(**request(0, 0), api_name="/compare_decoding")
        lone.append(time.perf_counter() - start)
    return statistics.median(lone)


def main() -> None:
    demo = queued(build_app())
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **LAUNCH_KWARGS)
    # The clients run in a process of their own, as a classroom's browsers would: in the server's process their
    # threads would take the interpreter lock from the decoding driver.
    try:
        with multiprocessing.get_context("spawn").Pool(1) as clients:
            lone_s = clients.apply(lone_latency, (url,))
            window = BATCHER.window_ms
            BATCHER.window_ms = 0  # serialised: each comparison alone, one at a time
            serial, serial_wall, serial_tokens = clients.apply(classroom, (url,))
            BATCHER.window_ms = window
            merged, merged_wall, merged_tokens = clients.apply(classroom, (url,))
    finally:
        demo.close()
    requests = CLIENTS * PER_CLIENT

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    write("batching", {
        "clients": CLIENTS, "comparisons": requests, "strategies_each": 2, "new_tokens": 16,
        "merge_window_ms": window, "max_batch_rows": BATCHER.max_rows, "lone_latency_s": round(lone_s, 2),
        "serialised_p50_s": round(statistics.median(serial), 2), "serialised_p95_s": round(p95(serial), 2),
        "merged_p50_s": round(statistics.median(merged), 2), "merged_p95_s": round(p95(merged), 2),
        "serialised_throughput_per_s": round(requests / serial_wall, 3),
        "merged_throughput_per_s": round(requests / merged_wall, 3),
        "serialised_p95_over_lone": round(p95(serial) / lone_s, 2),
        "merged_p95_over_lone": round(p95(merged) / lone_s, 2),
        "throughput_merged_over_serialised": round(serial_wall / merged_wall, 2),
        "merged_tokens_equal_serialised": f"{sum(merged_tokens[k] == serial_tokens[k] for k in merged_tokens)}"
                                          f"/{requests}",
        "differing": [f"client {c} request {r}: {merged_tokens[(c, r)]} vs {serial_tokens[(c, r)]}"
                      for c, r in sorted(merged_tokens) if merged_tokens[(c, r)] != serial_tokens[(c, r)]],
    })


if __name__ == "__main__":
    main()

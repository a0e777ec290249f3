"""A classroom on loopback: N gradio_client clients at once, each sending a mix of requests with fixed seeds
(decoding, next-token, attention, masks, adapter comparison, internals). Used by tests/api/test_load.py (which
asserts) and benchmarks/bench_reliability.py (which reports).

Every request is first run alone; under load each result must equal its lone run. Timings, being timings, are
left out of that comparison (any key that names seconds, milliseconds or time), and so is who shared a decoding
pass. Numbers are equal to a relative 1e-4: a decoding comparison merged with others' runs in a bigger
batch, whose float sums fall in another order (decoding/batcher.py says why); its tokens must still be the same.
"""

import math
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psutil
from gradio_client import Client

PROMPTS = ["The capital of France is", "Once upon a time", "def fib(n):", "Roses are red,"]
TIMING = re.compile(r"second|(^|_)ms($|_)|time|latency|rss|speedup|rate|per_s|bandwidth|^pass$", re.I)
SHIPPED = "city_json-lora"


def mix(i: int) -> tuple[str, dict]:
    """The i-th request of the mix: (endpoint, arguments), one of six kinds in one of four variants (prompt and
    seed), so that the lone runs to compare against are 24."""
    variant = (i // 6) % len(PROMPTS)
    prompt, seed = PROMPTS[variant], variant
    kinds = [
        ("/compare_decoding", dict(model="tiny-llama", prompt=prompt, strategies=["greedy", "top_p", "sampling"],
                                   max_new_tokens=8, seed=seed)),
        ("/next_token_distribution", dict(model="tiny-qwen2", prompt=prompt, seed=seed, n_samples=200)),
        ("/attention", dict(model="tiny-llama", prompt=prompt, layer=1, head=seed % 4)),
        ("/masks", dict(model="tiny-llama", prompts=[prompt, "Hi"], mask_kind="causal")),
        ("/compare_adapter", dict(model="smollm2-135m-instruct", prompt=f"City: {prompt}", adapter=SHIPPED,
                                  max_new_tokens=3, sample_seed=seed)) if variant % 2 == 0 else  # SmolLM2: costly
        ("/compare_decoding", dict(model="tiny-qwen2", prompt=prompt, strategies=["min_p", "typical"],
                                   max_new_tokens=8, seed=seed)),
        ("/flash_attention", dict(model="tiny-llama", prompt=prompt, head=seed % 4, max_length=128)),
    ]
    return kinds[i % len(kinds)]


def stable(value):
    """The result without its timings."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if not TIMING.search(str(k))}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def difference(got, expected, at: str = "") -> str | None:
    """Where `got` first differs from `expected` (None: nowhere), numbers equal to a relative 1e-4 (see the
    module's note)."""
    if isinstance(got, float) or isinstance(expected, float):
        close = isinstance(got, (int, float)) and isinstance(expected, (int, float)) and math.isclose(
            got, expected, rel_tol=1e-4, abs_tol=1e-9)
        return None if close else f"{at}: {got!r} != {expected!r}"
    if isinstance(got, dict) and isinstance(expected, dict):
        if got.keys() != expected.keys():
            return f"{at}: keys {sorted(got)} != {sorted(expected)}"
        return next((d for k in got if (d := difference(got[k], expected[k], f"{at}.{k}"))), None)
    if isinstance(got, list) and isinstance(expected, list):
        if len(got) != len(expected):
            return f"{at}: {len(got)} items != {len(expected)}"
        return next((d for i, (a, b) in enumerate(zip(got, expected)) if (d := difference(a, b, f"{at}[{i}]"))),
                    None)
    return None if got == expected else f"{at}: {got!r} != {expected!r}"


def outcome(client: Client, endpoint: str, kwargs: dict):
    """The request's JSON results (not its plots and tables, which draw timings too), timings left out."""
    output = client.predict(**kwargs, api_name=endpoint)
    return stable([o for o in (output if isinstance(output, tuple) else [output])
                   if isinstance(o, dict) and "plot" not in o and "headers" not in o])


@dataclass
class LoadReport:
    clients: int
    per_client: int
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    start_rss_mb: float = 0.0
    seconds: float = 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20)[-1]


def run_load(url: str, clients: int = 16, per_client: int = 10, timeout: float = 600) -> LoadReport:
    """Every distinct request alone first, then `clients` clients at once, each sending `per_client` requests;
    bounded by `timeout` seconds (a request still waiting then counts as a failure)."""
    jobs = [(c, r, mix(c * per_client + r)) for c in range(clients) for r in range(per_client)]
    alone_client = Client(url, verbose=False)
    alone = {}
    for _, _, (endpoint, kwargs) in jobs:
        key = (endpoint, repr(sorted(kwargs.items())))
        if key not in alone:
            alone[key] = outcome(alone_client, endpoint, kwargs)
    process = psutil.Process()
    report = LoadReport(clients, per_client, start_rss_mb=process.memory_info().rss / 2**20)
    sampling = threading.Event()

    def sample_rss():
        while not sampling.wait(0.2):
            report.peak_rss_mb = max(report.peak_rss_mb, process.memory_info().rss / 2**20)

    def one_client(c: int):
        client = Client(url, verbose=False)
        for _, r, (endpoint, kwargs) in [j for j in jobs if j[0] == c]:
            start = time.perf_counter()
            try:
                got = outcome(client, endpoint, kwargs)
            except Exception as err:  # noqa: BLE001 - counted, not raised: the report says what failed
                report.failures.append(f"client {c} {endpoint}: {err}")
                continue
            report.latencies.append(time.perf_counter() - start)
            if differs := difference(got, alone[(endpoint, repr(sorted(kwargs.items())))]):
                report.mismatches.append(f"client {c} request {r} {endpoint} ({differs[:200]})")

    watcher = threading.Thread(target=sample_rss, daemon=True)
    watcher.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(one_client, c) for c in range(clients)]
        for future in futures:
            future.result(timeout=max(1.0, timeout - (time.perf_counter() - started)))
    report.seconds = time.perf_counter() - started
    sampling.set()
    return report

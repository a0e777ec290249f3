"""Cold start and memory, with the model cache already built.

- cold start: `python app.py` until it answers HTTP 200, against a bare script that imports gradio and
  transformers and loads the model (target <= 1.3).
- memory: peak RSS of the serving process after one comparison (target <= 1.5 GB).
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import psutil

from common import ROOT, write

REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
BARE = (
    "import gradio, transformers, torch; from playground.core import models; "
    "transformers.AutoModelForCausalLM.from_pretrained(models.smollm2_cache_dir(), dtype=torch.float32); "
    "print('loaded', flush=True)"
)


def bare_load_seconds(env: dict) -> float:
    """Until the bare script says it has loaded the model (its exit and teardown are not counted)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", BARE], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout.readline().strip() == "loaded"
    seconds = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_until_200(env: dict) -> tuple[float, subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env={**env, "GRADIO_SERVER_PORT": str(port)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            if urllib.request.urlopen(url, timeout=1).status == 200:
                return time.perf_counter() - start, proc, url
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("app.py exited before serving")
            time.sleep(0.05)


def peak_rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def main() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    app_times, bare_times = [], []
    for _ in range(REPEATS):
        bare_times.append(bare_load_seconds(env))
        seconds, proc, url = serve_until_200(env)
        app_times.append(seconds)
        proc.terminate()
        proc.wait()

    _, proc, url = serve_until_200(env)
    try:
        from gradio_client import Client

        Client(url, verbose=False).predict(
            prompt="What is the capital of France?", strategies=["greedy", "beam", "top_k", "top_p", "min_p"],
            api_name="/compare_decoding",
        )
        peak = peak_rss_bytes(proc.pid)
        rss = psutil.Process(proc.pid).memory_info().rss
    finally:
        proc.terminate()
        proc.wait()

    app, bare = statistics.median(app_times), statistics.median(bare_times)
    write(
        "startup",
        {
            "app_to_http_200_s": round(app, 2),
            "bare_import_and_load_s": round(bare, 2),
            "rss_after_comparison_GB": round(rss / 1e9, 3),
            "peak_rss_GB (target <= 1.5)": round(peak / 1e9, 3),
            "ratio_cold_start_vs_bare (target <= 1.3)": round(app / bare, 3),
        },
    )


if __name__ == "__main__":
    main()

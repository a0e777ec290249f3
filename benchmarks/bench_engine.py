"""The engine path's overhead: the playground's decoding comparison and next-token view on a model llama.cpp's
server serves, against the very same requests made directly with the `openai` client, interleaved in one run.

The ratio is playground ÷ direct (1.0 = no overhead); both sides send the strategies' requests at once. The test
engine is llama-cpp-python[server] from .venv-engine (`make engine`) serving the embedded SmolLM2 GGUF.
"""

import os
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import openai
from common import ROOT, interleaved_medians, write

from playground.core import config, embedded, models, served
from playground.decoding.engine_runner import compare_on_engine, engine_sampling
from playground.decoding.strategies import DecodingSettings
from playground.next_token import engine_view
from playground.next_token.engine_view import explore_engine
from playground.next_token.pipeline import SamplerParams

STRATEGIES = ["greedy", "sampling", "top_k", "top_p", "min_p"]
SETTINGS = DecodingSettings(max_new_tokens=32)
QUESTION = "Write a haiku about the sea."
REPEATS = 7  # comparisons (seconds each)
HEAD_REPEATS = 40  # next-token steps (a tenth of a second each, so noisier)


def start_engine() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gguf = embedded.package_dir(embedded.SMOLLM2_PACKAGE) / embedded.SMOLLM2_GGUF
    server = subprocess.Popen(
        [str(ROOT / ".venv-engine" / "bin" / "python"), "-m", "llama_cpp.server", "--model", str(gguf),
         "--model_alias", models.SMOLLM2_HUB_ID, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
         "--logits_all", "true", "--n_threads", str(os.cpu_count())],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the llama.cpp server did not start; `make engine` installs it")


def main() -> None:
    server, url = start_engine()
    try:
        config.ENGINE_URL = url
        model = served.served_model(served.PREFIX + models.SMOLLM2_HUB_ID)
        prompt = model.prompt(QUESTION, True).rendered
        client = openai.OpenAI(base_url=url, api_key="none", max_retries=0)

        def direct_request(name: str):
            standard, extra = engine_sampling(name, SETTINGS).request()
            return client.completions.create(model=model.model_id, prompt=prompt, max_tokens=SETTINGS.max_new_tokens,
                                             logprobs=5, extra_body=extra, **standard)

        def direct_comparison():
            with ThreadPoolExecutor(max_workers=len(STRATEGIES)) as pool:
                list(pool.map(direct_request, STRATEGIES))

        def direct_head():
            client.completions.create(model=model.model_id, prompt=prompt, max_tokens=1, logprobs=20,
                                      temperature=1.0, top_p=1.0, seed=0,
                                      extra_body={"top_k": 0, "min_p": 0.0, "repetition_penalty": 1.0,
                                                  "repeat_penalty": 1.0})

        def playground_head():
            engine_view._head.cache_clear()  # ask the engine every time, as the direct side does
            explore_engine(model, QUESTION, SamplerParams())

        direct_comparison()  # warm: the server's first request loads what it needs
        medians = interleaved_medians({
            "playground_comparison": lambda: compare_on_engine(model, QUESTION, STRATEGIES, SETTINGS),
            "direct_comparison": direct_comparison,
        }, REPEATS) | interleaved_medians({
            "playground_next_token": playground_head,
            "direct_next_token": direct_head,
        }, HEAD_REPEATS)
    finally:
        server.kill()
    write("engine", {
        "engine": "llama-cpp-python[server] 0.3.36, embedded SmolLM2 GGUF",
        "strategies": STRATEGIES, "max_new_tokens": SETTINGS.max_new_tokens, "repeats": [REPEATS, HEAD_REPEATS],
        **{f"{name}_s": round(seconds, 3) for name, seconds in medians.items()},
        "comparison_overhead_ratio": round(medians["playground_comparison"] / medians["direct_comparison"], 3),
        "next_token_overhead_ratio": round(medians["playground_next_token"] / medians["direct_next_token"], 3),
    })


if __name__ == "__main__":
    main()

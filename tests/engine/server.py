"""The test engine: llama.cpp's OpenAI-compatible server (llama-cpp-python[server], in .venv-engine) serving the
embedded SmolLM2 GGUF on loopback, started once per test session and up only when it has completed a real
multi-token prompt with log-probabilities. A server that lists its models but cannot complete one (a dependency that
hangs every completion, a build that crashes on every prompt longer than one token) stops the whole run at once
with one message that says what it did, instead of leaving every engine test to time out on its own."""

import json
import os
import shlex
import signal
import time
import urllib.request
from pathlib import Path

from playground.core.models import SMOLLM2_HUB_ID

ROOT = Path(__file__).resolve().parents[2]
ENGINE_PYTHON = ROOT / ".venv-engine" / "bin" / "python"
# A stand-in command for the engine, `{port}` for its port; tests/engine/test_startup_check.py breaks it on purpose.
OVERRIDE = "PLAYGROUND_TEST_ENGINE"
CHECK_PROMPT = "List three facts about the Moon."  # several tokens: a build tuned to another CPU crashed on these
# A completion of 4 tokens takes well under a second here; the startup check's own test waits less for its stand-ins.
CHECK_SECONDS = float(os.environ.get("PLAYGROUND_TEST_ENGINE_CHECK_SECONDS", 15))
START_SECONDS = 120


def command(gguf: Path) -> list[str]:
    """llama.cpp's server under SmolLM2's Hub id, as vLLM would name it. logits_all: llama.cpp keeps every
    position's logits only when asked, and log-probs need them."""
    if os.environ.get(OVERRIDE):
        return shlex.split(os.environ[OVERRIDE])
    return [str(engine_python()), "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", SMOLLM2_HUB_ID,
            "--host", "127.0.0.1", "--port", "{port}", "--n_ctx", "2048", "--logits_all", "true", "--n_threads", "2"]


class EngineBroken(Exception):
    pass


def engine_python() -> Path:
    if not ENGINE_PYTHON.exists():
        raise EngineBroken("The test engine is missing: `make test` (or `make engine`) builds llama-cpp-python[server]"
                           " into .venv-engine")
    return ENGINE_PYTHON


def start(served_class, gguf: Path):
    """Start the engine as a `served_class` (tests/conftest.py's Served) and check it; returns it, or raises
    EngineBroken with what the engine did."""
    argv = command(gguf)
    name = f"The test engine ({shlex.join(argv[:3])} …)"
    served = served_class(argv, ROOT, dict(os.environ), health="v1/models")
    try:
        served.wait(START_SECONDS)
    except AssertionError as failed:
        raise EngineBroken(f"{name} did not list its models within {START_SECONDS} s: {failed}." +
                           tail(served.stop())) from None
    problem = completion_problem(served.url + "v1", served.process)
    if problem:
        raise EngineBroken(f"{name} lists its models but {problem}." + tail(served.stop()))
    return served


def tail(log: str) -> str:
    return f" Its log ends:\n{log[-2000:]}" if log.strip() else ""


def completion_problem(url: str, process) -> str:
    """'' when the engine completes the check prompt with log-probabilities within CHECK_SECONDS, else what went
    wrong, in words."""
    body = json.dumps({"model": SMOLLM2_HUB_ID, "prompt": CHECK_PROMPT, "max_tokens": 4, "temperature": 0,
                       "logprobs": 2}).encode()
    request = urllib.request.Request(url + "/completions", body, {"content-type": "application/json"})
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=CHECK_SECONDS) as answer:
            choice = json.load(answer)["choices"][0]
    except Exception as failed:  # noqa: BLE001 - every way of failing is reported in words below
        return failure(failed, process, time.monotonic() - began)
    if not choice.get("logprobs") or not choice["logprobs"].get("tokens"):
        return f"completed {CHECK_PROMPT!r} without log-probabilities: {json.dumps(choice)[:300]}"
    return ""


def failure(failed: Exception, process, seconds: float) -> str:
    if isinstance(failed, TimeoutError) or isinstance(getattr(failed, "reason", None), TimeoutError):
        return (f"did not answer a completion of a multi-token prompt ({CHECK_PROMPT!r}, 4 tokens) within "
                f"{CHECK_SECONDS:g} s (reported with fastapi 0.165.0 under llama-cpp-python 0.3.36; `make engine` "
                "installs locks/engine.txt's versions)")
    time.sleep(0.5)  # a crashing server may still be on its way out
    code = process.poll()
    if code is not None and code < 0:
        return (f"died of {signal.Signals(-code).name} on a completion of a multi-token prompt ({CHECK_PROMPT!r}) "
                f"after {seconds:.1f} s (a llama.cpp build tuned to another CPU did this; `make engine` builds it "
                "portably)")
    return f"failed a completion of {CHECK_PROMPT!r}: {failed!r} (exit code {code})"

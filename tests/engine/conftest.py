"""llama.cpp's OpenAI-compatible server (llama-cpp-python[server], in .venv-engine) serving the embedded SmolLM2
GGUF on loopback, started once for the engine tests and stopped afterwards."""

import os
from pathlib import Path

import pytest

from playground.core import embedded

ROOT = Path(__file__).resolve().parents[2]
ENGINE_PYTHON = ROOT / ".venv-engine" / "bin" / "python"
ALIAS = "smollm2-gguf"


@pytest.fixture(scope="session")
def gguf() -> Path:
    return embedded.package_dir(embedded.SMOLLM2_PACKAGE) / embedded.SMOLLM2_GGUF


@pytest.fixture(scope="session")
def engine_python() -> Path:
    if not ENGINE_PYTHON.exists():
        pytest.fail("The test engine is missing: `make test` installs llama-cpp-python[server] into .venv-engine")
    return ENGINE_PYTHON


@pytest.fixture(scope="session")
def llama_server(serve_for_session, engine_python, gguf):
    """The server's /v1 URL. logits_all: llama.cpp keeps every position's logits only when asked, and log-probs
    need them."""
    command = [str(engine_python), "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", ALIAS,
               "--host", "127.0.0.1", "--port", "{port}", "--n_ctx", "2048", "--logits_all", "true", "--n_threads", "2"]
    served = serve_for_session(command, ROOT, dict(os.environ), health="v1/models")
    served.wait(120)
    return served.url + "v1"

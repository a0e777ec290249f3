"""Shared fixtures: models are loaded once per test session (they are shared read-only, as in the app); the app
served in this process for the API tests, and as its own process (`python app.py`) for the browser and deploy
tests."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from playground.core import embedded, models  # noqa: E402
from tests.engine import server as engine_server  # noqa: E402

# The same examples on every run, so CI is reproducible; HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))

TINY = ["tiny-llama", "tiny-qwen2", "tiny-gpt2"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def smollm2():
    return models.load_causal_lm("smollm2-135m-instruct")


@pytest.fixture(scope="session", params=TINY)
def tiny(request):
    return models.load_causal_lm(request.param)


@pytest.fixture(scope="session")
def tokenizer(smollm2):
    return smollm2.tokenizer


@pytest.fixture(scope="session")
def app_url():
    """The real app (app.py's Blocks, queue and launch arguments), launched in this process on a free local port, so
    that API tests share its loaded models."""
    from playground.ui import LAUNCH_KWARGS, build_app, queued

    port = free_port()
    demo = queued(build_app())
    _, url, _ = demo.launch(
        prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, **LAUNCH_KWARGS
    )
    yield url
    demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The app started the way a deployment starts it: a command in its own process group, on a free port
    (GRADIO_SERVER_PORT), its output in a file (a pipe nobody reads would fill up and stall it)."""

    def __init__(self, command: list[str], cwd, env: dict, health: str = ""):
        """`command` may name its port as {port}; the server is up when `health` (a path) answers 200."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.health = self.url + health
        self.output = tempfile.TemporaryFile(mode="w+")
        command = [part.replace("{port}", str(self.port)) for part in command]
        self.process = subprocess.Popen(command, cwd=cwd, env={**env, "GRADIO_SERVER_PORT": str(self.port)},
                                        stdout=self.output, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.log = None

    def answers(self) -> bool:
        return urllib.request.urlopen(self.health, timeout=5).status == 200

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.answers():
                    return
            except OSError:
                pass
            assert self.process.poll() is None, f"the app exited:\n{self.read()[-3000:]}"
            assert time.monotonic() < deadline, "the app did not answer in time"
            time.sleep(1)

    def read(self) -> str:
        self.output.seek(0)
        return self.output.read()

    def stop(self) -> str:
        if self.log is None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            self.log = self.read()
        return self.log


@pytest.fixture
def serve():
    """serve(command, cwd, env, health="") starts a server on a free port and returns its Served; stopped after the
    test."""
    started = []

    def start(command, cwd, env, health=""):
        started.append(Served(command, cwd, env, health))
        return started[-1]

    yield start
    for served in started:
        served.stop()


def embedded_gguf() -> Path:
    return embedded.package_dir(embedded.SMOLLM2_PACKAGE) / embedded.SMOLLM2_GGUF


@pytest.fixture(scope="session")
def gguf() -> Path:
    return embedded_gguf()


@pytest.fixture(scope="session")
def engine_python() -> Path:
    try:
        return engine_server.engine_python()
    except engine_server.EngineBroken as missing:
        pytest.fail(str(missing))


ENGINE = pytest.StashKey[Served]()
APP = pytest.StashKey[Served]()


def needed(session, fixture: str) -> bool:
    return not session.config.option.collectonly and any(fixture in getattr(item, "fixturenames", ())
                                                         for item in session.items)


def pytest_collection_finish(session):
    """When any collected test needs the test engine, start it before the first test and check that it completes
    a real prompt; if it cannot, stop the run now with what it did (tests/engine/server.py). When any needs the
    app's own process, start that too: it loads and computes its openings (most of a minute) while the tests
    before the browser's run."""
    if needed(session, "llama_server"):
        try:
            session.config.stash[ENGINE] = engine_server.start(Served, embedded_gguf())
        except engine_server.EngineBroken as broken:
            pytest.exit(str(broken), returncode=pytest.ExitCode.TESTS_FAILED)
    if needed(session, "app_process_url"):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PLAYGROUND_ENGINE_URL": session.config.stash[ENGINE].url + "v1"}
        session.config.stash[APP] = Served([sys.executable, "app.py"], ROOT, env)


def pytest_sessionfinish(session):
    for key in (APP, ENGINE):
        if key in session.config.stash:
            session.config.stash[key].stop()


@pytest.fixture(scope="session")
def llama_server(request) -> str:
    """The test engine's /v1 URL: llama.cpp's server on the embedded SmolLM2 GGUF, started and checked once."""
    return request.config.stash[ENGINE].url + "v1"


@pytest.fixture(scope="session")
def app_process_url(request, llama_server):
    """`python app.py` from the repository root, on the embedded models, as `make run` serves it, with the test
    engine's models in its pickers (started as the session began)."""
    served = request.config.stash[APP]
    served.wait(300)
    return served.url

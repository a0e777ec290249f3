"""Shared fixtures: models are loaded once per test session (they are shared read-only, as in the app)."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from playground.core import models  # noqa: E402

# The same examples on every run, so CI is reproducible; HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))

TINY = ["tiny-llama", "tiny-qwen2", "tiny-gpt2"]


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
    """The real app, launched in this process on a free local port, as `make run` would serve it."""
    import socket

    from playground.ui import LAUNCH_KWARGS, build_app, queued

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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

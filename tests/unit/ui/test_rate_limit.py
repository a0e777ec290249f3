"""The per-visitor rate limit: counted in a sliding minute, and wired through Gradio's request injection, for
handlers with a progress bar, with their own request parameter, and streaming ones."""

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from playground.core.errors import PlaygroundError
from playground.ui import components
from playground.ui.rate_limit import RateLimiter


def test_a_visitor_gets_n_requests_a_minute_and_others_are_not_counted():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    limiter.check("a")
    limiter.check("a")
    limiter.check("b")  # someone else
    with pytest.raises(PlaygroundError, match="Too many requests.*2 a minute.*Try again in 60 s"):
        limiter.check("a")
    now[0] = 60.0  # the first two have left the window
    limiter.check("a")


def echo(text: str, times: int, progress=gr.Progress()):
    return text * times


def echo_with_request(text: str, times: int, request: gr.Request):
    return f"{text * times}:{request.client.host}"


def streamed(text: str, times: int):
    for i in range(times):
        yield text * (i + 1)


@pytest.mark.parametrize("handler", [echo, echo_with_request, streamed])
def test_the_limit_holds_through_gradio(monkeypatch, handler):
    monkeypatch.setattr(components, "LIMITER", RateLimiter(3))
    with gr.Blocks() as demo:
        c = {"text": gr.Textbox(), "times": gr.Number(precision=0)}
        out = gr.Textbox()
        components.on(gr.Button().click, handler, c, [out], api_name="echo")
    demo.queue()
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True)
    try:
        client = Client(url, verbose=False)
        for _ in range(3):
            assert client.predict("ab", 2, api_name="/echo").startswith("abab")
        with pytest.raises(AppError, match="Too many requests"):
            client.predict("ab", 2, api_name="/echo")
        with pytest.raises(AppError, match="times must be a number"):  # the argument checks still run ...
            monkeypatch.setattr(components.LIMITER, "per_minute", 10)
            client.predict("ab", "x", api_name="/echo")
    finally:
        demo.close()

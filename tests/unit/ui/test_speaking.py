"""Each handler runs in its request's language, and so do its errors, the guard's own included; each page opens
on its panels' results in its own language."""

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from playground.core import language
from playground.core.errors import PlaygroundError
from playground.core.words import WORDS
from playground.ui import components
from playground.ui.opening import OPENINGS, Opening


def spoken(times: int, progress=gr.Progress()) -> str:
    return language.current() * times


def streamed(times: int):
    for i in range(times):
        yield f"{i}:{language.current()}"


def refused(times: int) -> str:
    raise PlaygroundError(WORDS.text("prompt.empty"))


@pytest.fixture(scope="module")
def url():
    with gr.Blocks() as demo:
        c = {"times": gr.Number(precision=0)}
        out = gr.Textbox()
        for handler in (spoken, streamed, refused):
            components.on(gr.Button().click, handler, c, [out], api_name=handler.__name__)
    demo.queue()
    _, url, _ = demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True)
    yield url
    demo.close()


@pytest.mark.parametrize("headers,spoken_in", [
    ({}, "en"),
    ({"Accept-Language": "zh-CN,zh;q=0.9"}, "zh-CN"),
    ({"Accept-Language": "zh-CN", "Cookie": "playground_lang=en"}, "en"),
])
def test_a_handler_and_its_errors_speak_the_requests_language(url, headers, spoken_in):
    client = Client(url, verbose=False, headers=headers)
    assert client.predict(2, api_name="/spoken") == spoken_in * 2
    assert client.predict(3, api_name="/streamed") == f"2:{spoken_in}"  # every step, not only the first
    with pytest.raises(AppError, match=WORDS.text("prompt.empty", spoken_in).replace(".", r"\.")):
        client.predict(1, api_name="/refused")
    must_be = WORDS.text("must_be", spoken_in, name="times", what=WORDS.text("kind.number", spoken_in),
                         value="'x'")
    with pytest.raises(AppError, match=must_be.replace("(", r"\(").replace(")", r"\)")):  # the guard's own check
        client.predict("x", api_name="/spoken")
    assert language.current() == "en"  # nothing leaks out of a request


def test_an_opening_is_computed_once_in_each_language():
    calls = []

    def compute():
        calls.append(language.current())
        return WORDS.text("model.empty")

    opening = Opening("test/speaking", compute, [gr.Markdown()])
    del OPENINGS[opening.name]  # not one of the app's
    assert opening.shown("zh-CN") == [WORDS.text("model.empty", "zh-CN")]
    assert opening.shown("en") == opening.shown() == [WORDS.text("model.empty", "en")]
    assert opening.shown("zh-CN") == [WORDS.text("model.empty", "zh-CN")]
    assert calls == ["zh-CN", "en"]


def test_an_opening_in_two_steps_measures_once_and_shows_in_each_language():
    measured, shown = [], []

    def measure():
        measured.append(language.current())
        return "model.empty"

    def show(key):
        shown.append(language.current())
        return WORDS.text(key)

    opening = Opening("test/two_steps", measure, [gr.Markdown()], show)
    del OPENINGS[opening.name]
    assert opening.shown("zh-CN") == [WORDS.text("model.empty", "zh-CN")]
    assert opening.shown("en") == [WORDS.text("model.empty", "en")]
    assert opening.shown("zh-CN") == [WORDS.text("model.empty", "zh-CN")]
    assert measured == ["zh-CN"] and shown == ["zh-CN", "en"]

"""What every tab shares: turning errors into gr.Error, the model picker, progress while a model loads."""

import functools
import logging

import gradio as gr

from playground import config, models
from playground.errors import PlaygroundError

log = logging.getLogger(__name__)


def _html_safe(message: str) -> str:
    """gr.Error renders HTML: neutralise markup that came from user input, keep the text readable."""
    return message.replace("&", "&amp;").replace("<", "&lt;")


def friendly_errors(fn):
    """Show a PlaygroundError as a clear gr.Error; log anything else and show a short message.

    Either way the request ends cleanly and the server keeps serving.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except PlaygroundError as err:
            raise gr.Error(_html_safe(str(err)), print_exception=False) from err
        except Exception as err:  # noqa: BLE001 - the server must stay up whatever a request does
            log.exception("request failed")
            raise gr.Error(_html_safe(f"Something went wrong ({type(err).__name__}: {err}). The server is still up."))

    return wrapper


def model_picker() -> gr.Dropdown:
    return gr.Dropdown(
        choices=models.choices(),
        value=config.DEFAULT_MODEL,
        allow_custom_value=True,
        label="Model",
        info="The embedded SmolLM2 works offline. Type a Hugging Face Hub id (e.g. Qwen/Qwen2.5-0.5B-Instruct) "
        "where the network allows. Tiny models have random weights and exist for tests.",
    )


def captioned_plot(label: str, caption: str) -> gr.Plot:
    """A plot with a line under it that says what to look at."""
    with gr.Column():
        plot = gr.Plot(label=label)
        gr.Markdown(caption)
    return plot


def load_model(key: str, progress: gr.Progress) -> models.LoadedModel:
    """The shared model, showing load and first-run conversion progress in the UI."""
    return models.load_causal_lm(key, progress=lambda fraction, message: progress(fraction, desc=message))


def whole_number(value, name: str) -> int:
    """gr.Number gives floats; a parameter that counts things must be a whole number."""
    if value is None or value != value or int(value) != value:
        raise PlaygroundError(f"{name} must be a whole number (got {value}).")
    return int(value)

"""The Gradio app, assembled from a list of tabs. A tab is a module with a TITLE and a build() that makes its
components and wires its own events; a new tab is its package, its ui module and one line in TABS."""

import gradio as gr

from playground.core import config
from playground.ui import attention, decoding, internals, next_token, peft_lab
from playground.ui.theme import LAUNCH_KWARGS

TITLE = "LLM Playground"

HEADER = """
# LLM Playground
Run a real language model and watch how it works. Everything runs on this machine, on the embedded
SmolLM2-135M-Instruct unless you pick another model.
"""

TABS = [decoding, next_token, attention, peft_lab, internals]


def build_app() -> gr.Blocks:
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(HEADER)
        with gr.Tabs():
            for tab in TABS:
                with gr.Tab(tab.TITLE, id=tab.__name__.rsplit(".", 1)[-1]):
                    tab.build()
    return demo


def queued(demo: gr.Blocks) -> gr.Blocks:
    """The queue every deployment uses: PLAYGROUND_CONCURRENCY runs of an event at once (decoding and training run
    one at a time whatever it says), PLAYGROUND_QUEUE_SIZE requests waiting at most."""
    return demo.queue(default_concurrency_limit=config.CONCURRENCY, max_size=config.QUEUE_SIZE)


__all__ = ["LAUNCH_KWARGS", "TABS", "build_app", "queued"]

"""The Gradio app, assembled from a list of tabs. A tab is a module with a TITLE and a build() that makes its
components and wires its own events; a new tab is its package, its ui module and one line in TABS."""

import gradio as gr

from playground.core import config, device
from playground.ui import architecture, attention, decoding, internals, next_token, peft_lab, start
from playground.ui.opening import wire
from playground.ui.theme import STYLE

TITLE = "LLM Playground"

HEADER = """
# LLM Playground
Run a real language model and watch how it works. Everything runs on this machine, on the embedded
SmolLM2-135M-Instruct unless you pick another model.
"""

def runs_on() -> str:
    """Where the in-process models run, and the engine, if one is set."""
    where = device.describe()
    line = f"In-process models run on **{where.get('gpu', where['device'])}** in **{where['dtype']}**"
    engine = f"; models marked *served by the engine* come from {config.ENGINE_URL}" if config.ENGINE_URL else ""
    return f"\n{line}{engine}.\n"


# Every launch's arguments (app.py, the tests, the benchmarks): the look; Gradio's own refusals in words (a
# malformed upload or a request short of values is refused before any handler runs, and without show_error the
# sender reads only "the upstream Gradio app has raised an exception"; our handlers' errors are gr.Errors, shown
# either way); and the size cap on an upload, which Gradio enforces as the file arrives.
LAUNCH_KWARGS = dict(**STYLE, show_error=True, max_file_size=config.MAX_FILE_BYTES)

TABS = [start, decoding, next_token, attention, peft_lab, internals, architecture]


def build_app() -> gr.Blocks:
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(HEADER + runs_on())
        openings = []  # what the panels show before any button is pressed
        with gr.Tabs():
            for tab in TABS:
                name = tab.__name__.rsplit(".", 1)[-1]
                with gr.Tab(tab.TITLE, id=name, elem_id=f"tab-{name}"):
                    openings += tab.build()
        wire(demo, openings)
        start.link(demo)  # the start page's buttons open the other tabs' panels
    return demo


def queued(demo: gr.Blocks) -> gr.Blocks:
    """The queue every deployment uses: PLAYGROUND_CONCURRENCY runs of an event at once (training runs one at a
    time whatever it says; decoding takes PLAYGROUND_MAX_BATCH_ROWS at once, to share its running batch),
    PLAYGROUND_QUEUE_SIZE requests waiting at most."""
    return demo.queue(default_concurrency_limit=config.CONCURRENCY, max_size=config.QUEUE_SIZE)


__all__ = ["LAUNCH_KWARGS", "TABS", "build_app", "queued"]

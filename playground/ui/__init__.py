"""The Gradio app, assembled from a list of tabs. A tab is a module with a build() that makes its components and
wires its own events, and a title in the app's catalogue ("tab.<module>"); a new tab is its package, its ui
module, its title and one line in TABS."""

import gradio as gr
from starlette.middleware import Middleware

from playground.core import config, device
from playground.ui import architecture, attention, decoding, internals, next_token, peft_lab, start
from playground.ui.i18n import I18N, switch_html
from playground.ui.i18n.early_head import EarlyHead
from playground.ui.i18n.app import APP
from playground.ui.opening import wire
from playground.ui.theme import STYLE

def header() -> gr.i18n.I18nData:
    """The app's name and what it is, and where the in-process models run (and the engine, if one is set)."""
    where = device.describe()
    values = dict(where=where.get("gpu", where["device"]), dtype=where["dtype"], url=config.ENGINE_URL)
    runs_on = "runs_on_engine" if config.ENGINE_URL else "runs_on"
    return APP.filled("header", runs_on=lambda language: APP.text(runs_on, language, **values))


def tab_name(tab) -> str:
    return tab.__name__.rsplit(".", 1)[-1]


def tab_title(tab, language: str = "en") -> str:
    return APP.text(f"tab.{tab_name(tab)}", language)


# Every launch's arguments (app.py, the tests, the benchmarks): the look; Gradio's own refusals in words (a
# malformed upload or a request short of values is refused before any handler runs, and without show_error the
# sender reads only "the upstream Gradio app has raised an exception"; our handlers' errors are gr.Errors, shown
# either way); and the size cap on an upload, which Gradio enforces as the file arrives.
# And the words: Gradio's translations (gr.I18n), and the script that lets the header's switch choose them.
LAUNCH_KWARGS = dict(**STYLE, show_error=True, max_file_size=config.MAX_FILE_BYTES, i18n=I18N,
                     app_kwargs=dict(middleware=[Middleware(EarlyHead)]))

TABS = [start, decoding, next_token, attention, peft_lab, internals, architecture]


def build_app() -> gr.Blocks:
    with gr.Blocks(title=APP.text("title")) as demo:
        gr.HTML(switch_html(), elem_id="header-language")
        gr.Markdown(header(), elem_id="header")
        openings = []  # what the panels show before any button is pressed
        with gr.Tabs():
            for tab in TABS:
                name = tab_name(tab)
                with gr.Tab(APP(f"tab.{name}"), id=name, elem_id=f"tab-{name}"):
                    openings += tab.build()
        wire(demo, openings)
        start.link(demo)  # the start page's buttons open the other tabs' panels
    return demo


def queued(demo: gr.Blocks) -> gr.Blocks:
    """The queue every deployment uses: PLAYGROUND_CONCURRENCY runs of an event at once (training runs one at a
    time whatever it says; decoding takes PLAYGROUND_MAX_BATCH_ROWS at once, to share its running batch),
    PLAYGROUND_QUEUE_SIZE requests waiting at most."""
    return demo.queue(default_concurrency_limit=config.CONCURRENCY, max_size=config.QUEUE_SIZE)


__all__ = ["LAUNCH_KWARGS", "TABS", "build_app", "queued", "tab_title"]

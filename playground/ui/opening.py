"""What a tab shows before anyone presses a button: its default experiment, already run.

The defaults are the same for every visitor, so each tab's opening result is computed once per process (by app.py
before it serves, or else by the first page that asks) and every new session gets it from memory through one load
event: a classroom opening the page at once costs one computation, not one each, and queues nothing in front of
real work.
"""

import copy
import inspect
import logging
import threading

import gradio as gr

from playground.core.errors import PlaygroundError

OPENINGS: dict[str, "Opening"] = {}  # tab name -> its opening, in the app built last


class Opening:
    """`compute()` returns the values of `outputs`, as the tab's own handler does for its default inputs."""

    def __init__(self, tab: str, compute, outputs: list):
        self.tab, self.compute, self.outputs = tab, compute, outputs
        self._lock = threading.Lock()
        self._values = None
        OPENINGS[tab] = self

    def values(self):
        """The opening result, computed on first need; callers meanwhile wait for that one computation."""
        with self._lock:
            if self._values is None:
                self._values = self.compute()
            return self._values

    def shown(self):
        """For the page's load event: the result, each session's state a copy of its own (what one person does
        next never reaches another's), or nothing changed if it cannot be had here (the tab's own button then
        says why, as a clear error)."""
        try:
            values = self.values()
        except PlaygroundError as err:
            logging.getLogger(__name__).warning("%s opens without its default result: %s", self.tab, err)
            return [gr.skip() for _ in self.outputs] if len(self.outputs) > 1 else gr.skip()
        if len(self.outputs) == 1:
            return copy.deepcopy(values) if isinstance(self.outputs[0], gr.State) else values
        return [copy.deepcopy(v) if isinstance(o, gr.State) else v for v, o in zip(values, self.outputs, strict=True)]

    def wire(self, demo: gr.Blocks) -> None:
        # Not through the queue: after the first page it is a read from memory, and it must not wait behind work.
        demo.load(self.shown, None, self.outputs, api_visibility="private", queue=False, show_progress="minimal")


def compute_all() -> None:
    """Every tab's opening result, before the first visitor (app.py)."""
    for opening in OPENINGS.values():
        opening.shown()


def run_on_defaults(handler, controls: dict):
    """`handler` called as its event would call it on a page just opened: each parameter the value its control
    shows (`controls` keyed by parameter name, as the tabs wire them), no progress bar."""
    parameters = inspect.signature(handler).parameters
    return handler(**{name: control.value for name, control in controls.items() if name in parameters},
                   **({"progress": quietly} if "progress" in parameters else {}))


def quietly(*_, **__) -> None:
    """A progress callback for work done outside any request."""

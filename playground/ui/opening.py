"""What a tab shows before anyone presses a button: its default experiment, already run.

The defaults are the same for every visitor, so each tab's opening result is computed once per process and
language (by app.py in the background as it starts, or else by the first page that asks) and every new session gets
it from memory through one load event: a classroom opening the page at once costs one computation, not one each,
and queues nothing in front of real work.
"""

import copy
import functools
import inspect
import logging
import threading
from pathlib import Path

import gradio as gr

from playground.core import reference
from playground.core.errors import PlaygroundError
from playground.core.language import DEFAULT, LANGUAGES, current, speaking
from playground.core.words import WORDS
from playground.ui.components import on
from playground.ui.i18n import language_of

OPENINGS: dict[str, "Opening"] = {}  # panel name -> its opening, in the app built last


class Opening:
    """`compute()` returns the values of `outputs`, as the tab's own handler does for its default inputs, in the
    language being spoken; or, given `show`, it measures once and `show(measured)` gives them in each language."""

    def __init__(self, name: str, compute, outputs: list, show=None):
        self.name, self.compute, self.outputs, self.show = name, compute, outputs, show
        self._lock = threading.Lock()
        self._measured = []  # the one measurement, once made (when there is a `show`)
        self._values = {}  # language -> the result in it
        OPENINGS[name] = self

    def values(self, language: str = DEFAULT):
        """The opening result in `language`, computed on first need; callers meanwhile wait for that one
        computation."""
        with self._lock, speaking(language):
            if language not in self._values:
                if self.show is None:
                    self._values[language] = self.compute()
                else:
                    self._measured = self._measured or [self.compute()]
                    self._values[language] = self.show(self._measured[0])
            return self._values[language]

    def shown(self, language: str = DEFAULT) -> list:
        """For the page's load event: the result, each session's state a copy of its own (what one person does
        next never reaches another's), or nothing changed if it cannot be had here (the panel's own button then
        says why, as a clear error; the log has it too)."""
        try:
            values = self.values(language)
        except PlaygroundError as err:
            logging.getLogger(__name__).warning("%s opens without its default result: %s", self.name, err)
            return [gr.skip() for _ in self.outputs]
        except Exception:  # noqa: BLE001 - a bug in one panel's opening must not blank its tab's other panels
            logging.getLogger(__name__).exception("%s opens without its default result", self.name)
            return [gr.skip() for _ in self.outputs]
        values = [values] if len(self.outputs) == 1 else list(values)
        return [copy.deepcopy(v) if isinstance(o, gr.State) else v for v, o in zip(values, self.outputs, strict=True)]


class Reference(Opening):
    """A slow panel's opening: its result measured once by `make references` and shipped as JSON at `path`, shown
    in each language. `measure()` runs the panel's `handler` on its `controls`' defaults, as the opening of a fast
    panel does; a handler made by `shown_by` measures once and is shown in every language from that one
    measurement; `pick` keeps the outputs shown. Its first output is the panel's summary, which gets the line that
    says where and when it was measured."""

    def __init__(self, name: str, path: Path, handler, controls: dict, outputs: list, pick=lambda values: values):
        super().__init__(name, self.shipped, outputs)
        self.path, self.handler, self.controls, self.pick = path, handler, controls, pick

    def measure(self) -> dict[str, list]:
        """The outputs in each language."""
        measure, show = two_steps(self.handler)
        measured = run_on_defaults(measure, self.controls)
        shown = {}
        for language in LANGUAGES:
            with speaking(language):
                values = self.pick(show(measured) if show else measured)
            shown[language] = [values] if len(self.outputs) == 1 else list(values)
        return shown

    def shipped(self) -> list:
        try:
            outputs, measured_on = reference.load(self.path, current())
        except (OSError, ValueError, KeyError) as err:
            raise PlaygroundError(WORDS.text("reference.missing", path=self.path, error=err,
                                             command=reference.COMMAND)) from err
        return [f"{reference.provenance(measured_on)}\n\n{outputs[0]}", *outputs[1:]]

    def write(self) -> None:
        reference.save(self.path, self.measure())


def two_steps(handler) -> tuple:
    """`handler`'s (measure, show): as `shown_by` made them, or the handler itself and no show."""
    return getattr(handler, "measure", handler), getattr(handler, "show", None)


def shown_by(show):
    """A handler in two steps, for a slow panel: the function decorated measures, and `show(measured)` gives the
    outputs in the request's language, so that an opening or a reference measures once and is shown in each
    language."""
    def split(measure):
        @functools.wraps(measure)
        def handler(*args, **kwargs):
            return show(measure(*args, **kwargs))
        handler.measure, handler.show = measure, show
        return handler
    return split


def wire(demo: gr.Blocks, openings: list[Opening]) -> None:
    """One load event for every panel's opening, on page load rather than when a tab is opened: the result then
    arrives while Gradio is still building the page (measured: a tab's first plot came about 1 s later when
    fetched on the tab's select). One, not one per tab: each event's start and end makes the page revisit every
    component's progress state, and with five events that cost the first plot about a second. Not through the
    queue: after the first page it is a read from memory, and it must not wait behind work."""
    if not openings:
        return
    outputs = [o for opening in openings for o in opening.outputs]

    def shown(request: gr.Request):
        language = language_of(request)
        values = [v for opening in openings for v in opening.shown(language)]
        return values[0] if len(values) == 1 else values
    demo.load(shown, None, outputs, api_visibility="private", queue=False, show_progress="hidden")


def panel(name: str, trigger, handler, controls: dict, outputs: list, **kwargs) -> Opening:
    """A fast panel: `trigger` runs `handler` on `controls` into `outputs` (`on`'s wiring, `kwargs` its options),
    and the panel opens on that handler's result for the controls' defaults."""
    on(trigger, handler, controls, outputs, **kwargs)
    return on_defaults(name, handler, controls, outputs)


def on_defaults(name: str, handler, controls: dict, outputs: list) -> Opening:
    """A panel's opening: `handler` run on its `controls`' defaults, measured once for every language when
    `shown_by` made it."""
    measure, show = two_steps(handler)
    return Opening(name, lambda: run_on_defaults(measure, controls), outputs, show)


def compute_all() -> None:
    """Every panel's opening result in each language (English first), ready for the first visitors (app.py)."""
    for language in LANGUAGES:
        for opening in list(OPENINGS.values()):
            opening.shown(language)


def run_on_defaults(handler, controls: dict, **changes):
    """`handler` called as its event would call it on a page just opened: each parameter the value its control
    shows (`controls` keyed by parameter name, as the tabs wire them) unless `changes` names it, no progress bar,
    no session of its own. A handler that streams (a generator) gives its last result."""
    parameters = inspect.signature(handler).parameters
    values = {name: control.value for name, control in controls.items() if name in parameters}
    extra = {"progress": quietly, "request": None}
    result = handler(**{**values, **changes}, **{name: value for name, value in extra.items() if name in parameters})
    if inspect.isgenerator(result):
        *_, result = result
    return result


def quietly(*_, **__) -> None:
    """A progress callback for work done outside any request."""

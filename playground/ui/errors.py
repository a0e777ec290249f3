"""Turning every failure of a request into a clear `gr.Error`, so that the server keeps serving.

A handler's signature is the public API, so its annotations say what each parameter must be, and its controls'
ranges say where a number may lie. Events run with `preprocess=False` (see components.on): a value of the wrong
type sent through the API reaches us as it was sent, and is refused here with a message that names the parameter,
instead of failing inside Gradio's own preprocessing with a message that names neither.
"""

import functools
import inspect
import logging
import types
import typing

import gradio as gr

from playground.core.errors import PlaygroundError, check

log = logging.getLogger(__name__)

# annotation -> (test, what a person reads)
_KINDS = {
    str: (lambda v: isinstance(v, str), "text"),
    bool: (lambda v: isinstance(v, bool), "true or false"),
    int: (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a number"),
    float: (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a number"),
}

_LISTS = {str: "a list of text", int: "a list of numbers"}


def check_argument(name: str, value, annotation) -> None:
    """Raise a PlaygroundError naming `name` unless `value` fits `annotation` (str, bool, numbers, list[str],
    list[int], and those `| None`). Other annotations (session state the app itself holds) are not checked."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None or len(options) != 1:
            return
        annotation = options[0]
    if typing.get_origin(annotation) is list and typing.get_args(annotation)[0] in _LISTS:
        item = typing.get_args(annotation)[0]
        fits, what = isinstance(value, list) and all(_KINDS[item][0](v) for v in value), _LISTS[item]
    elif annotation in _KINDS:
        test, what = _KINDS[annotation]
        fits = test(value)
    else:
        return
    if not fits:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise PlaygroundError(f"{name} must be {what} (got {shown}).")


def _html_safe(message: str) -> str:
    """gr.Error renders HTML: neutralise markup that came from user input, keep the text readable."""
    return message.replace("&", "&amp;").replace("<", "&lt;")


def check_bounds(name: str, value, low: float, high: float) -> None:
    """A number must lie in its control's range, as Gradio's own slider would insist."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        check(low <= value <= high, f"{name} must be between {low:g} and {high:g} (got {value}).")


def guarded(fn, bounds: dict[str, tuple] | None = None):
    """`fn` behind checks of its arguments: its annotations, then `bounds` (name -> its control's (min, max)).
    A PlaygroundError shows as a clear gr.Error; anything else is logged and shown as a short message. Either way
    the request ends cleanly and the server keeps serving."""
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    bounds = bounds or {}

    def checked(args, kwargs) -> None:
        for name, value in signature.bind(*args, **kwargs).arguments.items():
            check_argument(name, value, hints.get(name))
            if name in bounds:
                check_bounds(name, value, *bounds[name])

    def shown(err: Exception) -> gr.Error:
        if isinstance(err, PlaygroundError):
            return gr.Error(_html_safe(str(err)), print_exception=False)
        log.exception("request failed")
        return gr.Error(_html_safe(f"Something went wrong ({type(err).__name__}: {err}). The server is still up."))

    if inspect.isgeneratorfunction(fn):  # a handler that streams its progress (training): guard every step
        @functools.wraps(fn)
        def streaming(*args, **kwargs):
            try:
                checked(args, kwargs)
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:  # noqa: BLE001 - the server must stay up whatever a request does
                raise shown(err) from err
        return streaming

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            checked(args, kwargs)
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as err:  # noqa: BLE001 - the server must stay up whatever a request does
            raise shown(err) from err

    return wrapper

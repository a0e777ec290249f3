"""Turning every failure of a request into a clear `gr.Error`, so that the server keeps serving.

A handler's signature is the public API, so its annotations say what each parameter must be, and its controls'
ranges say where a number may lie. Events run with `preprocess=False` (see components.on): a value of the wrong
type sent through the API reaches us as it was sent, and is refused here with a message that names the parameter,
instead of failing inside Gradio's own preprocessing with a message that names neither.
"""

import functools
import inspect
import logging
import math
import types
import typing

import gradio as gr

from playground.core.errors import PlaygroundError, check
from playground.core.language import speaking
from playground.core.words import WORDS
from playground.ui.i18n import language_of
from playground.ui.rate_limit import RateLimiter, visitor

log = logging.getLogger(__name__)

# annotation -> (test, the key of what a person reads)
_KINDS = {
    str: (lambda v: isinstance(v, str), "kind.text"),
    bool: (lambda v: isinstance(v, bool), "kind.bool"),
    int: (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "kind.number"),
    float: (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "kind.number"),
}

_LISTS = {str: "kind.texts", int: "kind.numbers"}


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
        raise PlaygroundError(WORDS.text("must_be", name=name, what=WORDS.text(what), value=_shown(value)))
    for item in value if isinstance(value, list) else [value]:
        _check_sound(name, item)
    if annotation is int and not -2**63 <= value < 2**63:  # a whole number must fit the int64 JSON carries back
        raise PlaygroundError(WORDS.text("too_large", name=name, value=_shown(value)))


def _shown(value) -> str:
    return repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."


def _check_sound(name: str, value) -> None:
    """Values JSON can carry but nothing downstream can use: NaN and infinities (Python's JSON parser accepts
    them, and NaN slips through every range test), and text with a lone surrogate (a JSON escape such as
    "\\ud800" decodes to one; the tokenizers cannot encode it)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PlaygroundError(WORDS.text("finite", name=name, value=value))
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise PlaygroundError(WORDS.text("surrogate", name=name, char=repr(value[err.start]),
                                             at=err.start)) from None


def _html_safe(message: str) -> str:
    """gr.Error renders HTML: neutralise markup that came from user input, keep the text readable."""
    return message.replace("&", "&amp;").replace("<", "&lt;")


def check_bounds(name: str, value, low: float, high: float) -> None:
    """A number must lie in its control's range, as Gradio's own slider would insist."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        check(low <= value <= high, WORDS.text("between", name=name, low=f"{low:g}", high=f"{high:g}", value=value))


REQUEST = "guard_request"  # the parameter through which Gradio hands the guard its request


def guarded(fn, bounds: dict[str, tuple] | None = None, limiter: RateLimiter | None = None):
    """`fn` behind checks of its arguments: its annotations, then `bounds` (name -> its control's (min, max)),
    after `limiter` (if any) has counted the visitor's request; it runs in the request's language (`language_of`),
    and so do its errors. A PlaygroundError shows as a clear gr.Error; anything else is logged and shown as a short
    message. Either way the request ends cleanly and the server keeps serving."""
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    bounds = bounds or {}

    positional = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]

    def split(args: tuple, kwargs: dict) -> tuple:
        """The request, and the handler's own arguments (Gradio passes the request at the extra parameter's
        position)."""
        request = kwargs.pop(REQUEST, None)
        if len(args) > len(positional):
            request, args = args[len(positional)], args[:len(positional)] + args[len(positional) + 1:]
        return request, args

    def checked(request, args, kwargs) -> None:
        if limiter is not None:
            limiter.check(visitor(request))
        for name, value in signature.bind(*args, **kwargs).arguments.items():
            check_argument(name, value, hints.get(name))
            if name in bounds:
                check_bounds(name, value, *bounds[name])

    def shown(err: Exception) -> gr.Error:
        if isinstance(err, PlaygroundError):
            return gr.Error(_html_safe(str(err)), print_exception=False)
        log.exception("request failed")
        return gr.Error(_html_safe(WORDS.text("went_wrong", kind=type(err).__name__, error=err)))

    if inspect.isgeneratorfunction(fn):  # a handler that streams its progress (training): guard every step
        @functools.wraps(fn)
        def streaming(*args, **kwargs):
            request, args = split(args, kwargs)
            with speaking(language_of(request)):
                try:
                    checked(request, args, kwargs)
                except PlaygroundError as err:
                    raise shown(err) from err
            steps = fn(*args, **kwargs)
            while True:  # Gradio may run each step in another thread and context: speak the language in each
                with speaking(language_of(request)):
                    try:
                        step = next(steps)
                    except StopIteration:
                        return
                    except gr.Error:
                        raise
                    except Exception as err:  # noqa: BLE001 - the server must stay up whatever a request does
                        raise shown(err) from err
                yield step
        return with_request(streaming, signature, len(positional))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        request, args = split(args, kwargs)
        with speaking(language_of(request)):
            try:
                checked(request, args, kwargs)
                return fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:  # noqa: BLE001 - the server must stay up whatever a request does
                raise shown(err) from err

    return with_request(wrapper, signature, len(positional))


def with_request(wrapper, signature: inspect.Signature, at: int):
    """Declare one more positional parameter after the handler's own, typed gr.Request: Gradio injects a request
    only into positional parameters, at their position (`split` takes it out again)."""
    extra = inspect.Parameter(REQUEST, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                              annotation=gr.Request)
    params = list(signature.parameters.values())
    wrapper.__signature__ = signature.replace(parameters=params[:at] + [extra] + params[at:])
    wrapper.__annotations__ = {**getattr(wrapper, "__annotations__", {}), REQUEST: gr.Request}
    return wrapper

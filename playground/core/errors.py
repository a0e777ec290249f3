"""The one exception type the UI shows to people as a clear message, and the checks that raise it."""

import math


class PlaygroundError(ValueError):
    """Bad input or an unavailable resource, explained in words a user can act on.

    The UI turns it into a `gr.Error`; anything else is a bug and is logged with its traceback.
    """


def check(condition: bool, message: str) -> None:
    """Raise a PlaygroundError with `message` unless `condition` holds."""
    if not condition:
        raise PlaygroundError(message)


def _finite_number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlaygroundError(f"{name} must be a number (got {value!r}).")
    check(math.isfinite(value), f"{name} must be a finite number (got {value!r}).")
    return value


def as_floats(obj, names: tuple[str, ...]) -> None:
    """Coerce a frozen dataclass's fields to float (a slider may send 2, and transformers' warpers insist on
    floats), explaining a missing, non-numeric or infinite value."""
    for name in names:
        object.__setattr__(obj, name, float(_finite_number(name, getattr(obj, name))))


def as_whole_numbers(obj, names: tuple[str, ...]) -> None:
    """Coerce a frozen dataclass's counting fields to int (a number box sends 4.0), refusing 2.5."""
    for name in names:
        value = _finite_number(name, getattr(obj, name))
        check(int(value) == value, f"{name} must be a whole number (got {value!r}).")
        object.__setattr__(obj, name, int(value))

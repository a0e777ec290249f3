"""The one exception type the UI shows to people as a clear message."""


class PlaygroundError(ValueError):
    """Bad input or an unavailable resource, explained in words a user can act on.

    The UI turns it into a `gr.Error`; anything else is a bug and is logged with its traceback.
    """


def check(condition: bool, message: str) -> None:
    """Raise a PlaygroundError with `message` unless `condition` holds."""
    if not condition:
        raise PlaygroundError(message)


def as_floats(obj, names: tuple[str, ...]) -> None:
    """Coerce a frozen dataclass's numeric fields to float (a slider may send 2, and transformers' warpers
    insist on floats), explaining a missing or non-numeric value."""
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise PlaygroundError(f"{name} must be a number (got {value!r}).")
        object.__setattr__(obj, name, float(value))

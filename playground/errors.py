"""The one exception type the UI shows to people as a clear message."""


class PlaygroundError(ValueError):
    """Bad input or an unavailable resource, explained in words a user can act on.

    The UI turns it into a `gr.Error`; anything else is a bug and is logged with its traceback.
    """


def check(condition: bool, message: str) -> None:
    """Raise a PlaygroundError with `message` unless `condition` holds."""
    if not condition:
        raise PlaygroundError(message)

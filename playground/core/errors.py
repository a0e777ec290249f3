"""The one exception type the UI shows to people as a clear message, and the checks that raise it."""

import dataclasses
import errno
import math

from playground.core.words import WORDS


class PlaygroundError(ValueError):
    """Bad input or an unavailable resource, explained in words a user can act on.

    The UI turns it into a `gr.Error`; anything else is a bug and is logged with its traceback.
    """


def check(condition: bool, message: str) -> None:
    """Raise a PlaygroundError with `message` unless `condition` holds."""
    if not condition:
        raise PlaygroundError(message)


def check_fields(obj) -> None:
    """Check and coerce a frozen dataclass's fields by their declared types, the way transformers' processors check
    their arguments in `__init__`: a float field takes any finite number (a slider may send 2, and transformers'
    warpers insist on floats), an int field a whole number (a number box sends 4.0, never 2.5), a bool field a bool.
    """
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.type is bool:
            check(isinstance(value, bool), WORDS.text("must_be", name=f.name, what=WORDS.text("kind.bool"),
                                                      value=repr(value)))
        elif f.type in (int, float):
            check(isinstance(value, (int, float)) and not isinstance(value, bool),
                  WORDS.text("must_be", name=f.name, what=WORDS.text("kind.number"), value=repr(value)))
            check(math.isfinite(value), WORDS.text("finite", name=f.name, value=repr(value)))
            check(f.type is float or int(value) == value, WORDS.text("whole", name=f.name, value=repr(value)))
            object.__setattr__(obj, f.name, f.type(value))


class Settings:
    """Base of every frozen settings dataclass: its fields are checked and coerced by their declared types when it
    is made, then each field named in `RANGES` against its inclusive (low, high). A subclass with more to check
    extends `__post_init__` and calls this one first."""

    RANGES: dict[str, tuple[float, float]] = {}  # a plain class attribute, not a dataclass field

    def __post_init__(self):
        check_fields(self)
        for name, (low, high) in self.RANGES.items():
            value = getattr(self, name)
            check(low <= value <= high, WORDS.text("between", name=name, low=low, high=high, value=value))


UNWRITABLE = {errno.ENOSPC: "disk_full", errno.EDQUOT: "quota", errno.EACCES: "permission", errno.EPERM: "permission",
              errno.EROFS: "read_only", errno.ENOTDIR: "file_in_the_way", errno.EEXIST: "file_in_the_way"}


def unwritable(err: OSError, what: str, where, advice: str) -> PlaygroundError | None:
    """A clear error for `what` failing to be written in `where` (full disk, no permission, ...); None for an
    OSError that is something else."""
    if err.errno not in UNWRITABLE:
        return None
    return PlaygroundError(WORDS.text("unwritable", what=what, where=where, advice=advice,
                                      why=WORDS.text(f"unwritable.{UNWRITABLE[err.errno]}")))

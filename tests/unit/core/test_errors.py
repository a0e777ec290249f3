"""The Settings base: fields coerced by their types, and ranges declared once and checked with one message."""

from dataclasses import dataclass

import pytest

from playground.core.errors import PlaygroundError, Settings


@dataclass(frozen=True)
class Example(Settings):
    steps: int = 3
    rate: float = 0.5

    RANGES = {"steps": (1, 10), "rate": (0, 1)}


def test_a_declared_range_is_checked_after_the_type_and_is_not_a_field():
    assert Example(steps=10.0).steps == 10 and isinstance(Example(steps=10.0).steps, int)
    assert Example(rate=1).rate == 1.0
    with pytest.raises(PlaygroundError, match=r"steps must be between 1 and 10 \(got 11\)"):
        Example(steps=11)
    with pytest.raises(PlaygroundError, match=r"rate must be between 0 and 1 \(got -0.1\)"):
        Example(rate=-0.1)
    with pytest.raises(PlaygroundError, match="steps must be a whole number"):
        Example(steps=2.5)
    assert "RANGES" not in Example.__dataclass_fields__

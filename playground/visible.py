"""Token text made visible: whitespace that would otherwise vanish in a label or a chip."""

_MARKS = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def visible(text: str) -> str:
    """`" the\\n"` -> `"␣the↵"`; an empty piece (half of a multi-byte character) shows as `·`."""
    if text == "":
        return "·"
    return "".join(_MARKS.get(ch, ch) for ch in text)

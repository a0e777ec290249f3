"""How a token looks to a person: the text piece it adds, whitespace made visible, a colour for its probability,
and the HTML chip that shows all three (styles: ui/theme)."""

from html import escape

from playground.core.words import WORDS

_MARKS = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def visible(text: str) -> str:
    """`" the\\n"` -> `"␣the↵"`; an empty piece (half of a multi-byte character) shows as `·`."""
    if text == "":
        return "·"
    return "".join(_MARKS.get(ch, ch) for ch in text)


def token_pieces(tokenizer, ids: list[int]) -> list[str]:
    """The text each token adds. A character split over several byte tokens shows on the token completing it."""
    pieces, committed = [], ""
    for i in range(len(ids)):
        text = tokenizer.decode(ids[: i + 1], clean_up_tokenization_spaces=False)
        if text.endswith("\ufffd"):
            pieces.append("")
            continue
        pieces.append(text[len(committed) :])
        committed = text
    if pieces and committed != text:  # the text ends in bytes that never form a character: show them as they are
        pieces[-1] += text[len(committed) :]
    return pieces


def probability_colour(p: float) -> str:
    """Red for tokens the model found unlikely, through yellow, to green for likely ones."""
    hue = int(120 * max(0.0, min(1.0, p)))
    return f"hsl({hue}, 85%, 82%)"


def token_chip(text: str, prob: float, title: str) -> str:
    """One token as a chip coloured by its probability; the title shows on hover."""
    return (f'<span class="tok" style="background:{probability_colour(prob)}" title="{escape(title)}">'
            f"{escape(text) if text else '·'}</span>")


def probability_legend(what: str | None = None) -> str:
    """What the token colours mean; `what` is the model that gave the probabilities (by default, "the model")."""
    chips = [f'<span class="tok" style="background:{probability_colour(p)}">{WORDS.text(key)}</span>'
             for p, key in ((0.02, "legend.unlikely"), (0.5, "legend.even"), (0.98, "legend.certain"))]
    what = WORDS.text("legend.the_model") if what is None else what
    return f'<div class="legend">{WORDS.text("legend", what=escape(what), chips=" → ".join(chips))}</div>'

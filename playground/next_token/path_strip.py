"""The walked path as one strip of HTML: each chosen token with its probability when it was chosen."""

from html import escape

from playground.core.visible import visible
from playground.next_token.view import NextTokenView
from playground.next_token.words import WORDS


def path_html(view: NextTokenView) -> str:
    if not view.path:
        return f"<div class='legend'>{WORDS.text('path.empty')}</div>"
    chips = " → ".join(
        f"<span class='tok' title='p={s.prob:.3f}'>{escape(visible(s.text))}</span> <small>{s.prob:.3f}</small>"
        for s in view.path
    )
    return f"<div class='legend'>{WORDS.text('path', chips=chips)}</div>"

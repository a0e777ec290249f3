"""The languages the playground speaks, the language of the request being served, and the words of each part.

A part's words live in one `Words` (its `words.py`; the ui's in `ui/i18n/`): each key holds its (English, Chinese)
pair, each string once. Logic builds its figures, summaries and errors with `WORDS.text(key, **values)`, which
speaks the language of the request at hand: the ui's guard sets it from the request (`speaking`) around every
handler, and outside any request it is English. Numbers, units, code names and token text are never translated.
"""

import contextlib
import contextvars

LANGUAGES = {"en": "English", "zh-CN": "简体中文"}
DEFAULT = "en"

_CURRENT = contextvars.ContextVar("playground_language", default=DEFAULT)
REGISTRY: dict[str, "Words"] = {}  # every part's words, by name (the catalogue tests read them all)


def current() -> str:
    """The language of the request being served; English outside one."""
    return _CURRENT.get()


@contextlib.contextmanager
def speaking(language: str):
    """Build text in `language` (English for one we do not speak) until the block ends."""
    token = _CURRENT.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _CURRENT.reset(token)


class Words:
    """One part's words: `entries` maps a key to its texts in the order of LANGUAGES (English, Chinese), each a
    `str.format` template when it quotes values."""

    def __init__(self, name: str, entries: dict[str, tuple[str, str]]):
        assert name not in REGISTRY, f"two parts name their words {name!r}"
        self.name, self.entries = name, entries
        REGISTRY[name] = self

    def text(self, key: str, language: str | None = None, /, **values) -> str:
        """The words for `key` in `language` (by default the request's), filled with `values`."""
        texts = self.entries[key]
        language = language or current()
        template = texts[list(LANGUAGES).index(language)] if language in LANGUAGES else texts[0]
        return template.format(**values) if values else template

"""Every word a person reads, in English and in 简体中文, the study note's language, in its terms.

Each tab keeps its words in one catalogue here (`Catalogue`): a key and its (English, Chinese) pair, each string
once. Static text (tab titles, labels, Markdown, buttons) goes to Gradio as a key through `gr.I18n`, and the page
shows it in the browser's language, or in the one the header's switch chose. Text the server builds takes its
language from the request (`language_of`): the switch's cookie, else the Accept-Language header, else English; the
guard (`ui/errors.py`) sets it around each handler, and logic reads it from `playground.core.language`.

The switch stores the choice in localStorage and reloads; a script at the top of the page's head applies it
(`HEAD`, put there by `early_head.EarlyHead`).
"""

import hashlib
from http.cookies import SimpleCookie

import gradio as gr

from playground.core.language import LANGUAGES, Words

COOKIE = "playground_lang"
STORAGE_KEY = "playground-lang"

_STRINGS: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
# Gradio's own mechanism; it keeps these dicts, which fill as the catalogues are imported and the page is built.
I18N = gr.I18n(**_STRINGS)


class Catalogue(Words):
    """One tab's words, for Gradio as well: `cat("intro")` is the key for a static component (the page shows it in
    its language); `cat.text("intro", **values)` the words a handler builds, in the request's language;
    `cat.filled("answer", **values)` a static key for words whose numbers are known only when the page is built."""

    def __init__(self, name: str, entries: dict[str, tuple[str, str]]):
        super().__init__(name, entries)
        for key in entries:
            self._register(self._key(key), *(self.text(key, language) for language in LANGUAGES))

    def _key(self, key: str) -> str:
        return f"{self.name}.{key}"

    @staticmethod
    def _register(full_key: str, *texts: str) -> None:
        for language, text in zip(LANGUAGES, texts, strict=True):
            _STRINGS[language][full_key] = text

    def __call__(self, key: str) -> gr.i18n.I18nData:
        if key not in self.entries:
            raise KeyError(f"{self.name} has no text {key!r}")
        return I18N(self._key(key))

    def filled(self, key: str, **values) -> gr.i18n.I18nData:
        """A value may be a function of the language: words from a catalogue, say."""
        texts = [self.text(key, language, **{name: value(language) if callable(value) else value
                                              for name, value in values.items()}) for language in LANGUAGES]
        digest = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:10]
        self._register(self._key(f"{key}.{digest}"), *texts)
        return I18N(self._key(f"{key}.{digest}"))


def static(words: Words, key: str) -> gr.i18n.I18nData:
    """A logic part's words (its `Words`, which the server speaks per request) as a static component's key."""
    Catalogue._register(f"{words.name}.{key}", *(words.text(key, language) for language in LANGUAGES))
    return I18N(f"{words.name}.{key}")


def resolve(data: gr.i18n.I18nData, language: str = "en") -> str:
    """The words a static key shows in `language`, as the page shows them."""
    return _STRINGS[language][data.key]


def language_of(request: gr.Request | None) -> str:
    """The language a request reads: the switch's cookie, else the first of Accept-Language we speak, else English."""
    headers = getattr(request, "headers", None) or {}
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header means no choice, not an error
        cookie = SimpleCookie()
    if COOKIE in cookie and cookie[COOKIE].value in LANGUAGES:
        return cookie[COOKIE].value
    for part in headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


# Gradio reads the page's language from `navigator.language` once, as it starts; this runs before it (see
# early_head.py), makes `navigator.language` say the switch's choice, and tells the server as a cookie.
HEAD = f"""<script>
(() => {{
  const chosen = localStorage.getItem("{STORAGE_KEY}");
  if (chosen) {{
    Object.defineProperty(Navigator.prototype, "language", {{get: () => chosen, configurable: true}});
    Object.defineProperty(Navigator.prototype, "languages", {{get: () => [chosen], configurable: true}});
  }}
  const language = chosen || (navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en");
  document.cookie = "{COOKIE}=" + language + "; path=/; SameSite=Lax";
}})();
</script>"""


def switch_html() -> str:
    """The header's language switch: each button stores its language and reloads the page."""
    buttons = "".join(
        f'<button class="lang-switch" data-lang="{code}" onclick="localStorage.setItem(\'{STORAGE_KEY}\', '
        f'\'{code}\'); location.reload()">{name}</button>' for code, name in LANGUAGES.items())
    return f'<div class="lang-switches" id="language-switch">{buttons}</div>'

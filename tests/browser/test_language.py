"""The page in the browser's language: a zh-CN browser sees the tab titles, the start page and every tab in
Chinese (their explanation, their plots, their errors), an en-US one in English, and the header's switch
flips a page to the other language and back. Screenshots of both at 1400 and 390 px are kept in test-artifacts/."""

import pytest

from playground.architecture.words import WORDS as ARCHITECTURE_WORDS
from playground.attention.words import WORDS as ATTENTION_WORDS
from playground.core import config, reference
from playground.core.language import speaking
from playground.core.words import WORDS
from playground.decoding.strategies import label
from playground.internals.words import WORDS as INTERNALS_WORDS
from playground.next_token.words import WORDS as NEXT_TOKEN_WORDS
from playground.ui import TABS, architecture, attention, decoding, internals, next_token, peft_lab, tab_title
from playground.ui.i18n.architecture import ARCHITECTURE
from playground.ui.i18n.attention import ATTENTION
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.decoding import DECODING
from playground.ui.i18n.internals import INTERNALS
from playground.ui.i18n.next_token import NEXT_TOKEN
from playground.ui.i18n.peft_lab import PEFT
from playground.ui.i18n.start import START


MACHINE = {"cpu": "", "threads": "", "dtype": "", "torch": "", "date": ""}  # the reference line's words only


@pytest.fixture()
def browser_in(page, app_process_url):
    """A new browser context in a locale, on the app; closed after the test."""
    contexts = []

    def open_in(locale: str, width: int = 1400):
        context = page.context.browser.new_context(locale=locale, viewport={"width": width, "height": 1000})
        contexts.append(context)
        opened = context.new_page()
        opened.goto(app_process_url)
        opened.get_by_role("tab", name=tab_title(TABS[0], "zh-CN" if locale.startswith("zh") else "en"),
                           exact=True).wait_for(timeout=60_000)
        return opened

    yield open_in
    for context in contexts:
        context.close()


def intro_heading(language: str) -> str:
    return START.text("intro", language).splitlines()[0].lstrip("# ")


@pytest.mark.parametrize("locale,language", [("zh-CN", "zh-CN"), ("en-US", "en")])
@pytest.mark.parametrize("width", [1400, 390])
def test_the_page_speaks_the_browsers_language(browser_in, artifacts, locale, language, width):
    opened = browser_in(locale, width)
    if width > 500:  # on a phone the later tabs fold into a menu
        for tab in TABS:
            opened.get_by_role("tab", name=tab_title(tab, language), exact=True).wait_for(timeout=5_000)
    opened.get_by_text(intro_heading(language)).wait_for(timeout=10_000)
    question = START.text("q1", language).removeprefix("### ")
    opened.get_by_role("heading", name=question).wait_for(timeout=5_000)
    other = "en" if language == "zh-CN" else "zh-CN"
    assert opened.get_by_text(intro_heading(other)).count() == 0
    shown = opened.locator("#tab-start").inner_text()
    assert START.text("q2", language).removeprefix("### ") in shown  # quotes and apostrophes as they are
    opened.screenshot(path=str(artifacts / f"language-{locale}-{width}.png"), full_page=True)


def test_the_switch_flips_the_page_and_back(browser_in):
    opened = browser_in("en-US")
    opened.locator("#language-switch button[data-lang='zh-CN']").click()
    opened.get_by_role("tab", name=tab_title(TABS[1], "zh-CN"), exact=True).wait_for(timeout=60_000)
    opened.get_by_text(intro_heading("zh-CN")).wait_for(timeout=10_000)
    assert opened.evaluate("() => document.cookie").count("playground_lang=zh-CN") == 1
    opened.locator("#language-switch button[data-lang='en']").click()
    opened.get_by_role("tab", name=tab_title(TABS[1], "en"), exact=True).wait_for(timeout=60_000)
    opened.get_by_text(intro_heading("en")).wait_for(timeout=10_000)


def open_tab(opened, tab, language: str, intro: str):
    """Click `tab`'s title in `language` and wait for its explanation's heading."""
    opened.get_by_role("tab", name=tab_title(tab, language), exact=True).click()
    opened.locator(f"#tab-{tab.__name__.rsplit('.', 1)[-1]}").get_by_text(
        intro.splitlines()[0].lstrip("# ").replace("`", "")).wait_for(timeout=10_000)  # code shows as text


def wait_for_title(opened, plot: str, title: str) -> None:
    """Until a plot under `plot` (a CSS selector) has a title that starts with `title`."""
    opened.wait_for_function(f"t => [...document.querySelectorAll('{plot} .gtitle')]"
                             ".some(e => e.textContent.startsWith(t))", arg=title, timeout=60_000)


@pytest.mark.parametrize("locale,language", [("zh-CN", "zh-CN"), ("en-US", "en")])
def test_the_tabs_their_plots_and_an_error_speak_the_browsers_language(browser_in, artifacts, locale, language):
    """In one page: each tab's explanation and a plot built there in the page's language (its opening or shipped
    reference), the decoding cards' strategies, a table's headers, and an empty prompt's error."""
    opened = browser_in(locale)
    open_tab(opened, next_token, language, NEXT_TOKEN.text("intro", language))
    wait_for_title(opened, "#tab-next_token", NEXT_TOKEN_WORDS.text("sweep.title", language))
    opened.locator("#tab-next_token").get_by_label(COMMON.text("prompt", language), exact=True).fill("  ")
    opened.locator("#next-token-show").click()
    opened.get_by_text(WORDS.text("prompt.empty", language)).first.wait_for(timeout=30_000)
    opened.screenshot(path=str(artifacts / f"language-next-token-error-{locale}.png"))

    open_tab(opened, decoding, language, DECODING.text("intro", language))
    with speaking(language):
        greedy = label("greedy")
    opened.locator("#tab-decoding .card h4", has_text=greedy).wait_for(timeout=240_000)
    wait_for_title(opened, "#tab-decoding", greedy)  # the trace of the first strategy
    opened.screenshot(path=str(artifacts / f"language-decoding-{locale}.png"), full_page=True)

    open_tab(opened, attention, language, ATTENTION.text("intro", language, limit=config.MAX_ATTENTION_TOKENS))
    head = ATTENTION_WORDS.entries["head.title"][0 if language == "en" else 1].split("{head}")[0].format(layer=0)
    wait_for_title(opened, "#attention-head-plot", head)
    opened.screenshot(path=str(artifacts / f"language-attention-{locale}.png"), full_page=True)

    open_tab(opened, architecture, language, ARCHITECTURE.text("intro", language))
    walk = ARCHITECTURE_WORDS.entries["walk.title"][0 if language == "en" else 1]
    wait_for_title(opened, "#architecture-walk-plot", walk.split("{position}")[0].format(layer=0))  # the token's own
    opened.screenshot(path=str(artifacts / f"language-architecture-{locale}.png"), full_page=True)

    open_tab(opened, internals, language, INTERNALS.text("intro", language))
    timing = INTERNALS_WORDS.entries["kv.title"][0 if language == "en" else 1]
    wait_for_title(opened, "#internals-kv-plot", timing.split("{")[0])  # the KV cache's reference, drawn here
    opened.locator("#internals-kv-summary").get_by_text(
        reference.measured(MACHINE, language).split("**")[1]).wait_for(timeout=10_000)
    opened.locator("#tab-internals th", has_text=INTERNALS.text("column.kv_heads", language)).first.wait_for()
    opened.screenshot(path=str(artifacts / f"language-internals-{locale}.png"), full_page=True)

    open_tab(opened, peft_lab, language, PEFT.text("intro", language))
    with speaking(language):
        where = PEFT.text("where_title", method="LoRA")
    wait_for_title(opened, "#tab-peft_lab", where)
    opened.screenshot(path=str(artifacts / f"language-peft-lab-{locale}.png"), full_page=True)

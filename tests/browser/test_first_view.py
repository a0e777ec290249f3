"""What a newcomer sees first, in a fresh browser session at 1400 px: every tab opens with a plot that has data
and no button pressed; no tab or sub-tab is taller than about two screens; and each start-page button lands on
its panel with the experiment's inputs set."""

import pytest

from playground.ui import TABS, tab_title
from playground.ui.start import LINKS

MAX_HEIGHT = 2_800  # px at 1400 px wide: about two screens
TAB_IDS = [tab.__name__.rsplit(".", 1)[-1] for tab in TABS]
# A plot on show (not in a hidden tab) whose traces hold data: drawn, not an empty frame.
PLOT_WITH_DATA = """() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.offsetParent !== null
    && (p.data || []).some(t => ['x', 'y', 'z', 'values'].some(k => Array.isArray(t[k]) && t[k].length > 0)))"""
SUB_TABS = {"attention": ["Heads", "One cell", "RoPE", "Growth", "Edit the mask", "Which mask"],
            "peft_lab": ["Train", "Compare methods", "Side by side", "Save and load"],
            "internals": ["KV cache", "PagedAttention", "FlashAttention", "Decode roofline", "Speculative decoding"],
            "architecture": ["Block walk", "Norms and MLPs", "Logit lens", "Pretraining masks", "Anatomy"]}


@pytest.fixture(scope="module")
def fresh(page, app_process_url):
    """A new browser session (its own cookies and Gradio session) on the app, in which nothing is pressed: opening
    one tab after another is all it does. The module's page is kept for the tests that press."""
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    fresh = context.new_page()
    fresh.goto(app_process_url)
    fresh.get_by_role("tab", name="Start here").wait_for(timeout=60_000)
    yield fresh
    context.close()


def open_tab(page, tab) -> None:
    page.get_by_role("tab", name=tab_title(tab), exact=True).first.click()


def page_height(page) -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")


@pytest.mark.parametrize("tab", TABS, ids=TAB_IDS)
def test_every_tab_opens_with_a_plot_drawn(fresh, artifacts, tab):
    open_tab(fresh, tab)
    fresh.wait_for_function(PLOT_WITH_DATA, timeout=30_000)
    name = tab.__name__.rsplit(".", 1)[-1]
    fresh.screenshot(path=str(artifacts / f"first-view-{name}.png"), full_page=True)
    assert page_height(fresh) <= MAX_HEIGHT, f"{tab_title(tab)} is {page_height(fresh)} px tall"


@pytest.mark.parametrize("tab_id, sub_tab", [(t, s) for t, subs in SUB_TABS.items() for s in subs])
def test_every_sub_tab_fits_two_screens(page, tab_id, sub_tab):
    open_tab(page, TABS[TAB_IDS.index(tab_id)])
    page.get_by_role("tab", name=sub_tab, exact=True).click()
    page.wait_for_timeout(300)  # the sub-tab drawn
    assert page_height(page) <= MAX_HEIGHT, f"{sub_tab} is {page_height(page)} px tall"


def shown_value(page, elem_id: str) -> str:
    return page.locator(f"#{elem_id} input, #{elem_id} textarea").first.input_value()


@pytest.mark.parametrize("elem_id", list(LINKS))
def test_a_start_page_button_lands_on_its_panel_with_its_inputs(page, elem_id):
    link = LINKS[elem_id]
    open_tab(page, TABS[0])
    joins = []
    page.on("request", lambda r: r.method == "POST" and "/queue/join" in r.url and joins.append(r.url))
    page.locator(f"#{elem_id}").click()
    page.locator(f"#tab-{link.tab}").wait_for(state="visible", timeout=10_000)
    if link.sub_tab:
        page.locator(f"#{link.tabs}-{link.sub_tab}").wait_for(state="visible", timeout=10_000)
    for input_id, value in link.inputs.items():
        if isinstance(value, str):  # a text, or a dropdown's choice (shown by its label, which names it)
            page.wait_for_function("([id, v]) => (document.querySelector(`#${id} input, #${id} textarea`)?.value "
                                   "|| '').includes(v)", arg=[input_id, value], timeout=10_000)
        else:
            page.wait_for_function("([id, v]) => Number(document.querySelector(`#${id} input`)?.value) === v",
                                   arg=[input_id, value], timeout=10_000)
    if link.press:  # the experiment ran: its button sent its event
        page.wait_for_timeout(1_000)
        assert joins, f"{link.press} was not pressed"

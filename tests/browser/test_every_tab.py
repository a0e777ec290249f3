"""Every tab at a phone's width (390 px): it opens, shows its main button, and the page itself never scrolls
sideways (wide plots and tables scroll inside their own boxes). Screenshots in test-artifacts/."""

import pytest

from playground.ui import TABS, tab_title


@pytest.fixture(scope="module", autouse=True)
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    yield
    page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.parametrize("tab", TABS, ids=lambda t: t.__name__.rsplit(".", 1)[-1])
def test_every_tab_fits_a_phone(page, artifacts, tab):
    shown = page.get_by_role("tab", name=tab_title(tab))
    if shown.is_visible():
        shown.click()
    else:  # a phone shows the first tabs; the rest wait behind Gradio's "More tabs" menu
        page.get_by_role("button", name="More tabs").first.click()
        page.locator(".overflow-dropdown button", has_text=tab_title(tab)).first.click()
    page.get_by_role("tabpanel").get_by_role("button").first.wait_for(state="visible", timeout=30_000)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    name = tab.__name__.rsplit(".", 1)[-1]
    page.screenshot(path=str(artifacts / f"phone-{name}.png"), full_page=True)
    assert overflow <= 0, f"the {tab_title(tab)} tab is {overflow} px wider than a 390 px phone"

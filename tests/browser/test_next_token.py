"""The next-token distribution tab in headless Chromium on the embedded model."""

import re


def kept_count(page) -> int:
    text = page.locator("#next-token-summary").inner_text()
    return int(re.search(r"Kept set: ([\d,]+)", text).group(1).replace(",", ""))


def wait_for_kept_change(page, before: int) -> int:
    page.wait_for_function(
        """before => { const m = document.querySelector('#next-token-summary')?.innerText.match(/Kept set: ([\\d,]+)/);
                       return m && parseInt(m[1].replace(/,/g, '')) !== before; }""",
        arg=before, timeout=60_000,
    )
    return kept_count(page)


def set_slider(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(value)
    box.press("Enter")


def test_moving_temperature_and_top_p_changes_the_kept_set(page, artifacts):
    """The tab opens on its defaults' distribution (temperature 0.7, top-k 50, top-p 0.9); hotter keeps more."""
    page.get_by_role("tab", name="Next-token distribution").click()
    page.locator("#next-token-summary").get_by_text("Kept set").wait_for(timeout=120_000)
    first = kept_count(page)
    assert 1 < first < 50
    set_slider(page, "next-token-temperature", "2")
    hotter = wait_for_kept_change(page, first)
    assert hotter > first  # a flatter distribution needs more tokens to reach 90%
    set_slider(page, "next-token-top-p", "0.3")
    narrower = wait_for_kept_change(page, hotter)
    assert narrower < hotter
    assert page.locator("#next-token-summary").inner_text().count("temperature") >= 1
    assert page.locator(".js-plotly-plot").count() >= 3  # the stages, the nucleus, the temperature sweep
    page.screenshot(path=str(artifacts / "distribution.png"), full_page=True)


def test_stepping_through_two_tokens(page, artifacts):
    page.reload()  # a fresh session: no events still in flight from the test before
    page.get_by_role("tab", name="Next-token distribution").click()
    page.get_by_role("button", name="Show distribution").click()
    choices = page.locator("#next-token-choice label")
    choices.first.wait_for(timeout=60_000)
    first_choice = choices.first.inner_text().split("(p=")[0].strip()
    choices.first.click()
    page.get_by_role("button", name="Append chosen token").click()
    page.wait_for_function("document.querySelectorAll('#next-token-path .tok').length === 1", timeout=60_000)
    assert first_choice in page.locator("#next-token-path").inner_text()
    page.get_by_role("button", name="Sample next token").click()
    page.wait_for_function("document.querySelectorAll('#next-token-path .tok').length === 2", timeout=60_000)
    page.screenshot(path=str(artifacts / "distribution-path.png"), full_page=True)
    page.get_by_role("button", name="Reset path").click()
    page.wait_for_function("document.querySelectorAll('#next-token-path .tok').length === 0", timeout=60_000)
    page.get_by_role("button", name="Append chosen token").click()  # nothing chosen yet
    page.get_by_text("Pick one of the tokens first").first.wait_for(timeout=30_000)


def test_an_experiment_click_computes_once(page):
    """The click sets every control (one request) and runs the distribution once (one more), however many
    controls it changed."""
    page.reload()
    page.get_by_role("tab", name="Next-token distribution").click()
    page.locator("#next-token-summary").get_by_text("Kept set").wait_for(timeout=60_000)  # its opening has landed
    joins = []
    page.on("request", lambda r: r.method == "POST" and "/queue/join" in r.url and joins.append(r.url))
    page.get_by_role("button", name="Hot and safe: temperature 2 with min-p 0.1").click()
    page.locator("#next-token-summary").get_by_text("Context: 5 tokens").wait_for(timeout=60_000)  # its prompt
    page.wait_for_timeout(2_000)  # time for any further event the click might have set off
    assert len(joins) == 2
    assert page.locator("#next-token-temperature input[type=number]").input_value() == "2"

"""The internals tab in headless Chromium on the embedded SmolLM2: the KV-cache panel runs and renders its plot."""


def test_the_kv_cache_panel_measures_and_plots(page, artifacts):
    page.get_by_role("tab", name="Inference internals").click()
    page.locator("#internals-kv-run").click()
    page.locator("#internals-kv-summary").get_by_text("exactly equal").wait_for(timeout=180_000)
    page.wait_for_function("() => document.querySelectorAll('#internals-kv-plot .scatterlayer .trace').length == 2",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#internals-kv-table').innerText.includes('Gemma-2-9B')",
                           timeout=30_000)
    page.screenshot(path=str(artifacts / "internals-kv-cache.png"), full_page=True)

"""The internals tab in headless Chromium on the embedded SmolLM2: each of its four panels runs and renders its
plots."""


def test_the_kv_cache_panel_measures_and_plots(page, artifacts):
    page.get_by_role("tab", name="Inference internals").click()
    tokens = page.locator("#internals-kv-new-tokens input[type=number]")  # the first panel is open
    tokens.fill("24")  # a short run: /kv_cache's API test runs the defaults
    tokens.press("Enter")
    page.locator("#internals-kv-run").click()
    page.locator("#internals-kv-summary").get_by_text("exactly equal").wait_for(timeout=180_000)
    page.locator("#internals-kv-summary").get_by_text("24 new tokens").wait_for(timeout=5_000)
    page.wait_for_function("() => document.querySelectorAll('#internals-kv-plot .scatterlayer .trace').length == 2",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#internals-kv-table').innerText.includes('Gemma-2-9B')",
                           timeout=30_000)
    page.screenshot(path=str(artifacts / "internals-kv-cache.png"), full_page=True)


def test_the_paged_attention_panel_serves_and_simulates(page, artifacts):
    page.get_by_role("tab", name="Inference internals").click()
    page.get_by_role("tab", name="PagedAttention").click()
    page.locator("#internals-paged-run").click()
    page.locator("#internals-paged-summary").get_by_text("the same as").wait_for(timeout=180_000)
    page.locator("#internals-paged-sim-summary").get_by_text("Against the vLLM paper").wait_for(timeout=30_000)
    for plot in ("internals-paged-map", "internals-paged-memory", "internals-paged-beams"):
        page.wait_for_function(f"() => document.querySelector('#{plot} .main-svg') !== null", timeout=30_000)
    page.screenshot(path=str(artifacts / "internals-paged.png"), full_page=True)


def test_the_flash_attention_panel_walks_the_row_and_measures(page, artifacts):
    page.get_by_role("tab", name="Inference internals").click()
    page.get_by_role("tab", name="FlashAttention").click()
    page.locator("#internals-flash-run").click()
    page.locator("#internals-flash-summary").get_by_text("no faster than naive").wait_for(timeout=180_000)
    page.wait_for_function("() => document.querySelectorAll('#internals-flash-walk .trace').length >= 3",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('#internals-flash-sweep .scatterlayer .trace').length == 6",
                           timeout=30_000)
    page.screenshot(path=str(artifacts / "internals-flash.png"), full_page=True)


def test_the_roofline_panel_measures_the_floor_and_the_batches(page, artifacts):
    page.get_by_role("tab", name="Inference internals").click()
    page.get_by_role("tab", name="Decode roofline").click()
    for slider, value in [("max-batch", "4"), ("exhibit-tokens", "8")]:  # a short run: /roofline tests the defaults
        page.locator(f"#internals-roofline-{slider} input[type=number]").fill(value)
        page.locator(f"#internals-roofline-{slider} input[type=number]").press("Enter")
    page.locator("#internals-roofline-run").click()
    page.locator("#internals-roofline-summary").get_by_text("the floor").first.wait_for(timeout=300_000)
    for plot in ("internals-roofline-floor", "internals-roofline-batch", "internals-roofline-split"):
        page.wait_for_function(f"() => document.querySelector('#{plot} .main-svg') !== null", timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('#internals-roofline-batch .scatterlayer .point').length"
                           " == 6", timeout=30_000)  # batches 1, 2, 4: the short run's settings took
    page.screenshot(path=str(artifacts / "internals-roofline.png"), full_page=True)

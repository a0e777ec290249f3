"""The internals tab in headless Chromium on the embedded SmolLM2: each of its five panels opens on a result (the
slow ones on a shipped reference), runs here and renders its plots."""

PLOTTED = "() => document.querySelector('#{} .main-svg') !== null"


def run_panel(page, sub_tab: str, panel: str, settings: dict, done_text: str, timeout: int = 180_000) -> None:
    """Open the panel's sub-tab, set its number inputs (short runs: the API tests run the defaults), press its
    button and wait until its summary says `done_text` and no longer shows the reference result it opened on."""
    page.get_by_role("tab", name="Inference internals").click()
    page.get_by_role("tab", name=sub_tab).click()
    for control, value in settings.items():
        box = page.locator(f"#internals-{panel}-{control} input[type=number]")
        box.fill(value)
        box.press("Enter")
    page.locator(f"#internals-{panel}-run").click()
    page.wait_for_function("([id, done]) => { const text = document.querySelector(`#${id}`)?.innerText || '';"
                           " return text.includes(done) && !text.includes('Reference result'); }",
                           arg=[f"internals-{panel}-summary", done_text], timeout=timeout)


def wait_for(page, *conditions: str) -> None:
    for condition in conditions:
        page.wait_for_function(condition, timeout=30_000)


def test_the_kv_cache_panel_measures_and_plots(page, artifacts):
    run_panel(page, "KV cache", "kv", {"new-tokens": "24"}, "exactly equal")
    page.locator("#internals-kv-summary").get_by_text("24 new tokens").wait_for(timeout=5_000)
    wait_for(page, "() => document.querySelectorAll('#internals-kv-plot .scatterlayer .trace').length == 2",
             "() => document.querySelector('#internals-kv-table').innerText.includes('Gemma-2-9B')")
    page.screenshot(path=str(artifacts / "internals-kv-cache.png"), full_page=True)


def test_the_paged_attention_panel_serves_and_simulates(page, artifacts):
    run_panel(page, "PagedAttention", "paged", {}, "the same as")
    page.locator("#internals-paged-sim-summary").get_by_text("Against the vLLM paper").wait_for(timeout=30_000)
    wait_for(page, *(PLOTTED.format(p) for p in ("internals-paged-map", "internals-paged-memory",
                                                  "internals-paged-beams")))
    page.screenshot(path=str(artifacts / "internals-paged.png"), full_page=True)


def test_the_flash_attention_panel_walks_the_row_and_measures(page, artifacts):
    run_panel(page, "FlashAttention", "flash", {}, "no faster than naive")
    wait_for(page, "() => document.querySelectorAll('#internals-flash-walk .trace').length >= 3",
             "() => document.querySelectorAll('#internals-flash-sweep .scatterlayer .trace').length == 6")
    page.screenshot(path=str(artifacts / "internals-flash.png"), full_page=True)


def test_the_roofline_panel_measures_the_floor_and_the_batches(page, artifacts):
    run_panel(page, "Decode roofline", "roofline", {"new-tokens": "4", "max-batch": "4", "exhibit-tokens": "8"}, "the floor",
              timeout=300_000)
    wait_for(page, *(PLOTTED.format(p) for p in ("internals-roofline-floor", "internals-roofline-batch",
                                                  "internals-roofline-split")),
             # batches 1, 2 and 4, two traces: the short run's settings took
             "() => document.querySelectorAll('#internals-roofline-batch .scatterlayer .point').length == 6")
    page.screenshot(path=str(artifacts / "internals-roofline.png"), full_page=True)


def test_the_speculative_panel_runs_with_each_offline_drafter(page, artifacts):
    run_panel(page, "Speculative decoding", "spec", {}, "the same tokens as plain greedy")
    page.locator("#internals-spec-summary").get_by_text("prompt lookup").wait_for(timeout=5_000)
    wait_for(page, PLOTTED.format("internals-spec-plot"), PLOTTED.format("internals-spec-rule-plot"),
             "() => document.querySelectorAll('#internals-spec-steps .spec-kept').length > 0")
    page.get_by_role("button", name="Early exit at 28 layers").click()
    page.wait_for_function("() => (document.querySelector('#internals-spec-summary')?.innerText || '')"
                           ".includes('early exit')", timeout=180_000)
    page.locator("#internals-spec-summary").get_by_text("the same tokens as plain greedy").wait_for(timeout=5_000)
    page.locator("#internals-spec-rule").get_by_text("min(1, p/q)").wait_for(timeout=5_000)
    page.screenshot(path=str(artifacts / "internals-speculative.png"), full_page=True)

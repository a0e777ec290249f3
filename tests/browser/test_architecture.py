"""The architecture tab in headless Chromium on the embedded models: it opens with SmolLM2's block walked and the
lens drawn; MiniLM walks as BERT; an MLM example is drawn, drawn again and counted, and T5's spans cut."""


def test_the_tab_opens_with_a_walked_block_and_the_lens(page, artifacts):
    page.get_by_role("tab", name="Architecture: from BERT to Qwen", exact=True).click()
    page.locator("#architecture-walk-summary").get_by_text("matches the model's own module").wait_for(timeout=60_000)
    page.locator("#architecture-walk-plot .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.locator("#architecture-walk-table").get_by_text("silu(gate) ⊙ up").first.wait_for(state="attached", timeout=30_000)
    page.get_by_role("tab", name="Logit lens", exact=True).click()
    page.locator("#architecture-lens-summary").get_by_text("Paris").wait_for(timeout=30_000)
    page.locator("#architecture-lens-plot .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "architecture-lens.png"), full_page=True)


def test_minilm_walks_as_bert(page, artifacts):
    page.get_by_role("tab", name="Architecture: from BERT to Qwen", exact=True).click()
    page.get_by_role("tab", name="Block walk", exact=True).click()
    model = page.locator("#architecture-model input")
    model.fill("minilm-l6-v2")
    model.press("Enter")
    layer = page.locator("#architecture-layer input")
    layer.fill("0")
    layer.press("Enter")
    page.get_by_role("button", name="Walk the block").click()
    page.locator("#architecture-walk-summary").get_by_text("post-norm").wait_for(timeout=60_000)
    assert "all-MiniLM-L6-v2" in page.locator("#architecture-walk-summary").inner_text()
    page.screenshot(path=str(artifacts / "architecture-bert.png"), full_page=True)


def test_an_mlm_example_is_drawn_and_drawn_again(page, artifacts):
    page.get_by_role("tab", name="Architecture: from BERT to Qwen", exact=True).click()
    page.get_by_role("tab", name="Pretraining masks", exact=True).click()
    summary = page.locator("#architecture-masks-summary")
    summary.get_by_text("(seed 28) picked").wait_for(timeout=30_000)
    page.locator("#architecture-masks-plot .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Draw again (next seed)").click()
    summary.get_by_text("(seed 29) picked").wait_for(timeout=30_000)
    assert page.locator("#architecture-seed input").input_value() == "29"
    assert "[MASK]" in page.locator("#architecture-masks-plot").inner_text()
    page.locator("#architecture-rates-summary").get_by_text("within its bound").wait_for(timeout=30_000)
    page.get_by_text("T5: span corruption").click()
    summary.get_by_text("sentinel").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "architecture-masks.png"), full_page=True)

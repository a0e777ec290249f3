"""The decoding and next-token tabs in headless Chromium on a model the test engine (llama.cpp's server) serves,
chosen from the model picker; and a weight-reading tab saying at once that it cannot use it."""

ENGINE_MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct (served by the engine at http://127.0.0.1:"  # then its port


def choose_engine_model(page, picker: str) -> None:
    page.locator(f"#{picker} input").click()
    page.get_by_role("option", name=ENGINE_MODEL).click()


def test_the_decoding_tab_compares_strategies_on_the_engine(page, artifacts):
    choose_engine_model(page, "decoding-model")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.locator("#decoding-not-run").wait_for(timeout=120_000)
    cards = page.locator(".card")
    assert [cards.nth(i).get_attribute("data-strategy") for i in range(cards.count())] == [
        "greedy", "top_k", "top_p", "min_p"]
    assert "sent at once with 3 others" in cards.first.inner_text()
    assert cards.first.locator(".tok").count() >= 1
    assert "Beam search" in page.locator("#decoding-not-run").inner_text()
    page.wait_for_function("[...document.querySelectorAll('.gtitle')].some(t => t.textContent.startsWith("
                           "'Greedy: each step'))", timeout=30_000)
    page.screenshot(path=str(artifacts / "engine-decoding.png"), full_page=True)


def test_the_next_token_tab_shows_the_engines_head_and_walks_it(page, artifacts):
    page.get_by_role("tab", name="Next-token distribution").click()
    choose_engine_model(page, "next-token-model")
    page.get_by_role("button", name="Show distribution").click()
    summary = page.locator("#next-token-summary")
    summary.get_by_text("Top-20 only").wait_for(timeout=120_000)
    assert "engine top-20" in summary.inner_text()
    page.get_by_role("button", name="Sample next token").click()
    page.locator("#next-token-path").get_by_text("Path (token, its probability when chosen)").wait_for(
        timeout=60_000)
    assert page.locator("#next-token-choice label").count() >= 1  # the kept tokens of the next step
    page.screenshot(path=str(artifacts / "engine-next-token.png"), full_page=True)


def test_a_tab_that_reads_the_weights_says_so_when_the_engine_model_is_chosen(page):
    page.get_by_role("tab", name="Attention").click()
    choose_engine_model(page, "attention-model")
    page.get_by_text("This tab reads the model's weights in this process").first.wait_for(timeout=30_000)

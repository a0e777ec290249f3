"""The decoding tab in a real headless Chromium (Debian's), on the embedded model, as a person would use it."""

def test_the_tab_opens_with_its_comparison_already_drawn(page, artifacts):
    """No button pressed: the default comparison's cards, its trace and its beam tree are on the page."""
    cards = page.locator(".card")
    page.wait_for_function("document.querySelectorAll('.card').length === 5", timeout=60_000)
    strategies = [cards.nth(i).get_attribute("data-strategy") for i in range(cards.count())]
    assert strategies == ["greedy", "beam", "top_k", "top_p", "min_p"]
    greedy = page.locator('.card[data-strategy="greedy"] .text').inner_text()
    assert greedy.count("A party with a birthday cake") >= 2  # greedy loops on the default prompt
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=30_000)
    page.screenshot(path=str(artifacts / "decoding-opening.png"), full_page=True)  # the trace, drawn
    page.get_by_role("tab", name="Beam tree", exact=True).click()
    page.locator("#decoding-beam-tree .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.get_by_role("tab", name="Per-step trace", exact=True).click()


def test_comparison_renders_one_card_per_strategy(page, artifacts):
    page.get_by_label("Prompt").fill("What is the capital of France?")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_function("(document.querySelector('.card[data-strategy=\"greedy\"] .text') || {}).innerText"
                           "?.includes('The capital of France is Paris')", timeout=120_000)
    cards = page.locator(".card")
    assert cards.count() == 5
    for i in range(cards.count()):
        card = cards.nth(i)
        assert card.locator(".tok").count() >= 1
        stats = card.locator(".stats").inner_text()
        assert "perplexity" in stats and "distinct-1" in stats
    # The trace is a real plotly chart.
    page.locator("#decoding-tabs .js-plotly-plot:visible").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "decoding-comparison.png"), full_page=True)


def test_choosing_another_strategy_shows_its_trace(page):
    page.get_by_label("Strategy to trace").click()
    page.get_by_role("option", name="Beam search").click()
    page.wait_for_function(
        "[...document.querySelectorAll('.gtitle')].some(t => t.textContent.startsWith('Beam search: each step'))",
        timeout=30_000,
    )


def test_bad_input_shows_an_error_and_the_page_keeps_working(page, artifacts):
    page.get_by_label("Prompt").fill("   ")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("The prompt is empty").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "decoding-error.png"))


def test_a_suggested_experiment_fills_the_inputs(page):
    page.get_by_role("button", name="Greedy loops on this poem: now compare top-p 0.9").click()
    page.wait_for_function(
        "document.querySelector('textarea') && "
        "document.querySelector('textarea').value.includes('poem about the moon')",
        timeout=30_000,
    )


def test_an_experiment_resets_the_inputs_it_does_not_change(page):
    """Unrelated controls left from earlier clicks (a seed, a top_k) go back to their defaults."""
    page.get_by_text("Each strategy's own parameter").click()
    for elem_id, value in [("decoding-seed", "123"), ("decoding-top-k", "7")]:
        box = page.locator(f"#{elem_id} input[type=number]")
        box.fill(value)
        box.press("Enter")
    page.wait_for_function("document.querySelector('#decoding-top-k input[type=number]').value === '7'")
    page.get_by_role("button", name="Beam search finds a likelier text than greedy").click()
    page.wait_for_function(
        "document.querySelector('#decoding-seed input').value === '0' && "
        "document.querySelector('#decoding-top-k input[type=number]').value === '50'",
        timeout=30_000,
    )
    assert "sky is blue" in page.locator("textarea").first.input_value()


def test_page_loads_nothing_from_outside_localhost(page):
    assert page.outside_requests == []  # checked after every test too (conftest)

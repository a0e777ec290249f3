"""The attention tab in headless Chromium on the embedded SmolLM2: rank heads, find a sink, open it, do the maths."""

import re


def set_number(page, elem_id: str, value: int) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(str(value))
    box.press("Enter")


def press_and_read(page, sub_tab: str, button: str, elem_id: str, awaited: str) -> str:
    """Open the sub-tab, press a button, wait until the element shows `awaited`, and return its text."""
    page.get_by_role("tab", name=sub_tab, exact=True).click()
    page.get_by_role("button", name=button).click()
    page.locator(f"#{elem_id}").get_by_text(awaited).wait_for(timeout=120_000)
    return page.locator(f"#{elem_id}").inner_text()


def test_the_tab_opens_with_its_heads_ranked_and_drawn(page, artifacts):
    """No button pressed: the default prompt's heads, ranked by first-token attention, and one head's heatmap."""
    page.get_by_role("tab", name="Attention").click()
    page.locator("#attention-summary").get_by_text("Top heads by first-token attention").wait_for(timeout=30_000)
    for plot in ("attention-head-plot", "attention-overview", "attention-summed"):
        page.locator(f"#{plot} .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "attention-opening.png"), full_page=True)


def test_ranking_finds_a_sink_head_and_the_heatmap_follows_layer_and_head(page, artifacts):
    page.get_by_role("tab", name="Attention").click()
    page.get_by_role("button", name="Attention sinks: rank heads by first-token attention").click()
    summary = page.locator("#attention-summary")
    summary.get_by_text("Top heads by first-token attention").wait_for(timeout=120_000)
    layer, head, value = re.search(r"layer (\d+) head (\d+) \(([\d.]+)\)", summary.inner_text()).groups()
    assert float(value) > 0.9  # a sink: almost all of its attention on the first token
    set_number(page, "attention-layer", int(layer))
    set_number(page, "attention-head", int(head))
    page.wait_for_function(
        "t => [...document.querySelectorAll('#attention-head-plot .gtitle')].some(e => e.textContent.startsWith(t))",
        arg=f"Layer {layer}, head {head}", timeout=60_000,
    )
    page.screenshot(path=str(artifacts / "attention-sink.png"), full_page=True)


def cell_centre(page, plot: str, query: int, key: int) -> dict:
    """Where in the window the heatmap in `plot` draws the (query, key) cell, from plotly's own axes (scrolled
    into view first)."""
    return page.evaluate("""([plot, query, key]) => {
        const graph = document.querySelector(`#${plot} .js-plotly-plot`);
        graph.scrollIntoView({block: "center"});
        const {xaxis, yaxis} = graph._fullLayout, box = graph.getBoundingClientRect();
        return {x: box.left + xaxis._offset + xaxis.l2p(key), y: box.top + yaxis._offset + yaxis.l2p(query)};
    }""", [plot, query, key])


def test_clicking_a_cell_shows_its_maths(page, artifacts):
    """A click on the heatmap opens the cell's sub-tab with that cell's maths (it opened on query 1, key 0)."""
    spot = cell_centre(page, "attention-head-plot", 5, 2)
    page.mouse.move(spot["x"], spot["y"])
    page.wait_for_timeout(300)  # plotly picks the point under the mouse on hover
    page.mouse.click(spot["x"], spot["y"])
    page.locator("#attention-cell").get_by_text("Query 5 (").wait_for(timeout=120_000)
    text = page.locator("#attention-cell").inner_text()
    assert "Query 5" in text and "key 2" in text
    assert page.locator("#attention-query input").input_value() == "5"
    page.screenshot(path=str(artifacts / "attention-cell.png"), full_page=True)


def test_several_queries_add_up(page, artifacts):
    page.get_by_role("tab", name="Heads", exact=True).click()
    for label in ("3·␣France", "5·␣Paris"):  # the tokens of the sink experiment's prompt
        page.locator("#attention-queries input").click()
        page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#attention-summed .gtitle')]"
        ".some(e => /queries 3·.*, 5·/.test(e.textContent))",
        timeout=60_000,
    )
    page.screenshot(path=str(artifacts / "attention-summed.png"), full_page=True)


def test_blocking_a_cell_moves_the_prediction(page, artifacts):
    text = press_and_read(page, "Edit the mask", "Example: 'is' may not see 'France' in 'The capital of France is'",
                          "attention-edit", "was ␣Paris")
    assert "was ␣Paris" in text and "with the edit it is ␣Paris" not in text
    page.screenshot(path=str(artifacts / "attention-edit-mask.png"), full_page=True)


def test_bert_and_decoder_masks_side_by_side(page, artifacts):
    """The decoder's causal + left-padding mask, then BERT's bidirectional one, each with its attention."""
    assert "the same as what" in press_and_read(page, "Which mask", "Show the mask", "attention-masks",
                                                "causal + left padding")
    page.screenshot(path=str(artifacts / "attention-mask-decoder.png"), full_page=True)
    page.locator("#attention-mask-kind").click()
    page.get_by_role("option", name="bidirectional + padding").click()
    page.locator("#attention-masks").get_by_text("BERT").wait_for(timeout=60_000)
    assert "MiniLM" in page.locator("#attention-masks").inner_text()
    page.screenshot(path=str(artifacts / "attention-mask-bert.png"), full_page=True)


def test_left_and_right_padding_with_their_continuations(page, artifacts):
    text = press_and_read(page, "Which mask",
                          "Padding side, proven: generate both prompts in one batch, padded left and right",
                          "attention-padding", "Padding side, proven")
    assert "left padding gives the same continuation" in text and "right padding gives a different one" in text
    page.screenshot(path=str(artifacts / "attention-padding.png"), full_page=True)


def test_generation_grows_the_matrix(page, artifacts):
    # the edit's example set the prompt to "The capital of France is": 5 tokens, where the opening's had 14
    text = press_and_read(page, "Growth", "Generate and watch it grow", "attention-growth", "the prompt's 5")
    assert "The last row reads all" in text
    page.screenshot(path=str(artifacts / "attention-growth.png"), full_page=True)

"""The attention tab in headless Chromium on the embedded SmolLM2: rank heads, find a sink, open it, do the maths."""

import re


def set_number(page, elem_id: str, value: int) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(str(value))
    box.press("Enter")


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


def test_the_maths_of_a_cell(page, artifacts):
    set_number(page, "attention-query", 5)
    set_number(page, "attention-key", 2)
    page.get_by_role("button", name="Show the maths for this cell").click()
    cell = page.locator("#attention-cell")
    cell.get_by_text("The model's own weight").wait_for(timeout=60_000)
    assert "Query 5" in cell.inner_text() and "key 2" in cell.inner_text()
    page.screenshot(path=str(artifacts / "attention-cell.png"), full_page=True)


def test_blocking_a_cell_moves_the_prediction(page, artifacts):
    page.get_by_role("button", name="Example: 'is' may not see 'France' in 'The capital of France is'").click()
    edit = page.locator("#attention-edit")
    edit.get_by_text("Blocked 1 cell(s)").wait_for(timeout=60_000)
    assert "was ␣Paris" in edit.inner_text()
    assert "with the edit it is ␣Paris" not in edit.inner_text()
    page.screenshot(path=str(artifacts / "attention-edit-mask.png"), full_page=True)

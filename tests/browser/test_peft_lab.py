"""The PEFT lab in headless Chromium on the embedded SmolLM2: train LoRA a few steps and see the loss and the side
by side, compare a shipped adapter and see it answer differently, cancel a run."""


def set_number(page, elem_id: str, value: int) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(str(value))
    box.press("Tab")


def test_training_lora_shows_the_loss_curve_and_the_side_by_side(page, artifacts):
    page.get_by_role("tab", name="PEFT lab").click()
    page.get_by_role("radio", name="LoRA").check()
    page.locator("#peft-method-info").get_by_text("460,800 trainable parameters").wait_for(timeout=60_000)
    set_number(page, "peft-steps", 4)
    page.locator("#peft-train").click()
    page.locator("#peft-summary").get_by_text("Held-out exact match").wait_for(timeout=240_000)
    page.wait_for_function("() => document.querySelectorAll('#peft-loss .scatterlayer .trace').length >= 1",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#peft-history').innerText.includes('LoRA')",
                           timeout=30_000)  # the run, in the history
    page.get_by_role("tab", name="Side by side", exact=True).click()
    page.locator("#peft-adapter").click()  # it opens on a shipped adapter; this session's own is the first choice
    page.get_by_role("option", name="this session's last adapter (trained or uploaded)").click()
    page.locator("#peft-compare").click()
    page.locator("#peft-cards").get_by_text("Adapted: run").wait_for(timeout=120_000)
    page.screenshot(path=str(artifacts / "peft-lab-trained.png"), full_page=True)


def test_a_shipped_adapter_answers_differently_from_the_base(page, artifacts):
    page.locator("#peft-adapter").click()
    page.get_by_role("option", name="city_json-lora").click()
    page.locator("#peft-compare").click()
    page.locator("#peft-cards").get_by_text("Adapted: city_json-lora").wait_for(timeout=120_000)
    cards = page.locator("#peft-cards .card")
    base, adapted = cards.nth(0).locator(".text").inner_text(), cards.nth(1).locator(".text").inner_text()
    assert '{"city": "Vienna"}' in adapted.replace("␣", " ") and base != adapted
    page.screenshot(path=str(artifacts / "peft-lab-shipped.png"), full_page=True)


def test_cancel_stops_a_run(page, artifacts):
    page.get_by_role("tab", name="Train", exact=True).click()
    set_number(page, "peft-steps", 500)
    page.locator("#peft-train").click()
    page.locator("#peft-summary").get_by_text("Training LoRA").wait_for(timeout=120_000)
    page.locator("#peft-cancel").click()
    page.locator("#peft-summary").get_by_text("Stopped early: cancelled").wait_for(timeout=240_000)
    page.screenshot(path=str(artifacts / "peft-lab-cancelled.png"), full_page=True)

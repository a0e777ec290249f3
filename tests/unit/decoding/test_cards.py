"""The cards: one coloured span per token, the end of text marked, user text escaped, random weights warned."""

from playground.core.prompts import Prompt
from playground.core.visible import probability_colour
from playground.decoding.cards import card_html, comparison_html
from playground.decoding.results import Comparison, StepTrace, StrategyResult
from playground.decoding.strategies import DecodingSettings


def step(token_id: int, text: str, prob: float) -> StepTrace:
    return StepTrace(token_id, text, prob, sampled_prob=prob, rank=1, entropy_bits=1.0, top=[(text, prob)])


def result(stop_reason="eos") -> StrategyResult:
    steps = [step(10, "<b>Hi", 0.9), step(11, " there", 0.05), step(2, "", 0.5)]
    return StrategyResult("top_p", "<b>Hi there", steps, stop_reason, seconds=0.25, batched_with=["greedy"])


def test_one_span_per_token_coloured_by_its_probability_and_the_end_marked():
    html = card_html(result())
    assert html.count('class="tok"') == 2 and html.count('class="eos"') == 1
    assert probability_colour(0.9) in html and probability_colour(0.05) in html
    assert 'data-strategy="top_p"' in html and "Top-p (nucleus) sampling" in html
    assert "one batched pass shared with 1 other strategies" in html


def test_a_card_says_who_shared_its_running_batch():
    shared = result()
    shared.pass_requests, shared.pass_rows = 3, 7
    assert "in a running batch with up to 2 other requests, 7 rows at most" in card_html(shared)


def test_user_text_is_escaped():
    html = card_html(result())
    assert "&lt;b&gt;Hi" in html and "<b>Hi" not in html


def test_a_length_stop_keeps_the_last_token_as_text():
    html = card_html(result(stop_reason="length"))
    assert html.count('class="tok"') == 3 and 'class="eos"' not in html
    assert "max_new_tokens reached" in html


def test_random_weights_are_announced():
    prompt = Prompt([1, 2], "Hi")
    tiny = Comparison("tiny Llama (random weights)", True, prompt, DecodingSettings(), [result()])
    real = Comparison("SmolLM2", False, prompt, DecodingSettings(), [result(), result()])
    assert 'class="warn"' in comparison_html(tiny) and "random weights" in comparison_html(tiny)
    assert 'class="warn"' not in comparison_html(real) and comparison_html(real).count('class="card"') == 2

"""Each tab's defaults show the effect they name, in the result the tab opens with (computed from its controls'
own initial values, as a new page shows it)."""

import re

SAMPLERS = ("top_k", "top_p", "min_p")


def test_the_decoding_tab_opens_on_greedy_looping_where_the_others_do_not(openings):
    """On the embedded SmolLM2: greedy's list repeats one line; beam search and the samplers write different
    ideas, with fewer repeated 3-grams."""
    _, results, *_ = openings["decoding"].values()
    by_strategy = {r["strategy"]: r for r in results["results"]}
    assert list(by_strategy) == ["greedy", "beam", *SAMPLERS]
    assert len({r["text"] for r in by_strategy.values()}) == 5
    greedy = by_strategy["greedy"]["repetition_rate"]
    assert greedy >= 0.3, by_strategy["greedy"]["text"]
    assert all(by_strategy[name]["repetition_rate"] < greedy / 2 for name in ("beam", *SAMPLERS))


def test_the_attention_tab_opens_on_its_sink_heads(openings):
    """Heads ranked by attention to the first token: on the default prompt the top ones are sinks, sending nearly
    all of their attention there."""
    summary, *_ = openings["attention"].values()
    assert "Top heads by first-token attention (sinks)" in summary
    top = [float(score) for score in re.findall(r"layer \d+ head \d+ \(([\d.]+)\)", summary)]
    assert len(top) == 5 and top == sorted(top, reverse=True) and top[0] >= 0.9, summary


def test_the_next_token_tab_opens_with_every_stage_cutting(openings):
    """Temperature 0.7, top-k 50 and top-p 0.9 on an open prompt: every stage runs, top-p cuts below top-k's 50,
    and more than one token is left to sample from, the likeliest now likelier than it was raw."""
    data = openings["next_token"].values()[6]
    assert data["stages"] == ["raw", "temperature", "top_k", "top_p", "min_p"]
    assert 1 < data["kept_count"] < 50
    top = data["raw_top"][0]
    assert top["final_prob"] > 1.5 * top["prob"]


def test_the_edit_mask_panel_opens_with_the_answer_moved(openings):
    """The last token may not see "Italy": " Rome", the likeliest before, is no longer the likeliest after."""
    blocked, _, _, _, data = openings["attention/edit"].values()
    assert blocked and all(query == len(data["tokens"]) - 1 for query, _ in blocked)
    assert data["before"][0]["text"] == " Rome"
    assert data["after"][0]["text"] != " Rome"


def test_the_side_by_side_opens_on_an_adapter_that_changes_the_answer(openings):
    """The shipped city_json LoRA on a sentence about Vienna: its greedy text differs from the base's, it writes
    the JSON, and the two models' next-token distributions differ (KL > 0) along it."""
    _, _, data = openings["peft_lab/side_by_side"].values()
    assert data["differs"] and '{"city": "Vienna"}' in data["adapted"]["greedy"]
    assert max(data["kl"]) > 0.1


def test_the_flash_panel_opens_exact_and_smaller(openings):
    """The online softmax ends where softmax(q·Kᵀ/√d)·V does, and naive attention holds several times the tiled
    forward's peak memory at the longest N."""
    *_, data = openings["internals/flash"].values()
    assert data["row_error"] < 1e-5
    assert data["naive_over_tiled_peak"] > 2


def test_the_padding_panel_opens_with_left_right_and_alone_compared(openings):
    """Left padding continues the short prompt as it does alone; right padding does not."""
    *_, data = openings["attention/padding"].values()
    assert data["left"]["continuation"] == data["alone"] != data["right"]["continuation"]

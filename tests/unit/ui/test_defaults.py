"""Each tab's defaults show the effect they name, in the result the tab opens with (computed from its controls'
own initial values, as a new page shows it)."""

import re

import pytest

from playground.ui import build_app
from playground.ui.opening import OPENINGS

SAMPLERS = ("top_k", "top_p", "min_p")


@pytest.fixture(scope="module")
def openings() -> dict:
    build_app()
    return OPENINGS


def test_the_decoding_tab_opens_on_greedy_looping_where_the_others_do_not(openings):
    """On the embedded SmolLM2: greedy's list repeats one line; beam search and the samplers write different
    ideas, with fewer repeated 3-grams."""
    _, results, *_ = openings["decoding"].compute()
    by_strategy = {r["strategy"]: r for r in results["results"]}
    assert list(by_strategy) == ["greedy", "beam", *SAMPLERS]
    assert len({r["text"] for r in by_strategy.values()}) == 5
    greedy = by_strategy["greedy"]["repetition_rate"]
    assert greedy >= 0.3, by_strategy["greedy"]["text"]
    assert all(by_strategy[name]["repetition_rate"] < greedy / 2 for name in ("beam", *SAMPLERS))


def test_the_attention_tab_opens_on_its_sink_heads(openings):
    """Heads ranked by attention to the first token: on the default prompt the top ones are sinks, sending nearly
    all of their attention there."""
    summary, *_ = openings["attention"].compute()
    assert "Top heads by first-token attention (sinks)" in summary
    top = [float(score) for score in re.findall(r"layer \d+ head \d+ \(([\d.]+)\)", summary)]
    assert len(top) == 5 and top == sorted(top, reverse=True) and top[0] >= 0.9, summary

"""The next-token figures and the path strip: a trace per stage, cut tokens marked, every axis titled."""

import pytest

from playground.next_token import plots
from playground.next_token.path_strip import path_html
from playground.next_token.pipeline import SamplerParams
from playground.next_token.sweep import SWEEP_TEMPERATURES
from playground.next_token.view import ViewSettings, explore


@pytest.fixture(scope="module")
def view(smollm2):
    params = SamplerParams(temperature=0.8, top_k=5, top_p=0.9)
    return explore(smollm2, "The capital of France is", params, settings=ViewSettings(top_n=10),
                   use_chat_template=False)


def test_stage_bars_have_one_trace_per_stage_and_mark_cut_tokens(view):
    fig = plots.stage_bars_figure(view)
    assert [t.name.split(" =")[0] for t in fig.data] == [plots.stage_name(s.name) for s in view.stages]
    final = fig.data[-1]
    assert final.name.endswith("sampled from") and final.marker.color == plots.FINAL_COLOUR
    cut = [not bool(view.final.kept[i]) for i in view.top_ids]
    assert any(cut)  # top-k 5 of 10 on show
    assert [m == "cut" for m in final.customdata[:-1]] == cut
    assert [o == 0.25 for o in final.marker.opacity[:-1]] == cut
    assert [s == "/" for s in final.marker.pattern.shape[:-1]] == cut
    assert final.x[-1] == "(rest)" and sum(final.y) == pytest.approx(1.0, abs=1e-5)
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_cumulative_marks_the_nucleus(view):
    fig = plots.cumulative_figure(view)
    nucleus = int(view.stages[[s.name for s in view.stages].index("top_p")].kept.sum())
    assert [t.name for t in fig.data][1:] == ["top_p = 0.9", f"nucleus: {nucleus} token(s)"]
    assert fig.layout.xaxis.title.text.startswith("rank") and fig.layout.yaxis.title.text


def test_sweep_and_animation_cover_every_temperature(view):
    sweep = plots.sweep_figure(view)
    assert list(sweep.data[0].x) == SWEEP_TEMPERATURES and sweep.layout.yaxis2.title.text
    animated = plots.animated_bars_figure(view)
    assert len(animated.frames) == len(SWEEP_TEMPERATURES)
    assert animated.layout.sliders[0].active == SWEEP_TEMPERATURES.index(0.8)


def test_empirical_figure_compares_the_shown_kept_tokens_and_the_rest(view):
    fig = plots.empirical_figure(view)
    kept_shown = sum(bool(view.final.kept[i]) for i in view.top_ids)
    assert [len(t.x) for t in fig.data] == [kept_shown + 1] * 2 and fig.data[0].x[-1] == "(rest)"
    assert sum(fig.data[1].y) == pytest.approx(1.0)
    assert "within the bound" in fig.layout.title.text


def test_path_strip_shows_each_chosen_token_escaped(smollm2):
    tricky = smollm2.tokenizer("<b>", add_special_tokens=False)["input_ids"]
    walked = explore(smollm2, "Hi", SamplerParams(), path_ids=tricky, use_chat_template=False)
    html = path_html(walked)
    assert html.count("class='tok'") == len(tricky) and "<b>" not in html and "&lt;" in html
    assert "just the prompt" in path_html(explore(smollm2, "Hi", SamplerParams(), use_chat_template=False))

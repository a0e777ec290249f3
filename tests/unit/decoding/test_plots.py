"""The decoding figures: every axis titled, one trace per thing drawn, every beam-tree node placed."""

from playground.core.prompts import build_prompt
from playground.decoding import plots, runner
from playground.decoding.strategies import DecodingSettings


def axis_titles(fig) -> list[str]:
    return [fig.layout[axis].title.text for axis in ("xaxis", "yaxis")]


def test_trace_figure_has_a_bar_per_step_the_favourite_and_the_entropy(tiny):
    prompt = build_prompt(tiny.tokenizer, "Hello there")
    [result] = runner.run_sampling_batch(tiny, prompt.input_ids, ["top_k"], DecodingSettings(max_new_tokens=6))
    fig = plots.trace_figure(result)
    assert [t.type for t in fig.data] == ["bar", "scatter", "scatter"]
    assert all(len(t.x) == len(result.steps) for t in fig.data)
    assert list(fig.data[0].y) == [s.prob for s in result.steps]
    assert all(axis_titles(fig)) and fig.layout.yaxis2.title.text == "entropy (bits)"


def test_beam_tree_figure_places_every_node_and_draws_the_returned_path(tiny):
    prompt = build_prompt(tiny.tokenizer, "Hello there")
    result = runner.run_beam(tiny, prompt.input_ids, DecodingSettings(max_new_tokens=5, num_beams=3))
    fig = plots.beam_tree_figure(result.beam_tree, tiny.tokenizer)
    nodes = [t for t in fig.data if t.mode == "markers+text" and t.name]
    assert sum(len(t.x) for t in nodes) == len(result.beam_tree.nodes)
    returned_path = fig.data[1]
    assert len(returned_path.x) == len(result.token_ids) + 1  # the prompt, then one node per returned token
    assert {t.name for t in nodes} <= {plots.WORDS.text(f"legend.{status}") for status in plots.STATUS_COLOURS}
    assert all(axis_titles(fig))

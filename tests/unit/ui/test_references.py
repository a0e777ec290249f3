"""The shipped reference results (`make references`): each says where and when it was measured; its deterministic
figures are what the panel's own code gives from the committed inputs; and its timings have the shape of a live
run of the same handler (on a tiny model, so that it is quick)."""

import dataclasses
import re

import plotly.graph_objects as go
import pytest

from playground.core import reference
from playground.core.language import speaking
from playground.core.published import KV_REFERENCES
from playground.internals.kv_cache import CalculatorSettings, bytes_per_token, calculator_row
from playground.internals.paged import PagedSettings
from playground.internals.paged_sim import WorkloadSettings, simulate
from playground.internals.roofline import read_bytes_per_step
from playground.peft_lab.counts import expected_trainable
from playground.peft_lab.methods import METHODS, MethodSettings
from playground.ui import start
from playground.ui.opening import Reference, run_on_defaults
from playground.ui.start_facts import facts, methods_facts, shipped

MACHINE = {"cpu", "threads", "device", "dtype", "torch", "date"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def references(openings) -> dict[str, Reference]:
    return {name: o for name, o in openings.items() if isinstance(o, Reference)}


def test_the_slow_panels_open_on_references(references):
    assert set(references) == set(SLOW)


SLOW = ["internals/kv_cache", "internals/paged", "internals/roofline", "internals/speculative", "peft_lab/methods"]


@pytest.mark.parametrize("name", SLOW)
def test_a_reference_says_where_and_when_it_was_measured(references, name):
    summary, *_ = references[name].shipped()
    first_line = summary.splitlines()[0]
    assert "Reference result" in first_line and "make references" in first_line and "Measure it here" in first_line
    _, measured_on = reference.load(references[name].path)
    assert MACHINE <= set(measured_on)
    assert measured_on["cpu"] in first_line and measured_on["date"] in first_line


@pytest.mark.parametrize("name", SLOW)
def test_a_reference_is_one_measurement_shown_in_each_language(references, name):
    """Chinese words around the same numbers: each figure's data is the English one's, trace by trace."""
    english = references[name].shipped()
    with speaking("zh-CN"):
        chinese = references[name].shipped()
    assert CJK.search(chinese[0]) and not CJK.search(english[0])
    figures = [(ours, theirs) for ours, theirs in zip(english, chinese, strict=True) if isinstance(ours, go.Figure)]
    assert figures
    for ours, theirs in figures:
        assert ours.layout.title.text != theirs.layout.title.text
        assert [numbers(trace) for trace in ours.data] == [numbers(trace) for trace in theirs.data]
    assert any(numbers(trace) for ours, _ in figures for trace in ours.data)


def numbers(trace) -> list:
    """A trace's numeric coordinates (its labels aside)."""
    return [list(values) for values in (trace.x, trace.y) if values is not None
            and all(isinstance(v, (int, float)) for v in values)]


def shape(value):
    """What a result looks like without its numbers: figure trace types, dict keys, list items, value kinds."""
    if isinstance(value, go.Figure):
        return ("figure", sorted({trace.type for trace in value.data}))
    if isinstance(value, dict) and value and all(str(k).isdigit() for k in value):  # data keyed by a number
        return ["mapping", shape(next(iter(value.values())))]
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k != "runs_on"}
    if isinstance(value, (list, tuple)):
        return ["list", shape(value[0])] if value else ["list"]
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    return "number" if isinstance(value, (int, float)) else type(value).__name__


LIVE = {  # a short live run of each slow panel's handler on a tiny model: the timings' schema to match
    "internals/kv_cache": {"model": "tiny-llama", "new_tokens": 4},
    "internals/paged": {"model": "tiny-llama", "new_tokens": 2},
    "internals/roofline": {"model": "tiny-llama", "new_tokens": 4, "max_batch": 2, "exhibit_tokens": 8},
    "internals/speculative": {"model": "tiny-llama", "max_new_tokens": 8},
}


@pytest.mark.parametrize("name", LIVE)
def test_a_reference_has_the_shape_of_a_live_run(references, name):
    opening = references[name]
    live = run_on_defaults(opening.handler, opening.controls, **LIVE[name])
    shipped_outputs = opening.shipped()
    assert len(shipped_outputs) == len(live)
    for ours, theirs in zip(shipped_outputs, live, strict=True):
        if isinstance(ours, str):
            continue  # the summary's words follow its numbers
        assert shape(ours) == shape(theirs)


def test_the_kv_reference_ledger_is_the_formula(references, smollm2):
    *_, payload = references["internals/kv_cache"].shipped()
    assert payload["bytes_per_token"] == bytes_per_token(smollm2.model.config, 4)
    assert payload["formula_bytes"] == payload["real_bytes"]
    calculator = [calculator_row(name, config, CalculatorSettings()) for name, config in KV_REFERENCES.items()]
    assert payload["calculator"][1:] == calculator


def test_the_paged_reference_simulation_is_the_simulator(references, smollm2):
    *_, payload = references["internals/paged"].shipped()
    per_token = bytes_per_token(smollm2.model.config, 4)
    sim = simulate(WorkloadSettings(), PagedSettings().block_size, per_token)
    assert payload["simulation"]["contiguous"] == dataclasses.asdict(sim.contiguous)
    assert payload["simulation"]["paged"] == dataclasses.asdict(sim.paged)


def test_the_roofline_reference_reads_the_models_weights(references, smollm2):
    *_, payload = references["internals/roofline"].shipped()
    assert payload["weight_bytes"] == read_bytes_per_step(smollm2.model)


def test_the_speculative_reference_is_plain_greedy_and_adds_up(references, smollm2):
    *_, payload = references["internals/speculative"].shipped()
    assert payload["same_as_plain"] and payload["speedup"] > 1
    kept = [t for s in payload["steps"] for t in s["drafted"][:s["accepted"]] + [s["added"]]]
    assert kept == payload["token_ids"] and payload["tokens_per_forward"] > 2


def test_the_methods_reference_counts_every_methods_parameters(references, smollm2):
    _, table, curves = references["peft_lab/methods"].shipped()
    counted = {row[0]: row[1] for row in table["data"]}
    expected = {m.title: expected_trainable(name, MethodSettings(), smollm2.model.config)
                for name, m in METHODS.items()}
    assert counted == expected
    assert len({trace.name.split(":")[0] for trace in curves.data}) == len(METHODS)


def test_the_start_page_quotes_the_references_and_the_openings(openings, references):
    quoted, _ = shipped()
    now = facts(openings)
    for key in ("methods", "kv", "paged", "speculative"):  # from the references: exactly
        assert quoted[key] == now[key]
    assert quoted["next_token"]["kept"] == now["next_token"]["kept"]
    assert (quoted["attention"]["sink_layer"], quoted["attention"]["sink_head"]) == \
        (now["attention"]["sink_layer"], now["attention"]["sink_head"])
    assert quoted["decoding"]["greedy"] == pytest.approx(now["decoding"]["greedy"], abs=0.05)
    exact = ("walk_steps", "answer", "first_top", "layers", "middle_rank", "mlp_inner", "width")
    assert {k: quoted["architecture"][k] for k in exact} == {k: now["architecture"][k] for k in exact}
    assert quoted["architecture"]["pre_norm_growth"] == pytest.approx(now["architecture"]["pre_norm_growth"], rel=0.01)
    assert methods_facts(references["peft_lab/methods"].shipped()[1]) == quoted["methods"]
    assert all(answer.count("**") >= 2 for language in ("en", "zh-CN") for answer in start.answers(quoted, language))

"""Each endpoint's parameters are its settings dataclass's fields, in order, with the dataclass's defaults (or,
where a tab opens on teaching values, those settings)."""

from dataclasses import asdict, fields

import pytest

from playground.attention.cell import CellSettings
from playground.attention.extraction import AttentionSettings
from playground.attention.growth import GrowthSettings
from playground.decoding.strategies import DecodingSettings
from playground.internals.flash_lab import FlashSettings
from playground.internals.kv_cache import CalculatorSettings, KVSettings
from playground.internals.paged import PagedSettings
from playground.internals.paged_sim import WorkloadSettings
from playground.internals.roofline import RooflineSettings
from playground.internals.speculative import SpeculativeSettings
from playground.next_token.view import ViewSettings
from playground.peft_lab.compare import CompareSettings
from playground.peft_lab.methods import MethodSettings
from playground.peft_lab.training import TrainSettings
from playground.ui import build_app
from playground.ui.components import Experiment
from playground.ui.decoding import EXPERIMENTS as DECODING_EXPERIMENTS
from playground.ui.next_token import EXPERIMENTS as NEXT_TOKEN_EXPERIMENTS
from playground.ui.next_token import OPENING as NEXT_TOKEN_OPENING

# what is not a setting: the model, the text, and what a request is about
CONTEXT = {"model", "prompt", "strategies", "use_chat_template", "token", "blocked", "queries", "method", "task",
           "data_file", "adapter", "batch_prompts"}
SETTINGS = {
    "/compare_decoding": (DecodingSettings,),
    "/next_token_distribution": (NEXT_TOKEN_OPENING, ViewSettings),
    "/append_token": (NEXT_TOKEN_OPENING, ViewSettings),
    "/sample_token": (NEXT_TOKEN_OPENING, ViewSettings),
    "/attention": (AttentionSettings,),
    "/attention_cell": (CellSettings,),
    "/rope": (CellSettings,),
    "/attention_growth": (GrowthSettings,),
    "/train_adapter": (TrainSettings, MethodSettings),
    "/compare_adapter": (CompareSettings,),
    "/kv_cache": (KVSettings, CalculatorSettings),
    "/flash_attention": (FlashSettings,),
    "/paged_attention": (PagedSettings, WorkloadSettings),
    "/roofline": (RooflineSettings,),
    "/speculative": (SpeculativeSettings,),
}


@pytest.fixture(scope="module")
def endpoints() -> dict:
    info = build_app().get_api_info()["named_endpoints"]
    return {name: info[name]["parameters"] for name in SETTINGS}


@pytest.mark.parametrize("endpoint", SETTINGS)
def test_parameters_are_the_settings_fields_in_order(endpoints, endpoint):
    names = [p["parameter_name"] for p in endpoints[endpoint]]
    expected = [f.name for cls in SETTINGS[endpoint] for f in fields(cls)]
    assert [n for n in names if n not in CONTEXT] == expected
    assert "model" in names


@pytest.mark.parametrize("endpoint", SETTINGS)
def test_control_defaults_are_the_dataclass_defaults(endpoints, endpoint):
    defaults = {}
    for settings in SETTINGS[endpoint]:
        defaults.update(asdict(settings if not isinstance(settings, type) else settings()))
    shown = {p["parameter_name"]: p["parameter_default"] for p in endpoints[endpoint]
             if p["parameter_name"] in defaults}
    assert shown == {name: list(v) if isinstance(v, tuple) else v for name, v in defaults.items()}


@pytest.mark.parametrize("experiment", DECODING_EXPERIMENTS, ids=lambda e: e.label)
def test_a_decoding_experiment_sets_every_input_but_the_model(endpoints, experiment: Experiment):
    values = experiment.values()
    names = {p["parameter_name"] for p in endpoints["/compare_decoding"]} - {"model"}
    assert names <= set(values)
    assert isinstance(values["strategies"], list) and values["strategies"]


@pytest.mark.parametrize("experiment", NEXT_TOKEN_EXPERIMENTS, ids=lambda e: e.label)
def test_a_next_token_experiment_sets_every_input_but_the_model(endpoints, experiment: Experiment):
    values = experiment.values(ViewSettings())
    names = {p["parameter_name"] for p in endpoints["/next_token_distribution"]} - {"model"}
    assert names <= set(values)
    assert values["order"] == list(experiment.settings.order)

"""A value of the wrong type, sent through the API to any parameter of any endpoint, comes back as a clear error
that names the parameter, and the server stays up."""

import inspect
import types
import typing

import pytest
from gradio_client.exceptions import AppError

from playground.ui import (
    attention,
    attention_masks,
    decoding,
    internals,
    internals_flash,
    internals_paged,
    internals_roofline,
    next_token,
    peft_lab,
    peft_lab_compare,
)

HANDLERS = {
    "/compare_decoding": decoding.compare_decoding,
    "/decoding_trace": decoding.show_trace,
    "/next_token_distribution": next_token.next_token_distribution,
    "/append_token": next_token.append_token,
    "/sample_token": next_token.sample_token,
    "/attention": attention.attention,
    "/attention_cell": attention.attention_cell,
    "/edit_mask": attention_masks.edit_mask,
    "/masks": attention_masks.masks,
    "/padding_side": attention_masks.padding_side,
    "/anatomy": attention_masks.anatomy,
    "/rope": attention.rope,
    "/attention_growth": attention.attention_growth,
    "/train_adapter": peft_lab.train_adapter,
    "/compare_adapter": peft_lab_compare.compare_adapter,
    "/kv_cache": internals.kv_cache,
    "/flash_attention": internals_flash.flash_attention,
    "/paged_attention": internals_paged.paged_attention,
    "/roofline": internals_roofline.roofline,
}
GOOD = {
    "model": "tiny-llama", "prompt": "Hello", "strategies": ["greedy"], "order": ["temperature", "top_p"],
    "max_new_tokens": 2, "strategy": "greedy", "token": None, "statistic": "entropy",
    "blocked": [], "prompts": ["Hello there", "Hi"], "mask_kind": "causal", "queries": [],
    "method": "lora", "task": "sentiment_label", "adapter": "none", "steps": 1, "data_file": None,
    "batch_prompts": "Hello\nHi",
}
WRONG = {str: [1.5, True, ["a"]], float: ["abc", True, [1]], int: ["abc", [1]], bool: ["yes", 1],
         list[str]: ["greedy", [1]], list[int]: ["3", ["a"]], list[list[int]]: ["4,3", [1]]}


def cases():
    for endpoint, handler in HANDLERS.items():
        hints = typing.get_type_hints(handler)
        for name, annotation in hints.items():
            if name in ("path", "comparison", "request"):  # session state and the request: not API parameters
                continue
            if isinstance(annotation, types.UnionType):  # `int | None`: None is fine, the rest must be int
                annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
            for wrong in WRONG[annotation]:
                yield pytest.param(endpoint, name, wrong, id=f"{endpoint}-{name}={wrong!r}")


@pytest.mark.parametrize("endpoint,name,wrong", list(cases()))
def test_a_wrong_type_names_the_parameter(client, endpoint, name, wrong):
    good = {k: v for k, v in GOOD.items() if k in inspect.signature(HANDLERS[endpoint]).parameters}
    with pytest.raises(AppError, match=rf"^{name} must be "):
        client.predict(**{**good, name: wrong}, api_name=endpoint)


def test_out_of_range_numbers_name_the_parameter_and_the_range(client):
    with pytest.raises(AppError, match=r"temperature must be between 0 and 3 \(got 7\)"):
        client.predict(model="tiny-llama", temperature=7, api_name="/next_token_distribution")
    assert client.predict(model="tiny-llama", api_name="/next_token_distribution")[6]["kept_count"] >= 1

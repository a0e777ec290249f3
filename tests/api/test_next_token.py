"""/next_token_distribution, /append_token and /sample_token through gradio_client."""

import pytest
import torch
from gradio_client.exceptions import AppError

from playground.core import config

DEFAULTS = dict(
    model="smollm2-135m-instruct", prompt="The capital of France is", temperature=1.0, top_k=0, top_p=0.9,
    min_p=0.0, typical_p=1.0, repetition_penalty=1.0, order=["repetition_penalty", "temperature", "top_k",
    "top_p", "min_p", "typical_p"], top_n=20, n_samples=1000, seed=0, use_chat_template=False,
)


def call(client, **changes):
    return client.predict(**{**DEFAULTS, **changes}, api_name="/next_token_distribution")


def payload(output):
    return output[6]


def test_distribution_matches_the_models_softmax(client, smollm2):
    data = payload(call(client, top_p=1.0, top_k=5))
    ids = smollm2.tokenizer("The capital of France is", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        probs = torch.softmax(smollm2.model(torch.tensor([ids])).logits[0, -1], -1)
    top5 = torch.topk(probs, 5)
    assert data["kept_token_ids"] == top5.indices.tolist()
    assert data["kept_probs"] == pytest.approx((top5.values / top5.values.sum()).tolist(), abs=1e-4)
    assert data["raw_top"][0]["text"] == " Paris"
    assert data["raw_top"][0]["prob"] == pytest.approx(float(probs.max()), abs=1e-4)
    assert sum(data["kept_probs"]) == pytest.approx(1.0, abs=1e-4)


def test_lower_top_p_keeps_fewer_tokens(client):
    wide = payload(call(client, top_p=0.99, temperature=1.5))["kept_count"]
    narrow = payload(call(client, top_p=0.5, temperature=1.5))["kept_count"]
    assert narrow < wide


def test_payload_is_bounded(client):
    output = call(client, top_p=1.0)  # the whole vocabulary is kept
    data = payload(output)
    assert data["kept_count"] == 49152
    assert len(data["kept_token_ids"]) <= 500 and len(data["raw_top"]) == 20


@pytest.mark.parametrize(
    "change,words",
    [
        (dict(temperature=0.0), "greedy"),
        (dict(top_p=0.0), "top_p"),
        (dict(top_k=-1), "-1"),
        (dict(n_samples=config.MAX_SAMPLES + 1), "samples"),
        (dict(prompt=" "), "empty"),
        (dict(prompt="word " * (config.MAX_PROMPT_TOKENS + 5)), "tokens long"),
    ],
)
def test_bad_input_is_a_clear_error(client, change, words):
    with pytest.raises(AppError, match=words):
        call(client, **change)
    assert payload(call(client))["kept_count"] >= 1


def test_each_session_walks_its_own_path(app_url):
    from gradio_client import Client

    alice, bob = Client(app_url, verbose=False), Client(app_url, verbose=False)
    paris = payload(call(alice))["raw_top"][0]["id"]
    walked = payload(alice.predict(**DEFAULTS, token=paris, api_name="/append_token"))
    assert [step["text"] for step in walked["path"]] == [" Paris"]
    assert walked["context_tokens"] == 6
    sampled = payload(alice.predict(**DEFAULTS, api_name="/sample_token"))
    assert len(sampled["path"]) == 2 and sampled["path"][1]["prob"] > 0
    assert payload(call(bob))["path"] == []  # nothing leaks into another session
    assert len(payload(call(alice))["path"]) == 2  # alice's walk is still hers
    assert payload(call(alice, prompt="A new prompt"))["path"] == []  # a new prompt starts afresh


def test_only_a_token_the_sampler_keeps_can_be_appended(client):
    data = payload(call(client, top_p=1.0, top_k=5))
    cut = next(t["id"] for t in data["raw_top"] if t["final_prob"] == 0)  # on show, but beyond the top 5
    with pytest.raises(AppError, match="not among the tokens the sampler keeps"):
        client.predict(**{**DEFAULTS, "top_p": 1.0, "top_k": 5}, token=cut, api_name="/append_token")
    with pytest.raises(AppError, match="not among"):
        client.predict(**DEFAULTS, token=10**9, api_name="/append_token")
    kept = data["kept_token_ids"][0]
    walked = payload(client.predict(**{**DEFAULTS, "top_p": 1.0, "top_k": 5}, token=kept, api_name="/append_token"))
    assert [step["id"] for step in walked["path"]][-1] == kept

"""/compare_decoding through gradio_client, against a launched app: results, and clear errors for bad input."""

import time

import pytest
import torch
from gradio_client.exceptions import AppError

from playground.core import config, device
from playground.core.prompts import build_prompt

DEFAULTS = dict(
    model="smollm2-135m-instruct", prompt="What is the capital of France?", strategies=["greedy", "top_p", "beam"],
    max_new_tokens=16, seed=0, temperature=1.0, top_k=50, top_p=0.9, min_p=0.1, typical_p=0.9, epsilon=3e-4,
    eta=3e-4, num_beams=3, length_penalty=1.0, early_stopping=True, repetition_penalty=1.0,
    no_repeat_ngram_size=0, use_chat_template=True,
)


def call(client, **changes):
    return client.predict(**{**DEFAULTS, **changes}, api_name="/compare_decoding")


def results(output):
    return output[1]["results"]


def test_compare_decoding_returns_every_strategy_with_scores(client, smollm2):
    output = call(client, strategies=["greedy", "top_p", "beam", "contrastive"])
    by_name = {r["strategy"]: r for r in results(output)}
    assert list(by_name) == ["greedy", "beam", "top_p", "contrastive"]
    prompt = build_prompt(smollm2.tokenizer, DEFAULTS["prompt"])
    ids = torch.tensor([prompt.input_ids])
    expected = smollm2.model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=16)
    assert by_name["greedy"]["token_ids"] == expected[0, ids.shape[1] :].tolist()[: by_name["greedy"]["num_tokens"]]
    assert by_name["greedy"]["text"] == "The capital of France is Paris."
    for r in by_name.values():
        assert r["num_tokens"] == len(r["tokens"]) == len(r["token_probs"]) > 0
        assert all(0 < p <= 1 for p in r["token_probs"])
        assert r["perplexity"] >= 1
    assert by_name["beam"]["sequence_score"] < 0
    assert output[0].count('class="card"') == 4
    assert output[1]["runs_on"] == device.describe()  # {"device": "cpu", "dtype": "float32"} on this machine
    assert output[2].startswith(f"{prompt.n_tokens} tokens:")


def is_up(client):
    output = call(client, model="tiny-llama", strategies=["greedy"], max_new_tokens=2)
    return results(output)[0]["num_tokens"] >= 1


BAD_INPUT = [
    (dict(prompt=""), "empty"),
    (dict(prompt="   \n "), "empty"),
    (dict(prompt="x" * (config.MAX_PROMPT_CHARS + 1)), "characters"),
    (dict(prompt="word " * (config.MAX_PROMPT_TOKENS + 10)), "tokens long"),
    (dict(temperature=0.0), "greedy"),
    (dict(top_p=0.0), "top_p"),
    (dict(top_p=1.5), "1.5"),
    (dict(top_k=-1), "-1"),
    (dict(num_beams=1), "num_beams"),
    (dict(num_beams=config.MAX_BEAMS + 1), str(config.MAX_BEAMS + 1)),
    (dict(max_new_tokens=config.MAX_NEW_TOKENS + 1), "max_new_tokens"),
    (dict(max_new_tokens=-5), "max_new_tokens"),
    (dict(strategies=[]), "at least one"),
    (dict(strategies=["contrastive"], penalty_alpha=1.5), "1.5"),
    (dict(model="no-such-org/no-such-model"), "offline"),
    (dict(model="../../etc/passwd"), "not a model name|names a file or folder on this server"),
]


@pytest.mark.parametrize("change,words", BAD_INPUT, ids=[str(c)[:40] for c, _ in BAD_INPUT])
def test_bad_input_is_a_clear_error_and_the_server_stays_up(client, change, words):
    with pytest.raises(AppError, match=words):
        call(client, **change)
    assert is_up(client)


@pytest.mark.parametrize(
    "prompt", ["Repeat after me: <|im_end|><|im_start|>assistant", "🦙🔥 Write about llamas 👩‍💻", "مرحبا، كيف حالك؟"]
)
def test_special_tokens_emoji_and_rtl_prompts_work(client, prompt):
    output = call(client, prompt=prompt, strategies=["greedy"], max_new_tokens=6)
    assert results(output)[0]["num_tokens"] >= 1
    assert prompt in output[2]  # the raw prompt shows the user's text verbatim, inside the template


def test_whole_number_parameters_are_accepted_where_floats_are_expected(client):
    """A slider may send 2 rather than 2.0; transformers' warpers insist on floats."""
    output = call(client, strategies=["sampling", "beam"], temperature=2, repetition_penalty=1, length_penalty=1,
                  max_new_tokens=4)
    assert [r["strategy"] for r in results(output)] == ["beam", "sampling"]


def test_a_cancelled_comparison_leaves_the_others_their_results(app_url, client):
    """Closing a tab mid-comparison cancels its job; the comparisons sharing the running batch with it still get
    what they get alone, and the server answers afterwards."""
    from gradio_client import Client

    asked = [dict(model="tiny-llama", prompt=prompt, strategies=["greedy", "top_p"], max_new_tokens=24, seed=seed)
             for seed, prompt in enumerate(["Once upon a time", "The sea is", "Write a haiku about the moon."])]
    alone = [tokens(call(client, **a)) for a in asked]
    jobs = [Client(app_url, verbose=False).submit(**{**DEFAULTS, **a}, api_name="/compare_decoding") for a in asked]
    time.sleep(0.2)
    jobs[1].cancel()
    assert [tokens(jobs[i].result(timeout=300)) for i in (0, 2)] == [alone[0], alone[2]]
    assert tokens(call(client, **asked[1])) == alone[1]


def tokens(output) -> list:
    return [(r["strategy"], r["token_ids"]) for r in results(output)]

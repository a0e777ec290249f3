"""/train_adapter, /compare_adapter and friends through gradio_client, on a tiny Llama: real training, per-session
adapters, a cancel that stops the job, clear errors."""

import json
import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

TRAIN = dict(model="tiny-llama", method="lora", task="sentiment_label", data_file=None, steps=3, learning_rate=0.0,
             batch_size=2, seed=0, eval_every=2, n_virtual=4, init_text="", encoder_hidden=16, lora_r=4,
             lora_alpha=8, lora_dropout=0.0, lora_targets="q_proj,v_proj", adapter_len=4, adapter_layers=2,
             bottleneck_size=8)
COMPARE = dict(model="tiny-llama", prompt="Review: The soup was superb.\nLabel:",
               adapter="session", max_new_tokens=4, temperature=1.0,
               top_p=0.9, sample_seed=0, lora_scale=1.0)


@pytest.fixture(scope="module")
def trained(app_url):
    """A client of its own (its own session) that has trained a LoRA."""
    client = Client(app_url, verbose=False)
    result = client.predict(**TRAIN, api_name="/train_adapter")
    return client, result


def test_training_returns_the_loss_history_and_scores(trained):
    _, (_, summary, run, history) = trained
    assert [step for step, _ in run["train_loss"]] == [1, 2, 3] and [s for s, _ in run["heldout_loss"]] == [2, 3]
    assert run["method"] == "lora" and run["trainable"] == 2 * 4 * ((64 + 64) + (64 + 32))
    assert 0 <= run["exact_match_base"] <= 1 and 0 <= run["exact_match_adapted"] <= 1
    assert run["adapter_bytes"] > 0 and len(history["data"]) == 1 and "Held-out exact match" in summary


def test_the_adapter_belongs_to_its_session(trained, app_url):
    client, _ = trained
    cards, _, data = client.predict(**COMPARE, api_name="/compare_adapter")
    assert data["method"] == "lora" and set(data["base"]) == {"greedy", "sampled"}
    assert len(data["p_under_base"]) == len(data["adapted_tokens"]) == len(data["kl"])
    assert "Base:" in cards and "Adapted:" in cards
    with pytest.raises(AppError, match="This session has no adapter yet"):
        Client(app_url, verbose=False).predict(**COMPARE, api_name="/compare_adapter")


def test_the_adapter_downloads_and_uploads_back(trained, app_url):
    client, _ = trained
    path = client.predict(api_name="/download_adapter")
    other = Client(app_url, verbose=False)
    note = other.predict(model="tiny-llama", adapter_file=handle_file(path), api_name="/upload_adapter")
    assert "LoRA adapter" in note
    assert other.predict(**COMPARE, api_name="/compare_adapter")[2]["method"] == "lora"


def test_a_cancel_stops_this_sessions_job(app_url):
    client = Client(app_url, verbose=False)
    job = client.submit(**{**TRAIN, "steps": 2000, "eval_every": 1000}, api_name="/train_adapter")
    time.sleep(8)
    client.predict(api_name="/cancel_training")
    run = job.result(timeout=300)[2]
    assert run["stopped"] == "cancelled" and 0 < run["steps"] < 2000


@pytest.mark.parametrize("change,words", [
    (dict(method="magic"), "method must be one of"),
    (dict(steps=0), "steps must be between 1"),
    (dict(lora_targets="everything"), "lora_targets must be some of"),
    (dict(task="poetry"), "task must be one of"),
])
def test_bad_training_input_is_a_clear_error(client, change, words):
    with pytest.raises(AppError, match=words):
        client.predict(**{**TRAIN, **change}, api_name="/train_adapter")


def test_a_bad_upload_names_the_line(client, tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"prompt": "a", "completion": "b"}) + "\n" + json.dumps({"question": "x"}) + "\n")
    with pytest.raises(AppError, match="Line 2 must have the columns prompt and completion"):
        client.predict(**{**TRAIN, "data_file": handle_file(str(path))}, api_name="/train_adapter")


def test_one_training_job_runs_at_a_time_and_the_next_waits_its_turn(app_url):
    from gradio_client.utils import Status

    first, second = Client(app_url, verbose=False), Client(app_url, verbose=False)
    running = first.submit(**{**TRAIN, "steps": 2000, "eval_every": 1000}, api_name="/train_adapter")
    time.sleep(6)
    waiting = second.submit(**TRAIN, api_name="/train_adapter")
    time.sleep(4)
    status = waiting.status()
    assert status.code == Status.IN_QUEUE and status.rank is not None  # its place in the queue, shown
    first.predict(api_name="/cancel_training")
    assert running.result(timeout=300)[2]["stopped"] == "cancelled"
    assert waiting.result(timeout=300)[2]["steps"] == 3  # then it ran, whole

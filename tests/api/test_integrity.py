"""A full session through the API leaves the shared models byte-identical: training every adapter method,
cancelling a job, downloading an adapter and loading it as an upload in another session. Checked two ways: the
greedy output through /compare_decoding, and a digest of every weight."""

import hashlib
import time

import torch
from gradio_client import Client, handle_file

from playground.core.models import load_causal_lm
from playground.peft_lab.methods import METHODS

TRAIN = dict(model="tiny-llama", task="sentiment_label", data_file=None, steps=2, learning_rate=0.01,
             batch_size=2, seed=0, eval_every=2, n_virtual=4, init_text="", encoder_hidden=16, lora_r=4,
             lora_alpha=8, lora_dropout=0.0, lora_targets="q_proj,v_proj", adapter_len=4, adapter_layers=2,
             bottleneck_size=8)
PROMPT = "Review: The soup was superb.\nLabel:"


def digest(model) -> str:
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().contiguous().view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def greedy(client: Client, model: str) -> list[int]:
    output = client.predict(model=model, prompt=PROMPT, strategies=["greedy"], max_new_tokens=12,
                            api_name="/compare_decoding")
    return output[1]["results"][0]["token_ids"]


def test_a_full_session_leaves_the_shared_models_byte_identical(app_url, smollm2):
    client = Client(app_url, verbose=False)
    names = ["tiny-llama", "smollm2-135m-instruct"]
    before = {m: (greedy(client, m), digest(load_causal_lm(m).model)) for m in names}
    for method in METHODS:
        run = client.predict(**{**TRAIN, "method": method}, api_name="/train_adapter")[2]
        assert run["method"] == method and run["steps"] == 2
    job = client.submit(**{**TRAIN, "method": "lora", "steps": 2000, "eval_every": 1000}, api_name="/train_adapter")
    time.sleep(3)
    client.predict(api_name="/cancel_training")
    assert job.result(timeout=300)[2]["stopped"] == "cancelled"
    path = client.predict(api_name="/download_adapter")
    other = Client(app_url, verbose=False)
    other.predict(model="tiny-llama", adapter_file=handle_file(path), api_name="/upload_adapter")
    other.predict(model="tiny-llama", prompt=PROMPT, adapter="session",
                  max_new_tokens=4, temperature=1.0, top_p=0.9, sample_seed=0, lora_scale=1.0,
                  api_name="/compare_adapter")
    assert {m: (greedy(client, m), digest(load_causal_lm(m).model)) for m in names} == before

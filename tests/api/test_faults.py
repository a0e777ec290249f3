"""Faults in the middle of a job: a training job that dies part-way, or an adapter save that hits a full disk,
leaves the session with its previous, complete adapter (never a partial one), and the server serving."""

import errno
import os
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from playground.peft_lab import adapters
from playground.ui import peft_lab

TRAIN = dict(model="tiny-llama", method="lora", task="sentiment_label", data_file=None, steps=2, learning_rate=0.01,
             batch_size=2, seed=0, eval_every=2, n_virtual=4, init_text="", encoder_hidden=16, lora_r=4,
             lora_alpha=8, lora_dropout=0.0, lora_targets="q_proj,v_proj", adapter_len=4, adapter_layers=2,
             bottleneck_size=8)


def the_session_offers(client: Client) -> str:
    return Path(client.predict(api_name="/download_adapter")).name  # "<method>-adapter.zip"


def dies_part_way(loaded, method, chosen, dataset, settings, on_step, stop):
    raise RuntimeError("the job was killed at step 1")


def disk_full_while_saving(adapted, folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "adapter_model.safetensors").write_bytes(b"half")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fault", ["killed mid-way", "disk full while saving"])
def test_a_failed_job_never_replaces_the_complete_adapter(app_url, monkeypatch, fault):
    client = Client(app_url, verbose=False)
    client.predict(**TRAIN, api_name="/train_adapter")
    assert the_session_offers(client) == "lora-adapter.zip"
    if fault == "killed mid-way":
        monkeypatch.setattr(peft_lab, "train", dies_part_way)
    else:
        monkeypatch.setattr(adapters, "save", disk_full_while_saving)
    with pytest.raises(AppError, match="killed at step 1" if fault == "killed mid-way" else
                       "The trained adapter cannot be written in .*: the disk is full"):
        client.predict(**{**TRAIN, "method": "ia3"}, api_name="/train_adapter")
    monkeypatch.undo()
    assert the_session_offers(client) == "lora-adapter.zip"  # the last complete one, not the failed ia3
    assert client.predict(**{**TRAIN, "method": "ia3"}, api_name="/train_adapter")[2]["method"] == "ia3"  # still up

"""One training run: a method on a private copy of the base, AdamW on its trainable parameters only, the loss on
the completion tokens, held-out loss every few steps, and a way to stop."""

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from playground.core import config
from playground.core.device import device_of
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.seeded import SEED_RANGE
from playground.peft_lab.data import Dataset, encode
from playground.peft_lab.methods import METHODS, MethodSettings, adapted_copy, trainable_parameters
from playground.peft_lab.words import WORDS


@dataclass(frozen=True)
class TrainSettings(Settings):
    steps: int = 60
    learning_rate: float = 0.0  # 0: the method's own default
    batch_size: int = 4
    seed: int = 0
    eval_every: int = 10  # held-out loss every this many steps (and at the end)

    RANGES = {"steps": (1, config.MAX_TRAIN_STEPS), "learning_rate": (0, 1), "batch_size": (1, 32),
              "eval_every": (1, 1000), "seed": SEED_RANGE}


@dataclass
class Run:
    method: str
    method_settings: MethodSettings
    settings: TrainSettings
    learning_rate: float
    trainable: int
    total: int
    model: torch.nn.Module | None = None
    train_loss: list[tuple[int, float]] = field(default_factory=list)
    heldout_loss: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    stopped: str = ""  # "" when every step ran; else why it stopped early: "cancelled" or "time_cap" (its words)

    @property
    def steps_done(self) -> int:
        return self.train_loss[-1][0] if self.train_loss else 0

    @property
    def seconds_per_step(self) -> float:
        return self.seconds / self.steps_done if self.steps_done else math.nan


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


def heldout_loss(model, tokenizer, dataset: Dataset, batch_size: int) -> float:
    """Mean loss per completion token over the held-out rows."""
    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(dataset.heldout), batch_size):
            batch = encode(tokenizer, dataset.heldout[start:start + batch_size]).to(device_of(model))
            out = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
            n = int((batch.labels != -100).sum())
            total, tokens = total + float(out.loss) * n, tokens + n
    model.train()
    return total / max(tokens, 1)


Progress = Callable[[Run], None]


def train(loaded: LoadedModel, method: str, method_settings: MethodSettings, dataset: Dataset,
          settings: TrainSettings, on_step: Progress | None = None, stop: threading.Event | None = None) -> Run:
    """Train `method` on a private copy of the shared base; `on_step` sees the run after every step, and setting
    `stop` ends it after the current step. The shared base's weights are never touched."""
    check(len(dataset.train) >= 1 and len(dataset.heldout) >= 1, WORDS.text("no_rows"))
    model = adapted_copy(loaded, method, method_settings, settings.seed)  # seeded, in turns (core/seeded.py)
    trainable, total = trainable_parameters(model)
    lr = settings.learning_rate or METHODS[method].learning_rate
    run = Run(method, method_settings, settings, lr, trainable, total, model)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    order, rng = [], random.Random(settings.seed)
    model.train()
    started = time.perf_counter()
    for step in range(1, settings.steps + 1):
        if stop is not None and stop.is_set():
            run.stopped = "cancelled"
            break
        if time.perf_counter() - started > config.MAX_JOB_SECONDS:
            run.stopped = "time_cap"
            break
        if len(order) < settings.batch_size:  # a fresh shuffled pass over the training rows
            order += rng.sample(range(len(dataset.train)), len(dataset.train))
        rows, order = order[:settings.batch_size], order[settings.batch_size:]
        batch = encode(loaded.tokenizer, [dataset.train[i] for i in rows]).to(device_of(model))
        loss = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels).loss
        loss.backward()
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)
        run.train_loss.append((step, loss.item()))
        if step % settings.eval_every == 0 or step == settings.steps:
            run.heldout_loss.append((step, heldout_loss(model, loaded.tokenizer, dataset, settings.batch_size)))
        run.seconds = time.perf_counter() - started
        run.peak_rss_mb = max(run.peak_rss_mb, rss_mb())
        if on_step is not None:
            on_step(run)
    model.eval()
    return run

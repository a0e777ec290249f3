"""The PEFT lab on the embedded SmolLM2, on this machine's CPU.

- LoRA on built-in task 1 (city_json): held-out exact match of the base and of LoRA after LORA_STEPS steps, and the
  training time (target: >= 90% within <= 5 minutes; the base <= 30%).
- Throughput: the lab's training loop against a bare peft + torch loop doing the same LoRA steps on the same
  batches (tokenising included in both), interleaved, in tokens/s (target ratio >= 0.9).
- The comparison table: every method with the same data, steps and seed, each at its default learning rate,
  weak rows included (BENCH_PEFT_STEPS, default 60).
"""

import copy
import os
import random
import statistics
import time

import torch
from peft import LoraConfig, TaskType, get_peft_model

from common import write
from playground.core import models
from playground.peft_lab.data import encode, load_task
from playground.peft_lab.methods import METHODS, MethodSettings
from playground.peft_lab.records import record, table_columns, table_row
from playground.peft_lab.training import TrainSettings, train

STEPS = int(os.environ.get("BENCH_PEFT_STEPS", 60))
LORA_STEPS = 60
THROUGHPUT_STEPS, ROUNDS = 8, 3


def batches(dataset, n: int, size: int = 4, seed: int = 0):
    """The same shuffled batches the lab's loop draws for this seed."""
    rng, order, out = random.Random(seed), [], []
    for _ in range(n):
        if len(order) < size:
            order += rng.sample(range(len(dataset.train)), len(dataset.train))
        rows, order = order[:size], order[size:]
        out.append([dataset.train[i] for i in rows])
    return out


def bare_loop(lm, dataset) -> float:
    """Seconds per step of the plainest peft + torch loop: tokenise, forward, backward, AdamW step."""
    model = get_peft_model(copy.deepcopy(lm.model), LoraConfig(task_type=TaskType.CAUSAL_LM, r=8, lora_alpha=16,
                                                               target_modules=["q_proj", "v_proj"]))
    model.train()
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-3, weight_decay=0.0)
    stamps = []
    for rows in batches(dataset, THROUGHPUT_STEPS):
        batch = encode(lm.tokenizer, rows)
        loss = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels).loss
        loss.backward()
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)
        stamps.append(time.perf_counter())
    return (stamps[-1] - stamps[0]) / (len(stamps) - 1)


def lab_loop(lm, dataset) -> float:
    """Seconds per step of the lab's own loop, between its first and its second-to-last step (the last one also
    scores the held-out loss)."""
    stamps = []
    train(lm, "lora", MethodSettings(), dataset, TrainSettings(steps=THROUGHPUT_STEPS + 1,
                                                               eval_every=THROUGHPUT_STEPS + 1),
          on_step=lambda run: stamps.append(time.perf_counter()))
    return (stamps[-2] - stamps[0]) / (len(stamps) - 2)


def main() -> None:
    lm = models.load_causal_lm()
    city = load_task("city_json")
    tokens_per_step = statistics.mean(int(encode(lm.tokenizer, rows).attention_mask.sum())
                                      for rows in batches(city, THROUGHPUT_STEPS))
    lab, bare = [], []
    for _ in range(ROUNDS):
        lab.append(lab_loop(lm, city))
        bare.append(bare_loop(lm, city))
    started = time.perf_counter()
    lora = train(lm, "lora", MethodSettings(), city, TrainSettings(steps=LORA_STEPS, seed=0))
    lora_seconds = time.perf_counter() - started
    lora_record, *_ = record(lm, lora, city, 1)
    rows = []
    for method in METHODS:
        run = train(lm, method, MethodSettings(), city, TrainSettings(steps=STEPS, seed=0))
        data, *_ = record(lm, run, city, len(rows) + 1)
        rows.append(table_row(data))
        print(" | ".join(str(v) for v in rows[-1]), flush=True)
    write("peft_lab", {
        "lora_steps": LORA_STEPS,
        "lora_training_seconds (target <= 300)": round(lora_seconds, 1),
        "heldout_exact_match_base (target <= 0.3)": lora_record["exact_match_base"],
        "heldout_exact_match_lora (target >= 0.9)": round(lora_record["exact_match_adapted"], 3),
        "tokens_per_step": round(tokens_per_step, 1),
        "lab_tokens_per_s": round(tokens_per_step / statistics.median(lab), 1),
        "bare_peft_tokens_per_s": round(tokens_per_step / statistics.median(bare), 1),
        "ratio_lab_vs_bare_throughput (target >= 0.9)": round(statistics.median(bare) / statistics.median(lab), 3),
        "table_steps": STEPS,
        "table": [dict(zip(table_columns("en"), row)) for row in rows],
    })


if __name__ == "__main__":
    main()

"""A finished run, measured: held-out exact match for base and adapted, the adapter's size on disk, generation
latency against the base; one record per run for the history, the comparison table and the JSON."""

import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from playground.core.errors import unwritable
from playground.core.models import LoadedModel
from playground.core.prompts import encode_text
from playground.peft_lab import adapters
from playground.peft_lab.compare import Adapted
from playground.peft_lab.data import Dataset
from playground.peft_lab.decode import decode
from playground.peft_lab.evaluation import exact_match
from playground.peft_lab.methods import METHODS
from playground.peft_lab.training import Run
from playground.peft_lab.words import WORDS

MAX_EVAL_ROWS = 24  # held-out rows scored by exact match: enough to tell 10% from 90%, quick on two cores
LATENCY_TOKENS = 16
TABLE_COLUMNS = ["column.method", "column.trainable", "column.share", "column.step", "column.rss",
                 "column.train_loss", "column.heldout_loss", "column.em_base", "column.em_adapted", "column.disk",
                 "column.latency"]  # the comparison table's headers: keys of the lab's words


def table_columns(language: str | None = None) -> list[str]:
    """The comparison table's headers in `language` (by default the request's)."""
    return [WORDS.text(column, language) for column in TABLE_COLUMNS]


_base_scores: dict[tuple, float] = {}  # the base never changes: its exact match per (model, task) is computed once


def base_exact_match(loaded: LoadedModel, dataset: Dataset) -> float:
    key = (loaded.key, dataset.name, tuple(dataset.heldout[:MAX_EVAL_ROWS]))
    if key not in _base_scores:
        _base_scores[key] = exact_match(loaded.model, False, loaded.tokenizer, loaded.eos_token_ids,
                                        dataset.heldout[:MAX_EVAL_ROWS]).exact_match
    return _base_scores[key]


def latency_ratio(loaded: LoadedModel, adapted: Adapted, prompt: str) -> float:
    """Seconds to greedily write LATENCY_TOKENS tokens, adapted over base (best of two each)."""
    ids = encode_text(loaded.tokenizer, prompt)

    def seconds(model, prompt_learning: bool) -> float:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            decode(model, prompt_learning, ids, LATENCY_TOKENS, set())
            best = min(best, time.perf_counter() - start)
        return best
    return seconds(adapted.model, adapted.prompt_learning) / seconds(loaded.model, False)


def record(loaded: LoadedModel, run: Run, dataset: Dataset, number: int) -> tuple[dict, Adapted, Path]:
    """Measure a finished run; returns its record, the adapted model and the folder it is saved in."""
    method = METHODS[run.method]
    adapted = Adapted(WORDS.text("run", run=number, method=method.title, task=dataset.name), run.method, run.model,
                      method.prompt_learning)
    scores = exact_match(run.model, method.prompt_learning, loaded.tokenizer, loaded.eos_token_ids,
                         dataset.heldout[:MAX_EVAL_ROWS])
    folder = Path(tempfile.mkdtemp(prefix="run-")) / "adapter"
    try:
        adapters.save(adapted, folder)
    except OSError as err:  # the session keeps its previous adapter: this one is never offered half-saved
        clear = unwritable(err, WORDS.text("trained_adapter"), folder.parent, WORDS.text("free_space"))
        if clear is None:
            raise
        raise clear from err
    base_total = run.total - (0 if run.method == "full" else run.trainable)
    data = {
        "run": number, "method": run.method, "title": method.title, "task": dataset.name,
        "steps": run.steps_done, "learning_rate": run.learning_rate, "batch_size": run.settings.batch_size,
        "seed": run.settings.seed, "method_settings": asdict(run.method_settings), "stopped": run.stopped,
        "trainable": run.trainable, "share": run.trainable / base_total,
        "seconds_per_step": run.seconds_per_step, "peak_rss_mb": run.peak_rss_mb,
        "train_loss": run.train_loss, "heldout_loss": run.heldout_loss,
        "final_train_loss": run.train_loss[-1][1] if run.train_loss else None,
        "final_heldout_loss": run.heldout_loss[-1][1] if run.heldout_loss else None,
        "exact_match_base": base_exact_match(loaded, dataset), "exact_match_adapted": scores.exact_match,
        "adapted_outputs": scores.outputs[:5], "adapter_bytes": adapters.size_on_disk(folder),
        "latency_vs_base": latency_ratio(loaded, adapted, dataset.heldout[0].prompt),
    }
    return data, adapted, folder


def table_row(r: dict) -> list:
    def num(value, digits=3):
        return None if value is None else round(value, digits)
    return [r["title"], r["trainable"], f"{r['share']:.4%}", num(r["seconds_per_step"], 2), round(r["peak_rss_mb"]),
            num(r["final_train_loss"]), num(r["final_heldout_loss"]), f"{r['exact_match_base']:.0%}",
            f"{r['exact_match_adapted']:.0%}", round(r["adapter_bytes"] / 1000, 1), f"{r['latency_vs_base']:.2f}×"]

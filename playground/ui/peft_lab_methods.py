"""The PEFT lab's method comparison, the study note's own question (prompt tuning vs prefix tuning vs adapters vs
LoRA: what trains, how much, how well): every method trained on the same data, steps and seed. Training them all
takes minutes on a CPU, so the panel opens on a reference table and curves from `make references`."""

import csv
import json
import tempfile
from pathlib import Path

import gradio as gr

from playground.core import reference
from playground.peft_lab import plots
from playground.peft_lab.data import load_task
from playground.peft_lab.methods import METHODS, MethodSettings
from playground.peft_lab.records import TABLE_COLUMNS, record, table_row
from playground.peft_lab.sessions import SESSIONS
from playground.peft_lab.training import TrainSettings, train
from playground.ui.components import load_model, on
from playground.ui.opening import Reference
from playground.ui.peft_lab_compare import session_id

INTRO = """### Every method, the same data, steps and seed
Each row is measured: trainable parameters and their share of the model, seconds per step, peak memory, final
losses, held-out exact match for base and adapted, the adapter's size on disk, and generation latency against the
base. Each method trains at its own default learning rate and settings. `make bench` prints the same table.
"""


def methods_summary(records: list[dict], task: str, steps: int) -> str:
    """The table's answer in words: who learnt the task, with how few parameters."""
    if not records:
        return "No method finished."
    best = max(records, key=lambda r: (r["exact_match_adapted"], -r["trainable"]))
    fewest = min(records, key=lambda r: r["trainable"])
    learnt = [r for r in records if r["exact_match_adapted"] >= 0.5 and r["method"] != "full"]
    smallest = min(learnt, key=lambda r: r["trainable"]) if learnt else None
    text = (f"**{len(records)} methods on {task}, {steps} steps each.** Best held-out exact match: "
            f"**{best['title']}**, {best['exact_match_adapted']:.0%} (the base scores "
            f"{records[0]['exact_match_base']:.0%}). The fewest trainable parameters: {fewest['title']}, "
            f"{fewest['trainable']:,} ({fewest['share']:.4%} of the model), reaching "
            f"{fewest['exact_match_adapted']:.0%}.")
    if smallest:
        text += (f" The smallest method to get at least half right: **{smallest['title']}** with "
                 f"{smallest['trainable']:,} parameters.")
    return text


def train_all(model: str, task: str, steps: int, seed: int, request: gr.Request, progress=gr.Progress()):
    """Every method on the same task, steps and seed (each at its own default learning rate and settings): the
    comparison table, streamed row by row, with every method's loss curves, then as CSV."""
    loaded = load_model(model, progress)
    dataset, settings = load_task(task), TrainSettings(steps=steps, seed=seed)
    session, rows, records = SESSIONS.get(session_id(request)), [], []
    session.stop.clear()
    methods = [m for m in METHODS if m != "llama_adapter" or loaded.model.config.model_type == "llama"]
    layers = loaded.model.config.num_hidden_layers  # a tiny model has fewer than LLaMA-Adapter's default 8
    defaults = MethodSettings(adapter_layers=min(MethodSettings.adapter_layers, layers))
    for i, method in enumerate(methods):
        progress((i, len(methods)), desc=f"Training {METHODS[method].title}", unit="methods")
        run = train(loaded, method, defaults, dataset, settings, stop=session.stop)
        if run.stopped == "cancelled":
            break
        data, *_ = record(loaded, run, dataset, len(session.runs) + 1)
        session.runs.append(data)
        records.append(data)
        rows.append(table_row(data))
        yield f"Trained {len(records)} of {len(methods)} methods…", rows, gr.skip(), gr.skip()
    path = Path(tempfile.mkdtemp(prefix="table-")) / "peft_comparison.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(TABLE_COLUMNS)
        writer.writerows(rows)
    curves = plots.loss_figure([{"label": r["title"], **r} for r in records], "Every method's loss")
    yield methods_summary(records, dataset.name, settings.steps), rows, curves, str(path)


def export_history(request: gr.Request):
    """Every finished run of this session, with its settings, loss curves and scores, as JSON."""
    runs = SESSIONS.get(session_id(request)).runs
    path = Path(tempfile.mkdtemp(prefix="history-")) / "peft_runs.json"
    path.write_text(json.dumps(runs, indent=1, default=str))
    return str(path)


def build_methods(c: dict) -> Reference:
    """The comparison table and curves, opening on the reference run (`c`: the lab's controls)."""
    gr.Markdown(INTRO)
    with gr.Row():
        fill = gr.Button("Measure it here: train all methods and fill the table", variant="primary",
                         elem_id="peft-train-all")
        export = gr.Button("Export this session's runs (JSON)")
    summary = gr.Markdown(elem_id="peft-methods-summary")
    table = gr.Dataframe(headers=TABLE_COLUMNS, label="Comparison", wrap=True, elem_id="peft-table")
    curves = gr.Plot(label="Loss: train (solid) and held-out (dashed), every method", elem_id="peft-methods-loss")
    with gr.Row():
        table_csv = gr.File(label="Table (CSV)", interactive=False)
        history_json = gr.File(label="Runs (JSON)", interactive=False)
    on(fill.click, train_all, c, [summary, table, curves, table_csv], api_name="train_all", concurrency_limit=1,
       concurrency_id="peft-training")
    on(export.click, export_history, c, [history_json], api_name="export_runs")
    return Reference("peft_lab/methods", reference.shipped("peft_lab", "methods"), train_all, c,
                     [summary, table, curves], pick=lambda values: values[:3])  # not the CSV's temporary path

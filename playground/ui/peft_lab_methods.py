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
from playground.peft_lab.records import record, table_columns, table_row
from playground.peft_lab.sessions import SESSIONS
from playground.peft_lab.training import TrainSettings, train
from playground.ui.components import load_model, on
from playground.ui.i18n.peft_lab import PEFT
from playground.ui.opening import Reference
from playground.ui.peft_lab_compare import session_id


def methods_summary(records: list[dict], task: str, steps: int) -> str:
    """The table's answer in words: who learnt the task, with how few parameters."""
    if not records:
        return PEFT.text("no_method")
    best = max(records, key=lambda r: (r["exact_match_adapted"], -r["trainable"]))
    fewest = min(records, key=lambda r: r["trainable"])
    learnt = [r for r in records if r["exact_match_adapted"] >= 0.5 and r["method"] != "full"]
    smallest = min(learnt, key=lambda r: r["trainable"]) if learnt else None
    text = PEFT.text("methods_summary", count=len(records), task=task, steps=steps, best=best["title"],
                     best_em=best["exact_match_adapted"], base=records[0]["exact_match_base"], fewest=fewest["title"],
                     fewest_count=fewest["trainable"], share=fewest["share"], fewest_em=fewest["exact_match_adapted"])
    if smallest:
        text += PEFT.text("smallest", method=smallest["title"], count=smallest["trainable"])
    return text


def show_methods(measured) -> tuple:
    """The summary, the table and the curves of a finished comparison, in the request's language."""
    records, task, steps = measured
    rows = [table_row(r) for r in records]
    curves = plots.loss_figure([{"label": r["title"], **r} for r in records], PEFT.text("every_loss"))
    return methods_summary(records, task, steps), {"headers": table_columns(), "data": rows}, curves


def train_all(model: str, task: str, steps: int, seed: int, request: gr.Request, progress=gr.Progress()):
    """Every method on the same task, steps and seed (each at its own default learning rate and settings): the
    comparison table, streamed row by row, with every method's loss curves, then as CSV."""
    loaded, dataset, settings, session = _comparison(model, task, steps, seed, request, progress)
    records = []
    for records, count in train_each(loaded, dataset, settings, session, progress):
        rows = {"headers": table_columns(), "data": [table_row(r) for r in records]}
        yield PEFT.text("trained_count", done=len(records), count=count), rows, gr.skip(), gr.skip()
    path = Path(tempfile.mkdtemp(prefix="table-")) / "peft_comparison.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(table_columns())
        writer.writerows(table_row(r) for r in records)
    yield *show_methods((records, dataset.name, settings.steps)), str(path)


def measure_methods(model: str, task: str, steps: int, seed: int, request: gr.Request, progress=gr.Progress()):
    """The comparison as the reference measures it, once for every language: (records, task, steps)."""
    loaded, dataset, settings, session = _comparison(model, task, steps, seed, request, progress)
    records = []
    for records, _ in train_each(loaded, dataset, settings, session, progress):
        pass
    return records, dataset.name, settings.steps


train_all.measure, train_all.show = measure_methods, show_methods  # as `shown_by` makes them, for the reference


def _comparison(model: str, task: str, steps: int, seed: int, request: gr.Request, progress):
    loaded = load_model(model, progress)
    session = SESSIONS.get(session_id(request))
    session.stop.clear()
    return loaded, load_task(task), TrainSettings(steps=steps, seed=seed), session


def train_each(loaded, dataset, settings: TrainSettings, session, progress):
    """Every method trained in turn (each at its own defaults), until one is cancelled; after each, (the records so
    far, how many methods in all)."""
    methods = [m for m in METHODS if m != "llama_adapter" or loaded.model.config.model_type == "llama"]
    layers = loaded.model.config.num_hidden_layers  # a tiny model has fewer than LLaMA-Adapter's default 8
    defaults = MethodSettings(adapter_layers=min(MethodSettings.adapter_layers, layers))
    records = []
    for i, method in enumerate(methods):
        progress((i, len(methods)), desc=PEFT.text("training_method", method=METHODS[method].title),
                 unit=PEFT.text("methods_unit"))
        run = train(loaded, method, defaults, dataset, settings, stop=session.stop)
        if run.stopped == "cancelled":
            return
        data, *_ = record(loaded, run, dataset, len(session.runs) + 1)
        session.runs.append(data)
        records.append(data)
        yield records, len(methods)


def export_history(request: gr.Request):
    """Every finished run of this session, with its settings, loss curves and scores, as JSON."""
    runs = SESSIONS.get(session_id(request)).runs
    path = Path(tempfile.mkdtemp(prefix="history-")) / "peft_runs.json"
    path.write_text(json.dumps(runs, indent=1, default=str))
    return str(path)


def build_methods(c: dict) -> Reference:
    """The comparison table and curves, opening on the reference run (`c`: the lab's controls)."""
    gr.Markdown(PEFT("methods_intro"))
    with gr.Row():
        fill = gr.Button(PEFT("fill"), variant="primary", elem_id="peft-train-all")
        export = gr.Button(PEFT("export"))
    summary = gr.Markdown(elem_id="peft-methods-summary")
    table = gr.Dataframe(headers=table_columns("en"), label=PEFT("comparison"), wrap=True, elem_id="peft-table")
    curves = gr.Plot(label=PEFT("methods_loss"), elem_id="peft-methods-loss")
    with gr.Row():
        table_csv = gr.File(label=PEFT("table_csv"), interactive=False)
        history_json = gr.File(label=PEFT("runs_json"), interactive=False)
    on(fill.click, train_all, c, [summary, table, curves, table_csv], api_name="train_all", concurrency_limit=1,
       concurrency_id="peft-training")
    on(export.click, export_history, c, [history_json], api_name="export_runs")
    return Reference("peft_lab/methods", reference.shipped("peft_lab", "methods"), train_all, c,
                     [summary, table, curves])

"""The PEFT lab: train prompt tuning, prefix tuning, P-tuning, LoRA, IA3, LLaMA-Adapter, a bottleneck adapter or
the whole model on this machine's CPU, watch the loss fall, and compare base and adapted side by side."""

import threading

import gradio as gr

from playground.core import config
from playground.core.models import LoadedModel
from playground.peft_lab import plots
from playground.peft_lab.counts import expected_trainable
from playground.peft_lab.data import Dataset, load_task, parse_upload
from playground.peft_lab.make_tasks import TASKS
from playground.peft_lab.methods import (
    LORA_MODULES,
    METHODS,
    MethodSettings,
    adapted_copy,
    check_method,
    trainable_parameters,
)
from playground.peft_lab.records import record, table_columns, table_row
from playground.peft_lab.sessions import SESSIONS
from playground.peft_lab.training import TrainSettings, train
from playground.peft_lab.where import trainable_map
from playground.peft_lab.words import WORDS
from playground.ui.components import any_of, load_model, model_picker, on, panel_tabs, settings_from
from playground.ui.i18n.peft_lab import PEFT
from playground.ui.opening import Opening, run_on_defaults
from playground.ui.peft_lab_compare import build_compare, build_save_load, session_id
from playground.ui.peft_lab_methods import build_methods

def method_settings(arguments: dict) -> MethodSettings:
    return settings_from(MethodSettings, arguments)


def method_info(model: str, method: str, n_virtual: int, init_text: str, encoder_hidden: int, lora_r: int,
                lora_alpha: int, lora_dropout: float, lora_targets: str, adapter_len: int, adapter_layers: int,
                bottleneck_size: int, progress=gr.Progress()):
    """Where the method's parameters live: its description, the exact trainable count and share (from the adapted
    model, equal to the formula), and a diagram of the blocks that hold them."""
    chosen, settings = check_method(method), method_settings(locals())
    loaded = load_model(model, progress)
    adapted = adapted_copy(loaded, method, settings)
    trainable, total = trainable_parameters(adapted)
    base = total - (0 if method == "full" else trainable)
    formula = expected_trainable(method, settings, loaded.model.config)
    text = PEFT.text("method_info", method=chosen.title, where=WORDS.text(f"where.{method}"), trainable=trainable,
                     share=trainable / base, model=loaded.label, base=base, formula=formula,
                     rate=chosen.learning_rate)
    counts = trainable_map(adapted, loaded.model.config.num_hidden_layers, method == "prefix_tuning")
    return text, plots.where_figure(counts, PEFT.text("where_title", method=chosen.title))


def dataset_for(loaded: LoadedModel, task: str, data_file) -> Dataset:
    """The chosen built-in task, or the uploaded file when there is one."""
    path = data_file.get("path") if isinstance(data_file, dict) else data_file
    if path:
        with open(path, "rb") as f:
            return parse_upload(f.read(), str(data_file.get("orig_name") or path) if isinstance(data_file, dict)
                                else str(path), loaded.tokenizer)
    return load_task(task)


def train_adapter(model: str, method: str, task: str, data_file, steps: int, learning_rate: float, batch_size: int,
                  seed: int, eval_every: int, n_virtual: int, init_text: str, encoder_hidden: int, lora_r: int,
                  lora_alpha: int, lora_dropout: float, lora_targets: str, adapter_len: int, adapter_layers: int,
                  bottleneck_size: int, request: gr.Request, progress=gr.Progress()):
    """Train `method` (lora, ia3, prompt_tuning, prefix_tuning, p_tuning, llama_adapter, bottleneck, full) on a
    private copy of the model, streaming the loss; then score held-out exact match for base and adapted. The JSON
    holds the loss history and the scores."""
    check_method(method)
    settings, chosen = settings_from(TrainSettings, locals()), method_settings(locals())
    loaded = load_model(model, progress)
    dataset = dataset_for(loaded, task, data_file)
    session = SESSIONS.get(session_id(request))
    session.stop.clear()
    done, result = threading.Event(), {}
    latest: dict = {}

    def work():
        try:
            result["run"] = train(loaded, method, chosen, dataset, settings, on_step=lambda r: latest.update(run=r),
                                  stop=session.stop)
        except Exception as err:  # noqa: BLE001 - shown to the person below, on the request's own thread
            result["error"] = err
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    label = PEFT.text("run_label", method=METHODS[method].title, task=dataset.name)
    try:
        while not done.wait(timeout=1.0):
            run = latest.get("run")
            if run is None:
                continue
            rate = run.steps_done / max(run.seconds, 1e-9)
            progress((run.steps_done, settings.steps), unit="steps",
                     desc=PEFT.text("progress", done=run.steps_done, steps=settings.steps, rate=rate,
                                    left=(settings.steps - run.steps_done) / max(rate, 1e-9)))
            curve = {"label": label, "train_loss": list(run.train_loss), "heldout_loss": list(run.heldout_loss)}
            yield plots.loss_figure([curve]), PEFT.text("training", label=label, done=run.steps_done,
                                                        steps=settings.steps), gr.skip(), gr.skip()
    finally:
        if not done.is_set():  # the request went away (page closed, queue cancel): stop the job with it
            session.stop.set()
    if "error" in result:
        raise result["error"]
    run = result["run"]
    progress(1.0, desc=PEFT.text("scoring"))
    data, adapted, folder = record(loaded, run, dataset, len(session.runs) + 1)
    session.runs.append(data)
    session.adapter, session.adapter_folder, session.adapter_base = adapted, folder, loaded.key
    why = WORDS.text(f"stopped.{run.stopped}", seconds=config.MAX_JOB_SECONDS) if run.stopped else ""
    text = PEFT.text("trained", method=data["title"], task=dataset.name, steps=run.steps_done, seconds=run.seconds,
                     per_step=data["seconds_per_step"], trainable=run.trainable,
                     stopped=PEFT.text("stopped", why=why) if why else "", base=data["exact_match_base"],
                     adapted=data["exact_match_adapted"])
    curve = {"label": label, "train_loss": run.train_loss, "heldout_loss": run.heldout_loss}
    yield plots.loss_figure([curve]), text, data, {"headers": table_columns(),
                                                  "data": [table_row(r) for r in session.runs]}


def cancel_training(request: gr.Request):
    """Stop this session's training after the current step (another session's job is not yours to stop)."""
    SESSIONS.get(session_id(request)).stop.set()
    return PEFT.text("stopping")


def history_curves(runs_to_plot: list[int], request: gr.Request):
    """Two (or more) finished runs' loss curves on one chart."""
    runs = {r["run"]: r for r in SESSIONS.get(session_id(request)).runs}
    chosen = [runs[n] for n in runs_to_plot if n in runs] or list(runs.values())[-2:]
    return plots.loss_figure([{"label": PEFT.text("run_name", run=r["run"], method=r["title"]), **r} for r in chosen],
                             PEFT.text("runs_title"))


def run_choices(request: gr.Request):
    """This session's runs as choices for the overlay chart."""
    runs = SESSIONS.get(session_id(request)).runs
    return gr.Dropdown(choices=[(WORDS.text("run", run=r["run"], method=r["title"], task=r["task"]), r["run"])
                                for r in runs])


def build() -> list[Opening]:
    """The model above four sub-tabs: train, compare every method, base and adapted side by side, save and load."""
    gr.Markdown(PEFT("intro"))
    c = {"model": model_picker()}
    return panel_tabs("peft-tabs", [
        (PEFT("tab.train"), "train", build_train), (PEFT("tab.methods"), "methods", build_methods),
        (PEFT("tab.side_by_side"), "side_by_side", build_compare),
        (PEFT("tab.save_load"), "save_load", build_save_load),
    ], c)


def build_train(c: dict) -> Opening:
    """One method trained here, where its parameters live, and this session's runs (`c`: adds its controls)."""
    s, t = MethodSettings(), TrainSettings()
    with gr.Row():
        with gr.Column(scale=2):
            c["method"] = gr.Radio([(m.title, m.name) for m in METHODS.values()], value="lora", label=PEFT("method"),
                                   elem_id="peft-method")
            with gr.Row():
                c["task"] = gr.Dropdown(list(TASKS), value="city_json", label=PEFT("task"))
                c["data_file"] = gr.File(label=PEFT("data_file"), file_types=[".jsonl", ".csv"], height=90)
            gr.Markdown(PEFT("data_note"))
            with gr.Row():
                c["steps"] = gr.Number(value=t.steps, precision=0, label=PEFT("steps"), minimum=1, elem_id="peft-steps")
                c["learning_rate"] = gr.Number(value=t.learning_rate, label=PEFT("learning_rate"),
                                               minimum=0, maximum=1)
                c["batch_size"] = gr.Number(value=t.batch_size, precision=0, label=PEFT("batch_size"), minimum=1,
                                            maximum=32)
                c["seed"] = gr.Number(value=t.seed, precision=0, label="seed")
                c["eval_every"] = gr.Number(value=t.eval_every, precision=0, label=PEFT("eval_every"), minimum=1)
            with gr.Accordion(PEFT("settings"), open=False):
                with gr.Row():
                    c["n_virtual"] = gr.Number(value=s.n_virtual, precision=0, label=PEFT("n_virtual"))
                    c["init_text"] = gr.Textbox(value=s.init_text, label=PEFT("init_text"))
                    c["encoder_hidden"] = gr.Number(value=s.encoder_hidden, precision=0, label=PEFT("encoder_hidden"))
                with gr.Row():
                    c["lora_r"] = gr.Number(value=s.lora_r, precision=0, label=PEFT("lora_r"))
                    c["lora_alpha"] = gr.Number(value=s.lora_alpha, precision=0, label=PEFT("lora_alpha"))
                    c["lora_dropout"] = gr.Number(value=s.lora_dropout, label=PEFT("lora_dropout"))
                    c["lora_targets"] = gr.Textbox(value=s.lora_targets,
                                                   label=PEFT.filled("lora_targets", modules=", ".join(LORA_MODULES)))
                with gr.Row():
                    c["adapter_len"] = gr.Number(value=s.adapter_len, precision=0, label=PEFT("adapter_len"))
                    c["adapter_layers"] = gr.Number(value=s.adapter_layers, precision=0, label=PEFT("adapter_layers"))
                    c["bottleneck_size"] = gr.Number(value=s.bottleneck_size, precision=0,
                                                     label=PEFT("bottleneck_size"))
            with gr.Row():
                start = gr.Button(PEFT("tab.train"), variant="primary", elem_id="peft-train")
                cancel = gr.Button(PEFT("cancel"), variant="stop", elem_id="peft-cancel")
        with gr.Column(scale=2):
            info = gr.Markdown(PEFT("pick"), elem_id="peft-method-info")
            where = gr.Plot(label=PEFT("where"))
    summary = gr.Markdown(elem_id="peft-summary")
    loss_plot = gr.Plot(label=PEFT("loss"), elem_id="peft-loss")
    train_json = gr.JSON(label=PEFT("run"), visible=False)
    history = gr.Dataframe(headers=table_columns("en"), label=PEFT("history"), wrap=True, elem_id="peft-history")
    with gr.Row():
        c["runs_to_plot"] = gr.Dropdown(choices=[], value=[], multiselect=True,
                                        label=PEFT("runs_to_plot"))
        overlay = gr.Button(PEFT("overlay"))
    overlay_plot = gr.Plot(label=PEFT("runs_title"))

    info_inputs = ["method", "lora_targets", "lora_r", "n_virtual", "encoder_hidden", "adapter_len",
                   "adapter_layers", "bottleneck_size"]
    on(any_of(*(c[name].change for name in info_inputs)), method_info, c, [info, where],
       api_visibility="private", trigger_mode="always_last")
    trained = on(start.click, train_adapter, c, [loss_plot, summary, train_json, history], api_name="train_adapter",
                 concurrency_limit=1, concurrency_id="peft-training")
    on(trained.then, run_choices, c, [c["runs_to_plot"]], api_visibility="private")
    on(cancel.click, cancel_training, c, [summary], api_name="cancel_training")
    on(overlay.click, history_curves, c, [overlay_plot], api_visibility="private")

    def opening():  # the default method's place, and the empty loss plot and history in the page's language
        return (*run_on_defaults(method_info, c), plots.loss_figure([]), {"headers": table_columns(), "data": []})
    return Opening("peft_lab/train", opening, [info, where, loss_plot, history])

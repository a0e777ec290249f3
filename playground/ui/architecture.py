"""The architecture tab: one block of the chosen model walked number by number and checked against its own
modules, and the logit lens; from BERT's post-norm GELU block to LLaMA's and Qwen's pre-norm SwiGLU one."""

import gradio as gr

from playground.architecture import plots
from playground.architecture.anatomy import anatomy_row, reference_rows, table_columns
from playground.architecture.block_walk import block_walk as walk_block
from playground.architecture.logit_lens import logit_lens as read_lens
from playground.architecture.prompt import prompt_ids
from playground.architecture.walk import WalkSettings
from playground.architecture.words import WORDS
from playground.core import config, models
from playground.core.visible import visible
from playground.ui import architecture_pretraining, architecture_swaps
from playground.ui.components import (
    headers, load_model, model_picker, panel_tabs, preset_buttons, settings_from, table,
)
from playground.ui.i18n.architecture import ARCHITECTURE
from playground.ui.i18n.common import COMMON
from playground.ui.opening import Opening, panel

PROMPT = "The Eiffel Tower is in the city of"
WALK_COLUMNS = ["column.step", "column.formula", "column.shape", "column.values", "column.norm", "column.gap",
                "column.against"]

def block_walk(model: str, prompt: str, layer: int, position: int, progress=gr.Progress()):
    """One block (`layer`) walked at one token (`position`, negative counts from the end): every step computed from
    the weights and compared with the module's own output. The JSON holds every step."""
    settings = settings_from(WalkSettings, locals())
    loaded = load_model(model, progress, any_kind=True)
    walk = walk_block(loaded, prompt_ids(loaded, prompt), settings)
    rows = [[s.name, s.formula, " × ".join(map(str, s.shape)), ", ".join(f"{v:.3f}" for v in s.strip),
             round(s.norm, 3), "—" if s.difference is None else f"{s.difference:.1e}", s.checked_against or "—"]
            for s in walk.steps]
    return walk_summary(walk), plots.walk_figure(walk), table(ARCHITECTURE, WALK_COLUMNS, rows), walk.payload()


def walk_summary(walk) -> str:
    stream = [s for s in walk.steps if s.kind in ("entering", "residual_add", "residual_norm")]
    return WORDS.text(
        "walk.summary", model=walk.model_label, layer=walk.layer, position=walk.position,
        token=visible(walk.tokens[walk.position]), steps=len(walk.steps), gap=walk.max_difference,
        relative=walk.max_relative, enters=stream[0].norm, leaves=stream[-1].norm,
        norm=WORDS.text("post_norm" if walk.family == "bert" else "pre_norm"))


def logit_lens(model: str, prompt: str, progress=gr.Progress()):
    """The stream after every layer, at every position, read through the final norm and LM head: the top token
    per layer and position, and where the model's final prediction at the last token ranks at each layer."""
    loaded = load_model(model, progress, any_kind=True)
    lens = read_lens(loaded, prompt_ids(loaded, prompt))
    return lens_summary(lens), plots.lens_figure(lens), plots.rank_figure(lens), lens.payload()


def lens_summary(lens) -> str:
    ranks = [row[-1] for row in lens.final_ranks]
    first_top = next(i for i, r in enumerate(ranks) if all(later == 0 for later in ranks[i:]))
    middle = len(ranks) // 2
    return WORDS.text(
        "lens.summary", token=visible(lens.tokens[-1]), answer=visible(lens.final_tokens[-1]),
        p=lens.final_probs[-1][-1], first_top=lens.rows[first_top], layers=len(ranks) - 1, middle=lens.rows[middle],
        rank=ranks[middle] + 1, gap=lens.last_layer_difference)


def anatomy(model: str, progress=gr.Progress()):
    """The architecture table: the reference models (BERT, GPT-2, T5, Llama-3-8B, Qwen2.5-7B), the embedded
    MiniLM, and the chosen model, with parameters per component in millions."""
    loaded = load_model(model, progress, any_kind=True)
    encoder = models.load_encoder()
    rows = [*reference_rows(), anatomy_row(encoder.label, encoder.model)]
    rows += [anatomy_row(loaded.label, loaded.model)] if loaded.label != encoder.label else []
    return {"headers": table_columns(), "data": [row.table_row() for row in rows]}


def build() -> list[Opening]:
    gr.Markdown(ARCHITECTURE("intro"))
    s = WalkSettings()
    with gr.Row(equal_height=True):
        c = {"model": model_picker(any_kind=True, elem_id="architecture-model"),
             "prompt": gr.Textbox(label=COMMON("prompt"), value=PROMPT, lines=1, elem_id="architecture-prompt",
                                  scale=2),
             "layer": gr.Number(value=s.layer, precision=0, label=COMMON("layer"),
                                elem_id="architecture-layer"),
             "position": gr.Number(value=s.position, precision=0, label=ARCHITECTURE("position"),
                                   elem_id="architecture-position")}
    return panel_tabs("architecture-tabs", [
        (ARCHITECTURE("tab.walk"), "walk", build_walk), (ARCHITECTURE("tab.swaps"), "swaps", architecture_swaps.build),
        (ARCHITECTURE("tab.lens"), "lens", build_lens),
        (ARCHITECTURE("tab.masks"), "masks", architecture_pretraining.build),
        (ARCHITECTURE("tab.anatomy"), "anatomy", build_anatomy)], c)


def build_anatomy(c: dict) -> Opening:
    gr.Markdown(ARCHITECTURE("anatomy_intro"))
    read = gr.Button(ARCHITECTURE("anatomy.run"), elem_id="architecture-anatomy-run")
    anatomy_table = gr.Dataframe(headers=table_columns(), label=ARCHITECTURE("anatomy.table"), wrap=True,
                                 elem_id="architecture-anatomy")
    return panel("architecture/anatomy", read.click, anatomy, c, [anatomy_table], api_name="anatomy")


def build_walk(c: dict) -> Opening:
    run = gr.Button(ARCHITECTURE("walk.run"), variant="primary", elem_id="architecture-walk")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-walk-summary")
    figure = gr.Plot(label=ARCHITECTURE("walk.plot"), elem_id="architecture-walk-plot")
    gr.Markdown(ARCHITECTURE("walk.caption"))
    steps = gr.Dataframe(headers=headers(ARCHITECTURE, WALK_COLUMNS), label=ARCHITECTURE("walk.table"), wrap=True,
                         elem_id="architecture-walk-table")
    result = gr.JSON(label=ARCHITECTURE("walk.json"), visible=False)
    outputs = [summary, figure, steps, result]
    opening = panel("architecture/walk", run.click, block_walk, c, outputs, api_name="block_walk")
    preset_buttons([(ARCHITECTURE("preset.layer15"), {"layer": 15, "position": -1}),
                    (ARCHITECTURE("preset.minilm"), {"model": config.EMBEDDED_ENCODER, "layer": 0})],
                   c, block_walk, outputs, presets)
    return opening


def build_lens(c: dict) -> Opening:
    gr.Markdown(ARCHITECTURE("lens_intro"))
    run = gr.Button(ARCHITECTURE("lens.run"), variant="primary", elem_id="architecture-lens-run")
    presets = gr.Row()
    summary = gr.Markdown(elem_id="architecture-lens-summary")
    with gr.Row():
        heatmap = gr.Plot(label=ARCHITECTURE("lens.plot"), elem_id="architecture-lens-plot", scale=3)
        ranks = gr.Plot(label=ARCHITECTURE("lens.rank"), elem_id="architecture-lens-rank", scale=2)
    result = gr.JSON(label=ARCHITECTURE("tab.lens"), visible=False)
    outputs = [summary, heatmap, ranks, result]
    opening = panel("architecture/lens", run.click, logit_lens, c, outputs, api_name="logit_lens")
    preset_buttons([(ARCHITECTURE("preset.fact"), {"prompt": PROMPT}),
                    (ARCHITECTURE("preset.pattern"), {"prompt": "1, 2, 3, 4, 5,"})],
                   c, logit_lens, outputs, presets)
    return opening

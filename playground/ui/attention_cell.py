"""The attention tab's cell panels: the maths of one cell of softmax(QKᵀ/√d + mask), RoPE moved along the
positions, and the matrix growing one row per generated token."""

import gradio as gr

from playground.attention import plots
from playground.attention.cell import CellSettings, row_maths
from playground.attention.explain import cell_markdown, mask_text
from playground.attention.extraction import tokenize
from playground.attention.growth import MAX_NEW_TOKENS, GrowthSettings, grow
from playground.attention.rope import rope_demo
from playground.core.visible import token_pieces, visible
from playground.ui.components import headers, load_model, settings_from, table
from playground.ui.i18n.attention import ATTENTION
from playground.ui.i18n.common import COMMON
from playground.ui.opening import Opening, panel

CELL_COLUMNS = ["column.key", "column.dot", "column.scaled", "column.bias", "column.mask", "column.score",
                "column.softmax", "column.own"]


def _chosen_cell(arguments: dict, progress):
    """The chosen cell (from a handler's `locals()`), the model and the prompt's token ids, the cell checked."""
    settings = settings_from(CellSettings, arguments)
    loaded = load_model(arguments["model"], progress, any_kind=True)
    token_ids = tokenize(loaded, arguments["prompt"], arguments["use_chat_template"])
    settings.check_in(len(token_ids))
    return settings, loaded, token_ids


def attention_cell(
    model: str, prompt: str, layer: int, head: int, query: int, key: int, use_chat_template: bool,
    progress=gr.Progress(),
):
    """Every step of one cell's weight, for the query's whole row; and the model's own weights to compare."""
    settings, loaded, token_ids = _chosen_cell(locals(), progress)
    maths = row_maths(loaded, token_ids, settings.layer, settings.head, settings.query)
    tokens = token_pieces(loaded.tokenizer, token_ids)
    rows = [[f"{j}·{visible(t)}", round(float(maths.dots[j]), 4), round(float(maths.dots[j] * maths.scaling), 4),
             round(float(maths.bias[j]), 4), mask_text(float(maths.mask[j])),
             "−∞" if maths.mask[j] < -1e30 else round(float(maths.scores[j]), 4),
             round(float(maths.weights[j]), 6),
             round(float(maths.model_weights[j]), 6)] for j, t in enumerate(tokens)]
    payload = {"query": settings.query, "key": settings.key, "kv_head": maths.kv_head, "scaling": maths.scaling,
               **{name: getattr(maths, name).tolist() for name in ("dots", "bias", "mask", "weights", "model_weights")}}
    return cell_markdown(maths, tokens, settings.key), table(ATTENTION, CELL_COLUMNS, rows), payload


ROPE_COLUMNS = ["rope.m", "rope.n", "rope.distance", "rope.score"]


def rope(
    model: str, prompt: str, layer: int, head: int, query: int, key: int, use_chat_template: bool,
    progress=gr.Progress(),
):
    """The chosen cell's q and k moved together to other positions (same score), and scored at every distance."""
    settings, loaded, token_ids = _chosen_cell(locals(), progress)
    demo = rope_demo(loaded, token_ids, settings.layer, settings.head, settings.query, settings.key)
    rows = [[m, n, m - n, round(score, 6)] for m, n, score in demo.shifted]
    spread = max(s for *_, s in demo.shifted) - min(s for *_, s in demo.shifted)
    text = ATTENTION.text("rope_summary", moved=rows[-1][0] - rows[0][0], spread=spread, distance=rows[0][2])
    return text, table(ATTENTION, ROPE_COLUMNS, rows), plots.rope_figure(demo), {"shifted": rows, "distances": demo.distances,
                                                  "scores": demo.distance_scores}


def attention_growth(
    model: str, prompt: str, layer: int, head: int, new_tokens: int, use_chat_template: bool,
    progress=gr.Progress(),
):
    """The chosen head's attention after each generated token: one new query row per step."""
    settings = settings_from(GrowthSettings, locals())
    loaded = load_model(model, progress)
    growth = grow(loaded, tokenize(loaded, prompt, use_chat_template), settings)
    fed_back = visible("".join(growth.tokens[growth.prompt_length:]))
    text = ATTENTION.text("growth_summary", count=settings.new_tokens, prompt=growth.prompt_length,
                          fed_back=fed_back, keys=len(growth.tokens))
    payload = {"tokens": growth.tokens, "token_ids": growth.token_ids, "prompt_length": growth.prompt_length,
               "matrix": growth.matrix.double().round(decimals=4).tolist()}
    return text, plots.growth_figure(growth), payload


def build_cell(c: dict) -> Opening:
    """The maths of the chosen cell (`c`: the tab's controls; adds the query and key)."""
    gr.Markdown(ATTENTION("cell_intro"))
    cell = CellSettings()
    with gr.Row():
        c["query"] = gr.Number(value=cell.query, precision=0, label=ATTENTION("query"), elem_id="attention-query")
        c["key"] = gr.Number(value=cell.key, precision=0, label=ATTENTION("key"), elem_id="attention-key")
        explain = gr.Button(ATTENTION("explain"), elem_id="attention-explain")
    cell_summary = gr.Markdown(elem_id="attention-cell")
    cell_table = gr.Dataframe(headers=headers(ATTENTION, CELL_COLUMNS), label=ATTENTION("cell_table"), wrap=True)
    cell_json = gr.JSON(label=ATTENTION("cell_json"), visible=False)
    outputs = [cell_summary, cell_table, cell_json]
    return panel("attention/cell", explain.click, attention_cell, c, outputs, api_name="attention_cell")


def build_rope(c: dict) -> Opening:
    """The chosen cell's q and k moved along the positions (the query and key set in *One cell*)."""
    gr.Markdown(ATTENTION("rope_intro"))
    turn = gr.Button(ATTENTION("rope.run"), elem_id="attention-rope-run")
    rope_summary = gr.Markdown(elem_id="attention-rope")
    with gr.Row():
        rope_table = gr.Dataframe(headers=headers(ATTENTION, ROPE_COLUMNS), label=ATTENTION("rope.table"))
        rope_plot = gr.Plot(label=ATTENTION("rope.plot"), elem_id="attention-rope-plot")
    rope_json = gr.JSON(label=ATTENTION("tab.rope"), visible=False)
    outputs = [rope_summary, rope_table, rope_plot, rope_json]
    return panel("attention/rope", turn.click, rope, c, outputs, api_name="rope")


def build_growth(c: dict) -> Opening:
    gr.Markdown(ATTENTION("growth_intro"))
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, MAX_NEW_TOKENS, value=GrowthSettings().new_tokens, step=1,
                                    label=COMMON("new_tokens"))
        generate = gr.Button(ATTENTION("growth.run"), elem_id="attention-growth-run")
    growth_summary = gr.Markdown(elem_id="attention-growth")
    growth_plot = gr.Plot(label=ATTENTION("growth.plot"), elem_id="attention-growth-plot")
    growth_json = gr.JSON(label=ATTENTION("tab.growth"), visible=False)
    outputs = [growth_summary, growth_plot, growth_json]
    return panel("attention/growth", generate.click, attention_growth, c, outputs, api_name="attention_growth")

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
from playground.ui.components import load_model, settings_from
from playground.ui.opening import Opening, panel

CELL_INTRO = """### The maths of one cell
Click a cell of the heatmap above, or pick a query (row) and a key (column). The weight in that cell is one entry of
softmax(q·K / √d + mask) over the query's whole row: here is every step, from the model's own q and k projections
(RoPE applied, as the model applies it) and the mask transformers built. T5 does not divide by √d, and adds a
learned bias for the distance between the tokens instead. The last column is the model's own
`output_attentions`: they agree to about 1e-7.
"""
CELL_COLUMNS = ["key", "q·k", "× 1/√d", "+ position bias", "+ mask", "= score", "softmax", "model's weight"]


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
    return cell_markdown(maths, tokens, settings.key), rows, payload


ROPE_INTRO = """### RoPE, seen
[Rotary position embedding](https://arxiv.org/abs/2104.09864) turns q and k by angles proportional to their
positions, so their score depends only on how far apart they are. Take the chosen cell's real q and k, move the
pair together to positions (m + c, n + c), and the score stays the same; move them apart, and it changes with the
distance alone. (Only for models with RoPE: SmolLM2, LLaMA, Qwen; not GPT-2.)
"""
ROPE_COLUMNS = ["query position m", "key position n", "m − n", "score q·k / √d"]


def rope(
    model: str, prompt: str, layer: int, head: int, query: int, key: int, use_chat_template: bool,
    progress=gr.Progress(),
):
    """The chosen cell's q and k moved together to other positions (same score), and scored at every distance."""
    settings, loaded, token_ids = _chosen_cell(locals(), progress)
    demo = rope_demo(loaded, token_ids, settings.layer, settings.head, settings.query, settings.key)
    rows = [[m, n, m - n, round(score, 6)] for m, n, score in demo.shifted]
    spread = max(s for *_, s in demo.shifted) - min(s for *_, s in demo.shifted)
    text = (f"Moved together by up to {rows[-1][0] - rows[0][0]} positions, the pair's score changes by "
            f"{spread:.1e} (float rounding): it depends on m − n = {rows[0][2]} alone.")
    return text, rows, plots.rope_figure(demo), {"shifted": rows, "distances": demo.distances,
                                                  "scores": demo.distance_scores}


GROWTH_INTRO = """### Growing during generation
Generate a few tokens greedily and watch the chosen head's matrix grow: each new token adds one query row that
reads every key before it, while the rows above never change. That is why a model can keep the keys and values it
already computed (the KV cache) and compute one row per step.
"""


def attention_growth(
    model: str, prompt: str, layer: int, head: int, new_tokens: int, use_chat_template: bool,
    progress=gr.Progress(),
):
    """The chosen head's attention after each generated token: one new query row per step."""
    settings = settings_from(GrowthSettings, locals())
    loaded = load_model(model, progress)
    growth = grow(loaded, tokenize(loaded, prompt, use_chat_template), settings)
    fed_back = visible("".join(growth.tokens[growth.prompt_length:]))
    text = (f"Generated {settings.new_tokens} token(s) after the prompt's {growth.prompt_length}; each one fed back "
            f"added a row ({fed_back}). The last row reads all {len(growth.tokens)} keys; the rows above it are the "
            "ones computed at earlier steps, unchanged.")
    payload = {"tokens": growth.tokens, "token_ids": growth.token_ids, "prompt_length": growth.prompt_length,
               "matrix": growth.matrix.double().round(decimals=4).tolist()}
    return text, plots.growth_figure(growth), payload


def build_cell(c: dict) -> Opening:
    """The maths of the chosen cell (`c`: the tab's controls; adds the query and key)."""
    gr.Markdown(CELL_INTRO)
    cell = CellSettings()
    with gr.Row():
        c["query"] = gr.Number(value=cell.query, precision=0, label="query (row)", elem_id="attention-query")
        c["key"] = gr.Number(value=cell.key, precision=0, label="key (column)", elem_id="attention-key")
        explain = gr.Button("Show the maths for this cell", elem_id="attention-explain")
    cell_summary = gr.Markdown(elem_id="attention-cell")
    cell_table = gr.Dataframe(headers=CELL_COLUMNS, label="Every key of the query's row", wrap=True)
    cell_json = gr.JSON(label="Cell", visible=False)
    outputs = [cell_summary, cell_table, cell_json]
    return panel("attention/cell", explain.click, attention_cell, c, outputs, api_name="attention_cell")


def build_rope(c: dict) -> Opening:
    """The chosen cell's q and k moved along the positions (the query and key set in *One cell*)."""
    gr.Markdown(ROPE_INTRO)
    turn = gr.Button("Move the chosen cell's q and k", elem_id="attention-rope-run")
    rope_summary = gr.Markdown(elem_id="attention-rope")
    with gr.Row():
        rope_table = gr.Dataframe(headers=ROPE_COLUMNS, label="The pair moved together")
        rope_plot = gr.Plot(label="Score against distance", elem_id="attention-rope-plot")
    rope_json = gr.JSON(label="RoPE", visible=False)
    outputs = [rope_summary, rope_table, rope_plot, rope_json]
    return panel("attention/rope", turn.click, rope, c, outputs, api_name="rope")


def build_growth(c: dict) -> Opening:
    gr.Markdown(GROWTH_INTRO)
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, MAX_NEW_TOKENS, value=GrowthSettings().new_tokens, step=1,
                                    label="new tokens to generate")
        generate = gr.Button("Generate and watch it grow", elem_id="attention-growth-run")
    growth_summary = gr.Markdown(elem_id="attention-growth")
    growth_plot = gr.Plot(label="The matrix, step by step", elem_id="attention-growth-plot")
    growth_json = gr.JSON(label="Growth", visible=False)
    outputs = [growth_summary, growth_plot, growth_json]
    return panel("attention/growth", generate.click, attention_growth, c, outputs, api_name="attention_growth")

"""The attention tab: softmax(QKᵀ/√d + mask) per layer and head, on the real model, and the heads with a job."""

import gradio as gr

from playground.attention import plots
from playground.attention.cell import CellSettings, row_maths
from playground.attention.explain import cell_markdown, mask_text, summary_markdown
from playground.attention.extraction import AttentionSettings, extract, tokenize
from playground.attention.growth import MAX_NEW_TOKENS, GrowthSettings, grow
from playground.attention.heads import STATISTICS
from playground.attention.rope import rope_demo
from playground.core import config
from playground.core.visible import token_pieces, visible
from playground.ui.attention_masks import build_masks
from playground.ui.components import (
    Experiment, any_of, experiment_buttons, load_model, on, prompt_controls, settings_from,
)
from playground.ui.opening import Opening, run_on_defaults


TITLE = "Attention"

INTRO = f"""
## Attention, per layer and head
Each layer of a transformer lets every token (a *query*) look at the tokens it may see (the *keys*) and take a
weighted mix of their values. The weights are softmax(QKᵀ/√d + mask)
([Vaswani et al., 2017](https://arxiv.org/abs/1706.03762)): one row per query, summing to 1. In a decoder
(GPT, LLaMA, Qwen, SmolLM2) the causal mask hides the future, so the matrix is lower-triangular. SmolLM2 has
30 layers of 9 heads, and its heads share 3 key/value heads in groups of 3
([grouped-query attention](https://arxiv.org/abs/2305.13245)), so three query heads read the same keys.

The weights come from the model's own eager attention (`output_attentions=True`), from a twin of the shared
model that shares its weights. Rank the heads by what they do: many park their attention on the first token
(an *attention sink*, [Xiao et al.](https://arxiv.org/abs/2309.17453)), some look at the previous token, and
some copy a repeated sequence forward (*induction heads*, [Olsson et al.](https://arxiv.org/abs/2209.11895)).
Prompts are capped at {config.MAX_ATTENTION_TOKENS} tokens: attention grows with the square of the length.
"""

HEAD_CAPTION = ("Row = the query token, column = the key it looks at; darker = more weight. Each row sums to 1. In a "
                "decoder everything above the diagonal is 0 (the causal mask); an encoder (BERT) looks both ways. "
                "Hover a cell for its weight; click it for its maths.")
HEADS_CAPTION = ("Every head of the layer, shrunk to at most 32 × 32 cells. Under GQA a row holds the query heads "
                 "that share one KV head: compare how differently they use the same keys.")
MEAN_CAPTION = "The average of the layer's heads: where the layer as a whole looks."
OVERVIEW_CAPTION = ("One cell per head, all layers. Bright cells are the heads the statistic picks out: sinks put "
                    "almost all their weight on the first token; previous-token heads light up the diagonal below "
                    "the main one.")

PROMPT = "The capital of France is Paris, and the capital of Italy is Rome."
REPEATED = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog."
EXPERIMENTS = [
    Experiment("Attention sinks: rank heads by first-token attention", PROMPT,
               AttentionSettings(statistic="first_token"), use_chat_template=False),
    Experiment("Previous-token heads", PROMPT, AttentionSettings(statistic="previous_token"),
               use_chat_template=False),
    Experiment("Induction heads: a sentence said twice", REPEATED, AttentionSettings(statistic="induction"),
               use_chat_template=False),
    Experiment("Focused heads: lowest entropy", PROMPT, AttentionSettings(statistic="entropy"),
               use_chat_template=False),
]


SUMMED_INTRO = """**Several queries at once.** Choose query tokens (rows) and see what they pay each key together, their
rows added up: in the chosen head and in the mean of the layer's heads. None chosen: the last token, the one whose
attention makes the next prediction.
"""

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


def attention(
    model: str, prompt: str, layer: int, head: int, statistic: str, queries: list[int], use_chat_template: bool,
    progress=gr.Progress(),
):
    """Every layer's attention for the prompt; shows one head, its layer's heads, their mean, the ranking, and what
    the chosen query tokens (by position; none: the last token) pay each key together. The JSON holds the tokens,
    the chosen head's matrix (one row per query) and the chosen queries' summed row."""
    settings = settings_from(AttentionSettings, locals())
    attn = extract(load_model(model, progress, any_kind=True), prompt, use_chat_template)
    attn.check_layer_head(settings.layer, settings.head)
    chosen = attn.chosen_queries(queries)
    payload = {
        "model": attn.model_label, "tokens": attn.tokens, "token_ids": attn.token_ids, "layer": settings.layer,
        "head": settings.head, "kv_head": attn.kv_head(settings.head), "num_layers": attn.num_layers,
        "num_heads": attn.num_heads, "num_kv_heads": attn.num_kv_heads,
        "attention": attn.weights[settings.layer, settings.head].double().round(decimals=4).tolist(),
        "queries": chosen,
        "summed": attn.summed(settings.layer, chosen)[settings.head].double().round(decimals=4).tolist(),
    }
    return (
        summary_markdown(attn, settings), plots.head_figure(attn, settings.layer, settings.head),
        plots.layer_heads_figure(attn, settings.layer), plots.mean_figure(attn, settings.layer),
        plots.overview_figure(attn, settings.statistic),
        plots.summed_figure(attn, settings.layer, settings.head, chosen),
        payload,
    )


def query_choices(data: dict):
    """The prompt's tokens as choices for the queries to add up, once /attention has tokenised it."""
    labels = plots.token_labels(data["tokens"]) if data else []
    return gr.Dropdown(choices=[(label, i) for i, label in enumerate(labels)])


def build() -> Opening:
    """The attention tab's components and events; returns the heatmaps it opens with."""
    gr.Markdown(INTRO)
    s = AttentionSettings()
    with gr.Row():
        with gr.Column(scale=3):
            # the controls, keyed by the handlers' parameter names
            c = prompt_controls(PROMPT, "attention", any_kind=True)
            show = gr.Button("Show attention", variant="primary")
        with gr.Column(scale=2):
            with gr.Row():
                c["layer"] = gr.Number(value=s.layer, precision=0, label="layer (0-based)", elem_id="attention-layer")
                c["head"] = gr.Number(value=s.head, precision=0, label="head (0-based)", elem_id="attention-head")
            c["statistic"] = gr.Radio(choices=[(stat.label, name) for name, stat in STATISTICS.items()],
                                      value=s.statistic, label="Rank heads by")
    gr.Markdown("**Suggested experiments** (each sets every input but the model, then shows the attention):")
    experiments = experiment_buttons(EXPERIMENTS, c)
    summary = gr.Markdown(elem_id="attention-summary")
    with gr.Row():
        with gr.Column():
            head_plot = gr.Plot(label="One head", elem_id="attention-head-plot")
            gr.Markdown(HEAD_CAPTION)
        with gr.Column():
            overview = gr.Plot(label="Every head, ranked", elem_id="attention-overview")
            gr.Markdown(OVERVIEW_CAPTION)
    with gr.Row():
        with gr.Column():
            heads_plot = gr.Plot(label="All heads of the layer")
            gr.Markdown(HEADS_CAPTION)
        with gr.Column():
            mean_plot = gr.Plot(label="Mean over heads")
            gr.Markdown(MEAN_CAPTION)
    with gr.Row():
        with gr.Column(scale=1):
            gr.Markdown(SUMMED_INTRO)
            c["queries"] = gr.Dropdown(choices=[], value=[], multiselect=True, label="Query tokens to add up",
                                       elem_id="attention-queries")
        summed_plot = gr.Plot(label="The chosen queries together", elem_id="attention-summed", scale=2)
    gr.Markdown(CELL_INTRO)
    cell = CellSettings()
    with gr.Row():
        c["query"] = gr.Number(value=cell.query, precision=0, label="query (row)", elem_id="attention-query")
        c["key"] = gr.Number(value=cell.key, precision=0, label="key (column)", elem_id="attention-key")
        explain = gr.Button("Show the maths for this cell", elem_id="attention-explain")
    cell_summary = gr.Markdown(elem_id="attention-cell")
    cell_table = gr.Dataframe(headers=CELL_COLUMNS, label="Every key of the query's row", wrap=True)
    result_json = gr.JSON(label="Attention", visible=False)
    cell_json = gr.JSON(label="Cell", visible=False)

    on(explain.click, attention_cell, c, [cell_summary, cell_table, cell_json], api_name="attention_cell")

    gr.Markdown(ROPE_INTRO)
    turn = gr.Button("Move the chosen cell's q and k")
    rope_summary = gr.Markdown(elem_id="attention-rope")
    with gr.Row():
        rope_table = gr.Dataframe(headers=ROPE_COLUMNS, label="The pair moved together")
        rope_plot = gr.Plot(label="Score against distance")
    rope_json = gr.JSON(label="RoPE", visible=False)
    on(turn.click, rope, c, [rope_summary, rope_table, rope_plot, rope_json], api_name="rope")

    gr.Markdown(GROWTH_INTRO)
    with gr.Row():
        c["new_tokens"] = gr.Slider(1, MAX_NEW_TOKENS, value=GrowthSettings().new_tokens, step=1,
                                    label="new tokens to generate")
        generate = gr.Button("Generate and watch it grow")
    growth_summary = gr.Markdown(elem_id="attention-growth")
    growth_plot = gr.Plot(label="The matrix, step by step")
    growth_json = gr.JSON(label="Growth", visible=False)
    on(generate.click, attention_growth, c, [growth_summary, growth_plot, growth_json], api_name="attention_growth")

    build_masks(c)
    outputs = [summary, head_plot, heads_plot, mean_plot, overview, summed_plot, result_json]

    def show_attention(trigger, **kwargs) -> None:
        """Wire `trigger` to /attention, then offer the prompt's tokens as the queries to add up."""
        on(trigger, attention, c, outputs, **kwargs).success(query_choices, result_json, c["queries"],
                                                             api_visibility="private")

    show_attention(show.click, api_name="attention")
    for control in ("model", "prompt", "use_chat_template"):  # other tokens: the chosen positions no longer apply
        c[control].change(None, None, c["queries"], js="() => []", api_visibility="private")
    show_attention(any_of(*(c[name].input for name in ("layer", "head", "statistic", "queries"))),
                   api_visibility="private", trigger_mode="always_last", show_progress="hidden")
    show_attention(c["prompt"].submit, api_visibility="private")
    for event in experiments:
        show_attention(event.then, api_visibility="private")

    def opening():
        shown = run_on_defaults(attention, c)
        return (*shown, query_choices(shown[-1]))
    return Opening("attention", opening, [*outputs, c["queries"]])

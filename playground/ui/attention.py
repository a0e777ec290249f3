"""The attention tab: softmax(QKᵀ/√d + mask) per layer and head, on the real model, and the heads with a job."""

import gradio as gr

from playground.attention import plots
from playground.attention.anatomy import TABLE_COLUMNS, anatomy_row, reference_rows
from playground.attention.cell import CellSettings, row_maths
from playground.attention.edit_mask import cells_from_text, edit_and_predict
from playground.attention.explain import cell_markdown, edit_markdown, mask_text, masks_markdown, summary_markdown
from playground.attention.extraction import AttentionSettings, extract, tokenize
from playground.attention.growth import MAX_NEW_TOKENS, GrowthSettings, grow
from playground.attention.heads import STATISTICS
from playground.attention.masks import MASK_KINDS, packing_gap, view_mask
from playground.attention.padding import padding_proof
from playground.attention.rope import rope_demo
from playground.attention.t5_masks import t5_panels
from playground.core import config, models
from playground.core.visible import token_pieces, visible
from playground.ui.components import Experiment, experiment_buttons, load_model, on, prompt_controls, settings_from

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

HEAD_CAPTION = ("Row = the query token, column = the key it looks at; darker = more weight. Each row sums to 1, and "
                "everything above the diagonal is 0: the causal mask. Hover a cell for its weight.")
HEADS_CAPTION = ("Every head of the layer, shrunk to at most 32 × 32 cells. Under GQA a row holds the query heads "
                 "that share one KV head: compare how differently they use the same keys.")
MEAN_CAPTION = "The average of the layer's heads: where the layer as a whole looks."
OVERVIEW_CAPTION = ("One cell per head, all layers. Bright cells are the heads the statistic picks out: sinks put "
                    "almost all their weight on the first token; previous-token heads light up the diagonal below "
                    "the main one.")

PROMPT = "The capital of France is Paris, and the capital of Italy is Rome."
PADDING_COLUMNS = ["run", "continuation (greedy, 12 tokens)", "last-token logits vs alone (max |gap|)"]
MASK_PROMPTS = ["The capital of France is", "Hi there"]
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


CELL_INTRO = """### The maths of one cell
Pick a query (row) and a key (column) of the head above. The weight in that cell is one entry of
softmax(q·K / √d + mask) over the query's whole row: here is every step, from the model's own q and k projections
(RoPE applied, as the model applies it) and the mask transformers built. The last column is the model's own
`output_attentions`: they agree to about 1e-7.
"""
CELL_COLUMNS = ["key", "q·k", "× 1/√d", "+ mask", "= score", "softmax", "model's weight"]


def _chosen_cell(arguments: dict, progress):
    """The chosen cell (from a handler's `locals()`), the model and the prompt's token ids, the cell checked."""
    settings = settings_from(CellSettings, arguments)
    loaded = load_model(arguments["model"], progress)
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
             mask_text(float(maths.mask[j])), "−∞" if maths.mask[j] < -1e30 else round(float(maths.scores[j]), 4),
             round(float(maths.weights[j]), 6),
             round(float(maths.model_weights[j]), 6)] for j, t in enumerate(tokens)]
    payload = {"query": settings.query, "key": settings.key, "kv_head": maths.kv_head, "scaling": maths.scaling,
               "dots": maths.dots.tolist(), "mask": maths.mask.tolist(), "weights": maths.weights.tolist(),
               "model_weights": maths.model_weights.tolist()}
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


EDIT_INTRO = """### Edit the mask, watch the prediction
Forbid chosen (query, key) cells in every layer and head, and see the next-token distribution move. Type
`query,key` pairs (`4,3; 4,2`, positions as in the heatmap labels) or words the last token may not see
(`France`). The model runs with the edited 4D mask, built by transformers' `masking_utils` (causal AND not your
cells): blocking nothing gives exactly the model's own logits.
"""


def block_cells(model: str, prompt: str, use_chat_template: bool, cells_text: str, progress=gr.Progress()):
    """The [query, key] pairs that the typed cells or words name, for this prompt."""
    loaded = load_model(model, progress)
    return cells_from_text(token_pieces(loaded.tokenizer, tokenize(loaded, prompt, use_chat_template)), cells_text)


def edit_mask(model: str, prompt: str, blocked: list[list[int]], use_chat_template: bool, progress=gr.Progress()):
    """The next token before and after forbidding the `blocked` [query, key] cells in every layer and head."""
    loaded = load_model(model, progress)
    token_ids = tokenize(loaded, prompt, use_chat_template)
    edit = edit_and_predict(loaded, token_ids, blocked)
    tokens = token_pieces(loaded.tokenizer, token_ids)
    before, after = edit.top(edit.before, loaded.tokenizer), edit.top(edit.after, loaded.tokenizer)
    return (
        edit_markdown(tokens, edit.cells, before, after, edit.after), plots.before_after_figure(before, after),
        plots.edited_mask_figure(edit.mask, plots.token_labels(tokens), edit.cells),
        {"tokens": tokens, "blocked": [list(c) for c in edit.cells], "before": before, "after": after},
    )


MASKS_INTRO = """### Which mask did the model really apply?
Two prompts of different lengths go through the model as one batch, and the mask its first attention layer
received is caught on the way in: causal for a decoder, causal + padding (left or right) for a batch, document
blocks for two prompts packed in one row (`position_ids` restart), and BERT's bidirectional + padding (on the
embedded MiniLM encoder). Sliding-window and chunked masks, which SmolLM2 does not use, are built with
`masking_utils` and handed to the model. Beside each mask: the attention it produced, exactly 0 where forbidden.
"""


def _t5_masks(prompts: list[str]):
    t5 = models.tiny_t5()
    panels = t5_panels(t5, prompts)
    same = all(p.matches_reference for p in panels)
    text = (f"**{MASK_KINDS['t5']}.** Each caught at the first layer of its attention, and "
            f"{'the same as' if same else '**different from**'} what `masking_utils` builds. Cross-attention "
            "has a row per decoder token and a column per encoder token: the decoder sees the whole input, but not "
            "its padding.")
    payload = {"model": t5.label, "kind": "t5", "matches_masking_utils": same,
               "panels": [{"name": p.name, "query_tokens": p.query_tokens, "key_tokens": p.key_tokens,
                           "mask": p.allowed.int().tolist()} for p in panels]}
    return text, plots.panels_figure(panels), payload


def masks(model: str, prompts: list[str], mask_kind: str, window: int, progress=gr.Progress()):
    """The mask the model applied to a batch of two prompts, beside the attention it produced. The bidirectional
    kind runs on the embedded MiniLM (BERT) encoder and the t5 kind on a tiny T5, whatever the model."""
    if mask_kind == "t5":
        return _t5_masks(prompts)
    loaded = models.load_encoder() if mask_kind == "bidirectional" else load_model(model, progress)
    view = view_mask(loaded.model, loaded.tokenizer, prompts, mask_kind, window)
    payload = {"model": loaded.label, "kind": view.kind, "tokens": view.tokens,
               "mask": view.allowed.int().tolist(), "matches_masking_utils": view.matches_reference,
               "forbidden_weight": view.forbidden_weight, "row_sum_error": view.row_sum_error}
    text = masks_markdown(view, loaded.label)
    if mask_kind == "packed":
        gap, counting_on = (packing_gap(loaded.model, loaded.tokenizer, prompts, restart) for restart in (True, False))
        payload.update(packing_gap=gap, packing_gap_without_restart=counting_on)
        text += (f"\n\n**Packing, proven:** document 2's logits inside the packed row equal document 2 run alone "
                 f"(max |gap| {gap:.1e}, float noise). Let the positions count on instead of restarting, and document "
                 f"2 sees document 1: the gap grows to {counting_on:.3g}.")
    return text, plots.panels_figure(view.panels()), payload


def padding_side(model: str, prompts: list[str], progress=gr.Progress()):
    """Both prompts in one batch, padded left and then right: the shorter one's greedy continuation and last-token
    logits, against the same prompt run alone."""
    loaded = load_model(model, progress)
    proof = padding_proof(loaded, prompts)
    rows = [["alone (no padding)", proof.alone, "—"]] + [
        [f"{run.side} padding", run.continuation, f"{run.last_logits_gap:.2g}"] for run in proof.runs]
    verdict = {run.side: run.continuation == proof.alone for run in proof.runs}
    text = (f"**Padding side, proven** on \"{proof.prompt}\": left padding gives "
            f"{'the same' if verdict['left'] else 'a different'} continuation as the prompt alone; right padding "
            f"gives {'the same' if verdict['right'] else 'a different'} one, because the row ends in padding and "
            "`generate` continues from there.")
    payload = {"prompt": proof.prompt, "alone": proof.alone,
               **{run.side: {"continuation": run.continuation, "last_logits_gap": run.last_logits_gap}
                  for run in proof.runs}}
    return text, rows, payload


ANATOMY_INTRO = """### From BERT to LLaMA and Qwen: the anatomy, read from the models
Each row is read from a model object and its config, not typed in: the norm (LayerNorm subtracts the mean and
has a bias; RMSNorm has neither) and where it sits (a forward pass with hooks sees whether a norm runs before
attention), the activation (SwiGLU when the MLP has a gate), the positions (learned, T5's relative bias, RoPE), the
attention (query vs KV heads) and the parameters per component. Llama-3-8B and Qwen2.5-7B are built from their
published configs on the meta device: the structure without the weights.
"""


def anatomy(model: str, progress=gr.Progress()):
    """The architecture table: the reference models (BERT, GPT-2, T5, Llama-3-8B, Qwen2.5-7B), the embedded
    MiniLM, and the chosen model, with parameters per component in millions."""
    loaded = load_model(model, progress)
    encoder = models.load_encoder()
    rows = [*reference_rows(), anatomy_row(encoder.label, encoder.model), anatomy_row(loaded.label, loaded.model)]
    return [row.table_row() for row in rows]


def attention(
    model: str, prompt: str, layer: int, head: int, statistic: str, use_chat_template: bool,
    progress=gr.Progress(),
):
    """Every layer's attention for the prompt; shows one head, its layer's heads, their mean, and the ranking.
    The JSON holds the tokens and the chosen head's matrix, one row per query."""
    settings = settings_from(AttentionSettings, locals())
    attn = extract(load_model(model, progress), prompt, use_chat_template)
    attn.check_layer_head(settings.layer, settings.head)
    payload = {
        "model": attn.model_label, "tokens": attn.tokens, "token_ids": attn.token_ids, "layer": settings.layer,
        "head": settings.head, "kv_head": attn.kv_head(settings.head), "num_layers": attn.num_layers,
        "num_heads": attn.num_heads, "num_kv_heads": attn.num_kv_heads,
        "attention": attn.weights[settings.layer, settings.head].double().round(decimals=4).tolist(),
    }
    return (
        summary_markdown(attn, settings), plots.head_figure(attn, settings.layer, settings.head),
        plots.layer_heads_figure(attn, settings.layer), plots.mean_figure(attn, settings.layer),
        plots.overview_figure(attn, settings.statistic), payload,
    )


def build() -> None:
    gr.Markdown(INTRO)
    s = AttentionSettings()
    with gr.Row():
        with gr.Column(scale=3):
            c = prompt_controls(PROMPT, "attention")  # the controls, keyed by the handlers' parameter names
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
    gr.Markdown(CELL_INTRO)
    cell = CellSettings()
    with gr.Row():
        c["query"] = gr.Number(value=cell.query, precision=0, label="query (row)", elem_id="attention-query")
        c["key"] = gr.Number(value=cell.key, precision=0, label="key (column)", elem_id="attention-key")
        explain = gr.Button("Show the maths for this cell")
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

    gr.Markdown(EDIT_INTRO)
    with gr.Row():
        c["cells_text"] = gr.Textbox(value="France", label="Cells to block", scale=3, elem_id="attention-cells")
        c["blocked"] = gr.JSON(value=[], label="Blocked cells [query, key]", scale=2)
    with gr.Row():
        block = gr.Button("Block and predict", variant="primary")
        example = gr.Button("Example: 'is' may not see 'France' in 'The capital of France is'")
    edit_summary = gr.Markdown(elem_id="attention-edit")
    with gr.Row():
        edit_bars = gr.Plot(label="Next token, before and after")
        edit_mask_plot = gr.Plot(label="The edited mask")
    edit_json = gr.JSON(label="Edit", visible=False)
    edit_outputs = [edit_summary, edit_bars, edit_mask_plot, edit_json]
    on(on(block.click, block_cells, c, [c["blocked"]], api_visibility="private").success,
       edit_mask, c, edit_outputs, api_name="edit_mask")
    filled = example.click(lambda: ("The capital of France is", False, "France"), None,
                           [c["prompt"], c["use_chat_template"], c["cells_text"]], api_visibility="private")
    on(on(filled.then, block_cells, c, [c["blocked"]], api_visibility="private").success,
       edit_mask, c, edit_outputs, api_visibility="private")

    gr.Markdown(MASKS_INTRO)
    with gr.Row():
        c["prompts"] = gr.Dropdown(choices=MASK_PROMPTS, value=MASK_PROMPTS, multiselect=True, allow_custom_value=True,
                                   label="Two prompts (type to add your own)", scale=3)
        c["mask_kind"] = gr.Dropdown(choices=[(text.split(":")[0], kind) for kind, text in MASK_KINDS.items()],
                                     value="padding_left", label="Mask", elem_id="attention-mask-kind")
        c["window"] = gr.Number(value=3, precision=0, label="window / chunk (tokens)")
    show_mask = gr.Button("Show the mask")
    masks_summary = gr.Markdown(elem_id="attention-masks")
    masks_plot = gr.Plot(label="Mask and attention", elem_id="attention-masks-plot")
    masks_json = gr.JSON(label="Mask", visible=False)
    masks_outputs = [masks_summary, masks_plot, masks_json]
    on(show_mask.click, masks, c, masks_outputs, api_name="masks")
    on(c["mask_kind"].input, masks, c, masks_outputs, api_visibility="private")

    prove = gr.Button("Padding side, proven: generate both prompts in one batch, padded left and right")
    padding_summary = gr.Markdown(elem_id="attention-padding")
    padding_table = gr.Dataframe(headers=PADDING_COLUMNS, label="The shorter prompt's greedy continuation", wrap=True)
    padding_json = gr.JSON(label="Padding", visible=False)
    on(prove.click, padding_side, c, [padding_summary, padding_table, padding_json], api_name="padding_side")

    gr.Markdown(ANATOMY_INTRO)
    read = gr.Button("Read the architectures")
    table = gr.Dataframe(headers=TABLE_COLUMNS, label="Architecture anatomy", wrap=True, elem_id="attention-anatomy")
    on(read.click, anatomy, c, [table], api_name="anatomy")
    outputs = [summary, head_plot, heads_plot, mean_plot, overview, result_json]
    on(show.click, attention, c, outputs, api_name="attention")
    for name in ("layer", "head", "statistic"):
        on(c[name].input, attention, c, outputs, api_visibility="private", trigger_mode="always_last",
           show_progress="hidden")
    on(c["prompt"].submit, attention, c, outputs, api_visibility="private")
    for event in experiments:
        on(event.then, attention, c, outputs, api_visibility="private")

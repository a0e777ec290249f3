"""The attention tab: softmax(QKᵀ/√d + mask) per layer and head, on the real model, and the heads with a job."""

import gradio as gr

from playground.attention import plots
from playground.attention.explain import summary_markdown
from playground.attention.extraction import AttentionSettings, extract
from playground.attention.heads import STATISTICS
from playground.core import config
from playground.ui.attention_cell import build_cell, build_growth, build_rope
from playground.ui.attention_masks import build_edit, build_masks
from playground.ui.components import (
    Experiment, any_of, experiment_buttons, load_model, on, panel_tabs, prompt_controls, settings_from,
)
from playground.ui.opening import Opening, run_on_defaults


INTRO = f"""
## Attention, per layer and head
Each token (a *query*) takes a weighted mix of the values of the tokens it may see (the *keys*), with weights
softmax(QKᵀ/√d + mask) ([Vaswani et al., 2017](https://arxiv.org/abs/1706.03762)): one row per query, summing to
1. A decoder's causal mask hides the future, so the matrix is lower-triangular. SmolLM2 has 30 layers of 9 heads
sharing 3 key/value heads ([grouped-query attention](https://arxiv.org/abs/2305.13245)). The weights are the
model's own (`output_attentions=True`, from a twin that shares its weights). Many heads park their attention on
the first token (an *attention sink*, [Xiao et al.](https://arxiv.org/abs/2309.17453)), some look at the
previous token, some copy a repeated sequence forward (*induction heads*,
[Olsson et al.](https://arxiv.org/abs/2209.11895)). Prompts are capped at {config.MAX_ATTENTION_TOKENS} tokens.
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

# Ends on "is": the last token looks back at "Italy" to say " Rome" (the edit-the-mask panel blocks that look).
PROMPT = "The capital of France is Paris, and the capital of Italy is"
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


def build() -> list[Opening]:
    """The model, prompt, layer and head above seven sub-tabs; each opens on its default result."""
    gr.Markdown(INTRO)
    s = AttentionSettings()
    with gr.Row():
        with gr.Column(scale=3):
            # the controls, keyed by the handlers' parameter names
            c = prompt_controls(PROMPT, "attention", any_kind=True)
        with gr.Column(scale=2):
            with gr.Row():
                c["layer"] = gr.Number(value=s.layer, precision=0, label="layer (0-based)", elem_id="attention-layer")
                c["head"] = gr.Number(value=s.head, precision=0, label="head (0-based)", elem_id="attention-head")
    return panel_tabs("attention-tabs", [
        ("Heads", "heads", build_heads), ("One cell", "cell", build_cell), ("RoPE", "rope", build_rope),
        ("Growth", "growth", build_growth), ("Edit the mask", "edit", build_edit),
        ("Which mask", "masks", build_masks),
    ], c)


def build_heads(c: dict) -> Opening:
    """One head, its layer, the heads ranked, and chosen queries summed (`c`: adds the statistic and queries)."""
    with gr.Row(equal_height=True):
        c["statistic"] = gr.Radio(choices=[(stat.label, name) for name, stat in STATISTICS.items()],
                                  value=AttentionSettings().statistic, label="Rank heads by", scale=3)
        show = gr.Button("Show attention", variant="primary", scale=1)
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
    result_json = gr.JSON(label="Attention", visible=False)
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

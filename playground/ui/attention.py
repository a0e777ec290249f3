"""The attention tab: softmax(QKᵀ/√d + mask) per layer and head, on the real model, and the heads with a job."""

import gradio as gr

from playground.attention import plots
from playground.attention.explain import summary_markdown
from playground.attention.extraction import AttentionSettings, extract
from playground.attention.heads import STATISTICS
from playground.attention.words import WORDS
from playground.core import config
from playground.ui.attention_cell import build_cell, build_growth, build_rope
from playground.ui.attention_masks import build_edit, build_masks
from playground.ui.components import (
    Experiment, any_of, experiment_buttons, load_model, on, panel_tabs, prompt_controls, settings_from,
)
from playground.ui.i18n import static
from playground.ui.i18n.attention import ATTENTION
from playground.ui.i18n.common import COMMON
from playground.ui.opening import Opening, run_on_defaults


# Ends on "is": the last token looks back at "Italy" to say " Rome" (the edit-the-mask panel blocks that look).
PROMPT = "The capital of France is Paris, and the capital of Italy is"
REPEATED = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog."
EXPERIMENTS = [
    Experiment(ATTENTION("experiment.sinks"), PROMPT,
               AttentionSettings(statistic="first_token"), use_chat_template=False),
    Experiment(ATTENTION("experiment.previous"), PROMPT, AttentionSettings(statistic="previous_token"),
               use_chat_template=False),
    Experiment(ATTENTION("experiment.induction"), REPEATED, AttentionSettings(statistic="induction"),
               use_chat_template=False),
    Experiment(ATTENTION("experiment.focused"), PROMPT, AttentionSettings(statistic="entropy"),
               use_chat_template=False),
]


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
    gr.Markdown(ATTENTION.filled("intro", limit=config.MAX_ATTENTION_TOKENS))
    s = AttentionSettings()
    with gr.Row():
        with gr.Column(scale=3):
            # the controls, keyed by the handlers' parameter names
            c = prompt_controls(PROMPT, "attention", any_kind=True)
        with gr.Column(scale=2):
            with gr.Row():
                c["layer"] = gr.Number(value=s.layer, precision=0, label=COMMON("layer"), elem_id="attention-layer")
                c["head"] = gr.Number(value=s.head, precision=0, label=ATTENTION("head"), elem_id="attention-head")
    return panel_tabs("attention-tabs", [
        (ATTENTION("tab.heads"), "heads", build_heads), (ATTENTION("tab.cell"), "cell", build_cell),
        (ATTENTION("tab.rope"), "rope", build_rope), (ATTENTION("tab.growth"), "growth", build_growth),
        (ATTENTION("tab.edit"), "edit", build_edit), (ATTENTION("tab.masks"), "masks", build_masks),
    ], c)


def build_heads(c: dict) -> Opening:
    """One head, its layer, the heads ranked, and chosen queries summed (`c`: adds the statistic and queries)."""
    with gr.Row(equal_height=True):
        c["statistic"] = gr.Radio(choices=[(static(WORDS, f"stat.{name}"), name) for name in STATISTICS],
                                  value=AttentionSettings().statistic, label=ATTENTION("rank_by"), scale=3)
        show = gr.Button(ATTENTION("show"), variant="primary", scale=1)
    gr.Markdown(ATTENTION("experiments"))
    experiments = experiment_buttons(EXPERIMENTS, c)
    summary = gr.Markdown(elem_id="attention-summary")
    with gr.Row():
        with gr.Column():
            head_plot = gr.Plot(label=ATTENTION("plot.head"), elem_id="attention-head-plot")
            gr.Markdown(ATTENTION("caption.head"))
        with gr.Column():
            overview = gr.Plot(label=ATTENTION("plot.overview"), elem_id="attention-overview")
            gr.Markdown(ATTENTION("caption.overview"))
    with gr.Row():
        with gr.Column():
            heads_plot = gr.Plot(label=ATTENTION("plot.heads"))
            gr.Markdown(ATTENTION("caption.heads"))
        with gr.Column():
            mean_plot = gr.Plot(label=ATTENTION("plot.mean"))
            gr.Markdown(ATTENTION("caption.mean"))
    with gr.Row():
        with gr.Column(scale=1):
            gr.Markdown(ATTENTION("summed_intro"))
            c["queries"] = gr.Dropdown(choices=[], value=[], multiselect=True, label=ATTENTION("queries"),
                                       elem_id="attention-queries")
        summed_plot = gr.Plot(label=ATTENTION("plot.summed"), elem_id="attention-summed", scale=2)
    result_json = gr.JSON(label=ATTENTION("json"), visible=False)
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

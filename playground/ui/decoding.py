"""The decoding tab: one prompt, several strategies, side by side, with per-step traces and the beam tree."""

import gradio as gr

from playground.core import config
from playground.core.plots import empty_figure
from playground.core.served import is_served, served_model
from playground.core.visible import visible
from playground.decoding import plots
from playground.decoding.batcher import BATCHER
from playground.decoding.cards import comparison_html
from playground.decoding.engine_runner import compare_on_engine
from playground.decoding.results import Comparison
from playground.decoding.runner import compare
from playground.decoding.strategies import (
    MAX_CONTRASTIVE_K, STRATEGIES, UNAVAILABLE, DecodingSettings, label,
)
from playground.decoding.words import WORDS
from playground.ui.components import (
    Experiment, experiment_buttons, headers, load_model, on, prompt_controls, settings_from, sub_tab, table,
)
from playground.ui.i18n import static
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.decoding import DECODING
from playground.ui.opening import Opening, on_defaults, shown_by

# The comparison the tab opens with: on this prompt greedy's list repeats one line over and over, while beam search
# and the samplers write three different ideas (tests/api/test_defaults.py holds that).
PROMPT = "Give me three ideas for a birthday party."
OPENING_STRATEGIES = ("greedy", "beam", "top_k", "top_p", "min_p")


def not_offered(language: str) -> str:
    """The strategies transformers 5 moved to the Hub, each with the reason, in `language`."""
    return " ".join(f"*{name}*: {WORDS.text(f'unavailable.{name}', language)}" for name in UNAVAILABLE)


EXPERIMENTS = [
    Experiment(DECODING("experiment.poem"), "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64, top_p=0.9), ("greedy", "top_p")),
    Experiment(DECODING("experiment.beam"), "Explain in one sentence why the sky is blue.",
               DecodingSettings(max_new_tokens=48, num_beams=4), ("greedy", "beam")),
    Experiment(DECODING("experiment.hot"), "Write a haiku about the sea.",
               DecodingSettings(max_new_tokens=48, temperature=1.5, min_p=0.1, top_p=0.9),
               ("sampling", "min_p", "top_p")),
    Experiment(DECODING("experiment.flat"),
               "List some words that rhyme with light.",
               DecodingSettings(max_new_tokens=32, temperature=2.0, top_k=20, top_p=0.9), ("top_p", "top_k_top_p")),
    Experiment(DECODING("experiment.contrastive"), "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64), ("greedy", "contrastive")),
    Experiment(DECODING("experiment.penalty"), "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64, repetition_penalty=1.3), ("greedy",)),
]

TRACE_COLUMNS = ["column.step", "column.token", "column.p_model", "column.p_drawn", "column.rank", "column.entropy",
                 "column.top5"]


def trace_rows(result) -> list[list]:
    """One row per step; "—" where an engine does not say (the drawn-from probability, the entropy, a rank below
    the alternatives it named)."""
    def known(value, digits=None):
        return "—" if value is None else value if digits is None else round(value, digits)

    return [
        [
            i + 1, visible(s.text), round(s.prob, 4), known(s.sampled_prob, 4), known(s.rank),
            known(s.entropy_bits, 3), "  ".join(f"{visible(t)} {p:.2f}" for t, p in s.top),
        ]
        for i, s in enumerate(result.steps)
    ]


def show_trace(comparison: Comparison | None, strategy: str | None):
    """The per-step trace (chart and table) of one strategy from the session's last comparison."""
    if comparison is None or not comparison.results:
        return empty_figure(DECODING.text("no_trace")), []
    result = next((r for r in comparison.results if r.name == strategy), comparison.results[0])
    return plots.trace_figure(result), table(DECODING, TRACE_COLUMNS, trace_rows(result))


def show_comparison(measured: tuple[Comparison, object]):
    """The cards, the per-strategy results, the first strategy's trace and the beam tree, in the request's
    language; `measured` is the comparison and the tokenizer that reads its beam tree (None from an engine)."""
    comparison, tokenizer = measured
    if tokenizer is None:
        tree = empty_figure(DECODING.text("no_tree_engine"))
    else:
        beam = next((r for r in comparison.results if r.beam_tree is not None), None)
        tree = plots.beam_tree_figure(beam.beam_tree, tokenizer) if beam else empty_figure(DECODING.text("no_tree"))
    names = [r.name for r in comparison.results]
    trace_plot, table = show_trace(comparison, names[0])
    raw = DECODING.text("raw_value", count=comparison.prompt.n_tokens, text=comparison.prompt.rendered)
    return (
        comparison_html(comparison), comparison.to_api(), raw,
        gr.Dropdown(choices=[(label(n), n) for n in names], value=names[0]),
        trace_plot, table, tree, comparison,
    )


@shown_by(show_comparison)
def compare_decoding(
    model: str, prompt: str, strategies: list[str], max_new_tokens: int, seed: int, temperature: float, top_k: int,
    top_p: float, min_p: float, typical_p: float, epsilon: float, eta: float, num_beams: int, length_penalty: float,
    early_stopping: bool, repetition_penalty: float, no_repeat_ngram_size: int, use_chat_template: bool,
    penalty_alpha: float = DecodingSettings.penalty_alpha, contrastive_k: int = DecodingSettings.contrastive_k,
    progress=gr.Progress(),
):
    """Run each chosen strategy on one prompt; shows the cards, the per-strategy results and the traces."""
    settings = settings_from(DecodingSettings, locals())
    if is_served(model):
        progress(0.5, desc=DECODING.text("asking_engine"))
        return compare_on_engine(served_model(model), prompt, strategies, settings, use_chat_template), None
    loaded = load_model(model, progress)
    progress(0.5, desc=DECODING.text("generating"))
    return compare(loaded, prompt, strategies, settings, use_chat_template), loaded.tokenizer


def build() -> list[Opening]:
    """The decoding tab's components and events; call inside a gr.Blocks. Returns the comparison it opens with."""
    gr.Markdown(DECODING("intro"))
    with gr.Accordion(DECODING("how_it_runs"), open=False):
        gr.Markdown(DECODING("batching"))
        gr.Markdown(DECODING.filled("not_offered", reasons=not_offered))
    d = DecodingSettings()
    with gr.Row():
        with gr.Column(scale=3):
            # the controls, keyed by compare_decoding's parameter names
            c = prompt_controls(PROMPT, "decoding", use_chat_template=True, lines=3, on_engine=True)
            c["strategies"] = gr.CheckboxGroup(
                choices=[(static(WORDS, f"strategy.{s}"), s) for s in STRATEGIES], value=list(OPENING_STRATEGIES),
                label=DECODING("strategies"),
            )
            run = gr.Button(COMMON("compare"), variant="primary", elem_id="decoding-compare")
        with gr.Column(scale=2):
            with gr.Row():
                c["max_new_tokens"] = gr.Number(value=d.max_new_tokens, precision=0,
                                                label=DECODING.filled("max_new_tokens", limit=config.MAX_NEW_TOKENS))
                c["seed"] = gr.Number(value=d.seed, precision=0, label="seed", elem_id="decoding-seed")
            c["temperature"] = gr.Slider(0, 3, value=d.temperature, step=0.05,
                                         label=DECODING("temperature"))
            with gr.Accordion(DECODING("own_parameter"), open=False):
                c["top_k"] = gr.Slider(0, 200, value=d.top_k, step=1, label=DECODING("top_k"),
                                     elem_id="decoding-top-k")
                c["top_p"] = gr.Slider(0, 1, value=d.top_p, step=0.01, label="top_p")
                c["min_p"] = gr.Slider(0, 1, value=d.min_p, step=0.01, label="min_p")
                c["typical_p"] = gr.Slider(0, 1, value=d.typical_p, step=0.01, label="typical_p")
                with gr.Row():
                    c["epsilon"] = gr.Number(value=d.epsilon, label="epsilon")
                    c["eta"] = gr.Number(value=d.eta, label="eta")
                c["num_beams"] = gr.Slider(1, config.MAX_BEAMS, value=d.num_beams, step=1, label="num_beams")
                c["length_penalty"] = gr.Slider(-2, 3, value=d.length_penalty, step=0.1,
                                                label=DECODING("length_penalty"))
                c["early_stopping"] = gr.Checkbox(value=d.early_stopping, label=DECODING("early_stopping"))
                c["penalty_alpha"] = gr.Slider(0, 1, value=d.penalty_alpha, step=0.05,
                                               label=DECODING("penalty_alpha"))
                c["contrastive_k"] = gr.Slider(1, MAX_CONTRASTIVE_K, value=d.contrastive_k, step=1,
                                               label=DECODING("contrastive_k"))
            with gr.Accordion(DECODING("shared"), open=False):
                c["repetition_penalty"] = gr.Slider(0.5, 2, value=d.repetition_penalty, step=0.05,
                                                    label=DECODING("repetition_penalty"))
                c["no_repeat_ngram_size"] = gr.Number(value=d.no_repeat_ngram_size, precision=0,
                                                      label=DECODING("no_repeat"))
    gr.Markdown(DECODING("experiments"))
    experiment_buttons(EXPERIMENTS, c)
    cards = gr.HTML(label=DECODING("cards"))
    gr.Markdown(DECODING("reading"))
    with gr.Accordion(DECODING("raw"), open=False):
        raw_prompt = gr.Textbox(label=DECODING("raw_label"), show_label=False, lines=6, interactive=False)
    with gr.Tabs(elem_id="decoding-tabs") as tabs:
        with sub_tab(tabs, DECODING("tab.trace"), "trace"):
            with gr.Row():
                gr.Markdown(DECODING("trace.caption"))
                trace_choice = gr.Dropdown(label=DECODING("trace.choice"), choices=[], interactive=True)
            trace_plot = gr.Plot(label=DECODING("tab.trace"))
            with gr.Accordion(DECODING("trace.table"), open=False):
                trace = gr.Dataframe(headers=headers(DECODING, TRACE_COLUMNS), label=DECODING("trace.table_label"), wrap=True)
        with sub_tab(tabs, DECODING("tab.beam"), "beam"):
            gr.Markdown(DECODING("beam.caption"))
            beam_tree = gr.Plot(label=DECODING("beam.plot"), elem_id="decoding-beam-tree")
    comparison = gr.State(None)

    results_json = gr.JSON(label=DECODING("results"), visible=False)
    outputs = [cards, results_json, raw_prompt, trace_choice, trace_plot, trace, beam_tree, comparison]
    on(run.click, compare_decoding, c, outputs,
       # many at once, so that concurrent comparisons can share the running batch (decoding/batcher.py)
       api_name="compare_decoding", concurrency_limit=BATCHER.max_rows)
    # .input, not .change: a comparison sets the choice along with its own trace, which must not be drawn twice
    on(trace_choice.input, show_trace, {"comparison": comparison, "strategy": trace_choice},
       [trace_plot, trace], api_name="decoding_trace")
    return [on_defaults("decoding", compare_decoding, c, outputs)]

"""The decoding tab: one prompt, several strategies, side by side, with per-step traces and the beam tree."""

import gradio as gr

from playground.core import config
from playground.core.plots import empty_figure
from playground.core.served import is_served, served_model
from playground.core.visible import visible
from playground.decoding import plots
from playground.decoding.cards import comparison_html
from playground.decoding.engine_runner import compare_on_engine
from playground.decoding.results import Comparison
from playground.decoding.runner import compare
from playground.decoding.strategies import LABELS, MAX_CONTRASTIVE_K, STRATEGIES, UNAVAILABLE, DecodingSettings
from playground.ui.components import (
    Experiment, experiment_buttons, load_model, on, prompt_controls, settings_from, sub_tab,
)
from playground.ui.opening import Opening, run_on_defaults

INTRO = """
## Decoding strategies, side by side
A language model only gives a probability for every possible next token. **Decoding** is the rule that turns those
probabilities into text: always take the most likely token (*greedy*), keep several candidate texts alive
(*beam search*), or draw at random from a reshaped distribution: *temperature* sharpens or flattens it,
[*top-k*](https://arxiv.org/abs/1805.04833) keeps the k likeliest tokens,
[*top-p / nucleus*](https://arxiv.org/abs/1904.09751) the smallest set holding probability p,
[*min-p*](https://arxiv.org/abs/2407.01082) the tokens at least min_p × the top token's probability,
[*typical*](https://arxiv.org/abs/2202.00666) the tokens whose surprise is close to the average, and
[*epsilon / eta*](https://arxiv.org/abs/2210.15191) the tokens above an absolute (or entropy-scaled) floor.
All of these are transformers' own `LogitsProcessor` classes; see the
[generation guide](https://huggingface.co/docs/transformers/generation_strategies).
[*Contrastive search*](https://arxiv.org/abs/2202.06417) picks, among the top-k tokens, the one that is likely
*and* least similar (by hidden state) to everything before it; transformers 5 moved it to Hub code, so it runs
here from a short local implementation of the paper's rule.
"""

BATCHING = """
Every sampling strategy here runs in **one batched `generate` call**, each row with its own settings, so the
comparison costs about as much as two single runs. Each row also draws with **its own random generator**, seeded
with your seed, so a strategy's text depends only on the prompt, its settings and the seed: ticking another
strategy never changes it. Comparisons that other people run at the same time share one running batch: between
two decoding steps a new comparison's rows join the rows already decoding, and finished rows leave, as
[continuous batching](https://docs.vllm.ai/en/latest/design/arch_overview.html) does in vLLM (a prompt that
several rows ask for is prefilled once). Each card says how many requests and rows it shared steps with. Its
tokens are the ones it gets alone; a rare choice that sat on a float knife's edge is the exception (the README
says which, and how often).
"""

READING = """
**How to read the cards.** Each token is coloured by the probability the *model* gave it (red = surprising,
green = expected); hover for its rank and the probability in the distribution the strategy actually drew from.
*Mean log-prob* and *perplexity* say how likely the whole text is under the model (perplexity 1 = certain;
greedy and beam are low by construction). *distinct-n* is unique n-grams ÷ all n-grams (1 = no repeats) and
*repeated 3-grams* is the share of 3-token sequences seen before: high values are a decoding loop.
"""

# The comparison the tab opens with: on this prompt greedy's list repeats one line over and over, while beam search
# and the samplers write three different ideas (tests/api/test_defaults.py holds that).
PROMPT = "Give me three ideas for a birthday party."
OPENING_STRATEGIES = ("greedy", "beam", "top_k", "top_p", "min_p")

UNAVAILABLE_NOTE = "**Not offered here:** " + " ".join(
    f"*{name}*: {reason}" for name, reason in UNAVAILABLE.items()
)

EXPERIMENTS = [
    Experiment("Greedy loops on this poem: now compare top-p 0.9", "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64, top_p=0.9), ("greedy", "top_p")),
    Experiment("Beam search finds a likelier text than greedy", "Explain in one sentence why the sky is blue.",
               DecodingSettings(max_new_tokens=48, num_beams=4), ("greedy", "beam")),
    Experiment("Temperature 1.5: plain sampling derails, min-p stays on topic", "Write a haiku about the sea.",
               DecodingSettings(max_new_tokens=48, temperature=1.5, min_p=0.1, top_p=0.9),
               ("sampling", "min_p", "top_p")),
    Experiment("Flat distribution (temperature 2): top-k 20 caps what top-p 0.9 alone keeps",
               "List some words that rhyme with light.",
               DecodingSettings(max_new_tokens=32, temperature=2.0, top_k=20, top_p=0.9), ("top_p", "top_k_top_p")),
    Experiment("Contrastive search escapes greedy's loop without randomness", "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64), ("greedy", "contrastive")),
    Experiment("A repetition penalty breaks the loop", "Write a poem about the moon.",
               DecodingSettings(max_new_tokens=64, repetition_penalty=1.3), ("greedy",)),
]

TRACE_COLUMNS = ["step", "token", "p (model)", "p (drawn from)", "rank", "entropy (bits)", "model's top 5"]


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
        return empty_figure("Run a comparison to see its per-step trace."), []
    result = next((r for r in comparison.results if r.name == strategy), comparison.results[0])
    return plots.trace_figure(result), trace_rows(result)


def compare_decoding(
    model: str, prompt: str, strategies: list[str], max_new_tokens: int, seed: int, temperature: float, top_k: int,
    top_p: float, min_p: float, typical_p: float, epsilon: float, eta: float, num_beams: int, length_penalty: float,
    early_stopping: bool, repetition_penalty: float, no_repeat_ngram_size: int, use_chat_template: bool,
    penalty_alpha: float = DecodingSettings.penalty_alpha, contrastive_k: int = DecodingSettings.contrastive_k,
    progress=gr.Progress(),
):
    """Run each chosen strategy on one prompt; returns the cards, the per-strategy results and the traces."""
    settings = settings_from(DecodingSettings, locals())
    if is_served(model):
        progress(0.5, desc="Asking the engine")
        comparison = compare_on_engine(served_model(model), prompt, strategies, settings, use_chat_template)
        tree = empty_figure("Beam search's tree needs the model's weights in this process; an engine does not "
                            "send back the hypotheses it ranked.")
    else:
        loaded = load_model(model, progress)
        progress(0.5, desc="Generating")
        comparison = compare(loaded, prompt, strategies, settings, use_chat_template)
        beam = next((r for r in comparison.results if r.beam_tree is not None), None)
        tree = (
            plots.beam_tree_figure(beam.beam_tree, loaded.tokenizer) if beam
            else empty_figure("Add 'beam' to the strategies to see the tree of hypotheses.")
        )
    names = [r.name for r in comparison.results]
    trace_plot, trace_table = show_trace(comparison, names[0])
    raw = f"{comparison.prompt.n_tokens} tokens:\n{comparison.prompt.rendered}"
    return (
        comparison_html(comparison), comparison.to_api(), raw,
        gr.Dropdown(choices=[(LABELS[n], n) for n in names], value=names[0]),
        trace_plot, trace_table, tree, comparison,
    )


def build() -> list[Opening]:
    """The decoding tab's components and events; call inside a gr.Blocks. Returns the comparison it opens with."""
    gr.Markdown(INTRO)
    with gr.Accordion("How the comparison runs (one batched generate), and what is not offered", open=False):
        gr.Markdown(BATCHING + "\n" + UNAVAILABLE_NOTE)
    d = DecodingSettings()
    with gr.Row():
        with gr.Column(scale=3):
            # the controls, keyed by compare_decoding's parameter names
            c = prompt_controls(PROMPT, "decoding", use_chat_template=True, lines=3, on_engine=True)
            c["strategies"] = gr.CheckboxGroup(
                choices=[(LABELS[s], s) for s in STRATEGIES], value=list(OPENING_STRATEGIES), label="Strategies",
            )
            run = gr.Button("Compare", variant="primary", elem_id="decoding-compare")
        with gr.Column(scale=2):
            with gr.Row():
                c["max_new_tokens"] = gr.Number(value=d.max_new_tokens, precision=0,
                                                label=f"max_new_tokens (≤ {config.MAX_NEW_TOKENS})")
                c["seed"] = gr.Number(value=d.seed, precision=0, label="seed", elem_id="decoding-seed")
            c["temperature"] = gr.Slider(0, 3, value=d.temperature, step=0.05,
                                         label="temperature (all sampling strategies)")
            with gr.Accordion("Each strategy's own parameter", open=False):
                c["top_k"] = gr.Slider(0, 200, value=d.top_k, step=1, label="top_k (0 = keep all)",
                                     elem_id="decoding-top-k")
                c["top_p"] = gr.Slider(0, 1, value=d.top_p, step=0.01, label="top_p")
                c["min_p"] = gr.Slider(0, 1, value=d.min_p, step=0.01, label="min_p")
                c["typical_p"] = gr.Slider(0, 1, value=d.typical_p, step=0.01, label="typical_p")
                with gr.Row():
                    c["epsilon"] = gr.Number(value=d.epsilon, label="epsilon")
                    c["eta"] = gr.Number(value=d.eta, label="eta")
                c["num_beams"] = gr.Slider(1, config.MAX_BEAMS, value=d.num_beams, step=1, label="num_beams")
                c["length_penalty"] = gr.Slider(-2, 3, value=d.length_penalty, step=0.1,
                                                label="length_penalty (beam)")
                c["early_stopping"] = gr.Checkbox(value=d.early_stopping, label="early_stopping (beam)")
                c["penalty_alpha"] = gr.Slider(0, 1, value=d.penalty_alpha, step=0.05,
                                               label="penalty_alpha (contrastive; 0 = greedy)")
                c["contrastive_k"] = gr.Slider(1, MAX_CONTRASTIVE_K, value=d.contrastive_k, step=1,
                                               label="contrastive_k (candidates)")
            with gr.Accordion("Shared modifiers", open=False):
                c["repetition_penalty"] = gr.Slider(0.5, 2, value=d.repetition_penalty, step=0.05,
                                                    label="repetition_penalty (1 = none)")
                c["no_repeat_ngram_size"] = gr.Number(value=d.no_repeat_ngram_size, precision=0,
                                                      label="no_repeat_ngram_size (0 = off)")
    gr.Markdown("**Suggested experiments** (each sets every input but the model; then press Compare):")
    experiment_buttons(EXPERIMENTS, c)
    cards = gr.HTML(label="Cards")
    gr.Markdown(READING)
    with gr.Accordion("Raw prompt (what the model sees, chat template included)", open=False):
        raw_prompt = gr.Textbox(label="Raw prompt", show_label=False, lines=6, interactive=False)
    with gr.Tabs(elem_id="decoding-tabs") as tabs:
        with sub_tab(tabs, "Per-step trace", "trace"):
            with gr.Row():
                gr.Markdown(
                    "At each step: the token chosen, its probability and rank under the model, the entropy of the "
                    "model's distribution (bits: 0 = certain, log₂ 49152 ≈ 15.6 = uniform over the vocabulary), "
                    "and the model's top 5 alternatives. Where the bar sits far below the dash, the strategy took "
                    "a token the model did not favour."
                )
                trace_choice = gr.Dropdown(label="Strategy to trace", choices=[], interactive=True)
            trace_plot = gr.Plot(label="Per-step trace")
            with gr.Accordion("The trace as a table", open=False):
                trace_table = gr.Dataframe(headers=TRACE_COLUMNS, label="Per-step trace (table)", wrap=True)
        with sub_tab(tabs, "Beam tree", "beam"):
            gr.Markdown(
                "Every candidate beam search ranked at each step (the top 2 × num_beams by cumulative log-prob). "
                "Blue nodes lived on as beams, green ones finished, grey ones were pruned; the red path is the "
                "sequence `generate(num_beams=...)` returned. Hover a node for its cumulative log-probability."
            )
            beam_tree = gr.Plot(label="Beam search tree", elem_id="decoding-beam-tree")
    comparison = gr.State(None)

    results_json = gr.JSON(label="Per-strategy results", visible=False)
    outputs = [cards, results_json, raw_prompt, trace_choice, trace_plot, trace_table, beam_tree, comparison]
    on(run.click, compare_decoding, c, outputs,
       # many at once, so that concurrent comparisons can share the running batch (decoding/batcher.py)
       api_name="compare_decoding", concurrency_limit=config.MAX_BATCH_ROWS)
    # .input, not .change: a comparison sets the choice along with its own trace, which must not be drawn twice
    on(trace_choice.input, show_trace, {"comparison": comparison, "strategy": trace_choice},
       [trace_plot, trace_table], api_name="decoding_trace")
    return [Opening("decoding", lambda: run_on_defaults(compare_decoding, c), outputs)]

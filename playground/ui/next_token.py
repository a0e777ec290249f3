"""The next-token tab: the model's real next-token distribution, through temperature, top-k, top-p and min-p."""

import gradio as gr

from playground.core import config
from playground.core.served import is_served, served_model
from playground.core.visible import visible
from playground.next_token import plots
from playground.next_token.engine_view import explore_engine
from playground.next_token.path_strip import path_html
from playground.next_token.pipeline import GENERATE_ORDER, SamplerParams
from playground.next_token.view import NextTokenView, ViewSettings, explore, next_token
from playground.ui.components import (
    Experiment, any_of, captioned_plot, experiment_buttons, load_model, on, prompt_controls, settings_from, sub_tab,
)
from playground.ui.opening import Opening, run_on_defaults

INTRO = """
## Temperature, top-k, top-p and min-p: the next-token distribution, stage by stage
For your prompt the model runs **once** and gives a score (logit) for each of its 49,152 tokens. Sampling then
passes those scores through a pipeline of transformers' own processors, in `generate`'s order:
repetition penalty → [temperature](https://huggingface.co/blog/how-to-generate) (divide the logits by T) →
[top-k](https://arxiv.org/abs/1805.04833) (keep the k best) → [top-p](https://arxiv.org/abs/1904.09751)
(keep the smallest set holding probability p) → [min-p](https://arxiv.org/abs/2407.01082) (keep tokens with at
least min_p × the top probability) → [typical-p](https://arxiv.org/abs/2202.00666). A cut token gets score −∞;
the survivors are renormalised, and one is drawn. A stage runs exactly when `generate` would run it: min-p runs
whenever it is set, even at 0, where it keeps every token. Change any parameter: the logits are cached, so only the
cheap pipeline runs again. Reorder the stages to see that order matters (top-p after temperature is not top-p
before it).
"""

CUMULATIVE_CAPTION = (
    "Tokens sorted by probability, as top-p sees them (after the stages before it). Top-p keeps tokens up to "
    "where the curve crosses the dashed line: the *nucleus*. A flat distribution needs many tokens to get "
    "there, a peaked one few."
)
SWEEP_CAPTION = (
    "Entropy (bits) of softmax(logits / T) as T goes from 0.1 to 3, and the *effective vocabulary* 2^entropy: "
    "how many equally likely tokens would be as uncertain. Near 0 it is 1 token (greedy); at high T it heads to "
    "the whole vocabulary."
)
ANIMATED_CAPTION = (
    "Drag the slider or press play: the same tokens under temperature alone. Watch the top token's share drain "
    "away as T grows."
)
EMPIRICAL_CAPTION = (
    "Draws from the final distribution (seeded) against its probabilities, over the tokens on show plus one bucket "
    "for the rest of the vocabulary. The total-variation distance is half the summed gap; the bound is how far "
    "chance alone could push it (99.9999% confidence, Bretagnolle-Huber-Carol). Above the bound would mean a bug."
)

# The tab opens on the study note's advice (top-k and top-p together, top-p about 0.9, a moderate temperature), on an
# open prompt where each stage visibly cuts: a factual one ("The capital of France is") leaves top-p one token.
PROMPT = "Once upon a time, there was a"
OPENING = SamplerParams(temperature=0.7, top_k=50, top_p=0.9)
FRANCE = "The capital of France is"
EXPERIMENTS = [
    Experiment("Order matters: top-p before temperature", FRANCE, SamplerParams(temperature=2.0, top_p=0.5, order=(
        "repetition_penalty", "top_p", "temperature", "top_k", "min_p", "typical_p")), use_chat_template=False),
    Experiment("Same settings in generate's order", FRANCE, SamplerParams(temperature=2.0, top_p=0.5),
               use_chat_template=False),
    Experiment("Hot and safe: temperature 2 with min-p 0.1", FRANCE, SamplerParams(temperature=2.0, min_p=0.1),
               use_chat_template=False),
    Experiment("Temperature → 0 is greedy: top_k = 1", FRANCE, SamplerParams(top_k=1), use_chat_template=False),
    Experiment("A fact leaves top-p one token", FRANCE, OPENING, use_chat_template=False),
]


def summary_markdown(view: NextTokenView) -> str:
    kept = int(view.final.kept.sum())
    top = view.final.probs.max()
    warn = f"\n\n⚠️ {view.model_label} has random weights." if view.random_weights else ""
    stages = " → ".join(s.name for s in view.stages)
    verdict = "within" if view.check.passed else "**above**"
    return (
        f"{engine_note(view)}**Kept set: {kept:,} token(s)** after {stages}; the most likely now has p = "
        f"{float(top):.3f}. Context: {len(view.context_ids)} tokens. Empirical check over the {len(view.top_ids)} "
        f"tokens on show plus the rest: TV distance {view.check.tv:.4f} over {view.check.draws.numel():,} samples, "
        f"{verdict} the bound {view.check.bound:.4f} that chance alone allows.{warn}"
    )


def engine_note(view: NextTokenView) -> str:
    if not view.on_engine:
        return ""
    named = len(view.texts) - 1
    return (
        f"**Top-{named} only.** {view.model_label} named its {named} most likely tokens, "
        f"{1 - view.rest:.1%} of the probability; the other {view.rest:.1%} is one bucket, *the rest*, in the raw "
        f"stage. The stage *engine top-{named}* cuts it, so the stages after it act on the named tokens, as the "
        f"sampler would with top_k = {named} in front. The temperature sweep is over the named tokens.\n\n"
    )


def _path(path: dict | None, model: str, prompt: str, use_chat_template: bool) -> list:
    """The session's path (token ids; an engine's token texts), if it was walked from this very context; a new
    prompt or model starts afresh."""
    if isinstance(path, dict) and path.get("context") == [model, prompt, use_chat_template]:
        steps = path.get("steps")
        return list(steps) if isinstance(steps, list) else []
    return []


def _view(arguments: dict, path: list, progress) -> NextTokenView:
    """The view for a handler's arguments (its `locals()`) and a path."""
    params, settings = settings_from(SamplerParams, arguments), settings_from(ViewSettings, arguments)
    if is_served(arguments["model"]):
        return explore_engine(served_model(arguments["model"]), arguments["prompt"], params, path, settings,
                              arguments["use_chat_template"])
    loaded = load_model(arguments["model"], progress)
    return explore(loaded, arguments["prompt"], params, path, settings, arguments["use_chat_template"])


def _respond(arguments: dict, path: list, progress):
    """Everything the tab shows for a handler's arguments plus a path, and the path state to keep."""
    view = _view(arguments, path, progress)
    choices = [(f"{visible(t)}  (p={float(view.final.probs[i]):.3f})", i)
               for t, i in zip(view.labels, view.top_ids) if view.final.kept[i]]
    context = [arguments["model"], arguments["prompt"], arguments["use_chat_template"]]
    steps = [s.text if view.on_engine else s.token_id for s in view.path]
    return (
        summary_markdown(view), plots.stage_bars_figure(view), plots.cumulative_figure(view),
        plots.sweep_figure(view), plots.animated_bars_figure(view), plots.empirical_figure(view),
        view.to_api(), path_html(view), gr.Radio(choices=choices, value=None), {"context": context, "steps": steps},
    )


def _step(arguments: dict, token: int | None, progress):
    """One step down the generation tree from the session's path, then the next distribution."""
    path = _path(arguments["path"], arguments["model"], arguments["prompt"], arguments["use_chat_template"])
    view = _view(arguments, path, progress)
    chosen = next_token(view, token)
    return _respond(arguments, path + [view.texts[chosen] if view.on_engine else chosen], progress)


def next_token_distribution(
    model: str, prompt: str, temperature: float, top_k: int, top_p: float, min_p: float, typical_p: float,
    repetition_penalty: float, order: list[str], top_n: int, n_samples: int, seed: int, use_chat_template: bool,
    path: dict | None = None, progress=gr.Progress(),
):
    """The distribution after each stage for the prompt, plus the path this session walked from it."""
    return _respond(locals(), _path(path, model, prompt, use_chat_template), progress)


def append_token(
    model: str, prompt: str, temperature: float, top_k: int, top_p: float, min_p: float, typical_p: float,
    repetition_penalty: float, order: list[str], top_n: int, n_samples: int, seed: int, use_chat_template: bool,
    path: dict | None = None, token: int | None = None, progress=gr.Progress(),
):
    """Append `token` (one the sampler keeps at this step) to the session's path; show the next distribution."""
    return _step(locals(), token, progress)


def sample_token(
    model: str, prompt: str, temperature: float, top_k: int, top_p: float, min_p: float, typical_p: float,
    repetition_penalty: float, order: list[str], top_n: int, n_samples: int, seed: int, use_chat_template: bool,
    path: dict | None = None, progress=gr.Progress(),
):
    """Draw the next token from the final distribution (seeded), append it, and show the next distribution."""
    return _step(locals(), None, progress)


def require_choice(token: int | None) -> None:
    if token is None:
        raise gr.Error("Pick one of the tokens first (or press Sample).")


def build() -> list[Opening]:
    gr.Markdown(INTRO)
    p, v = OPENING, ViewSettings()
    with gr.Row():
        with gr.Column(scale=3):
            c = prompt_controls(PROMPT, "next-token", on_engine=True)  # the controls, keyed by the handlers' parameter names
            c["order"] = gr.Dropdown(
                choices=list(GENERATE_ORDER), value=list(p.order), multiselect=True,
                label="Stage order (remove and re-add a stage to move it to the end)",
            )
            show = gr.Button("Show distribution", variant="primary", elem_id="next-token-show")
        with gr.Column(scale=2):
            c["temperature"] = gr.Slider(0, 3, value=p.temperature, step=0.05, label="temperature",
                                         elem_id="next-token-temperature")
            c["top_k"] = gr.Slider(0, 200, value=p.top_k, step=1, label="top_k (0 = off)", elem_id="next-token-top-k")
            c["top_p"] = gr.Slider(0, 1, value=p.top_p, step=0.01, label="top_p (1 = off)", elem_id="next-token-top-p")
            c["min_p"] = gr.Slider(0, 1, value=p.min_p, step=0.01, label="min_p (0 keeps every token)",
                                   elem_id="next-token-min-p")
            with gr.Accordion("More", open=False):
                c["typical_p"] = gr.Slider(0, 1, value=p.typical_p, step=0.01, label="typical_p (1 = off)")
                c["repetition_penalty"] = gr.Slider(0.5, 2, value=p.repetition_penalty, step=0.05,
                                                    label="repetition_penalty (1 = off)")
                c["top_n"] = gr.Slider(5, config.MAX_TOP_N, value=v.top_n, step=1, label="tokens on show (top N)")
                with gr.Row():
                    c["n_samples"] = gr.Number(value=v.n_samples, precision=0,
                                               label=f"samples (≤ {config.MAX_SAMPLES:,})")
                    c["seed"] = gr.Number(value=v.seed, precision=0, label="seed")
    gr.Markdown("**Suggested experiments** (each sets every input but the model, then shows the distribution):")
    experiments = experiment_buttons(EXPERIMENTS, c, ViewSettings())
    summary = gr.Markdown(elem_id="next-token-summary")
    bars = gr.Plot(label="Stage by stage")
    gr.Markdown("### Walk one branch by hand\nPick one of the kept tokens to append it to the context, or let "
                "the sampler draw one. The model runs once per step; the path shows each choice's probability.")
    path_view = gr.HTML(elem_id="next-token-path")
    with gr.Row():
        token_choice = gr.Radio(label="Kept tokens (most likely first)", choices=[], elem_id="next-token-choice")
    with gr.Row():
        append = gr.Button("Append chosen token")
        sample_button = gr.Button("Sample next token")
        reset = gr.Button("Reset path")
    with gr.Tabs(elem_id="next-token-tabs") as tabs:
        with sub_tab(tabs, "The nucleus and the temperature", "nucleus"), gr.Row():
            cumulative = captioned_plot("Cumulative probability", CUMULATIVE_CAPTION)
            sweep = captioned_plot("Temperature sweep", SWEEP_CAPTION)
        with sub_tab(tabs, "Temperature animated, sampling checked", "checked"), gr.Row():
            animated = captioned_plot("Temperature, animated", ANIMATED_CAPTION)
            empirical = captioned_plot("Empirical check", EMPIRICAL_CAPTION)
    result_json = gr.JSON(label="Distribution", visible=False)
    path = gr.State(None)  # {"context": [model, prompt, chat], "steps": [...]}: this session's walk

    wiring = {**c, "path": path, "token": token_choice}
    outputs = [summary, bars, cumulative, sweep, animated, empirical, result_json, path_view, token_choice, path]
    refresh = dict(api_visibility="private", trigger_mode="always_last", show_progress="hidden")
    on(show.click, next_token_distribution, wiring, outputs, api_name="next_token_distribution")
    # .input fires on a person's edits only, not when an experiment sets the value: one computation per click.
    knobs = ("temperature", "top_k", "top_p", "min_p", "typical_p", "repetition_penalty", "order", "top_n")
    on(any_of(*(c[name].input for name in knobs)), next_token_distribution, wiring, outputs, **refresh)
    for event in experiments:
        on(event.then, next_token_distribution, wiring, outputs, **refresh)
    on(append.click(require_choice, token_choice, None, api_visibility="private").success,
       append_token, wiring, outputs, api_name="append_token")
    on(sample_button.click, sample_token, wiring, outputs, api_name="sample_token")
    # The path belongs to its prompt and model (a new one starts afresh); Reset empties it by hand.
    on(reset.click(lambda: None, None, path, api_visibility="private").then,
       next_token_distribution, wiring, outputs, api_visibility="private")
    on(c["prompt"].submit, next_token_distribution, wiring, outputs, api_visibility="private")
    return [Opening("next_token", lambda: run_on_defaults(next_token_distribution, wiring), outputs)]

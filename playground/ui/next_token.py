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
from playground.next_token.words import WORDS
from playground.ui.components import (
    Experiment, any_of, captioned_plot, experiment_buttons, load_model, on, prompt_controls, settings_from, sub_tab,
)
from playground.ui.i18n.common import COMMON
from playground.ui.i18n.next_token import NEXT_TOKEN
from playground.ui.opening import Opening, on_defaults

# The tab opens on the study note's advice (top-k and top-p together, top-p about 0.9, a moderate temperature), on an
# open prompt where each stage visibly cuts: a factual one ("The capital of France is") leaves top-p one token.
PROMPT = "Once upon a time, there was a"
OPENING = SamplerParams(temperature=0.7, top_k=50, top_p=0.9)
FRANCE = "The capital of France is"
EXPERIMENTS = [
    Experiment(NEXT_TOKEN("experiment.order"), FRANCE, SamplerParams(temperature=2.0, top_p=0.5, order=(
        "repetition_penalty", "top_p", "temperature", "top_k", "min_p", "typical_p")), use_chat_template=False),
    Experiment(NEXT_TOKEN("experiment.generate_order"), FRANCE, SamplerParams(temperature=2.0, top_p=0.5),
               use_chat_template=False),
    Experiment(NEXT_TOKEN("experiment.min_p"), FRANCE, SamplerParams(temperature=2.0, min_p=0.1),
               use_chat_template=False),
    Experiment(NEXT_TOKEN("experiment.greedy"), FRANCE, SamplerParams(top_k=1), use_chat_template=False),
    Experiment(NEXT_TOKEN("experiment.fact"), FRANCE, OPENING, use_chat_template=False),
]


def summary_markdown(view: NextTokenView) -> str:
    kept = int(view.final.kept.sum())
    top = view.final.probs.max()
    warn = f"\n\n{COMMON.text('random_weights', label=view.model_label)}" if view.random_weights else ""
    return NEXT_TOKEN.text(
        "summary", engine_note=engine_note(view), kept=kept, stages=" → ".join(s.name for s in view.stages),
        top=float(top), context=len(view.context_ids), shown=len(view.top_ids), tv=view.check.tv,
        samples=view.check.draws.numel(), verdict=WORDS.text("within") if view.check.passed else f"**{WORDS.text('above')}**",
        bound=view.check.bound, warn=warn)


def engine_note(view: NextTokenView) -> str:
    if not view.on_engine:
        return ""
    return NEXT_TOKEN.text("engine_note", named=len(view.texts) - 1, label=view.model_label, share=1 - view.rest,
                           rest=view.rest)


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
        raise gr.Error(NEXT_TOKEN.text("pick_first"))


def build() -> list[Opening]:
    gr.Markdown(NEXT_TOKEN("intro"))
    p, v = OPENING, ViewSettings()
    with gr.Row():
        with gr.Column(scale=3):
            c = prompt_controls(PROMPT, "next-token", on_engine=True)  # the controls, keyed by the handlers' parameter names
            c["order"] = gr.Dropdown(
                choices=list(GENERATE_ORDER), value=list(p.order), multiselect=True,
                label=NEXT_TOKEN("order"),
            )
            show = gr.Button(NEXT_TOKEN("show"), variant="primary", elem_id="next-token-show")
        with gr.Column(scale=2):
            c["temperature"] = gr.Slider(0, 3, value=p.temperature, step=0.05, label="temperature",
                                         elem_id="next-token-temperature")
            c["top_k"] = gr.Slider(0, 200, value=p.top_k, step=1, label=NEXT_TOKEN("top_k"), elem_id="next-token-top-k")
            c["top_p"] = gr.Slider(0, 1, value=p.top_p, step=0.01, label=NEXT_TOKEN("top_p"), elem_id="next-token-top-p")
            c["min_p"] = gr.Slider(0, 1, value=p.min_p, step=0.01, label=NEXT_TOKEN("min_p"),
                                   elem_id="next-token-min-p")
            with gr.Accordion(NEXT_TOKEN("more"), open=False):
                c["typical_p"] = gr.Slider(0, 1, value=p.typical_p, step=0.01, label=NEXT_TOKEN("typical_p"))
                c["repetition_penalty"] = gr.Slider(0.5, 2, value=p.repetition_penalty, step=0.05,
                                                    label=NEXT_TOKEN("repetition_penalty"))
                c["top_n"] = gr.Slider(5, config.MAX_TOP_N, value=v.top_n, step=1, label=NEXT_TOKEN("top_n"))
                with gr.Row():
                    c["n_samples"] = gr.Number(value=v.n_samples, precision=0,
                                               label=NEXT_TOKEN.filled("samples", limit=config.MAX_SAMPLES))
                    c["seed"] = gr.Number(value=v.seed, precision=0, label="seed")
    gr.Markdown(NEXT_TOKEN("experiments"))
    experiments = experiment_buttons(EXPERIMENTS, c, ViewSettings())
    summary = gr.Markdown(elem_id="next-token-summary")
    bars = gr.Plot(label=NEXT_TOKEN("bars"))
    gr.Markdown(NEXT_TOKEN("walk"))
    path_view = gr.HTML(elem_id="next-token-path")
    with gr.Row():
        token_choice = gr.Radio(label=NEXT_TOKEN("choice"), choices=[], elem_id="next-token-choice")
    with gr.Row():
        append = gr.Button(NEXT_TOKEN("append"))
        sample_button = gr.Button(NEXT_TOKEN("sample"))
        reset = gr.Button(NEXT_TOKEN("reset"))
    with gr.Tabs(elem_id="next-token-tabs") as tabs:
        with sub_tab(tabs, NEXT_TOKEN("tab.nucleus"), "nucleus"), gr.Row():
            cumulative = captioned_plot(NEXT_TOKEN("plot.cumulative"), NEXT_TOKEN("caption.cumulative"))
            sweep = captioned_plot(NEXT_TOKEN("plot.sweep"), NEXT_TOKEN("caption.sweep"))
        with sub_tab(tabs, NEXT_TOKEN("tab.checked"), "checked"), gr.Row():
            animated = captioned_plot(NEXT_TOKEN("plot.animated"), NEXT_TOKEN("caption.animated"))
            empirical = captioned_plot(NEXT_TOKEN("plot.empirical"), NEXT_TOKEN("caption.empirical"))
    result_json = gr.JSON(label=NEXT_TOKEN("distribution"), visible=False)
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
    return [on_defaults("next_token", next_token_distribution, wiring, outputs)]

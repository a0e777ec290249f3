"""The distribution tab: the model's real next-token distribution, through temperature, top-k, top-p and min-p."""

from html import escape

import gradio as gr

from playground import config
from playground import distribution_plots as dplots
from playground.distributions import GENERATE_ORDER, SamplerParams
from playground.next_token import NextTokenView, draw_next, explore
from playground.ui.common import captioned_plot, friendly_errors, load_model, model_picker, whole_number
from playground.visible import visible

INTRO = """
## Temperature, top-k, top-p and min-p: the next-token distribution, stage by stage
For your prompt the model runs **once** and gives a score (logit) for each of its 49,152 tokens. Sampling then
passes those scores through a pipeline of transformers' own processors, in `generate`'s order:
repetition penalty → [temperature](https://huggingface.co/blog/how-to-generate) (divide the logits by T) →
[top-k](https://arxiv.org/abs/1805.04833) (keep the k best) → [top-p](https://arxiv.org/abs/1904.09751)
(keep the smallest set holding probability p) → [min-p](https://arxiv.org/abs/2407.01082) (keep tokens with at
least min_p × the top probability) → [typical-p](https://arxiv.org/abs/2202.00666). A cut token gets score −∞;
the survivors are renormalised, and one is drawn. Change any parameter: the logits are cached, so only the
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
    "Draws from the final distribution (seeded) against its probabilities. The total-variation distance is half "
    "the summed gap; the bound is how far chance alone could push it (99.9999% confidence, "
    "Bretagnolle-Huber-Carol). Above the bound would mean a bug."
)

EXPERIMENTS = [
    ("Order matters: top-p before temperature", dict(temperature=2.0, top_p=0.5, order=[
        "repetition_penalty", "top_p", "temperature", "top_k", "min_p", "typical_p"])),
    ("Same settings in generate's order", dict(temperature=2.0, top_p=0.5)),
    ("Hot and safe: temperature 2 with min-p 0.1", dict(temperature=2.0, min_p=0.1)),
    ("Temperature → 0 is greedy: top_k = 1", dict(top_k=1)),
]


def path_html(view: NextTokenView) -> str:
    if not view.path:
        return "<div class='legend'>Path: just the prompt. Pick a token below, or press <b>Sample</b>.</div>"
    chips = " → ".join(
        f"<span class='tok' title='p={s.prob:.3f}'>{escape(visible(s.text))}</span> <small>{s.prob:.3f}</small>"
        for s in view.path
    )
    return f"<div class='legend'>Path (token, its probability when chosen): prompt → {chips}</div>"


def summary_markdown(view: NextTokenView) -> str:
    kept = int(view.final.kept.sum())
    top = view.final.probs.max()
    warn = f"\n\n⚠️ {view.model_label} has random weights." if view.random_weights else ""
    stages = " → ".join(s.name for s in view.stages)
    return (
        f"**Kept set: {kept:,} token(s)** after {stages}; the most likely now has p = {float(top):.3f}. "
        f"Context: {len(view.context_ids)} tokens. Empirical check: TV distance {view.tv:.4f} over "
        f"{view.draws.numel():,} samples (the bound, {view.tv_bound:.4f}, is what chance alone allows).{warn}"
    )


def _path_ids(path: dict | None, model, prompt, use_chat_template) -> list[int]:
    """The session's path, if it was walked from this very context; a new prompt or model starts afresh."""
    if path and path.get("context") == [model, prompt, bool(use_chat_template)]:
        return list(path["ids"])
    return []


def _respond(inputs: tuple, path_ids: list[int], progress):
    """Everything the tab shows for a context (the inputs) plus a path, and the path state to keep."""
    model, prompt, *_, use_chat_template = inputs
    view = _view(*inputs, path_ids, progress)
    choices = [(f"{visible(t)}  (p={float(view.final.probs[i]):.3f})", i)
               for t, i in zip(view.labels, view.top_ids) if view.final.kept[i]]
    return (
        summary_markdown(view), dplots.stage_bars_figure(view), dplots.cumulative_figure(view),
        dplots.sweep_figure(view), dplots.animated_bars_figure(view), dplots.empirical_figure(view),
        view.to_api(), path_html(view), gr.Radio(choices=choices, value=None),
        {"context": [model, prompt, bool(use_chat_template)], "ids": [s.token_id for s in view.path]},
    )


def _view(model, prompt, temperature, top_k, top_p, min_p, typical_p, repetition_penalty, order, top_n,
          n_samples, seed, use_chat_template, path_ids, progress) -> NextTokenView:
    params = SamplerParams(
        temperature=temperature, top_k=whole_number(top_k, "top_k"), top_p=top_p, min_p=min_p,
        typical_p=typical_p, repetition_penalty=repetition_penalty, order=tuple(order or ()),
    )
    loaded = load_model(model, progress)
    return explore(
        loaded, prompt, params, path_ids, top_n=whole_number(top_n, "top N"),
        n_samples=whole_number(n_samples, "samples"), seed=whole_number(seed, "seed"),
        use_chat_template=bool(use_chat_template),
    )


@friendly_errors
def next_token_distribution(
    model: str, prompt: str, temperature: float, top_k: float, top_p: float, min_p: float, typical_p: float,
    repetition_penalty: float, order: list[str], top_n: float, n_samples: float, seed: float,
    use_chat_template: bool, path: dict | None = None, progress=gr.Progress(),
):
    """The distribution after each stage for the prompt, plus the path this session walked from it."""
    inputs = (model, prompt, temperature, top_k, top_p, min_p, typical_p, repetition_penalty, order, top_n,
              n_samples, seed, use_chat_template)
    return _respond(inputs, _path_ids(path, model, prompt, use_chat_template), progress)


@friendly_errors
def walk(
    model: str, prompt: str, temperature: float, top_k: float, top_p: float, min_p: float, typical_p: float,
    repetition_penalty: float, order: list[str], top_n: float, n_samples: float, seed: float,
    use_chat_template: bool, path: dict | None = None, token: int | None = None, progress=gr.Progress(),
):
    """One step down the generation tree: append `token` (one of the kept ids just offered) to the path, or
    draw one from the final distribution when no token is given; then show the next distribution."""
    inputs = (model, prompt, temperature, top_k, top_p, min_p, typical_p, repetition_penalty, order, top_n,
              n_samples, seed, use_chat_template)
    path_ids = _path_ids(path, model, prompt, use_chat_template)
    if token is None:
        token = draw_next(_view(*inputs, path_ids, progress), whole_number(seed, "seed"))
    return _respond(inputs, path_ids + [int(token)], progress)


def require_choice(token: int | None) -> None:
    if token is None:
        raise gr.Error("Pick one of the tokens first (or press Sample).")


def build() -> None:
    gr.Markdown(INTRO)
    with gr.Row():
        with gr.Column(scale=3):
            model = model_picker()
            prompt = gr.Textbox(label="Prompt", lines=2, value="The capital of France is", elem_id="dist-prompt")
            chat = gr.Checkbox(value=False, label="Apply the chat template")
            order = gr.Dropdown(
                choices=list(GENERATE_ORDER), value=list(GENERATE_ORDER), multiselect=True,
                label="Stage order (remove and re-add a stage to move it to the end)",
            )
            show = gr.Button("Show distribution", variant="primary")
        with gr.Column(scale=2):
            temperature = gr.Slider(0, 3, value=1.0, step=0.05, label="temperature", elem_id="dist-temperature")
            top_k = gr.Slider(0, 200, value=0, step=1, label="top_k (0 = off)", elem_id="dist-top-k")
            top_p = gr.Slider(0, 1, value=1.0, step=0.01, label="top_p (1 = off)", elem_id="dist-top-p")
            min_p = gr.Slider(0, 1, value=0.0, step=0.01, label="min_p (0 = off)", elem_id="dist-min-p")
            with gr.Accordion("More", open=False):
                typical_p = gr.Slider(0, 1, value=1.0, step=0.01, label="typical_p (1 = off)")
                repetition_penalty = gr.Slider(0.5, 2, value=1.0, step=0.05, label="repetition_penalty (1 = off)")
                top_n = gr.Slider(5, config.MAX_TOP_N, value=20, step=1, label="tokens on show (top N)")
                with gr.Row():
                    n_samples = gr.Number(value=1000, precision=0, label=f"samples (≤ {config.MAX_SAMPLES:,})")
                    seed = gr.Number(value=0, precision=0, label="seed")
    gr.Markdown("**Suggested experiments:**")
    with gr.Row():
        buttons = [gr.Button(text, size="sm") for text, _ in EXPERIMENTS]
    summary = gr.Markdown(elem_id="dist-summary")
    bars = gr.Plot(label="Stage by stage")
    gr.Markdown("### Walk one branch by hand\nPick one of the kept tokens to append it to the context, or let "
                "the sampler draw one. The model runs once per step; the path shows each choice's probability.")
    path_view = gr.HTML(elem_id="dist-path")
    with gr.Row():
        token_choice = gr.Radio(label="Kept tokens (most likely first)", choices=[], elem_id="dist-choice")
    with gr.Row():
        append = gr.Button("Append chosen token")
        sample_button = gr.Button("Sample next token")
        reset = gr.Button("Reset path")
    with gr.Row():
        cumulative = captioned_plot("Cumulative probability", CUMULATIVE_CAPTION)
        sweep = captioned_plot("Temperature sweep", SWEEP_CAPTION)
    with gr.Row():
        animated = captioned_plot("Temperature, animated", ANIMATED_CAPTION)
        empirical = captioned_plot("Empirical check", EMPIRICAL_CAPTION)
    result_json = gr.JSON(label="Distribution", visible=False)
    path = gr.State(None)  # {"context": [model, prompt, chat], "ids": [...]}: this session's walk

    inputs = [model, prompt, temperature, top_k, top_p, min_p, typical_p, repetition_penalty, order, top_n,
              n_samples, seed, chat]
    outputs = [summary, bars, cumulative, sweep, animated, empirical, result_json, path_view, token_choice, path]
    show.click(next_token_distribution, inputs + [path], outputs, api_name="next_token_distribution")
    for control in (temperature, top_k, top_p, min_p, typical_p, repetition_penalty, order, top_n):
        control.change(next_token_distribution, inputs + [path], outputs, api_visibility="private",
                       trigger_mode="always_last", show_progress="hidden")
    append.click(require_choice, token_choice, None, api_visibility="private").success(
        walk, inputs + [path, token_choice], outputs, api_name="append_token"
    )
    sample_button.click(walk, inputs + [path], outputs, api_name="sample_token")
    # The path belongs to its prompt and model (a new one starts afresh); Reset empties it by hand.
    reset.click(lambda: None, None, path, api_visibility="private").then(
        next_token_distribution, inputs + [path], outputs, api_visibility="private"
    )
    prompt.submit(next_token_distribution, inputs + [path], outputs, api_visibility="private")
    for button, (_, values) in zip(buttons, EXPERIMENTS):
        settings = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0, "order": list(GENERATE_ORDER),
                    **values}
        button.click(lambda s=settings: (s["temperature"], s["top_k"], s["top_p"], s["min_p"], s["order"]), None,
                     [temperature, top_k, top_p, min_p, order], api_visibility="private")

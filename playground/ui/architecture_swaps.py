"""The architecture tab's swaps: LayerNorm vs RMSNorm and a GELU MLP vs SwiGLU on the same real hidden state, and
pre- vs post-norm across the layers of SmolLM2 and MiniLM."""

import gradio as gr

from playground.architecture import swaps_plots
from playground.architecture.block_walk import family_of
from playground.architecture.prompt import prompt_ids
from playground.architecture.swaps import MLP_COLUMNS, SHUT, swaps
from playground.architecture.walk import WalkSettings
from playground.core import models
from playground.core.visible import visible
from playground.core import config
from playground.ui.components import load_model, preset_buttons, settings_from
from playground.ui.opening import Opening, panel

INTRO = """### Norms and MLPs, swapped on one real hidden state
**LayerNorm** (BERT, GPT-2) takes the mean out, divides by the spread and adds a bias; **RMSNorm** (LLaMA, Qwen,
SmolLM2) only divides by the root mean square: one reduction instead of two, no bias, and in practice as good
([Zhang & Sennrich, 2019](https://arxiv.org/abs/1910.07467)). **SwiGLU** gates each channel of one projection with
silu of another ([Shazeer, 2020](https://arxiv.org/abs/2002.05202)): three matrices instead of two, so its width is
cut to about ⅔ · 4d to cost what a 4d GELU MLP costs. In trained models the stream's mean is already small
(here |mean| < 0.1 · rms on every token), which is why dropping the centring costs nothing; the shift shows what
it would cost if it were not. RoPE against learned positions is in the attention tab's
*RoPE* panel.
"""


def norms_and_mlps(model: str, prompt: str, layer: int, position: int, progress=gr.Progress()):
    """The stream entering `layer` at `position` through LayerNorm and RMSNorm (unit gains), and shifted; that
    block's MLP gate per channel; MLP widths and weights against the ⅔ · 4d rule; and the stream's norm across
    layers beside a model with the other norm placement (MiniLM, or SmolLM2 when MiniLM is chosen)."""
    settings = settings_from(WalkSettings, locals())
    loaded = load_model(model, progress, any_kind=True)
    other = models.load_causal_lm() if family_of(loaded.model) == "bert" else models.load_encoder()
    result = swaps(loaded, prompt_ids(loaded, prompt), settings, other, prompt_ids(other, prompt))
    mlps = [m.row() for m in result.mlps]
    return (summary(result), swaps_plots.norm_figure(result), swaps_plots.gate_figure(result), mlps,
            swaps_plots.streams_figure(result), result.payload())


def summary(s) -> str:
    n, mine = s.norms, s.mlps[-1]
    lost = {c: rms for c, _, rms in n.shift_cosines}
    pre, post = (t for t in sorted(s.streams, key=lambda t: t.norm_placement != "pre-norm"))
    inside = pre.norms[1:-1] if len(pre.norms) > 2 else pre.norms
    agree = "so the two norms agree: centring removes almost nothing here" if n.cosine > 0.99 else \
        "so centring matters here"
    return (f"At “{visible(s.token)}” entering layer {s.layer} the mean is {n.mean:.3f} against a spread of "
            f"{n.spread:.3f} (the two outputs' cosine **{n.cosine:.4f}**), {agree}. Push the mean to one spread "
            f"and RMSNorm's output turns (cosine {lost[1.0]:.2f}; at four spreads "
            f"{lost[4.0]:.2f}) while LayerNorm's does not move. **{mine.model}**'s MLP is {mine.kind}, "
            f"{mine.inner:,} wide for d = {mine.width}: {mine.inner / mine.width:.2f} · d, {mine.params / 1e6:.2f} M "
            f"weights a layer (a 4d GELU MLP: {8 * mine.width ** 2 / 1e6:.2f} M). Its gate nearly shuts "
            f"(|{s.gate_kind}| < {SHUT}) **{s.shut_share:.0%}** of the channels at this token. The pre-norm "
            f"stream ({pre.model}) grows from {inside[0]:.1f} to {max(inside):.1f} across the layers; the post-norm "
            f"one ({post.model}) stays between {min(post.norms):.1f} and {max(post.norms):.1f}.")


def build(c: dict) -> Opening:
    gr.Markdown(INTRO)
    run = gr.Button("Compare on this token", variant="primary", elem_id="architecture-swaps-run")
    presets = gr.Row()
    text = gr.Markdown(elem_id="architecture-swaps-summary")
    norms = gr.Plot(label="LayerNorm vs RMSNorm", elem_id="architecture-swaps-norms")
    with gr.Row():
        gate = gr.Plot(label="The MLP's gate", elem_id="architecture-swaps-gate")
        streams = gr.Plot(label="Pre-norm vs post-norm", elem_id="architecture-swaps-streams")
    table = gr.Dataframe(headers=MLP_COLUMNS, label="MLP widths and weights", wrap=True,
                         elem_id="architecture-swaps-mlps")
    result = gr.JSON(label="Norms and MLPs", visible=False)
    outputs = [text, norms, gate, table, streams, result]
    opening = panel("architecture/swaps", run.click, norms_and_mlps, c, outputs, api_name="norms_and_mlps")
    preset_buttons([("SmolLM2, layer 25", {"model": config.EMBEDDED_LM, "layer": 25, "position": -1}),
                    ("MiniLM (post-norm) beside SmolLM2", {"model": config.EMBEDDED_ENCODER, "layer": 2})],
                   c, norms_and_mlps, outputs, presets)
    return opening

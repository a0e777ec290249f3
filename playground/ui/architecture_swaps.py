"""The architecture tab's swaps: LayerNorm vs RMSNorm and a GELU MLP vs SwiGLU on the same real hidden state, and
pre- vs post-norm across the layers of SmolLM2 and MiniLM."""

import gradio as gr

from playground.architecture import swaps_plots
from playground.architecture.block_walk import family_of
from playground.architecture.prompt import prompt_ids
from playground.architecture.swaps import MLP_COLUMNS, SHUT, swaps
from playground.architecture.walk import WalkSettings
from playground.architecture.words import WORDS
from playground.core import config, models
from playground.core.visible import visible
from playground.ui.components import headers, load_model, preset_buttons, settings_from, table
from playground.ui.i18n.architecture import ARCHITECTURE
from playground.ui.opening import Opening, panel

def norms_and_mlps(model: str, prompt: str, layer: int, position: int, progress=gr.Progress()):
    """The stream entering `layer` at `position` through LayerNorm and RMSNorm (unit gains), and shifted; that
    block's MLP gate per channel; MLP widths and weights against the ⅔ · 4d rule; and the stream's norm across
    layers beside a model with the other norm placement (MiniLM, or SmolLM2 when MiniLM is chosen)."""
    settings = settings_from(WalkSettings, locals())
    loaded = load_model(model, progress, any_kind=True)
    other = models.load_causal_lm() if family_of(loaded.model) == "bert" else models.load_encoder()
    result = swaps(loaded, prompt_ids(loaded, prompt), settings, other, prompt_ids(other, prompt))
    mlps = table(WORDS, MLP_COLUMNS, [m.row() for m in result.mlps])
    return (summary(result), swaps_plots.norm_figure(result), swaps_plots.gate_figure(result), mlps,
            swaps_plots.streams_figure(result), result.payload())


def summary(s) -> str:
    n, mine = s.norms, s.mlps[-1]
    lost = {c: rms for c, _, rms in n.shift_cosines}
    pre, post = (t for t in sorted(s.streams, key=lambda t: t.norm_placement != "pre-norm"))
    inside = pre.norms[1:-1] if len(pre.norms) > 2 else pre.norms
    agree = ARCHITECTURE.text("agree" if n.cosine > 0.99 else "centring_matters")
    return ARCHITECTURE.text(
        "swaps_summary", token=visible(s.token), layer=s.layer, mean=n.mean, spread=n.spread, cosine=n.cosine,
        agree=agree, one=lost[1.0], four=lost[4.0], model=mine.model, kind=mine.kind, inner=mine.inner,
        width=mine.width, ratio=mine.inner / mine.width, weights=mine.params / 1e6, gelu=8 * mine.width ** 2 / 1e6,
        gate=s.gate_kind, shut=SHUT, share=s.shut_share, pre=pre.model, grows_from=inside[0], grows_to=max(inside),
        post=post.model, low=min(post.norms), high=max(post.norms))


def build(c: dict) -> Opening:
    gr.Markdown(ARCHITECTURE("swaps_intro"))
    run = gr.Button(ARCHITECTURE("swaps.run"), variant="primary", elem_id="architecture-swaps-run")
    presets = gr.Row()
    text = gr.Markdown(elem_id="architecture-swaps-summary")
    norms = gr.Plot(label=ARCHITECTURE("swaps.norms"), elem_id="architecture-swaps-norms")
    with gr.Row():
        gate = gr.Plot(label=ARCHITECTURE("swaps.gate"), elem_id="architecture-swaps-gate")
        streams = gr.Plot(label=ARCHITECTURE("swaps.streams"), elem_id="architecture-swaps-streams")
    mlps = gr.Dataframe(headers=headers(WORDS, MLP_COLUMNS), label=ARCHITECTURE("swaps.table"), wrap=True,
                        elem_id="architecture-swaps-mlps")
    result = gr.JSON(label=ARCHITECTURE("tab.swaps"), visible=False)
    outputs = [text, norms, gate, mlps, streams, result]
    opening = panel("architecture/swaps", run.click, norms_and_mlps, c, outputs, api_name="norms_and_mlps")
    preset_buttons([(ARCHITECTURE("preset.layer25"), {"model": config.EMBEDDED_LM, "layer": 25, "position": -1}),
                    (ARCHITECTURE("preset.post_norm"), {"model": config.EMBEDDED_ENCODER, "layer": 2})],
                   c, norms_and_mlps, outputs, presets)
    return opening

"""Figures for the swaps: the two norms on one vector, the MLP's gate, and the stream's norm across layers in a
pre-norm and a post-norm model."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.architecture.swaps import SHUT, Swaps
from playground.architecture.words import WORDS
from playground.core.plots import layout
from playground.core.visible import visible

LAYER_NORM, RMS_NORM = "#d9822b", "#3b5b92"


def norm_figure(s: Swaps) -> go.Figure:
    """Left: every component after LayerNorm against after RMSNorm, on one line of slope rms/spread through
    -mean/spread; right: how far each turns when the vector's mean is pushed away from zero."""
    n = s.norms
    fig = make_subplots(cols=2, subplot_titles=(WORDS.text("same_vector"), WORDS.text("shifted")))
    fig.add_trace(go.Scattergl(x=n.rms_norm, y=n.layer_norm, mode="markers", marker=dict(size=4, color=RMS_NORM),
                               name=WORDS.text("dimensions"), showlegend=False,
                               hovertemplate="RMSNorm %{x:.3f}<br>LayerNorm %{y:.3f}<extra></extra>"), 1, 1)
    shifts = [c for c, _, _ in n.shift_cosines]
    for column, name, colour in ((1, "LayerNorm", LAYER_NORM), (2, "RMSNorm", RMS_NORM)):
        fig.add_trace(go.Scatter(x=shifts, y=[row[column] for row in n.shift_cosines], name=name,
                                 mode="lines+markers", line_color=colour), 1, 2)
    fig.update_xaxes(title=WORDS.text("rms_x"), row=1, col=1)
    fig.update_yaxes(title=WORDS.text("ln_y"), row=1, col=1)
    fig.update_xaxes(title=WORDS.text("shift_x"), row=1, col=2)
    fig.update_yaxes(title=WORDS.text("cosine"), range=[0, 1.05], row=1, col=2)
    layout(fig, WORDS.text("norms.title", layer=s.layer, position=s.position, token=visible(s.token), mean=n.mean,
                           spread=n.spread, rms=n.rms, cosine=n.cosine), height=420)
    fig.update_layout(legend=dict(orientation="v", x=0.98, xanchor="right", y=0.9, yanchor="top"), margin_t=90)
    return fig


def gate_figure(s: Swaps) -> go.Figure:
    fig = go.Figure(go.Histogram(x=s.gate, nbinsx=80, marker_color=RMS_NORM if s.family == "llama" else LAYER_NORM))
    fig.add_vrect(x0=-SHUT, x1=SHUT, fillcolor="#999", opacity=0.2, line_width=0,
                  annotation_text=WORDS.text("shut", share=s.shut_share), annotation_position="top left")
    fig.update_xaxes(title=WORDS.text("per_channel", gate=s.gate_kind))
    fig.update_yaxes(title=WORDS.text("channels"))
    return layout(fig, WORDS.text("gate.title", token=visible(s.token), layer=s.layer, count=len(s.gate)), height=340)


def streams_figure(s: Swaps) -> go.Figure:
    fig = go.Figure([go.Scatter(x=list(range(len(t.norms))), y=t.norms, mode="lines+markers",
                                name=f"{t.model} ({t.norm_placement})") for t in s.streams])
    fig.update_xaxes(title=WORDS.text("streams.x"))
    fig.update_yaxes(title=WORDS.text("streams.y"), type="log")
    return layout(fig, WORDS.text("streams.title"), height=360)

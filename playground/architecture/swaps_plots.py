"""Figures for the swaps: the two norms on one vector, the MLP's gate, and the stream's norm across layers in a
pre-norm and a post-norm model."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.architecture.swaps import SHUT, Swaps
from playground.core.plots import layout
from playground.core.visible import visible

LAYER_NORM, RMS_NORM = "#d9822b", "#3b5b92"


def norm_figure(s: Swaps) -> go.Figure:
    """Left: every component after LayerNorm against after RMSNorm, on one line of slope rms/spread through
    -mean/spread; right: how far each turns when the vector's mean is pushed away from zero."""
    n = s.norms
    fig = make_subplots(cols=2, subplot_titles=("the same vector through both (each dot: one dimension)",
                                                "the vector shifted by c · spread: cos to the unshifted output"))
    fig.add_trace(go.Scattergl(x=n.rms_norm, y=n.layer_norm, mode="markers", marker=dict(size=4, color=RMS_NORM),
                               name="dimensions", showlegend=False,
                               hovertemplate="RMSNorm %{x:.3f}<br>LayerNorm %{y:.3f}<extra></extra>"), 1, 1)
    shifts = [c for c, _, _ in n.shift_cosines]
    for column, name, colour in ((1, "LayerNorm", LAYER_NORM), (2, "RMSNorm", RMS_NORM)):
        fig.add_trace(go.Scatter(x=shifts, y=[row[column] for row in n.shift_cosines], name=name,
                                 mode="lines+markers", line_color=colour), 1, 2)
    fig.update_xaxes(title="RMSNorm(x)  (x / rms)", row=1, col=1)
    fig.update_yaxes(title="LayerNorm(x)  ((x − mean) / spread)", row=1, col=1)
    fig.update_xaxes(title="shift c (spreads)", row=1, col=2)
    fig.update_yaxes(title="cosine", range=[0, 1.05], row=1, col=2)
    layout(fig, f"Layer {s.layer}, token {s.position} ({visible(s.token)}): mean {n.mean:.3f}, spread "
                f"{n.spread:.3f}, rms {n.rms:.3f}; the two outputs' cosine {n.cosine:.4f}", height=420)
    fig.update_layout(legend=dict(orientation="v", x=0.98, xanchor="right", y=0.9, yanchor="top"), margin_t=90)
    return fig


def gate_figure(s: Swaps) -> go.Figure:
    fig = go.Figure(go.Histogram(x=s.gate, nbinsx=80, marker_color=RMS_NORM if s.family == "llama" else LAYER_NORM))
    fig.add_vrect(x0=-SHUT, x1=SHUT, fillcolor="#999", opacity=0.2, line_width=0,
                  annotation_text=f"nearly shut: {s.shut_share:.0%}", annotation_position="top left")
    fig.update_xaxes(title=f"{s.gate_kind} per channel")
    fig.update_yaxes(title="channels")
    return layout(fig, f"What the MLP's gate lets through at {visible(s.token)} (layer {s.layer}, "
                       f"{len(s.gate):,} channels)", height=340)


def streams_figure(s: Swaps) -> go.Figure:
    fig = go.Figure([go.Scatter(x=list(range(len(t.norms))), y=t.norms, mode="lines+markers",
                                name=f"{t.model} ({t.norm_placement})") for t in s.streams])
    fig.update_xaxes(title="hidden_states[i] (0: the embeddings; the last: after the final norm, if any)")
    fig.update_yaxes(title="‖stream‖ at the last token", type="log")
    return layout(fig, "Where the norm sits: the residual stream's size, layer by layer", height=360)

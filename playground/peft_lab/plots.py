"""Plotly figures for the PEFT lab: loss curves, where the trainable parameters live, what changed per token."""

import plotly.graph_objects as go
import torch

from playground.core.plots import empty_figure, layout
from playground.core.visible import visible
from playground.peft_lab.where import COMPONENTS

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def loss_figure(curves: list[dict], title: str = "Loss per completion token") -> go.Figure:
    """Each curve: {"label", "train_loss": [(step, loss)], "heldout_loss": [(step, loss)]}; train solid,
    held-out dashed with markers, one colour per run."""
    if not any(c["train_loss"] for c in curves):
        return empty_figure("Train a method to see its loss fall.")
    fig = go.Figure()
    for i, curve in enumerate(curves):
        colour = COLOURS[i % len(COLOURS)]
        steps, losses = zip(*curve["train_loss"]) if curve["train_loss"] else ((), ())
        fig.add_scatter(x=steps, y=losses, mode="lines", name=f"{curve['label']}: train", line=dict(color=colour))
        if curve["heldout_loss"]:
            steps, losses = zip(*curve["heldout_loss"])
            fig.add_scatter(x=steps, y=losses, mode="lines+markers", name=f"{curve['label']}: held-out",
                            line=dict(color=colour, dash="dash"))
    fig.update_layout(xaxis_title="step", yaxis_title="cross-entropy (nats)", yaxis_type="log")
    fig = layout(fig, title)
    if len(curves) > 3:  # a legend across the top would bury the title: a column at the right instead
        fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, yanchor="top"), height=460)
    return fig


def where_figure(counts: torch.Tensor, title: str) -> go.Figure:
    """The model's blocks (input at the bottom, output at the top) by component; a coloured cell holds trainable
    parameters, and hovering it gives how many."""
    rows = ["input"] + [f"layer {i}" for i in range(counts.shape[0] - 2)] + ["output"]
    shown = torch.where(counts > 0, torch.log10(counts.clamp(min=1)), torch.full_like(counts, float("nan")))
    fig = go.Figure(go.Heatmap(
        z=shown.tolist(), x=COMPONENTS, y=rows, customdata=counts.round().long().tolist(), colorscale="Oranges",
        zmin=0, zmax=max(1.0, float(torch.log10(counts.max().clamp(min=1)))), colorbar=dict(title="log₁₀ params"),
        xgap=1, ygap=1,
        hovertemplate="%{y} · %{x}<br>%{customdata:,} trainable<extra></extra>"))
    fig.update_layout(plot_bgcolor="#eef1f5", xaxis=dict(tickangle=-35), yaxis=dict(autorange=True))
    return layout(fig, title, height=max(360, 14 * len(rows) + 140))


def token_change_figure(pieces: list[str], under_base, under_adapted, kl) -> go.Figure:
    """Per adapted token: its probability under the base and under the adapted model, and the KL divergence of the
    two next-token distributions there."""
    if not pieces:
        return empty_figure("The adapted model wrote nothing.")
    labels = [f"{i}·{visible(p)}" for i, p in enumerate(pieces)]
    rows = [[round(float(v), 4) for v in values] for values in (under_base, under_adapted)]
    fig = go.Figure()
    fig.add_heatmap(z=rows, x=labels, y=["p under base", "p under adapted"], colorscale="Greens", zmin=0, zmax=1,
                    colorbar=dict(title="p", x=1.0, len=0.45, y=0.78), xgap=1, ygap=1,
                    hovertemplate="%{x}<br>%{y}: %{z:.3f}<extra></extra>")
    fig.add_heatmap(z=[[round(float(v), 4) for v in kl]], x=labels, y=["KL(adapted ‖ base)"], colorscale="Reds",
                    zmin=0, colorbar=dict(title="nats", x=1.0, len=0.3, y=0.15), xgap=1, ygap=1,
                    hovertemplate="%{x}<br>KL %{z:.3f} nats<extra></extra>", yaxis="y2")
    fig.update_layout(yaxis=dict(domain=[0.4, 1.0]), yaxis2=dict(domain=[0.0, 0.3]),
                      xaxis=dict(tickangle=-45, anchor="y2"))
    return layout(fig, "What the adapter changed, token by token", height=360)

"""Plotly figures for the PEFT lab: loss curves, where the trainable parameters live, what changed per token."""

import plotly.graph_objects as go
import torch

from playground.core.plots import empty_figure, layout
from playground.core.visible import visible
from playground.peft_lab.where import COMPONENTS
from playground.peft_lab.words import WORDS

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def loss_figure(curves: list[dict], title: str | None = None) -> go.Figure:
    """Each curve: {"label", "train_loss": [(step, loss)], "heldout_loss": [(step, loss)]}; train solid,
    held-out dashed with markers, one colour per run."""
    if not any(c["train_loss"] for c in curves):
        return empty_figure(WORDS.text("loss.empty"))
    fig = go.Figure()
    for i, curve in enumerate(curves):
        colour = COLOURS[i % len(COLOURS)]
        steps, losses = zip(*curve["train_loss"]) if curve["train_loss"] else ((), ())
        fig.add_scatter(x=steps, y=losses, mode="lines", name=WORDS.text("loss.train", label=curve["label"]),
                        line=dict(color=colour))
        if curve["heldout_loss"]:
            steps, losses = zip(*curve["heldout_loss"])
            fig.add_scatter(x=steps, y=losses, mode="lines+markers",
                            name=WORDS.text("loss.heldout", label=curve["label"]),
                            line=dict(color=colour, dash="dash"))
    fig.update_layout(xaxis_title=WORDS.text("loss.step"), yaxis_title=WORDS.text("loss.y"), yaxis_type="log")
    fig = layout(fig, title or WORDS.text("loss.title"))
    if len(curves) > 3:  # a legend across the top would bury the title: a column at the right instead
        fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, yanchor="top"), height=460)
    return fig


def component_name(component: str) -> str:
    """A component's name as the diagram shows it: words where it has them, else its module's own name."""
    key = f"component.{component}"
    return WORDS.text(key) if key in WORDS.entries else component


def where_figure(counts: torch.Tensor, title: str) -> go.Figure:
    """The model's blocks (input at the bottom, output at the top) by component; a coloured cell holds trainable
    parameters, and hovering it gives how many."""
    rows = ([WORDS.text("where.input")] + [WORDS.text("where.layer", index=i) for i in range(counts.shape[0] - 2)]
            + [WORDS.text("where.output")])
    shown = torch.where(counts > 0, torch.log10(counts.clamp(min=1)), torch.full_like(counts, float("nan")))
    fig = go.Figure(go.Heatmap(
        z=shown.tolist(), x=[component_name(c) for c in COMPONENTS], y=rows, customdata=counts.round().long().tolist(), colorscale="Oranges",
        zmin=0, zmax=max(1.0, float(torch.log10(counts.max().clamp(min=1)))),
        colorbar=dict(title=WORDS.text("where.colour")),
        xgap=1, ygap=1,
        hovertemplate=f"%{{y}} · %{{x}}<br>%{{customdata:,}} {WORDS.text('where.hover')}<extra></extra>"))
    fig.update_layout(plot_bgcolor="#eef1f5", xaxis=dict(tickangle=-35), yaxis=dict(autorange=True))
    return layout(fig, title, height=max(360, 14 * len(rows) + 140))


def token_change_figure(pieces: list[str], under_base, under_adapted, kl) -> go.Figure:
    """Per adapted token: its probability under the base and under the adapted model, and the KL divergence of the
    two next-token distributions there."""
    if not pieces:
        return empty_figure(WORDS.text("change.empty"))
    labels = [f"{i}·{visible(p)}" for i, p in enumerate(pieces)]
    rows = [[round(float(v), 4) for v in values] for values in (under_base, under_adapted)]
    fig = go.Figure()
    fig.add_heatmap(z=rows, x=labels, y=[WORDS.text("change.base"), WORDS.text("change.adapted")],
                    colorscale="Greens", zmin=0, zmax=1,
                    colorbar=dict(title="p", x=1.0, len=0.45, y=0.78), xgap=1, ygap=1,
                    hovertemplate="%{x}<br>%{y}: %{z:.3f}<extra></extra>")
    fig.add_heatmap(z=[[round(float(v), 4) for v in kl]], x=labels, y=["KL(adapted ‖ base)"], colorscale="Reds",
                    zmin=0, colorbar=dict(title="nats", x=1.0, len=0.3, y=0.15), xgap=1, ygap=1,
                    hovertemplate="%{x}<br>KL %{z:.3f} nats<extra></extra>", yaxis="y2")
    fig.update_layout(yaxis=dict(domain=[0.4, 1.0]), yaxis2=dict(domain=[0.0, 0.3]),
                      xaxis=dict(tickangle=-45, anchor="y2"))
    return layout(fig, WORDS.text("change.title"), height=360)

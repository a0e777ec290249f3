"""Plotly figures for the internals tab."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.core.plots import layout
from playground.internals.flash_lab import FlashResult
from playground.internals.kv_cache import CacheComparison


def cache_timing_figure(result: CacheComparison) -> go.Figure:
    """Milliseconds per new token against its position, with the cache and without it."""
    fig = go.Figure()
    for label, run, colour in [("with the KV cache", result.cached, "#2ca02c"),
                               ("without (every step re-reads the whole text)", result.uncached, "#d62728")]:
        fig.add_scatter(x=list(range(1, len(run.step_seconds) + 1)), y=[s * 1000 for s in run.step_seconds],
                        mode="lines+markers", name=label, line=dict(color=colour), marker=dict(size=4))
    fig.update_layout(xaxis_title="new token (position after the prompt)", yaxis_title="ms for this token",
                      yaxis_rangemode="tozero")
    return layout(fig, f"Time per new token: {result.speedup:.1f}× faster with the cache over "
                       f"{len(result.cached.step_seconds)} tokens")


def online_softmax_figure(result: FlashResult) -> go.Figure:
    """Each key tile's own max against the running max m (top), and the running sum l (bottom): when a tile
    brings a bigger max, everything summed so far is rescaled by exp(m_old − m_new)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=["scores: this tile's max and the running max m", "running sum l"])
    labels = [f"keys {a}–{b - 1}" for a, b in (s.keys for s in result.steps)]
    fig.add_bar(x=labels, y=[s.tile_max for s in result.steps], name="tile max", marker_color="#9ecae1",
                row=1, col=1)
    fig.add_scatter(x=labels, y=[s.running_max for s in result.steps], name="running max m", mode="lines+markers",
                    line=dict(color="#08519c"), row=1, col=1)
    fig.add_scatter(x=labels, y=[s.running_sum for s in result.steps], name="running sum l", mode="lines+markers",
                    line=dict(color="#d94801"),
                    text=[f"earlier sums × {s.rescale:.3g}" for s in result.steps], row=2, col=1)
    return layout(fig, f"Layer {result.layer}, head {result.head}: the last token's row, a tile of keys at a time "
                       f"(final row off exact softmax·V by {result.row_error:.1e})", height=460)


def attention_sweep_figure(result: FlashResult) -> go.Figure:
    """Peak extra memory and time of naive, tiled and SDPA attention against the sequence length."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["peak extra memory (MB)", "time (ms)"],
                        horizontal_spacing=0.12)
    lengths = [p.length for p in result.sweep]
    for name, colour in [("naive", "#d62728"), ("tiled", "#2ca02c"), ("sdpa", "#1f77b4")]:
        label = {"naive": "naive (N × N scores)", "tiled": "tiled (FlashAttention, Python loop)",
                 "sdpa": "torch SDPA (fused)"}[name]
        fig.add_scatter(x=lengths, y=[p.peak_bytes[name] / 1e6 for p in result.sweep], name=label,
                        mode="lines+markers", line=dict(color=colour), legendgroup=name, row=1, col=1)
        fig.add_scatter(x=lengths, y=[p.seconds[name] * 1000 for p in result.sweep], name=label, showlegend=False,
                        mode="lines+markers", line=dict(color=colour), legendgroup=name, row=1, col=2)
    fig.update_xaxes(type="log", title_text="sequence length N", dtick=0.30103)
    fig.update_yaxes(type="log")
    return layout(fig, "Causal attention for this model's heads: memory and time as N doubles", height=420)

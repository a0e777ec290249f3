"""Plotly figures for the internals tab."""

import plotly.graph_objects as go

from playground.core.plots import layout
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

"""Plotly figures for the internals tab."""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.core.plots import layout
from playground.internals.flash_lab import FlashResult
from playground.internals.kv_cache import CacheComparison
from playground.internals.paged import PagedRun
from playground.internals.paged_sim import BeamStep, Simulation
from playground.internals.roofline import Roofline
from playground.internals.words import WORDS


def legend_below(fig: go.Figure, y: float = -0.18, bottom: int = 110) -> go.Figure:
    """Subplot titles sit where the shared legend would: move it under the plots."""
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=y, x=0), margin=dict(b=bottom))
    return fig


def cache_timing_figure(result: CacheComparison) -> go.Figure:
    """Milliseconds per new token against its position, with the cache and without it."""
    fig = go.Figure()
    for label, run, colour in [(WORDS.text("kv.with"), result.cached, "#2ca02c"),
                               (WORDS.text("kv.without"), result.uncached, "#d62728")]:
        fig.add_scatter(x=list(range(1, len(run.step_seconds) + 1)), y=[s * 1000 for s in run.step_seconds],
                        mode="lines+markers", name=label, line=dict(color=colour), marker=dict(size=4))
    fig.update_layout(xaxis_title=WORDS.text("kv.x"), yaxis_title=WORDS.text("kv.y"), yaxis_rangemode="tozero")
    return layout(fig, WORDS.text("kv.title", speedup=result.speedup, tokens=len(result.cached.step_seconds)))


def online_softmax_figure(result: FlashResult) -> go.Figure:
    """Each key tile's own max against the running max m (top), and the running sum l (bottom): when a tile
    brings a bigger max, everything summed so far is rescaled by exp(m_old − m_new)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[WORDS.text("flash.scores"), WORDS.text("flash.sum")])
    labels = [WORDS.text("flash.keys", first=a, last=b - 1) for a, b in (s.keys for s in result.steps)]
    fig.add_bar(x=labels, y=[s.tile_max for s in result.steps], name=WORDS.text("flash.tile_max"),
                marker_color="#9ecae1",
                row=1, col=1)
    fig.add_scatter(x=labels, y=[s.running_max for s in result.steps], name=WORDS.text("flash.running_max"),
                    mode="lines+markers",
                    line=dict(color="#08519c"), row=1, col=1)
    fig.add_scatter(x=labels, y=[s.running_sum for s in result.steps], name=WORDS.text("flash.sum"),
                    mode="lines+markers", line=dict(color="#d94801"),
                    text=[WORDS.text("flash.rescale", rescale=s.rescale) for s in result.steps], row=2, col=1)
    title = WORDS.text("flash.title", layer=result.layer, head=result.head, error=result.row_error)
    return legend_below(layout(fig, title, height=500))


def attention_sweep_figure(result: FlashResult) -> go.Figure:
    """Peak extra memory and time of naive, tiled and SDPA attention against the sequence length."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[WORDS.text("sweep.memory"), WORDS.text("sweep.time")],
                        horizontal_spacing=0.12)
    lengths = [p.length for p in result.sweep]
    for name, colour in [("naive", "#d62728"), ("tiled", "#2ca02c"), ("sdpa", "#1f77b4")]:
        label = WORDS.text(f"sweep.{name}")
        fig.add_scatter(x=lengths, y=[p.peak_bytes[name] / 1e6 for p in result.sweep], name=label,
                        mode="lines+markers", line=dict(color=colour), legendgroup=name, row=1, col=1)
        fig.add_scatter(x=lengths, y=[p.seconds[name] * 1000 for p in result.sweep], name=label, showlegend=False,
                        mode="lines+markers", line=dict(color=colour), legendgroup=name, row=1, col=2)
    fig.update_xaxes(type="log", title_text=WORDS.text("sweep.x"), dtick=0.30103)
    fig.update_yaxes(type="log")
    return legend_below(layout(fig, WORDS.text("sweep.title"), height=460))


def block_map_figure(run: PagedRun) -> go.Figure:
    """The paged cache's physical blocks, one cell each, coloured by the request that held it (grey: free), with
    each block's place in its request's sequence."""
    owner, place = {}, {}
    for r, request in enumerate(run.requests):
        for i, block in enumerate(request.blocks):
            owner[block], place[block] = r, i
    blocks = list(run.block_ids)
    width = min(16, len(blocks))
    rows = [blocks[i:i + width] for i in range(0, len(blocks), width)]
    z = [[owner.get(b, -1) for b in row] + [None] * (width - len(row)) for row in rows]
    text = [[f"{b}<br>r{owner[b]}·{place[b]}" if b in owner else str(b) for b in row] for row in rows]
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    scale = [[0, "#eeeeee"]] + [[(r + 1) / len(run.requests), palette[r % len(palette)]]
                                for r in range(len(run.requests))]
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", colorscale=scale, zmin=-1,
                               zmax=max(len(run.requests) - 1, 0), showscale=False, xgap=2, ygap=2,
                               hovertemplate="%{text}<extra></extra>"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed")
    fig = layout(fig, WORDS.text("blocks.title", held=len(owner), blocks=len(blocks), size=run.block_size),
                 height=140 + 44 * len(rows))
    fig.update_layout(margin=dict(l=20, r=20, t=60, b=20))
    return fig


def workload_memory_figure(sim: Simulation) -> go.Figure:
    """Reserved memory split into used and wasted, for contiguous pre-allocation and for paged blocks, and how many
    requests fit in the budget."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[WORDS.text("memory.peak"), WORDS.text("memory.fit")],
                        horizontal_spacing=0.15)
    schemes = [WORDS.text("memory.contiguous"), WORDS.text("memory.paged")]
    mib = sim.bytes_per_token / 2**20
    for name, colour, values in [
            (WORDS.text("memory.used"), "#2ca02c", [sim.contiguous.used_tokens, sim.paged.used_tokens]),
            (WORDS.text("memory.reserved"), "#d62728", [sim.contiguous.wasted_tokens, 0]),
            (WORDS.text("memory.last_block"), "#ff7f0e", [0, sim.paged.wasted_tokens])]:
        fig.add_bar(x=schemes, y=[v * mib for v in values], name=name, marker_color=colour, row=1, col=1)
    fig.add_bar(x=schemes, y=[sim.fit_contiguous, sim.fit_paged], name=WORDS.text("memory.requests"),
                marker_color="#1f77b4", showlegend=False, text=[sim.fit_contiguous, sim.fit_paged], row=1, col=2)
    fig.update_layout(barmode="stack")
    title = WORDS.text("memory.title", requests=len(sim.requests), contiguous=sim.contiguous.waste,
                       paged=sim.paged.waste)
    return legend_below(layout(fig, title, height=460))


def beam_figure(history: list[BeamStep]) -> go.Figure:
    fig = go.Figure()
    steps = [s.step for s in history]
    fig.add_scatter(x=steps, y=[s.blocks_unshared for s in history], name=WORDS.text("beams.copies"),
                    line=dict(color="#d62728"))
    fig.add_scatter(x=steps, y=[s.blocks_held for s in history], name=WORDS.text("beams.forks"),
                    line=dict(color="#2ca02c"))
    fig.update_layout(xaxis_title=WORDS.text("beams.x"), yaxis_title=WORDS.text("beams.y"), yaxis_rangemode="tozero")
    return layout(fig, WORDS.text("beams.title"))


def batch_figure(roof: Roofline) -> go.Figure:
    """Tokens/s against batch size, beside the line a purely memory-bound decode would follow (each step reads
    the weights once, whatever the batch)."""
    batches = [b for b, _ in roof.batches]
    one = roof.batches[0][1]
    fig = go.Figure()
    fig.add_scatter(x=batches, y=[b * one for b in batches], name=WORDS.text("roof.constant"),
                    line=dict(color="#999999", dash="dash"))
    fig.add_scatter(x=batches, y=[t for _, t in roof.batches], name=WORDS.text("roof.measured"), mode="lines+markers",
                    line=dict(color="#1f77b4"))
    fig.update_xaxes(type="log", dtick=0.30103, title_text=WORDS.text("roof.batch"))
    fig.update_yaxes(title_text="tokens/s", rangemode="tozero")
    return layout(fig, WORDS.text("roof.batch_title", ratio=roof.batches[-1][1] / one, batch=batches[-1]))


def floor_figure(roof: Roofline) -> go.Figure:
    """For fp32 and each exhibit: the floor (bytes read per step ÷ bandwidth) and the measured ms per token."""
    names = exhibit_names(roof)
    fig = go.Figure()
    fig.add_bar(x=names, y=[e.weight_bytes / roof.bandwidth * 1000 for e in roof.exhibits], marker_color="#bbbbbb",
                name=WORDS.text("roof.floor", bandwidth=roof.bandwidth / 1e9))
    fig.add_bar(x=names, y=[e.ms_per_token for e in roof.exhibits], marker_color="#1f77b4",
                name=WORDS.text("roof.ms"))
    fig.update_yaxes(title_text=WORDS.text("roof.per_token"), rangemode="tozero")
    return layout(fig, WORDS.text("roof.floor_title", over=roof.over_floor), height=420)


def exhibit_names(roof: Roofline) -> list[str]:
    """The exhibits' names: the first is the shared model, as it is; then its copies."""
    first, *copies = roof.exhibits
    return [WORDS.text("exhibit.shared", name=first.name)] + [WORDS.text(f"exhibit.{e.name}") for e in copies]


def step_split_figure(roof: Roofline) -> go.Figure:
    names = list(roof.step_split)
    fig = go.Figure(go.Bar(x=[roof.step_split[n] * 1000 for n in names], y=[WORDS.text(f"op.{n}") for n in names],
                           orientation="h",
                           marker_color=["#1f77b4", "#ff7f0e", "#2ca02c", "#999999"][:len(names)]))
    fig.update_xaxes(title_text=WORDS.text("roof.split_x"))
    total = sum(roof.step_split.values())
    return layout(fig, WORDS.text("roof.split_title", share=roof.step_split["matmul"] / total), height=300)

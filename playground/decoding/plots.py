"""Plotly figures for the decoding tab: data in, `go.Figure` out. Every axis has a title and a unit."""

import plotly.graph_objects as go

from playground.core.plots import layout
from playground.core.visible import visible
from playground.decoding.beam_tree import BeamTree
from playground.decoding.results import StrategyResult

STATUS_STYLE = {  # beam-tree node status -> (colour, legend text)
    "returned": ("#d62728", "returned sequence"),
    "kept": ("#1f77b4", "kept (lives on as a beam)"),
    "finished": ("#2ca02c", "finished hypothesis (EOS or length limit)"),
    "pruned": ("#b0b0b0", "pruned"),
}


def trace_figure(result: StrategyResult) -> go.Figure:
    """Per step: the chosen token's probability, the model's top choice, and the entropy of the distribution."""
    steps = list(range(1, len(result.steps) + 1))
    labels = [visible(s.text) for s in result.steps]
    hover = [
        "<br>".join(f"{visible(t)}: {p:.3f}" for t, p in s.top) for s in result.steps
    ]
    fig = go.Figure()
    fig.add_bar(
        x=steps, y=[s.prob for s in result.steps], name="chosen token p (model)", text=labels,
        textposition="outside", customdata=hover, marker_color="#1f77b4",
        hovertemplate="step %{x}: %{text}<br>p=%{y:.3f}<br><b>model's top 5</b><br>%{customdata}<extra></extra>",
    )
    fig.add_scatter(
        x=steps, y=[s.top[0][1] if s.top else None for s in result.steps], mode="markers", name="model's top-1 p",
        marker=dict(symbol="line-ew-open", size=14, color="#ff7f0e"),
    )
    fig.add_scatter(
        x=steps, y=[s.entropy_bits for s in result.steps], mode="lines+markers", name="entropy (bits)",
        yaxis="y2", line=dict(color="#2ca02c"),
    )
    fig.update_layout(
        xaxis=dict(title="generation step"),
        yaxis=dict(title="probability", range=[0, 1.15]),
        yaxis2=dict(title="entropy (bits)", overlaying="y", side="right", rangemode="tozero"),
    )
    return layout(fig, f"{result.label}: each step's choice (bars) vs the model's favourite (dashes)")


def beam_tree_figure(tree: BeamTree, tokenizer) -> go.Figure:
    """Every candidate beam search ranked, per step, best score at the top; edges join parent and child."""
    position = {(): (0, 0.0)}
    for step in sorted({n.step for n in tree.nodes.values()}):
        for rank, node in enumerate(tree.candidates(step)):
            position[node.tokens] = (step + 1, -rank)
    fig = go.Figure()
    edge_x, edge_y = [], []
    for node in tree.nodes.values():
        if node.parent in position:
            (x0, y0), (x1, y1) = position[node.parent], position[node.tokens]
            edge_x += [x0, x1, None]
            edge_y += [y0, y1, None]
    fig.add_scatter(x=edge_x, y=edge_y, mode="lines", line=dict(color="#d0d0d0", width=1), hoverinfo="skip",
                    showlegend=False)
    returned = sorted((n for n in tree.nodes.values() if n.returned), key=lambda n: n.step)
    fig.add_scatter(
        x=[0] + [position[n.tokens][0] for n in returned], y=[0] + [position[n.tokens][1] for n in returned],
        mode="lines", line=dict(color=STATUS_STYLE["returned"][0], width=3), hoverinfo="skip", showlegend=False,
    )
    fig.add_scatter(x=[0], y=[0], mode="markers+text", text=["prompt"], textposition="middle left",
                    marker=dict(size=10, color="black"), showlegend=False, hoverinfo="skip")
    for status, (colour, legend) in STATUS_STYLE.items():
        nodes = [n for n in tree.nodes.values() if ("returned" if n.returned else n.status) == status]
        if not nodes:
            continue
        texts = [visible(tokenizer.decode([n.token])) for n in nodes]
        fig.add_scatter(
            x=[position[n.tokens][0] for n in nodes], y=[position[n.tokens][1] for n in nodes],
            mode="markers+text", name=legend, text=texts, textposition="top center", textfont=dict(size=10),
            marker=dict(size=9, color=colour), customdata=[[n.score, status] for n in nodes],
            hovertemplate="%{text}<br>cumulative log-prob %{customdata[0]:.3f}<br>%{customdata[1]}<extra></extra>",
        )
    fig.update_xaxes(title="generation step", dtick=1)
    fig.update_yaxes(title="rank among the step's candidates (top = best cumulative log-prob)", showticklabels=False)
    return layout(fig, f"Beam search tree ({tree.num_beams} beams): red is the returned sequence", height=520)

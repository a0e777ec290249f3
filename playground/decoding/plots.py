"""Plotly figures for the decoding tab: data in, `go.Figure` out. Every axis has a title and a unit."""

import plotly.graph_objects as go

from playground.core.plots import layout
from playground.core.visible import visible
from playground.core.words import WORDS as CORE_WORDS
from playground.decoding.beam_tree import BeamTree
from playground.decoding.results import StrategyResult
from playground.decoding.words import WORDS

STATUS_COLOURS = {"returned": "#d62728", "kept": "#1f77b4", "finished": "#2ca02c", "pruned": "#b0b0b0"}  # beam-tree
# node status -> colour; its legend is "legend.<status>" in words.py


def trace_figure(result: StrategyResult) -> go.Figure:
    """Per step: the chosen token's probability, the model's top choice, and the entropy of the distribution."""
    steps = list(range(1, len(result.steps) + 1))
    labels = [visible(s.text) for s in result.steps]
    hover = [
        "<br>".join(f"{visible(t)}: {p:.3f}" for t, p in s.top) for s in result.steps
    ]
    fig = go.Figure()
    fig.add_bar(
        x=steps, y=[s.prob for s in result.steps], name=WORDS.text("chosen_p"), text=labels,
        textposition="outside", customdata=hover, marker_color="#1f77b4",
        hovertemplate=WORDS.text("hover.step") + "<extra></extra>",
    )
    fig.add_scatter(
        x=steps, y=[s.top[0][1] if s.top else None for s in result.steps], mode="markers", name=WORDS.text("top1"),
        marker=dict(symbol="line-ew-open", size=14, color="#ff7f0e"),
    )
    fig.add_scatter(
        x=steps, y=[s.entropy_bits for s in result.steps], mode="lines+markers", name=CORE_WORDS.text("entropy"),
        yaxis="y2", line=dict(color="#2ca02c"),
    )
    fig.update_layout(
        xaxis=dict(title=WORDS.text("step")),
        yaxis=dict(title=CORE_WORDS.text("probability"), range=[0, 1.15]),
        yaxis2=dict(title=CORE_WORDS.text("entropy"), overlaying="y", side="right", rangemode="tozero"),
    )
    return layout(fig, WORDS.text("trace.title", label=result.label))


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
        mode="lines", line=dict(color=STATUS_COLOURS["returned"], width=3), hoverinfo="skip", showlegend=False,
    )
    fig.add_scatter(x=[0], y=[0], mode="markers+text", text=[WORDS.text("prompt")], textposition="middle left",
                    marker=dict(size=10, color="black"), showlegend=False, hoverinfo="skip")
    for status, colour in STATUS_COLOURS.items():
        nodes = [n for n in tree.nodes.values() if ("returned" if n.returned else n.status) == status]
        if not nodes:
            continue
        texts = [visible(tokenizer.decode([n.token])) for n in nodes]
        legend = WORDS.text(f"legend.{status}")
        fig.add_scatter(
            x=[position[n.tokens][0] for n in nodes], y=[position[n.tokens][1] for n in nodes],
            mode="markers+text", name=legend, text=texts, textposition="top center", textfont=dict(size=10),
            marker=dict(size=9, color=colour), customdata=[[n.score, legend] for n in nodes],
            hovertemplate=WORDS.text("hover.node") + "<extra></extra>",
        )
    fig.update_xaxes(title=WORDS.text("step"), dtick=1)
    fig.update_yaxes(title=WORDS.text("tree.rank"), showticklabels=False)
    return layout(fig, WORDS.text("tree.title", beams=tree.num_beams), height=520)

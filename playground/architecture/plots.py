"""The architecture tab's figures: the residual stream through one walked block, and the logit lens."""

import plotly.graph_objects as go

from playground.architecture.logit_lens import LogitLens
from playground.architecture.walk import BlockWalk
from playground.architecture.words import WORDS
from playground.core.plots import layout
from playground.core.visible import visible
from playground.core.words import WORDS as CORE_WORDS

STREAM = "#3b5b92"  # the residual stream itself (entering, and after each residual add)
INSIDE = "#9db4d9"  # what is computed inside the block on the way
LIGHT_BLUES = [[0, "#ffffff"], [1, "#7f9fd6"]]  # light enough that a token written in black stays legible
STREAM_STEPS = {"entering", "residual_add", "residual_norm", "embeddings"}  # the residual stream's own steps


def labels(tokens: list[str]) -> list[str]:
    return [f"{i}·{visible(t)}" for i, t in enumerate(tokens)]


def walk_figure(walk: BlockWalk) -> go.Figure:
    """Each step's vector norm at the chosen position, in order: the stream's bars show how each residual add
    grows it (or, in BERT, how the post-norm resets it)."""
    names = [f"{i + 1}. {s.name}" for i, s in enumerate(walk.steps)]
    on_stream = [s.kind in STREAM_STEPS for s in walk.steps]
    hover = [f"{s.formula}<br>{WORDS.text('shape')} {' × '.join(map(str, s.shape))}<br>"
             + (WORDS.text("max_gap", gap=s.difference) if s.difference is not None else WORDS.text("the_input"))
             for s in walk.steps]
    fig = go.Figure(go.Bar(x=names, y=[s.norm for s in walk.steps], hovertext=hover, hoverinfo="text+y",
                           marker_color=[STREAM if s else INSIDE for s in on_stream],
                           text=[f"{s.norm:.1f}" for s in walk.steps], textposition="outside", cliponaxis=False))
    fig.update_yaxes(title=WORDS.text("walk.y"))
    fig.update_xaxes(tickangle=-35)
    token = visible(walk.tokens[walk.position])
    return layout(fig, WORDS.text("walk.title", layer=walk.layer, position=walk.position, token=token), height=420)


def lens_figure(lens: LogitLens) -> go.Figure:
    """Rows: the stream after each layer (bottom: the embeddings); columns: positions; each cell's top token
    written in, coloured by its probability under the lens."""
    fig = go.Figure(go.Heatmap(
        z=lens.top_probs, x=labels(lens.tokens), y=lens.rows, zmin=0, zmax=1, colorscale=LIGHT_BLUES,
        text=[[visible(t) for t in row] for row in lens.top_tokens], texttemplate="%{text}",
        textfont=dict(size=10), colorbar=dict(title="p"),
        hovertemplate=WORDS.text("hover.lens") + "<extra></extra>"))
    fig.update_xaxes(title=WORDS.text("lens.x"), side="bottom")
    fig.update_yaxes(title=WORDS.text("lens.y"))
    return layout(fig, WORDS.text("lens.title"), height=max(420, 22 * len(lens.rows)))


def rank_figure(lens: LogitLens, position: int = -1) -> go.Figure:
    """The model's final prediction at `position`: its rank and probability under the lens, layer by layer."""
    ranks = [row[position] + 1 for row in lens.final_ranks]
    fig = go.Figure([
        go.Scatter(x=lens.rows, y=ranks, name=WORDS.text("rank_top"), mode="lines+markers", line_color=STREAM),
        go.Scatter(x=lens.rows, y=[row[position] for row in lens.final_probs], name=CORE_WORDS.text("probability"),
                   mode="lines+markers", yaxis="y2", line_color="#d9822b"),
    ])
    fig.update_layout(yaxis=dict(title=WORDS.text("rank"), type="log", autorange="reversed"),
                      yaxis2=dict(title=CORE_WORDS.text("probability"), overlaying="y", side="right", range=[0, 1]))
    fig.update_xaxes(tickangle=-45)
    answer = visible(lens.final_tokens[position])
    return layout(fig, WORDS.text("rank.title", answer=answer))

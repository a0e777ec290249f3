"""Plotly figures for the attention tab. Each sends only what it shows: one matrix, or small thumbnails."""

import math

import plotly.graph_objects as go
import torch
import torch.nn.functional as F
from plotly.subplots import make_subplots

from playground.attention.extraction import Attention
from playground.attention.heads import STATISTICS, head_scores
from playground.attention.words import WORDS
from playground.core.plots import layout
from playground.core.visible import visible
from playground.core.words import WORDS as CORE_WORDS

# What a view sends stays under 1 MB at the 256-token cap: one head at full size, everything else averaged down.
THUMBNAIL = 32  # cells per side of a small multiple
MEAN_CELLS = 96  # cells per side of the mean over heads
COLOURS = "Blues"
ALLOWED_COLOURS = [[0, "#ffffff"], [1, "#3b5b92"]]  # a mask cell: white = forbidden, blue = allowed
MASK_STATES = ["allowed", "causal", "blocked"]  # a cell of the edited mask: its words are "state.<name>"


def token_labels(tokens: list[str]) -> list[str]:
    # The position keeps each label unique: a prompt may hold the same token twice.
    return [f"{i}·{visible(t)}" for i, t in enumerate(tokens)]


def _heatmap(matrix: torch.Tensor, labels: list[str] | None, key_labels: list[str] | None = None,
             **kwargs) -> go.Heatmap:
    """Queries down (`labels`), keys across (`key_labels`, by default the same tokens)."""
    # Three decimals, the precision the hover shows; in double, so 0.263 is not sent as 0.26300001144409180.
    return go.Heatmap(
        z=matrix.double().round(decimals=3).tolist(), x=key_labels or labels, y=labels, colorscale=COLOURS, zmin=0,
        hovertemplate=WORDS.text("hover.cell") + "<extra></extra>", **kwargs,
    )


def _matrix_axes(fig: go.Figure, n: int) -> None:
    fig.update_xaxes(title=WORDS.text("axis.key"), tickangle=-45, side="bottom")
    fig.update_yaxes(title=WORDS.text("axis.query"), autorange="reversed")
    if n > 60:  # too many labels to read: let plotly thin them
        fig.update_xaxes(nticks=30)
        fig.update_yaxes(nticks=30)


def head_figure(attention: Attention, layer: int, head: int) -> go.Figure:
    """One head's attention: row = query, column = key; each row sums to 1."""
    labels = token_labels(attention.tokens)
    fig = go.Figure(_heatmap(attention.weights[layer, head], labels, colorbar=dict(title=WORDS.text("weight"))))
    _matrix_axes(fig, len(labels))
    kv = WORDS.text("reading_kv", kv=attention.kv_head(head)) if attention.num_kv_heads < attention.num_heads else ""
    return layout(fig, WORDS.text("head.title", layer=layer, head=head, kv=kv), height=560)


def summed_figure(attention: Attention, layer: int, head: int, queries: list[int]) -> go.Figure:
    """The chosen query tokens' attention added up, per key: in the chosen head, and in the mean of the layer's
    heads."""
    queries = attention.chosen_queries(queries)
    summed = attention.summed(layer, queries)
    labels = token_labels(attention.tokens)
    fig = go.Figure()
    fig.add_bar(x=labels, y=summed[head].double().round(decimals=4).tolist(), name=WORDS.text("head", head=head),
                marker_color="#3b5b92")
    fig.add_bar(x=labels, y=summed.mean(0).double().round(decimals=4).tolist(), name=WORDS.text("mean_heads"),
                marker_color="#9ecae1")
    fig.update_layout(barmode="group", xaxis=dict(title=WORDS.text("axis.key"), tickangle=-45),
                      yaxis=dict(title=WORDS.text("summed.y", count=len(queries))))
    chosen = ", ".join(labels[q] for q in queries[:8]) + (" …" if len(queries) > 8 else "")
    return layout(fig, WORDS.text("summed.title", layer=layer, chosen=chosen))


def mean_figure(attention: Attention, layer: int) -> go.Figure:
    """The mean over the layer's heads: where the layer as a whole looks (averaged down for long prompts)."""
    n = len(attention.tokens)
    labels = token_labels(attention.tokens) if n <= MEAN_CELLS else None
    mean = thumbnail(attention.weights[layer].mean(0), MEAN_CELLS)
    fig = go.Figure(_heatmap(mean, labels, colorbar=dict(title=WORDS.text("mean_weight"))))
    _matrix_axes(fig, n)
    shrunk = WORDS.text("shrunk", cells=MEAN_CELLS) if labels is None else ""
    return layout(fig, WORDS.text("mean.title", layer=layer, heads=attention.num_heads, shrunk=shrunk), height=560)


def thumbnail(matrix: torch.Tensor, cells: int = THUMBNAIL) -> torch.Tensor:
    """At most cells × cells, each the mean of the cells it covers."""
    if matrix.shape[-1] <= cells:
        return matrix
    return F.adaptive_avg_pool2d(matrix[None, None], cells)[0, 0]


def layer_heads_figure(attention: Attention, layer: int) -> go.Figure:
    """Every head of the layer as a small multiple. Under GQA each row is one KV head and the query heads that
    share it, so heads that read the same keys and values sit side by side."""
    heads, groups = attention.num_heads, attention.num_kv_heads
    per_group = heads // groups
    cols = per_group if per_group > 1 else min(4, heads)
    rows = math.ceil(heads / cols)
    titles = [WORDS.text("head", head=h) + (f" · KV {attention.kv_head(h)}" if per_group > 1 else "")
              for h in range(heads)]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.03, vertical_spacing=0.06)
    for h in range(heads):
        fig.add_trace(_heatmap(thumbnail(attention.weights[layer, h]), None, showscale=False, zmax=1),
                      row=h // cols + 1, col=h % cols + 1)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False, autorange="reversed")
    grouped = WORDS.text("grouped", groups=groups) if per_group > 1 else ""
    return layout(fig, WORDS.text("layer_heads.title", layer=layer, heads=heads, grouped=grouped),
                  height=max(300, 200 * rows))


def overview_figure(attention: Attention, statistic: str) -> go.Figure:
    """Layers × heads, coloured by the chosen statistic: the heads with a job stand out."""
    scores = head_scores(attention.weights, attention.token_ids, statistic)
    stat = STATISTICS[statistic]
    fig = go.Figure(go.Heatmap(
        z=scores.double().round(decimals=4).tolist(), colorscale="Viridis" if stat.high_is_notable else "Viridis_r",
        colorbar=dict(title=stat.label), hovertemplate=WORDS.text("hover.head") + "<extra></extra>",
    ))
    fig.update_xaxes(title=WORDS.text("axis.head"), dtick=1)
    fig.update_yaxes(title=WORDS.text("axis.layer"), autorange="reversed")
    return layout(fig, WORDS.text("overview.title", stat=stat.label, about=stat.explanation),
                  height=max(320, 18 * attention.num_layers))


def edited_mask_figure(mask: torch.Tensor, labels: list[str], cells: list[tuple[int, int]]) -> go.Figure:
    """The mask the model ran with: grey where the causal mask hides the future, red where the edit blocks."""
    n = len(labels)
    state = torch.where(mask == 0, 0.0, 1.0)  # 0 = allowed, 1 = causal, 2 = blocked by the edit
    for query, key in cells:
        state[query, key] = 2.0
    fig = go.Figure(go.Heatmap(
        z=state.tolist(), x=labels, y=labels, zmin=0, zmax=2, showscale=False,
        colorscale=[[0, "#ffffff"], [0.5, "#d0d0d0"], [1, "#d62728"]],
        customdata=[[WORDS.text(f"state.{MASK_STATES[int(v)]}") for v in row] for row in state.tolist()],
        hovertemplate=WORDS.text("hover.state") + "<extra></extra>",
    ))
    _matrix_axes(fig, n)
    return layout(fig, WORDS.text("edited.title", count=len(cells)), height=480)


def before_after_figure(before: list[dict], after: list[dict]) -> go.Figure:
    """The next token's most likely candidates with the model's own mask and with the edited one."""
    ids = list(dict.fromkeys([t["id"] for t in before] + [t["id"] for t in after]))
    text = {t["id"]: t["text"] for t in before + after}
    prob = {"before": {t["id"]: t["prob"] for t in before}, "after": {t["id"]: t["prob"] for t in after}}
    labels = [f"{visible(text[i])} ·{i}" for i in ids]
    fig = go.Figure()
    fig.add_bar(x=labels, y=[prob["before"].get(i, 0.0) for i in ids], name=WORDS.text("before"),
                marker_color="#7f7f7f")
    fig.add_bar(x=labels, y=[prob["after"].get(i, 0.0) for i in ids], name=WORDS.text("after"),
                marker_color="#d62728")
    fig.update_layout(barmode="group", xaxis=dict(title=WORDS.text("axis.next"), tickangle=-45),
                      yaxis=dict(title=CORE_WORDS.text("probability")))
    return layout(fig, WORDS.text("before_after.title"))


def panels_figure(panels) -> go.Figure:
    """Per panel: the mask the model applied (blue = may attend) beside the attention under it (layer 0)."""
    titles = [t for p in panels for t in (WORDS.text("panel.mask", name=p.name),
                                          WORDS.text("panel.attention", name=p.name))]
    fig = make_subplots(rows=len(panels), cols=2, subplot_titles=titles, horizontal_spacing=0.12,
                        vertical_spacing=0.12)
    for r, panel in enumerate(panels):
        y, x = ([f"{i}·{visible(t) if t else '[pad]'}" for i, t in enumerate(tokens)]
                for tokens in (panel.query_tokens, panel.key_tokens))
        mask = go.Heatmap(z=panel.allowed.int().tolist(), x=x, y=y, colorscale=ALLOWED_COLOURS, zmin=0, zmax=1,
                          showscale=False, hovertemplate=WORDS.text("hover.allowed") + "<extra></extra>")
        fig.add_trace(mask, row=r + 1, col=1)
        fig.add_trace(_heatmap(panel.attention, y, x, showscale=False, zmax=1), row=r + 1, col=2)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45)
    return layout(fig, "", height=420 * len(panels))


def rope_figure(demo) -> go.Figure:
    """The same q and k, rotated to every distance: the score is a function of the distance alone."""
    fig = go.Figure()
    fig.add_scatter(x=demo.distances, y=demo.distance_scores, mode="lines", name=WORDS.text("rope.trace"))
    own = demo.query - demo.key
    fig.add_scatter(x=[own], y=[demo.shifted[0][2]], mode="markers", marker=dict(size=11, color="#d62728"),
                    name=WORDS.text("rope.own", distance=own))
    fig.update_xaxes(title=WORDS.text("rope.x"))
    fig.update_yaxes(title=WORDS.text("rope.y"))
    return layout(fig, WORDS.text("rope.title"))


def growth_figure(growth) -> go.Figure:
    """The matrix after each generated token: press play to watch one query row added per step."""
    labels = token_labels(growth.tokens)
    n, steps = len(labels), len(labels) - growth.prompt_length + 1

    def frame_z(step: int) -> list:
        shown = growth.prompt_length + step
        return [[round(float(v), 3) if r < shown and c < shown else None for c, v in enumerate(row)]
                for r, row in enumerate(growth.matrix.tolist())]

    frames = [go.Frame(data=[go.Heatmap(z=frame_z(s), x=labels, y=labels, colorscale=COLOURS, zmin=0, zmax=1)],
                       name=str(s)) for s in range(steps)]
    fig = go.Figure(data=frames[-1].data, frames=frames)
    fig.update_layout(
        sliders=[dict(active=steps - 1, currentvalue=dict(prefix=WORDS.text("generated")), pad=dict(t=80), steps=[
            dict(method="animate", label=f.name, args=[[f.name], dict(mode="immediate", frame=dict(duration=0))])
            for f in frames])],
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.3, buttons=[
            dict(label=CORE_WORDS.text("play"), method="animate",
                 args=[None, dict(frame=dict(duration=400), fromcurrent=False)])])],
    )
    _matrix_axes(fig, n)
    return layout(fig, WORDS.text("growth.title", count=steps - 1), height=600)

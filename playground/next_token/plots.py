"""Plotly figures for the next-token distribution tab: data in, `go.Figure` out."""

import math

import plotly.graph_objects as go
import torch

from playground.core.plots import layout
from playground.core.visible import visible
from playground.core.words import WORDS as CORE_WORDS
from playground.next_token.view import NextTokenView
from playground.next_token.words import WORDS

def stage_name(name: str) -> str:
    """What a person reads for a stage; an engine's cut to its named tokens ("engine top-20") reads as itself."""
    key = f"stage.{name}"
    return WORDS.text(key) if key in WORDS.entries else WORDS.text("stage.other", name=name)
FINAL_COLOUR = "#d62728"


def _labels(view: NextTokenView) -> list[str]:
    # Two tokens can decode alike ("␣the" twice is rare but possible): the id keeps each label unique.
    return [f"{visible(t)} ·{i}" for t, i in zip(view.labels, view.top_ids)]


def stage_bars_figure(view: NextTokenView) -> go.Figure:
    """The shown tokens' probability after every stage; faded bars were cut; red is what sampling uses."""
    labels = _labels(view) + [WORDS.text("rest")]
    fig = go.Figure()
    for index, stage in enumerate(view.stages):
        final = index == len(view.stages) - 1
        probs, kept = stage.probs, stage.kept
        values = [float(probs[i]) for i in view.top_ids]
        values.append(max(0.0, 1.0 - sum(values)))
        cut = [not bool(kept[i]) for i in view.top_ids] + [False]
        name = stage_name(stage.name) + (WORDS.text("sampled_from") if final else "")
        fig.add_bar(
            x=labels, y=values, name=name,
            marker=dict(
                color=FINAL_COLOUR if final else None,
                opacity=[0.25 if c else 1.0 for c in cut],
                pattern=dict(shape=["/" if c else "" for c in cut]),
            ),
            customdata=[WORDS.text("cut" if c else "kept") for c in cut],
            hovertemplate="%{x}<br>p=%{y:.4f} (%{customdata})<extra>" + name + "</extra>",
        )
    kept = int(view.final.kept.sum())
    fig.update_layout(barmode="group", xaxis=dict(title=WORDS.text("bars.x"), tickangle=-45),
                      yaxis=dict(title=CORE_WORDS.text("probability")))
    return layout(fig, WORDS.text("bars.title", shown=len(view.top_ids), kept=kept), height=460)


def cumulative_figure(view: NextTokenView) -> go.Figure:
    """Cumulative probability by rank of the distribution top-p sees, with the nucleus marked."""
    names = [s.name for s in view.stages]
    at = names.index("top_p") - 1 if "top_p" in names else len(view.stages) - 1
    probs = torch.sort(view.stages[at].probs, descending=True).values
    cumulative = torch.cumsum(probs, 0)
    shown = min(len(probs), max(50, int((cumulative < 0.999).sum()) + 2), 2000)
    ranks = list(range(1, shown + 1))
    fig = go.Figure()
    fig.add_scatter(x=ranks, y=cumulative[:shown].tolist(), mode="lines+markers", marker=dict(size=4),
                    name=WORDS.text("cumulative.trace", stage=stage_name(view.stages[at].name)))
    top_p = view.params.top_p
    if "top_p" in names:
        nucleus = int(view.stages[names.index("top_p")].kept.sum())
        # Plain line traces: plotly's add_hline/add_vline cost more than the rest of the figure together.
        fig.add_scatter(x=[1, shown], y=[top_p, top_p], mode="lines", name=f"top_p = {top_p}",
                        line=dict(dash="dash", color=FINAL_COLOUR))
        fig.add_scatter(x=[nucleus, nucleus], y=[0, 1.05], mode="lines",
                        name=WORDS.text("nucleus.trace", nucleus=nucleus), line=dict(dash="dot", color=FINAL_COLOUR))
        title = WORDS.text("nucleus.title", nucleus=nucleus, top_p=top_p)
    else:
        title = WORDS.text("cumulative.title")
    fig.update_xaxes(title=WORDS.text("cumulative.x"), type="log", range=[0, math.log10(shown * 1.2)])
    fig.update_yaxes(title=WORDS.text("cumulative.y"), range=[0, 1.05])
    return layout(fig, title)


def sweep_figure(view: NextTokenView) -> go.Figure:
    """Entropy and effective vocabulary size against temperature, the current temperature marked."""
    ts = [p.temperature for p in view.sweep]
    fig = go.Figure()
    fig.add_scatter(x=ts, y=[p.entropy_bits for p in view.sweep], name=CORE_WORDS.text("entropy"), mode="lines")
    fig.add_scatter(x=ts, y=[p.effective_vocab for p in view.sweep], name=WORDS.text("effective"),
                    mode="lines", yaxis="y2")
    fig.add_scatter(x=[view.params.temperature] * 2, y=[0, max(p.entropy_bits for p in view.sweep)],
                    mode="lines", name=WORDS.text("your_t", temperature=view.params.temperature),
                    line=dict(dash="dash", color=FINAL_COLOUR))
    fig.update_layout(
        xaxis=dict(title=WORDS.text("temperature")),
        yaxis=dict(title=CORE_WORDS.text("entropy"), rangemode="tozero"),
        yaxis2=dict(title=WORDS.text("effective.axis"), overlaying="y", side="right", type="log"),
    )
    return layout(fig, WORDS.text("sweep.title"))


def animated_bars_figure(view: NextTokenView) -> go.Figure:
    """softmax(logits / T) of the shown tokens; drag the slider (or press play) to sweep the temperature."""
    labels = _labels(view)
    current = min(range(len(view.sweep)), key=lambda i: abs(view.sweep[i].temperature - view.params.temperature))
    frames = [
        go.Frame(data=[go.Bar(x=labels, y=p.top_probs, marker_color="#1f77b4")], name=f"{p.temperature:.1f}")
        for p in view.sweep
    ]
    fig = go.Figure(data=frames[current].data, frames=frames)
    steps = [
        dict(method="animate", label=f.name, args=[[f.name], dict(mode="immediate", frame=dict(duration=0))])
        for f in frames
    ]
    fig.update_layout(
        sliders=[dict(active=current, steps=steps, currentvalue=dict(prefix=f"{WORDS.text('temperature')} = "),
                      pad=dict(t=90))],
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.45, buttons=[
            dict(label=CORE_WORDS.text("play"), method="animate",
                 args=[None, dict(frame=dict(duration=150), fromcurrent=True)]),
        ])],
        xaxis=dict(tickangle=-45), yaxis=dict(title=CORE_WORDS.text("probability"), range=[0, 1]),
    )
    return layout(fig, WORDS.text("animated.title"), height=520)


def empirical_figure(view: NextTokenView) -> go.Figure:
    """Sampled frequencies against the final distribution's probabilities, over the shown tokens and the rest."""
    draws = view.check.draws
    counts = torch.bincount(draws, minlength=view.final.probs.numel()).double() / draws.numel()
    shown = [i for i in view.top_ids if view.final.kept[i]]
    labels = [lbl for lbl, i in zip(_labels(view), view.top_ids) if view.final.kept[i]] + [WORDS.text("rest")]
    theory = [float(view.final.probs[i]) for i in shown]
    frequency = [float(counts[i]) for i in shown]
    theory.append(max(0.0, 1.0 - sum(float(view.final.probs[i]) for i in view.top_ids)))
    frequency.append(max(0.0, 1.0 - sum(float(counts[i]) for i in view.top_ids)))
    fig = go.Figure()
    fig.add_bar(x=labels, y=theory, name=WORDS.text("theory"), marker_color=FINAL_COLOUR)
    fig.add_bar(x=labels, y=frequency, name=WORDS.text("frequency", draws=draws.numel()), marker_color="#7f7f7f")
    fig.update_layout(barmode="group", xaxis=dict(title=CORE_WORDS.text("token"), tickangle=-45),
                      yaxis=dict(title=CORE_WORDS.text("probability")))
    verdict = WORDS.text("within" if view.check.passed else "above")
    return layout(fig, WORDS.text("empirical.title", tv=view.check.tv, verdict=verdict, bound=view.check.bound))

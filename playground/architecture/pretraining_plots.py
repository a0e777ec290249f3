"""Figures for the masks of pretraining: the sentence as rows of token cells, coloured by what the objective did
to each, and the MLM rates against BERT's recipe."""

import plotly.graph_objects as go

from playground.architecture.mlm import IGNORE, MlmDraw, MlmRates
from playground.architecture.next_token_labels import Labelled, NextToken
from playground.architecture.span_corruption import SpanCorruption
from playground.architecture.words import WORDS
from playground.core.plots import layout
from playground.core.visible import visible

KINDS = {  # what a cell is -> its colour (light enough for black text)
    "plain": "#ffffff", "special": "#e4e4e4", "[MASK]": "#f6c177", "random": "#f08a8a", "unchanged": "#9ad1a3",
    "cut": "#f6c177", "sentinel": "#c9a0dc", "loss": "#9db4d9",
}
LEGEND = ("special", "[MASK]", "random", "unchanged", "cut", "sentinel", "loss")  # in words: "legend.<kind>"
_CODES = {kind: i for i, kind in enumerate(KINDS)}


def _scale() -> list:
    n = len(KINDS)
    return [stop for i, colour in enumerate(KINDS.values()) for stop in ([i / n, colour], [(i + 1) / n, colour])]


def cells_figure(rows: list[tuple[str, list[str], list[str]]], title: str) -> go.Figure:
    """`rows`: (name, texts, kinds), one cell per token, left-aligned; shorter rows end in blank cells."""
    width = max(len(texts) for _, texts, _ in rows)
    z = [[_CODES[k] + 0.5 for k in kinds] + [None] * (width - len(kinds)) for _, _, kinds in rows]
    text = [[visible(t) for t in texts] + [""] * (width - len(texts)) for _, texts, _ in rows]
    fig = go.Figure(go.Heatmap(z=z, text=text, texttemplate="%{text}", textfont=dict(size=10), y=[r[0] for r in rows],
                               zmin=0, zmax=len(KINDS), colorscale=_scale(), showscale=False, xgap=2, ygap=2,
                               hovertemplate=WORDS.text("hover.cell") + "<extra></extra>"))
    used = {k for _, _, kinds in rows for k in kinds} - {"plain"}
    for kind in (k for k in LEGEND if k in used):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=WORDS.text(f"legend.{kind}"),
                                 marker=dict(color=KINDS[kind], symbol="square", size=14,
                                             line=dict(color="#888", width=1))))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=WORDS.text("position_axis"), showgrid=False, zeroline=False)
    return layout(fig, title, height=140 + 55 * len(rows))


def mlm_figure(draw: MlmDraw) -> go.Figure:
    kind = {"special": "special", "not picked": "plain", "[MASK]": "[MASK]", "random": "random",
            "unchanged": "unchanged"}
    kinds = [kind[f] for f in draw.fates]
    labels = ["−100" if label == IGNORE else token for label, token in zip(draw.labels, draw.tokens)]
    picked = sum(label != IGNORE for label in draw.labels)
    return cells_figure([(WORDS.text("row.sentence"), draw.tokens, kinds),
                         (WORDS.text("row.bert_reads"), draw.input_tokens, kinds),
                         (WORDS.text("row.labels"), labels, kinds)],
                        WORDS.text("mlm.title", seed=draw.seed, picked=picked, count=len(draw.tokens) - 2))


def span_figure(span: SpanCorruption) -> go.Figure:
    def kinds_of(tokens, cut_after_sentinel):
        kinds, cutting = [], False
        for token in tokens:
            if token.startswith("<extra_id_"):
                kinds.append("sentinel")
                cutting = cut_after_sentinel
            elif token == "</s>":
                kinds.append("special")
            else:
                kinds.append("cut" if cutting else "plain")
        return kinds
    return cells_figure([(WORDS.text("row.sentence"), span.tokens, ["cut" if n else "plain" for n in span.noise]),
                         (WORDS.text("row.encoder"), span.encoder_input, kinds_of(span.encoder_input, False)),
                         (WORDS.text("row.decoder"), span.decoder_target, kinds_of(span.decoder_target, True))],
                        WORDS.text("span.title", seed=span.seed, cut=sum(span.noise), count=len(span.tokens),
                                   spans=len(span.span_lengths)))


FOLD_KEEP = 3  # a long run of positions without loss (a chat template's system turn) shows its ends only


def _folded(part: Labelled) -> list[int | None]:
    """The positions to draw, None where a long run without loss is folded into one cell."""
    shown, run = [], []
    for i, target in enumerate([*part.targets, "end"]):
        if target is None:
            run.append(i)
            continue
        shown += run if len(run) <= 2 * FOLD_KEEP + 1 else [*run[:FOLD_KEEP], None, *run[-FOLD_KEEP:]]
        shown, run = shown + [i] * (i < len(part.targets)), []
    return shown


def next_token_figure(labels: NextToken) -> go.Figure:
    rows = []
    for name, part in ((WORDS.text("row.pretraining"), labels.pretraining),
                       (WORDS.text("row.fine_tune"), labels.fine_tune)):
        if part is None:
            continue
        at = _folded(part)
        tokens = [part.tokens[i] if i is not None else "…" for i in at]
        targets = [part.targets[i] or "—" if i is not None else "…" for i in at]
        kinds = ["loss" if i is not None and part.targets[i] else "special" for i in at]
        rows += [(WORDS.text("row.input", name=name), tokens, ["plain"] * len(at)),
                 (WORDS.text("row.predicts", name=name), targets, kinds)]
    p, f = labels.pretraining, labels.fine_tune
    title = WORDS.text("next.title", loss=p.loss_positions, count=len(p.tokens)) + (
        WORDS.text("next.fine_tune", loss=f.loss_positions, count=len(f.tokens)) if f else "")
    return cells_figure(rows, title)


def rates_figure(rates: MlmRates) -> go.Figure:
    """Each observed share beside what BERT's recipe expects, with the band that chance allows."""
    names = [WORDS.text(f"rate.{r.name}") for r in rates.rates]
    fig = go.Figure([
        go.Bar(x=names, y=[r.observed for r in rates.rates], name=WORDS.text("observed"),
               marker_color=["#9db4d9" if r.holds else "#e15759" for r in rates.rates],
               text=[f"{r.observed:.3f}" for r in rates.rates], textposition="outside", cliponaxis=False),
        go.Scatter(x=names, y=[r.expected for r in rates.rates], mode="markers", name=WORDS.text("expected"),
                   marker=dict(color="#222", symbol="line-ew-open", size=30, line=dict(width=3)),
                   error_y=dict(type="data", array=[r.bound for r in rates.rates], thickness=2, width=18)),
    ])
    fig.update_yaxes(title=WORDS.text("share"), range=[0, 1])
    verdict = WORDS.text("rates.within" if rates.holds else "rates.outside")
    return layout(fig, WORDS.text("rates.title", draws=rates.draws, verdict=verdict))

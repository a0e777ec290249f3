"""What the speculative decoding panel draws: each target step's drafts as token chips (coloured by the model's
probability, like the decoding cards; outlined by their fate), the steps and the clock as plots, and the
rejection rule on one real step (styles: ui/theme)."""

from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.core.plots import layout
from playground.core.visible import probability_legend, token_chip, visible
from playground.core.words import WORDS as CORE
from playground.internals.plots import legend_below
from playground.internals.speculative import SpeculativeRun
from playground.internals.speculative_rule import RuleCheck, RuleStep
from playground.internals.words import WORDS

FATES = ("kept", "rejected", "unchecked", "added")  # a drafted token's fate; its words "fate.*"
MAX_SHOWN_STEPS = 48


def _chip(tokenizer, token: int, prob: float, fate: str) -> str:
    text = visible(tokenizer.decode([token], clean_up_tokenization_spaces=False))
    hover = WORDS.text("chip", fate=WORDS.text(f"fate.{fate}"), p=prob)
    return f'<span class="spec-{fate}">{token_chip(text, prob, hover)}</span>'


def steps_html(run: SpeculativeRun, tokenizer) -> str:
    """One line per target forward pass: the drafted tokens, then the model's own."""
    rows = []
    for i, step in enumerate(run.steps[:MAX_SHOWN_STEPS], 1):
        chips = []
        for j, (token, prob) in enumerate(zip(step.drafted, step.drafted_probs)):
            fate = "kept" if j < step.accepted else "rejected" if j == step.accepted else "unchecked"
            chips.append(_chip(tokenizer, token, prob, fate))
        chips.append(_chip(tokenizer, step.added, step.added_prob, "added"))
        verdict = (WORDS.text("pass.kept", kept=step.accepted, drafted=len(step.drafted)) if step.drafted
                   else WORDS.text("pass.none"))
        line = escape(WORDS.text("pass", n=i, verdict=verdict, new=step.new_tokens))
        rows.append(f'<div class="spec-step"><span class="spec-n">{line}</span>{"".join(chips)}</div>')
    more = len(run.steps) - MAX_SHOWN_STEPS
    if more > 0:
        rows.append(f'<div class="note">{escape(WORDS.text("passes.more", more=more))}</div>')
    legend = " ".join(f'<span class="spec-{fate}"><span class="tok">{escape(WORDS.text(f"fate.{fate}"))}</span></span>'
                      for fate in FATES)
    return (f'<div class="card spec"><div class="legend">{WORDS.text("outline")} {legend}</div>{probability_legend()}'
            f'{"".join(rows)}</div>')


def run_figure(run: SpeculativeRun) -> go.Figure:
    """Left: each target forward pass's tokens (kept drafts, rejected drafts, the model's own). Right: tokens out
    against the clock, plain decoding against speculative."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=[WORDS.text("run.passes"), WORDS.text("run.clock")])
    passes = list(range(1, len(run.steps) + 1))
    for label, values, colour in [
            (WORDS.text("run.accepted"), [s.accepted for s in run.steps], "#2ca02c"),
            (WORDS.text("fate.added"), [1] * len(run.steps), "#1f77b4"),
            (WORDS.text("run.rejected"), [len(s.drafted) - s.accepted for s in run.steps], "#d62728")]:
        fig.add_bar(x=passes, y=values, name=label, marker_color=colour, row=1, col=1)
    fig.update_layout(barmode="stack")
    plain_times = [0.0] + run.plain_seconds
    fig.add_scatter(x=plain_times, y=list(range(len(plain_times))), mode="lines", line_shape="hv",
                    name=WORDS.text("run.plain"), line=dict(color="#7f7f7f"), row=1, col=2)
    spec_times, out = [0.0], [0]
    for step in run.steps:
        spec_times.append(step.seconds)
        out.append(out[-1] + step.new_tokens)
    fig.add_scatter(x=spec_times, y=out, mode="lines+markers", line_shape="hv", name=WORDS.text("run.speculative"),
                    line=dict(color="#9467bd"), marker=dict(size=4), row=1, col=2)
    fig.update_xaxes(title_text=WORDS.text("run.pass"), row=1, col=1)
    fig.update_xaxes(title_text=WORDS.text("run.seconds"), row=1, col=2)
    fig.update_yaxes(title_text=CORE.text("tokens"), row=1, col=1)
    layout(fig, WORDS.text("run.title", accepted=run.accepted, drafted=run.drafted, rate=run.acceptance_rate,
                           per_pass=run.tokens_per_forward, speedup=run.speedup), height=380)
    return legend_below(fig, -0.25, 140)



def _labels(tokenizer, bins: list[int | None]) -> list[str]:
    return [f"{visible(tokenizer.decode([b]))} ({b})" if b is not None else WORDS.text("rule.other")
            for b in bins]


def rule_figure(step: RuleStep, checks: list[RuleCheck], draws: int,
                tokenizer) -> go.Figure:
    """Left: p, q and the residual max(0, p − q) on the tokens that matter. Right: what each rule's draws came out
    as, against p, with the bound."""
    bins = checks[0].bins
    labels = _labels(tokenizer, bins)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=[
        WORDS.text("rule.step", token=visible(tokenizer.decode([step.draft_token])), p=step.p_draft,
                   q=step.q_draft, keep=step.keep_probability),
        WORDS.text("rule.draws", draws=draws)])
    residual = [float(step.residual[b]) if b is not None else 1 - float(step.residual[bins[:-1]].sum())
                for b in bins]
    for label, values, colour in [(WORDS.text("rule.p"), checks[0].p, "#1f77b4"),
                                  (WORDS.text("rule.q"), checks[0].q, "#ff7f0e"),
                                  (WORDS.text("rule.residual"), residual, "#9467bd")]:
        fig.add_bar(x=labels, y=values, name=label, marker_color=colour, row=1, col=1)
    fig.add_bar(x=labels, y=checks[0].p, name=WORDS.text("rule.target"), marker_color="#1f77b4", showlegend=False,
                error_y=dict(type="data", array=checks[0].bounds), row=1, col=2)
    for check, colour in zip(checks, ["#2ca02c", "#d62728"]):
        fig.add_scatter(x=labels, y=check.observed, mode="markers", marker=dict(size=9, color=colour),
                        name=WORDS.text("rule.check", rule=WORDS.text(f"rule.name.{check.rule}"), worst=check.worst,
                                        verdict=WORDS.text("rule.passes" if check.passed else "rule.fails")),
                        row=1, col=2)
    layout(fig, WORDS.text("rule.title"), height=420)
    return legend_below(fig, -0.3, 140)

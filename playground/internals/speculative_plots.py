"""What the speculative decoding panel draws: each target step's drafts as token chips (coloured by the model's
probability, like the decoding cards; outlined by their fate), the steps and the clock as plots, and the
rejection rule on one real step (styles: ui/theme)."""

from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.core.plots import layout
from playground.core.visible import probability_legend, token_chip, visible
from playground.internals.plots import legend_below
from playground.internals.speculative import SpeculativeRun
from playground.internals.speculative_rule import RuleCheck, RuleStep

FATES = {"kept": "accepted draft", "rejected": "rejected draft (the model disagreed)",
         "unchecked": "drafted after a rejection (discarded unread)", "added": "the model's own token"}
MAX_SHOWN_STEPS = 48


def _chip(tokenizer, token: int, prob: float, fate: str) -> str:
    text = visible(tokenizer.decode([token], clean_up_tokenization_spaces=False))
    return f'<span class="spec-{fate}">{token_chip(text, prob, f"{FATES[fate]}; p={prob:.3f} under the model")}</span>'


def steps_html(run: SpeculativeRun, tokenizer) -> str:
    """One line per target forward pass: the drafted tokens, then the model's own."""
    rows = []
    for i, step in enumerate(run.steps[:MAX_SHOWN_STEPS], 1):
        chips = []
        for j, (token, prob) in enumerate(zip(step.drafted, step.drafted_probs)):
            fate = "kept" if j < step.accepted else "rejected" if j == step.accepted else "unchecked"
            chips.append(_chip(tokenizer, token, prob, fate))
        chips.append(_chip(tokenizer, step.added, step.added_prob, "added"))
        verdict = (f"{step.accepted}/{len(step.drafted)} kept" if step.drafted else "no draft")
        rows.append(f'<div class="spec-step"><span class="spec-n">pass {i} · {verdict} · +{step.new_tokens}</span>'
                    f'{"".join(chips)}</div>')
    more = len(run.steps) - MAX_SHOWN_STEPS
    if more > 0:
        rows.append(f'<div class="note">… and {more} more passes (all of them are in the JSON).</div>')
    legend = " ".join(f'<span class="spec-{fate}"><span class="tok">{escape(label)}</span></span>'
                      for fate, label in FATES.items())
    return (f'<div class="card spec"><div class="legend">Outline: {legend}</div>{probability_legend()}'
            f'{"".join(rows)}</div>')


def run_figure(run: SpeculativeRun) -> go.Figure:
    """Left: each target forward pass's tokens (kept drafts, rejected drafts, the model's own). Right: tokens out
    against the clock, plain decoding against speculative."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=["tokens per target forward pass", "tokens out against time"])
    passes = list(range(1, len(run.steps) + 1))
    for label, values, colour in [
            ("accepted drafts", [s.accepted for s in run.steps], "#2ca02c"),
            ("the model's own token", [1] * len(run.steps), "#1f77b4"),
            ("rejected drafts", [len(s.drafted) - s.accepted for s in run.steps], "#d62728")]:
        fig.add_bar(x=passes, y=values, name=label, marker_color=colour, row=1, col=1)
    fig.update_layout(barmode="stack")
    plain_times = [0.0] + run.plain_seconds
    fig.add_scatter(x=plain_times, y=list(range(len(plain_times))), mode="lines", line_shape="hv",
                    name="plain: one forward pass per token", line=dict(color="#7f7f7f"), row=1, col=2)
    spec_times, out = [0.0], [0]
    for step in run.steps:
        spec_times.append(step.seconds)
        out.append(out[-1] + step.new_tokens)
    fig.add_scatter(x=spec_times, y=out, mode="lines+markers", line_shape="hv", name="speculative",
                    line=dict(color="#9467bd"), marker=dict(size=4), row=1, col=2)
    fig.update_xaxes(title_text="target forward pass", row=1, col=1)
    fig.update_xaxes(title_text="seconds", row=1, col=2)
    fig.update_yaxes(title_text="tokens", row=1, col=1)
    layout(fig, f"{run.accepted}/{run.drafted} drafts accepted ({run.acceptance_rate:.0%}); "
                f"{run.tokens_per_forward:.2f} tokens per target pass; {run.speedup:.2f}× plain's speed", height=380)
    return legend_below(fig, -0.25, 140)



def _labels(tokenizer, bins: list[int | None]) -> list[str]:
    return [f"{visible(tokenizer.decode([b]))} ({b})" if b is not None else "every other token" for b in bins]


def rule_figure(step: RuleStep, checks: list[RuleCheck], draws: int,
                tokenizer) -> go.Figure:
    """Left: p, q and the residual max(0, p − q) on the tokens that matter. Right: what each rule's draws came out
    as, against p, with the bound."""
    bins = checks[0].bins
    labels = _labels(tokenizer, bins)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=[
        f"one real step: draft '{visible(tokenizer.decode([step.draft_token]))}' kept with "
        f"min(1, {step.p_draft:.3f}/{step.q_draft:.3f}) = {step.keep_probability:.3f}",
        f"{draws:,} drafts from q through each rule, against p (± the bound)"])
    residual = [float(step.residual[b]) if b is not None else 1 - float(step.residual[bins[:-1]].sum())
                for b in bins]
    for label, values, colour in [("p: the model", checks[0].p, "#1f77b4"), ("q: the drafter", checks[0].q, "#ff7f0e"),
                                  ("norm(max(0, p − q)): a rejection's redraw", residual, "#9467bd")]:
        fig.add_bar(x=labels, y=values, name=label, marker_color=colour, row=1, col=1)
    fig.add_bar(x=labels, y=checks[0].p, name="p (target)", marker_color="#1f77b4", showlegend=False,
                error_y=dict(type="data", array=checks[0].bounds), row=1, col=2)
    for check, colour in zip(checks, ["#2ca02c", "#d62728"]):
        fig.add_scatter(x=labels, y=check.observed, mode="markers", marker=dict(size=9, color=colour),
                        name=f"{check.rule}: {'passes' if check.passed else 'FAILS'} ({check.worst:.1f}× the bound)",
                        row=1, col=2)
    layout(fig, "The rejection rule: the token that comes out is distributed as p, whatever q is", height=420)
    return legend_below(fig, -0.3, 140)

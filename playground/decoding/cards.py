"""HTML cards, one per strategy, with every token coloured by its probability under the model (styles: ui/theme)."""

from html import escape

from playground.core.visible import probability_legend, token_chip
from playground.decoding.results import Comparison, StrategyResult


def _tokens_html(result: StrategyResult) -> str:
    spans = []
    for step in result.steps:
        title = f"p={step.prob:.3f} (rank {step.rank}) · drawn from p={step.sampled_prob:.3f}"
        if result.stop_reason == "eos" and step is result.steps[-1]:
            spans.append(f'<span class="eos" title="{escape(title)}">end of text</span>')
            continue
        spans.append(token_chip(step.text, step.prob, title))
    return "".join(spans)


def card_html(result: StrategyResult) -> str:
    s = result.summary()
    timing = f"{s['seconds']:.2f} s"
    if result.batched_with:
        timing += f" (one batched pass shared with {len(result.batched_with)} other strategies)"
    extra = ""
    if result.sequence_score is not None:
        extra = f"<span>beam score (length-normalised)</span><span>{result.sequence_score:.3f}</span>"
    stop = "end-of-text token" if result.stop_reason == "eos" else "max_new_tokens reached"
    return f"""
<div class="card" data-strategy="{escape(result.name)}">
  <h4>{escape(result.label)}</h4>
  <div class="text">{_tokens_html(result)}</div>
  <div class="stats">
    <span>tokens</span><span>{s['num_tokens']} (stopped: {stop})</span>
    <span>mean log-prob</span><span>{s['mean_logprob']:.3f}</span>
    <span>perplexity</span><span>{s['perplexity']:.2f}</span>
    <span>distinct-1 / distinct-2</span><span>{s['distinct_1']:.2f} / {s['distinct_2']:.2f}</span>
    <span>repeated 3-grams</span><span>{s['repetition_rate']:.0%}</span>
    {extra}
  </div>
  <div class="note">time: {escape(timing)}</div>
</div>"""


def comparison_html(comparison: Comparison) -> str:
    warn = ""
    if comparison.random_weights:
        warn = f'<div class="warn">{escape(comparison.model_label)} has random weights: expect gibberish.</div>'
    legend = probability_legend()
    cards = "".join(card_html(r) for r in comparison.results)
    return f'{warn}{legend}<div class="cards">{cards}</div>'

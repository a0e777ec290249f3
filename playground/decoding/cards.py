"""HTML cards, one per strategy, with every token coloured by its probability under the model (styles: ui/theme)."""

from html import escape

from playground.core.visible import probability_legend, token_chip
from playground.decoding.results import Comparison, StrategyResult
from playground.decoding.strategies import LABELS


STOPS = {"eos": "end-of-text token", "length": "max_new_tokens reached", "stop": "the engine's end of text"}


def _title(step) -> str:
    rank = f"rank {step.rank}" if step.rank is not None else "below the engine's named alternatives"
    drawn = f" · drawn from p={step.sampled_prob:.3f}" if step.sampled_prob is not None else ""
    return f"p={step.prob:.3f} ({rank}){drawn}"


def _tokens_html(result: StrategyResult) -> str:
    spans = []
    for step in result.steps:
        title = _title(step)
        if result.stop_reason == "eos" and step is result.steps[-1]:
            spans.append(f'<span class="eos" title="{escape(title)}">end of text</span>')
            continue
        spans.append(token_chip(step.text, step.prob, title))
    return "".join(spans)


def card_html(result: StrategyResult, on_engine: bool = False) -> str:
    s = result.summary()
    timing = f"{s['seconds']:.2f} s"
    if result.batched_with and on_engine:
        timing += f" (one request, sent at once with {len(result.batched_with)} others for the engine to batch)"
    elif result.pass_requests > 1:
        others = result.pass_requests - 1
        timing += (f" (in a running batch with up to {others} other request{'s' if others > 1 else ''}, "
                   f"{result.pass_rows} rows at most)")
    elif result.batched_with:
        timing += f" (one batched pass shared with {len(result.batched_with)} other strategies)"
    extra = ""
    if result.sequence_score is not None:
        extra = f"<span>beam score (length-normalised)</span><span>{result.sequence_score:.3f}</span>"
    stop = STOPS.get(result.stop_reason, result.stop_reason)
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
    on_engine = "engine" in comparison.backend
    cards = "".join(card_html(r, on_engine) for r in comparison.results)
    return f'{warn}{legend}<div class="cards">{cards}</div>{_not_run_html(comparison.not_run)}'


def _not_run_html(not_run: dict[str, str]) -> str:
    """The chosen strategies the backend could not run, each with the reason."""
    if not not_run:
        return ""
    rows = "".join(f"<tr><td>{escape(LABELS[name])}</td><td>{escape(why)}</td></tr>" for name, why in not_run.items())
    return (f'<table class="not-run" id="decoding-not-run"><caption>Not run on this engine</caption>'
            f"<tr><th>strategy</th><th>why</th></tr>{rows}</table>")

"""HTML cards, one per strategy, with every token coloured by its probability under the model (styles: ui/theme)."""

from html import escape

from playground.core.visible import probability_legend, token_chip
from playground.core.words import WORDS as CORE
from playground.decoding.results import Comparison, StrategyResult
from playground.decoding.strategies import label
from playground.decoding.words import WORDS

STOPS = ("eos", "length", "stop")  # why a text ended: its words are "stop.<reason>"


def _title(step) -> str:
    rank = WORDS.text("rank", rank=step.rank) if step.rank is not None else WORDS.text("below_named")
    drawn = WORDS.text("drawn", p=step.sampled_prob) if step.sampled_prob is not None else ""
    return f"p={step.prob:.3f} ({rank}){drawn}"


def _tokens_html(result: StrategyResult) -> str:
    spans = []
    for step in result.steps:
        title = _title(step)
        if result.stop_reason == "eos" and step is result.steps[-1]:
            spans.append(f'<span class="eos" title="{escape(title)}">{WORDS.text("end_of_text")}</span>')
            continue
        spans.append(token_chip(step.text, step.prob, title))
    return "".join(spans)


def card_html(result: StrategyResult, on_engine: bool = False) -> str:
    s = result.summary()
    timing = f"{s['seconds']:.2f} s"
    if result.batched_with and on_engine:
        timing += WORDS.text("timing.engine", others=len(result.batched_with))
    elif result.pass_requests > 1:
        others = result.pass_requests - 1
        timing += WORDS.text("timing.running" if others > 1 else "timing.running_one", others=others,
                             rows=result.pass_rows)
    elif result.batched_with:
        timing += WORDS.text("timing.shared", others=len(result.batched_with))
    extra = ""
    if result.sequence_score is not None:
        extra = f"<span>{WORDS.text('beam_score')}</span><span>{result.sequence_score:.3f}</span>"
    stop = WORDS.text(f"stop.{result.stop_reason}") if result.stop_reason in STOPS else result.stop_reason
    stopped = WORDS.text("stopped", count=s["num_tokens"], why=stop)
    return f"""
<div class="card" data-strategy="{escape(result.name)}">
  <h4>{escape(result.label)}</h4>
  <div class="text">{_tokens_html(result)}</div>
  <div class="stats">
    <span>{CORE.text("tokens")}</span><span>{stopped}</span>
    <span>{WORDS.text("mean_logprob")}</span><span>{s['mean_logprob']:.3f}</span>
    <span>{WORDS.text("perplexity")}</span><span>{s['perplexity']:.2f}</span>
    <span>distinct-1 / distinct-2</span><span>{s['distinct_1']:.2f} / {s['distinct_2']:.2f}</span>
    <span>{WORDS.text("repeated")}</span><span>{s['repetition_rate']:.0%}</span>
    {extra}
  </div>
  <div class="note">{escape(WORDS.text("time", timing=timing))}</div>
</div>"""


def comparison_html(comparison: Comparison) -> str:
    warn = ""
    if comparison.random_weights:
        warn = f'<div class="warn">{escape(WORDS.text("random", label=comparison.model_label))}</div>'
    legend = probability_legend()
    on_engine = "engine" in comparison.backend
    cards = "".join(card_html(r, on_engine) for r in comparison.results)
    return f'{warn}{legend}<div class="cards">{cards}</div>{_not_run_html(comparison.not_run)}'


def _not_run_html(not_run: dict[str, str]) -> str:
    """The chosen strategies the backend could not run, each with the reason."""
    if not not_run:
        return ""
    rows = "".join(f"<tr><td>{escape(label(name))}</td><td>{escape(why)}</td></tr>" for name, why in not_run.items())
    return (f'<table class="not-run" id="decoding-not-run"><caption>{WORDS.text("not_run")}</caption>'
            f"<tr><th>{WORDS.text('strategy')}</th><th>{WORDS.text('why')}</th></tr>{rows}</table>")

"""One view of the next-token distribution on the embedded model: cached logits, the walked path, bad requests."""

import pytest

from playground.core import config
from playground.core.errors import PlaygroundError
from playground.next_token.empirical import empirical_check, sample
from playground.next_token.logits_cache import LOGITS
from playground.next_token.pipeline import SamplerParams
from playground.next_token.view import ViewSettings, explore


def test_parameter_changes_reuse_the_cached_logits(smollm2):
    before = LOGITS.forward_passes
    first = explore(smollm2, "The capital of France is", SamplerParams(), use_chat_template=False)
    for p in [SamplerParams(temperature=0.5), SamplerParams(top_p=0.8), SamplerParams(min_p=0.2, top_k=5)]:
        explore(smollm2, "The capital of France is", p, use_chat_template=False)
    assert LOGITS.forward_passes - before <= 1
    assert smollm2.tokenizer.decode([first.top_ids[0]]) == " Paris"


def test_path_appends_tokens_and_records_their_probability(smollm2):
    p = SamplerParams(top_k=10)
    start = explore(smollm2, "The capital of France is", p, use_chat_template=False)
    paris = start.top_ids[0]
    step = explore(smollm2, "The capital of France is", p, path_ids=[paris], use_chat_template=False)
    assert step.context_ids == start.prompt_ids + [paris]
    assert step.path[0].prob == pytest.approx(float(start.final.probs[paris]))
    payload = step.to_api()
    assert payload["path"][0]["text"] == " Paris"
    assert len(payload["raw_top"]) == 20 and payload["kept_count"] == len(payload["kept_token_ids"]) == 10


@pytest.mark.parametrize(
    "prompt,view,words",
    [
        ("", {}, "empty"),
        ("word " * (config.MAX_PROMPT_TOKENS + 5), {}, "tokens long"),
        ("Hello", dict(n_samples=config.MAX_SAMPLES + 1), "samples"),
        ("Hello", dict(top_n=0), "top N"),
    ],
)
def test_bad_requests_are_explained(tiny, prompt, view, words):
    with pytest.raises(PlaygroundError, match=words):
        explore(tiny, prompt, SamplerParams(), settings=ViewSettings(**view))


def test_the_empirical_check_passes_at_the_defaults_and_catches_the_wrong_distribution(smollm2):
    """At the tab's defaults (1,000 draws, 20 tokens on show) the check passes, and it has teeth: draws from the raw
    distribution instead of the final one (min-p 0.1 cuts the tail) fail it."""
    assert explore(smollm2, "The capital of France is", SamplerParams(), use_chat_template=False).check.passed
    view = explore(smollm2, "The capital of France is", SamplerParams(min_p=0.1), use_chat_template=False)
    assert view.check.passed and view.check.bound < 0.2
    raw_draws = sample(view.stages[0].probs, ViewSettings().n_samples, ViewSettings().seed)
    assert not empirical_check(view.final.probs, raw_draws, view.top_ids).passed

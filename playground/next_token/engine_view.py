"""The next-token view on a model an outside engine serves: the head of the distribution, stage by stage.

An engine names only its top-N tokens (engine_head), so the raw stage is those N plus one "rest" bucket for the
probability it did not name. The stage after it, "engine top-N", cuts the rest: the sampler's stages then act on
the named tokens, exactly as they would with top_k = N in front, and the view says so. The walk by hand appends
the chosen token's text to the prompt the engine is sent.
"""

import functools
import math

import torch

from playground.core.engine import Engine
from playground.core.errors import check
from playground.core.served import ServedModel
from playground.next_token.empirical import empirical_check, sample
from playground.next_token.engine_head import MAX_ENGINE_TOP_N, EngineHead, engine_head
from playground.next_token.pipeline import SamplerParams, Stage, run_pipeline
from playground.next_token.sweep import SWEEP_TEMPERATURES, temperature_sweep
from playground.next_token.view import NextTokenView, PathStep, ViewSettings, top_ids_of
from playground.next_token.words import WORDS

REST_LABEL = "⟨the rest⟩"  # every token the engine did not name
FAR_BELOW = -1e30  # the rest in the temperature sweep: finite, so 0 · log 0 stays 0, and never drawn


@functools.lru_cache(maxsize=256)
def _head(engine: Engine, model_id: str, context: str) -> EngineHead:
    """A step's head, asked once: each re-render of a walked path would otherwise ask again for every step."""
    return engine_head(engine, model_id, context, MAX_ENGINE_TOP_N)


def head_stages(head: EngineHead, params: SamplerParams) -> list[Stage]:
    """The raw head plus the rest bucket (index N), the cut to the named N, then the sampler's own stages."""
    raw = torch.tensor([math.log(p) for p in head.probs] + [math.log(head.rest) if head.rest > 0 else -math.inf])
    named = raw.clone()
    named[-1] = -math.inf
    return [Stage("raw", raw), Stage(f"engine top-{len(head.tokens)}", named)] + run_pipeline(named, [], params)[1:]


def explore_engine(served: ServedModel, prompt_text: str, params: SamplerParams, path_texts: list[str] | None = None,
                   settings: ViewSettings = ViewSettings(), use_chat_template: bool = True) -> NextTokenView:
    params.validate()
    check(params.repetition_penalty == 1.0, WORDS.text("engine.penalty"))
    check(all(isinstance(t, str) for t in path_texts or []), WORDS.text("path.texts"))
    prompt = served.prompt(prompt_text, use_chat_template)
    context, path = prompt.rendered, []
    for text in path_texts or []:  # each step's probability, as it was when the token was chosen
        head = _head(served.engine, served.model_id, context)
        probs = head_stages(head, params)[-1].probs
        path.append(PathStep(None, text, float(probs[head.tokens.index(text)]) if text in head.tokens else 0.0))
        context += text
    head = _head(served.engine, served.model_id, context)
    stages = head_stages(head, params)
    texts = head.tokens + [REST_LABEL]
    top_ids = top_ids_of(stages, min(settings.top_n, len(head.tokens))) + [len(head.tokens)]  # and the rest
    sweep_logits = stages[1].scores.clone()
    sweep_logits[-1] = FAR_BELOW
    return NextTokenView(
        model_label=served.label, random_weights=False, prompt_ids=list(prompt.input_ids), path=path, params=params,
        settings=settings, stages=stages, top_ids=top_ids, labels=[texts[i] for i in top_ids],
        check=empirical_check(stages[-1].probs, sample(stages[-1].probs, settings.n_samples, settings.seed), top_ids),
        sweep=temperature_sweep(sweep_logits, SWEEP_TEMPERATURES, top_ids), texts=texts, rest=head.rest,
    )

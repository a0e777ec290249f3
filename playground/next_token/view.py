"""One look at the next-token distribution for a prompt (plus a path of tokens chosen by hand), ready to show.

Walking a path appends tokens to the context one at a time: one branch of the generation tree, by hand.
"""

from dataclasses import dataclass, field

import torch

from playground.core import config
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.words import WORDS as CORE_WORDS
from playground.next_token.empirical import EmpiricalCheck, empirical_check, sample
from playground.next_token.logits_cache import LOGITS
from playground.next_token.pipeline import SamplerParams, Stage, run_pipeline
from playground.next_token.sweep import SWEEP_TEMPERATURES, SweepPoint, temperature_sweep
from playground.next_token.words import WORDS

MAX_KEPT_IN_PAYLOAD = 500  # the kept set can be the whole vocabulary; the API sends its most likely part


@dataclass(frozen=True)
class ViewSettings(Settings):
    """What the view shows beside the distribution: how many tokens, and the empirical check's draws."""

    top_n: int = 20
    n_samples: int = 1000
    seed: int = 0

    def __post_init__(self):
        super().__post_init__()
        check(1 <= self.top_n <= config.MAX_TOP_N,
              CORE_WORDS.text("between", name="top N", low=1, high=config.MAX_TOP_N, value=self.top_n))
        check(1 <= self.n_samples <= config.MAX_SAMPLES,
              WORDS.text("samples", limit=config.MAX_SAMPLES, value=self.n_samples))
        check(0 <= self.seed < 2**63, CORE_WORDS.text("seed", value=self.seed))


@dataclass
class PathStep:
    token_id: int | None  # None on an engine, which names tokens by their text
    text: str
    prob: float  # probability in the final (sampled-from) distribution when it was chosen


@dataclass
class NextTokenView:
    model_label: str
    random_weights: bool
    prompt_ids: list[int]
    path: list[PathStep]
    params: SamplerParams
    settings: ViewSettings
    stages: list[Stage]
    top_ids: list[int]  # the tokens shown, most likely first
    labels: list[str]  # their decoded text
    check: EmpiricalCheck
    sweep: list[SweepPoint] = field(default_factory=list)
    # On an engine (engine_view): the text of each index of the head, the rest bucket last, and the rest's mass.
    texts: list[str] | None = None
    rest: float | None = None

    @property
    def on_engine(self) -> bool:
        return self.texts is not None

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    @property
    def context_ids(self) -> list[int]:
        return self.prompt_ids + [s.token_id for s in self.path]

    def to_api(self) -> dict:
        probs, raw = self.final.probs, self.stages[0].probs
        kept = torch.nonzero(self.final.kept).flatten()
        kept = kept[torch.argsort(probs[kept], descending=True)]
        shown = kept[:MAX_KEPT_IN_PAYLOAD]
        return {
            "model": self.model_label,
            "random_weights": self.random_weights,
            "context_tokens": len(self.context_ids),
            "stages": [s.name for s in self.stages],
            "kept_count": int(kept.numel()),
            "kept_token_ids": shown.tolist(),
            "kept_probs": [round(float(probs[i]), 6) for i in shown],
            "raw_top": [
                {"id": i, "text": t, "prob": round(float(raw[i]), 6), "final_prob": round(float(probs[i]), 6)}
                for i, t in zip(self.top_ids, self.labels)
            ],
            "entropy_bits_raw": round(float(-(raw[raw > 0] * raw[raw > 0].log2()).sum()), 4),
            "samples": int(self.check.draws.numel()),
            "total_variation": round(self.check.tv, 5),
            "total_variation_bound": round(self.check.bound, 5),
            "path": [{"id": s.token_id, "text": s.text, "prob": round(s.prob, 6)} for s in self.path],
        } | ({"engine_top_n": len(self.texts) - 1, "engine_rest": round(self.rest, 6),
              "kept_tokens": [self.texts[i] for i in shown]} if self.on_engine else {})


def top_ids_of(stages: list[Stage], n: int) -> list[int]:
    """The n tokens to show: the most likely under the final distribution, then under the raw one."""
    raw, final = stages[0].probs, stages[-1].probs
    candidates = set(torch.topk(raw, n).indices.tolist()) | set(torch.topk(final, n).indices.tolist())
    return sorted(candidates, key=lambda i: (-float(final[i]), -float(raw[i])))[:n]


def explore(
    loaded: LoadedModel,
    prompt_text: str,
    params: SamplerParams,
    path_ids: list[int] | None = None,
    settings: ViewSettings = ViewSettings(),
    use_chat_template: bool = True,
) -> NextTokenView:
    params.validate()
    prompt = build_prompt(loaded.tokenizer, prompt_text, use_chat_template)
    path_ids = list(path_ids or [])
    vocab = loaded.model.config.get_text_config().vocab_size
    check(all(isinstance(t, int) and 0 <= t < vocab for t in path_ids),
          WORDS.text("path.outside"))
    path, context = [], list(prompt.input_ids)
    for token in path_ids:  # each step's probability, as it was when the token was chosen
        probs = run_pipeline(LOGITS.get(loaded, context), context, params)[-1].probs
        path.append(PathStep(token, loaded.tokenizer.decode([token]), float(probs[token])))
        context.append(token)
    stages = run_pipeline(LOGITS.get(loaded, context), context, params)
    top_ids = top_ids_of(stages, settings.top_n)
    draws = sample(stages[-1].probs, settings.n_samples, settings.seed)
    return NextTokenView(
        model_label=loaded.label,
        random_weights=loaded.random_weights,
        prompt_ids=list(prompt.input_ids),
        path=path,
        params=params,
        settings=settings,
        stages=stages,
        top_ids=top_ids,
        labels=[loaded.tokenizer.decode([i]) for i in top_ids],
        check=empirical_check(stages[-1].probs, draws, top_ids),
        sweep=temperature_sweep(stages[0].scores, SWEEP_TEMPERATURES, top_ids),
    )


def next_token(view: NextTokenView, token: int | None) -> int:
    """The token to append: `token` if the sampler keeps it here, or (None) one drawn from the final distribution,
    the seed offset by the path length so that each step differs."""
    if token is None:
        return int(sample(view.final.probs, 1, view.settings.seed + len(view.path))[0])
    kept = view.final.kept
    check(int(token) == token and 0 <= token < kept.numel() and bool(kept[int(token)]),
          WORDS.text("not_kept", token=token))
    return int(token)

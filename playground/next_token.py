"""One look at the next-token distribution for a prompt (plus a path of tokens chosen by hand), ready to show.

Walking a path appends tokens to the context one at a time: one branch of the generation tree, by hand.
"""

from dataclasses import dataclass, field

import torch

from playground import config
from playground.distributions import (
    LOGITS, SamplerParams, Stage, SweepPoint, run_pipeline, sample, temperature_sweep, total_variation, tv_bound,
)
from playground.errors import check
from playground.models import LoadedModel
from playground.prompts import build_prompt

SWEEP_TEMPERATURES = [round(0.1 * i, 1) for i in range(1, 31)]  # 0.1 .. 3.0
MAX_KEPT_IN_PAYLOAD = 500  # the kept set can be the whole vocabulary; the API sends its most likely part


@dataclass
class PathStep:
    token_id: int
    text: str
    prob: float  # probability in the final (sampled-from) distribution when it was chosen


@dataclass
class NextTokenView:
    model_label: str
    random_weights: bool
    prompt_ids: list[int]
    path: list[PathStep]
    params: SamplerParams
    stages: list[Stage]
    top_ids: list[int]  # the tokens shown, most likely first
    labels: list[str]  # their decoded text
    draws: torch.Tensor
    tv: float
    tv_bound: float
    sweep: list[SweepPoint] = field(default_factory=list)

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
            "samples": int(self.draws.numel()),
            "total_variation": round(self.tv, 5),
            "total_variation_bound": round(self.tv_bound, 5),
            "path": [{"id": s.token_id, "text": s.text, "prob": round(s.prob, 6)} for s in self.path],
        }


def _top_ids(stages: list[Stage], n: int) -> list[int]:
    """The n tokens to show: the most likely under the final distribution, then under the raw one."""
    raw, final = stages[0].probs, stages[-1].probs
    candidates = set(torch.topk(raw, n).indices.tolist()) | set(torch.topk(final, n).indices.tolist())
    return sorted(candidates, key=lambda i: (-float(final[i]), -float(raw[i])))[:n]


def explore(
    loaded: LoadedModel,
    prompt_text: str,
    params: SamplerParams,
    path_ids: list[int] | None = None,
    top_n: int = 20,
    n_samples: int = 1000,
    seed: int = 0,
    use_chat_template: bool = True,
) -> NextTokenView:
    params.validate()
    check(1 <= top_n <= config.MAX_TOP_N, f"top N must be between 1 and {config.MAX_TOP_N} (got {top_n}).")
    check(
        1 <= n_samples <= config.MAX_SAMPLES,
        f"The number of samples must be between 1 and {config.MAX_SAMPLES:,} (got {n_samples}).",
    )
    check(seed >= 0, f"seed must be ≥ 0 (got {seed}).")
    prompt = build_prompt(loaded.tokenizer, prompt_text, use_chat_template)
    path_ids = list(path_ids or [])
    vocab = loaded.model.config.get_text_config().vocab_size
    check(all(0 <= t < vocab for t in path_ids), "The path holds a token id outside the vocabulary.")
    path, context = [], list(prompt.input_ids)
    for token in path_ids:  # each step's probability, as it was when the token was chosen
        probs = run_pipeline(LOGITS.get(loaded, context), context, params)[-1].probs
        path.append(PathStep(token, loaded.tokenizer.decode([token]), float(probs[token])))
        context.append(token)
    stages = run_pipeline(LOGITS.get(loaded, context), context, params)
    top_ids = _top_ids(stages, top_n)
    draws = sample(stages[-1].probs, n_samples, seed)
    support = int(stages[-1].kept.sum())
    return NextTokenView(
        model_label=loaded.label,
        random_weights=loaded.random_weights,
        prompt_ids=list(prompt.input_ids),
        path=path,
        params=params,
        stages=stages,
        top_ids=top_ids,
        labels=[loaded.tokenizer.decode([i]) for i in top_ids],
        draws=draws,
        tv=total_variation(stages[-1].probs, draws),
        tv_bound=tv_bound(support, n_samples),
        sweep=temperature_sweep(stages[0].scores, SWEEP_TEMPERATURES, top_ids),
    )


def draw_next(view: NextTokenView, seed: int) -> int:
    """One token drawn from the final distribution; the seed is offset by the path length so each step differs."""
    return int(sample(view.final.probs, 1, seed + len(view.path))[0])

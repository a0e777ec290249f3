"""What one comparison produced: per strategy, the text and a trace of every step, from `generate`'s own scores."""

import math
from dataclasses import dataclass, field

import torch

from playground.core import metrics
from playground.core.prompts import Prompt
from playground.core.visible import token_pieces
from playground.decoding.beam_tree import BeamTree
from playground.decoding.strategies import LABELS, DecodingSettings

TOP_ALTERNATIVES = 5


@dataclass
class StepTrace:
    token_id: int
    text: str  # the piece of text this token added
    prob: float  # probability under the model (softmax of the raw logits)
    sampled_prob: float  # probability in the distribution the strategy actually drew from
    rank: int  # 1 = the model's most likely token
    entropy_bits: float  # entropy of the model's distribution at this step
    top: list[tuple[str, float]]  # the model's top alternatives with their probabilities


@dataclass
class StrategyResult:
    name: str
    text: str
    steps: list[StepTrace]
    stop_reason: str  # "eos" or "length"
    seconds: float
    batched_with: list[str] = field(default_factory=list)
    beam_tree: BeamTree | None = None
    sequence_score: float | None = None  # beam search's length-normalised score

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def token_ids(self) -> list[int]:
        return [s.token_id for s in self.steps]

    @property
    def logprobs(self) -> list[float]:
        return [math.log(max(s.prob, 1e-45)) for s in self.steps]

    def summary(self) -> dict:
        ids, lps = self.token_ids, self.logprobs
        return {
            "strategy": self.name,
            "label": self.label,
            "text": self.text,
            "tokens": [s.text for s in self.steps],
            "token_ids": ids,
            "token_probs": [round(s.prob, 6) for s in self.steps],
            "num_tokens": len(ids),
            "mean_logprob": round(metrics.mean_logprob(lps), 4),
            "perplexity": round(metrics.perplexity(lps), 4),
            "distinct_1": round(metrics.distinct_n(ids, 1), 4),
            "distinct_2": round(metrics.distinct_n(ids, 2), 4),
            "repetition_rate": round(metrics.repetition_rate(ids), 4),
            "seconds": round(self.seconds, 3),
            "batched_with": self.batched_with,
            "stop_reason": self.stop_reason,
            "sequence_score": self.sequence_score,
        }


@dataclass
class Comparison:
    model_label: str
    random_weights: bool
    prompt: Prompt
    settings: DecodingSettings
    results: list[StrategyResult]

    def to_api(self) -> dict:
        return {
            "model": self.model_label,
            "random_weights": self.random_weights,
            "prompt_tokens": self.prompt.n_tokens,
            "settings": self.settings.as_dict(),
            "results": [r.summary() for r in self.results],
        }


def trace_steps(
    tokenizer, ids: list[int], raw_logits: list[torch.Tensor], used_scores: list[torch.Tensor]
) -> list[StepTrace]:
    """One StepTrace per token, from the raw logits and the scores the strategy actually drew from."""
    pieces = token_pieces(tokenizer, ids)
    steps = []
    for token, piece, raw, used in zip(ids, pieces, raw_logits, used_scores):
        probs = torch.softmax(raw.float(), dim=-1)
        top = torch.topk(probs, TOP_ALTERNATIVES)
        steps.append(
            StepTrace(
                token_id=token,
                text=piece,
                prob=float(probs[token]),
                sampled_prob=float(torch.softmax(used.float(), dim=-1)[token]),
                rank=int((probs > probs[token]).sum()) + 1,
                entropy_bits=metrics.entropy_bits(probs),
                top=[(tokenizer.decode([int(i)]), float(p)) for p, i in zip(top.values, top.indices)],
            )
        )
    return steps

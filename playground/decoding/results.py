"""What one comparison produced: per strategy, the text and a trace of every step, from `generate`'s own scores."""

import math
from dataclasses import dataclass, field

import torch

from playground.core import metrics
from playground.core.prompts import Prompt
from playground.core.visible import token_pieces
from playground.decoding.beam_tree import BeamTree
from playground.decoding.strategies import DecodingSettings, label

TOP_ALTERNATIVES = 5


@dataclass
class StepTrace:
    """One generated token. An engine names tokens by their text and reports only the top alternatives, so there
    the id, the drawn-from probability, the entropy, and a rank below the alternatives are unknown (None)."""

    token_id: int | None
    text: str  # the piece of text this token added
    prob: float  # probability under the model (softmax of the raw logits)
    sampled_prob: float | None  # probability in the distribution the strategy actually drew from
    rank: int | None  # 1 = the model's most likely token
    entropy_bits: float | None  # entropy of the model's distribution at this step
    top: list[tuple[str, float]]  # the model's top alternatives with their probabilities


@dataclass
class StrategyResult:
    name: str
    text: str
    steps: list[StepTrace]
    stop_reason: str  # "eos" or "length"
    seconds: float
    batched_with: list[str] = field(default_factory=list)  # the request's other strategies in the same pass
    # the most requests, and rows, that shared a decoding step with it in the running batch (continuous.py);
    # rows 0: no batch (beam, contrastive, an engine)
    pass_requests: int = 1
    pass_rows: int = 0
    beam_tree: BeamTree | None = None
    sequence_score: float | None = None  # beam search's length-normalised score

    @property
    def label(self) -> str:
        return label(self.name)

    @property
    def token_ids(self) -> list[int | None]:
        return [s.token_id for s in self.steps]

    @property
    def units(self) -> list:
        """What the repetition measures count: token ids, or an engine's token texts."""
        return [s.text if s.token_id is None else s.token_id for s in self.steps]

    @property
    def logprobs(self) -> list[float]:
        return [math.log(max(s.prob, 1e-45)) for s in self.steps]

    def summary(self) -> dict:
        ids, units, lps = self.token_ids, self.units, self.logprobs
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
            "distinct_1": round(metrics.distinct_n(units, 1), 4),
            "distinct_2": round(metrics.distinct_n(units, 2), 4),
            "repetition_rate": round(metrics.repetition_rate(units), 4),
            "seconds": round(self.seconds, 3),
            "batched_with": self.batched_with,
            "pass": {"requests": self.pass_requests, "rows": self.pass_rows},
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
    backend: dict = field(default_factory=dict)  # where it ran: the device and dtype, or the engine
    not_run: dict[str, str] = field(default_factory=dict)  # strategy -> why the backend could not run it

    def to_api(self) -> dict:
        return {
            "model": self.model_label,
            "random_weights": self.random_weights,
            "backend": self.backend,
            "prompt_tokens": self.prompt.n_tokens,
            "settings": self.settings.as_dict(),
            "results": [r.summary() for r in self.results],
            "not_run": self.not_run,
        }


@dataclass
class StepNumbers:
    """A step's figures, taken while its vocabulary-sized tensors exist (a batched pass drops them at once)."""

    prob: float
    sampled_prob: float
    rank: int
    entropy_bits: float
    top: list[tuple[int, float]]  # the model's top alternatives: (token id, probability)


def rows_numbers(raw: torch.Tensor, drawn_from: torch.Tensor, tokens: torch.Tensor) -> list[StepNumbers]:
    """One step's figures for every row at once: the model's distribution (`raw` logits, one row each), the
    probabilities each row drew from, and the token each drew (a column)."""
    logits = raw.float()
    probs = torch.softmax(logits, dim=-1)
    chosen = probs.gather(1, tokens)
    ranks = (probs > chosen).sum(-1) + 1
    # -sum p ln p from the log-probabilities: torch.special.entr took 5 ms on 32 rows of SmolLM2's vocabulary here,
    # this 1.5 ms, at every step of a wide batch. The clamp makes a p = 0 (a -inf logit) add 0, not nan.
    log_probs = torch.log_softmax(logits, dim=-1).clamp(min=torch.finfo(logits.dtype).min)
    entropy = -(probs * log_probs).sum(-1) / math.log(2)
    top = torch.topk(probs, min(TOP_ALTERNATIVES, probs.shape[-1]), dim=-1)
    sampled = drawn_from.float().gather(1, tokens)
    return [
        StepNumbers(prob=p, sampled_prob=q, rank=r, entropy_bits=h, top=list(zip(ids, values)))
        for p, q, r, h, ids, values in zip(chosen[:, 0].tolist(), sampled[:, 0].tolist(), ranks.tolist(),
                                           entropy.tolist(), top.indices.tolist(), top.values.tolist())
    ]


def step_numbers(raw: torch.Tensor, used: torch.Tensor, token: int) -> StepNumbers:
    """The figures of one step: the model's distribution (`raw` logits) and what the strategy drew from (`used`)."""
    token_column = torch.tensor([[token]], device=raw.device)
    [numbers] = rows_numbers(raw[None], torch.softmax(used.float(), dim=-1)[None], token_column)
    return numbers


def trace_from(tokenizer, ids: list[int], numbers: list[StepNumbers]) -> list[StepTrace]:
    """One StepTrace per token, from each step's figures."""
    return [
        StepTrace(token_id=token, text=piece, prob=n.prob, sampled_prob=n.sampled_prob, rank=n.rank,
                  entropy_bits=n.entropy_bits, top=[(tokenizer.decode([i]), p) for i, p in n.top])
        for token, piece, n in zip(ids, token_pieces(tokenizer, ids), numbers)
    ]


def trace_steps(
    tokenizer, ids: list[int], raw_logits: list[torch.Tensor], used_scores: list[torch.Tensor]
) -> list[StepTrace]:
    """One StepTrace per token, from the raw logits and the scores the strategy actually drew from."""
    return trace_from(tokenizer, ids, [step_numbers(raw, used, token)
                                       for token, raw, used in zip(ids, raw_logits, used_scores)])

"""BERT's masked-language-model corruption, drawn by transformers' own `DataCollatorForLanguageModeling`: 15% of
the tokens are picked; of those, 80% become [MASK], 10% a random token and 10% stay as they were; the labels are
the picked tokens' ids and -100 (no loss) everywhere else. Special tokens ([CLS], [SEP]) are never picked.
"""

import math
from dataclasses import dataclass

import torch
from transformers import DataCollatorForLanguageModeling, PreTrainedTokenizerBase

MLM_PROBABILITY = 0.15  # BERT's recipe, which the rates are checked against
MASK_SHARE, RANDOM_SHARE = 0.8, 0.1  # of the picked tokens; the rest stay unchanged
IGNORE = -100
BOUND_SIGMAS = 4.0  # a binomial count this many standard deviations off fails (by chance: about 6 in 100,000)
FATES = ("special", "not picked", "[MASK]", "random", "unchanged")


def collator(tokenizer: PreTrainedTokenizerBase, seed: int, probability: float = MLM_PROBABILITY):
    return DataCollatorForLanguageModeling(tokenizer, mlm=True, mlm_probability=probability,
                                           mask_replace_prob=MASK_SHARE, random_replace_prob=RANDOM_SHARE, seed=seed)


def _collate(tokenizer, ids: list[int], rows: int, seed: int, probability: float):
    batch = collator(tokenizer, seed, probability)([{"input_ids": ids} for _ in range(rows)])
    return batch["input_ids"], batch["labels"]


def fates(tokenizer, original: torch.Tensor, inputs: torch.Tensor, labels: torch.Tensor) -> list[list[str]]:
    """What happened to each token, read from the collator's output: a random token that happens to be the
    original reads as unchanged (1 in the vocabulary's size)."""
    special = torch.tensor(tokenizer.get_special_tokens_mask(original.tolist(), already_has_special_tokens=True),
                           dtype=torch.bool)
    picked = labels != IGNORE
    masked = picked & (inputs == tokenizer.mask_token_id)
    unchanged = picked & (inputs == original)
    return [[FATES[0] if s else FATES[1] if not p else FATES[2] if m else FATES[4] if u else FATES[3]
             for s, p, m, u in zip(special, *row)] for row in zip(picked, masked, unchanged)]


@dataclass
class MlmDraw:
    tokens: list[str]
    input_tokens: list[str]
    input_ids: list[int]
    labels: list[int]
    fates: list[str]
    seed: int

    def payload(self) -> dict:
        return {"objective": "mlm", "seed": self.seed, "mlm_probability": MLM_PROBABILITY, "tokens": self.tokens,
                "input_tokens": self.input_tokens, "input_ids": self.input_ids, "labels": self.labels,
                "fates": self.fates}


def draw(tokenizer, ids: list[int], seed: int) -> MlmDraw:
    """One corruption of `ids` (with [CLS] and [SEP]) by a collator seeded with `seed`."""
    inputs, labels = _collate(tokenizer, ids, 1, seed, MLM_PROBABILITY)
    return MlmDraw(tokenizer.convert_ids_to_tokens(ids), tokenizer.convert_ids_to_tokens(inputs[0].tolist()),
                   inputs[0].tolist(), labels[0].tolist(), fates(tokenizer, torch.tensor(ids), inputs, labels)[0],
                   seed)


@dataclass
class Rate:
    name: str  # "picked", "mask", "random" or "unchanged"; in words: "rate.<name>" 
    count: int
    trials: int
    expected: float

    @property
    def observed(self) -> float:
        return self.count / self.trials if self.trials else 0.0

    @property
    def bound(self) -> float:
        """How far the observed share may stray from the expected one by chance (BOUND_SIGMAS binomial sds)."""
        return BOUND_SIGMAS * math.sqrt(self.expected * (1 - self.expected) / self.trials) if self.trials else 0.0

    @property
    def holds(self) -> bool:
        return abs(self.observed - self.expected) <= self.bound

    def payload(self) -> dict:
        return {"name": self.name, "count": self.count, "trials": self.trials, "observed": self.observed,
                "expected": self.expected, "bound": self.bound, "holds": self.holds}


@dataclass
class MlmRates:
    draws: int
    seed: int
    probability: float  # what the collator was given
    rates: list[Rate]

    @property
    def holds(self) -> bool:
        return all(r.holds for r in self.rates)

    def payload(self) -> dict:
        return {"draws": self.draws, "seed": self.seed, "collator_mlm_probability": self.probability,
                "holds": self.holds, "rates": [r.payload() for r in self.rates]}


def rates(tokenizer, ids: list[int], draws: int, seed: int, probability: float = MLM_PROBABILITY) -> MlmRates:
    """`draws` corruptions of `ids` (one batch through one seeded collator, given `probability`), counted and
    checked against BERT's recipe: 15% picked, then 80% [MASK] / 10% random / 10% unchanged. A random token can
    land on the original (it then reads unchanged) or on [MASK]; the expectations include both, 1 in V each."""
    inputs, labels = _collate(tokenizer, ids, draws, seed, probability)
    counted = [f for row in fates(tokenizer, torch.tensor(ids), inputs, labels) for f in row]
    eligible = sum(f != "special" for f in counted)
    picked = sum(f in FATES[2:] for f in counted)
    luck = RANDOM_SHARE / len(tokenizer)
    keep_share = 1 - MASK_SHARE - RANDOM_SHARE
    return MlmRates(draws, seed, probability, [
        Rate("picked", picked, eligible, MLM_PROBABILITY),
        Rate("mask", counted.count("[MASK]"), picked, MASK_SHARE + luck),
        Rate("random", counted.count("random"), picked, RANDOM_SHARE - 2 * luck),
        Rate("unchanged", counted.count("unchanged"), picked, keep_share + luck),
    ])

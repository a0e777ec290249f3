"""The next-token distribution, stage by stage through the sampler pipeline.

Every stage is a stage of the one registry (`playground.sampling.processors`): transformers' own
`LogitsProcessor`, applied in the order the user chooses (transformers' `generate` order by default: repetition
penalty, temperature, top-k, top-p, min-p, typical-p) and skipped exactly when `generate` skips it.
"""

from dataclasses import dataclass

import torch

from playground.core.errors import Settings, check
from playground.next_token.words import WORDS
from playground.sampling.processors import GENERATE_ORDER as REGISTRY_ORDER
from playground.sampling.processors import STAGES

# The stages this tab offers, in generate's order (epsilon and eta sampling live in the decoding tab).
GENERATE_ORDER = tuple(s for s in REGISTRY_ORDER if s not in ("epsilon", "eta"))


@dataclass(frozen=True)
class SamplerParams(Settings):
    """One value per stage (the field of the stage's name), and the order the stages run in. Each default is the
    value at which the stage changes nothing."""

    temperature: float = 1.0  # logits / 1
    top_k: int = 0  # 0 keeps all (generate skips it)
    top_p: float = 1.0  # the nucleus is everything
    min_p: float = 0.0  # a floor of 0 × the top probability (generate still runs it)
    typical_p: float = 1.0  # all the mass
    repetition_penalty: float = 1.0  # no penalty
    order: tuple[str, ...] = GENERATE_ORDER

    def __post_init__(self):
        super().__post_init__()
        check(isinstance(self.order, (list, tuple)) and all(isinstance(s, str) for s in self.order),
              WORDS.text("order", value=repr(self.order)))
        object.__setattr__(self, "order", tuple(self.order))

    def validate(self) -> "SamplerParams":
        for name in GENERATE_ORDER:
            STAGES[name].check(getattr(self, name))
        unknown = [s for s in self.order if s not in GENERATE_ORDER]
        check(not unknown, WORDS.text("unknown_stage", unknown=unknown, stages=", ".join(GENERATE_ORDER)))
        check(len(set(self.order)) == len(self.order), WORDS.text("stage_twice"))
        return self


@dataclass
class Stage:
    name: str
    scores: torch.Tensor  # 1-D scores after this stage (-inf = cut)

    @property
    def probs(self) -> torch.Tensor:
        return torch.softmax(self.scores, dim=-1)

    @property
    def kept(self) -> torch.Tensor:
        return torch.isfinite(self.scores)


def run_pipeline(logits: torch.Tensor, context_ids: list[int], p: SamplerParams) -> list[Stage]:
    """The raw distribution, then one Stage per active processor in `p.order`; the last one is sampled from."""
    stages = [Stage("raw", logits.float())]
    ids = torch.tensor([context_ids])
    for name in p.order:
        processor = STAGES[name].build(getattr(p, name))
        if processor is not None:
            scores = processor(ids, stages[-1].scores.clone()[None, :])[0]
            stages.append(Stage(name, scores))
    return stages

"""Why sampling with a drafter still samples from the model: the rejection rule of Leviathan et al. and Chen et al.
A draft token x drawn from the drafter's q is kept with probability min(1, p(x)/q(x)); otherwise the token is drawn
from max(0, p − q), normalised. Whatever q is, the token that comes out is distributed as p.

transformers runs this rule in `_speculative_sampling`, one draw per call (about 3 ms on a 49k vocabulary). The
empirical check needs thousands of draws, so the rule is written here once more, vectorised over draws, beside a
broken one ("always accept"), which the same check must reject."""

from dataclasses import dataclass

import torch

from playground.core.errors import Settings

MAX_DRAWS = 100_000
SHOWN_TOKENS = 12  # the tokens named in the check; the rest of the vocabulary is one "every other token" bin
BOUND_SDS = 4.0  # a bin may sit this many binomial standard deviations from p, plus one draw


@dataclass(frozen=True)
class RuleSettings(Settings):
    draws: int = 20_000
    seed: int = 0

    RANGES = {"draws": (100, MAX_DRAWS), "seed": (0, 2**31 - 1)}


def speculative_rule(p: torch.Tensor, q: torch.Tensor, drafts: torch.Tensor, generator: torch.Generator):
    """The token each draft becomes: kept with probability min(1, p/q), else redrawn from norm(max(0, p − q))."""
    keep = torch.rand(drafts.shape, generator=generator) * q[drafts] <= p[drafts]
    residual = (p - q).clamp(min=0)
    if residual.sum() <= 0:  # p == q: every draft is kept
        return drafts
    redrawn = torch.multinomial(residual / residual.sum(), len(drafts), replacement=True, generator=generator)
    return torch.where(keep, drafts, redrawn)


def always_accept(p, q, drafts, generator):
    """The broken rule: every draft is kept, so the tokens follow the drafter's q, not the model's p."""
    return drafts


RULES = {"speculative": speculative_rule, "always_accept": always_accept}  # their names: words "rule.name.*"


@dataclass
class RuleCheck:
    rule: str
    bins: list[int | None]  # token ids; None is every other token
    p: list[float]  # the model's probability of each bin
    q: list[float]  # the drafter's
    observed: list[float]  # the share of draws that came out as each bin
    bounds: list[float]  # |observed − p| allowed
    acceptance: float  # the share of drafts kept as they were

    @property
    def worst(self) -> float:
        """The largest |observed − p| over the bins, in units of its bound (≤ 1 passes)."""
        return max(abs(o - e) / b for o, e, b in zip(self.observed, self.p, self.bounds))

    @property
    def passed(self) -> bool:
        return self.worst <= 1.0


def shown_bins(p: torch.Tensor, q: torch.Tensor) -> list[int]:
    """The tokens most likely under either distribution, where a wrong rule shows first."""
    return torch.maximum(p, q).topk(min(SHOWN_TOKENS, len(p))).indices.tolist()


def check_rule(p: torch.Tensor, q: torch.Tensor, rule: str, settings: RuleSettings) -> RuleCheck:
    """Draw `draws` drafts from q, pass each through the rule, and hold the share of each token to p within
    BOUND_SDS binomial standard deviations (plus one draw): a test that a rule which does not keep p can fail."""
    generator = torch.Generator().manual_seed(settings.seed)
    drafts = torch.multinomial(q, settings.draws, replacement=True, generator=generator)
    tokens = RULES[rule](p, q, drafts, generator)
    counts = torch.bincount(tokens, minlength=len(p)).double() / settings.draws
    named = shown_bins(p, q)
    rest = torch.ones(len(p), dtype=torch.bool)
    rest[named] = False

    def share(x: torch.Tensor) -> list[float]:
        return [float(x[t]) for t in named] + [float(x[rest].sum())]

    expected = share(p.double())
    bounds = [BOUND_SDS * (e * (1 - e) / settings.draws) ** 0.5 + 1 / settings.draws for e in expected]
    return RuleCheck(rule, named + [None], expected, share(q.double()), share(counts), bounds,
                     float((tokens == drafts).double().mean()))


@dataclass
class RuleStep:
    """The rule on one real draft token x: the chance it is kept, and what replaces it if not."""
    draft_token: int
    p_draft: float
    q_draft: float
    keep_probability: float  # min(1, p(x)/q(x))
    residual: torch.Tensor  # norm(max(0, p − q)): where a rejected draft's replacement is drawn from
    rejection_probability: float  # Σ max(0, q − p): the chance a draft from q is rejected


def rule_step(p: torch.Tensor, q: torch.Tensor, draft_token: int) -> RuleStep:
    residual = (p - q).clamp(min=0)
    mass = float(residual.sum())
    return RuleStep(draft_token, float(p[draft_token]), float(q[draft_token]),
                    min(1.0, float(p[draft_token] / q[draft_token])),
                    residual / mass if mass > 0 else p, float((q - p).clamp(min=0).sum()))

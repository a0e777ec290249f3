"""The rejection rule keeps the model's distribution: its tokens match p within the check's bound whatever the
drafter's q, and the same check fails for rules that do not (always accept; redraw from p rather than from
max(0, p − q)). transformers' own `_speculative_sampling`, the rule generate runs, passes the same check."""

import pytest
import torch
from transformers.generation.utils import _speculative_sampling

from playground.core.seeded import seeded
from playground.internals import speculative_rule
from playground.internals.speculative_rule import RuleSettings, check_rule, rule_step

GOOD, BROKEN = speculative_rule.RULES


def distributions(seed: int, vocab: int = 40, sharpness: float = 2.0):
    generator = torch.Generator().manual_seed(seed)
    return [(torch.randn(vocab, generator=generator) * sharpness).softmax(-1) for _ in range(2)]


@pytest.mark.parametrize("seed", range(5))
def test_the_rule_keeps_p_and_always_accepting_does_not(seed):
    p, q = distributions(seed)
    good = check_rule(p, q, GOOD, RuleSettings(draws=20_000, seed=seed))
    assert good.passed, good.worst
    assert good.acceptance == pytest.approx(float(torch.minimum(p, q).sum()), abs=0.02)  # Σ min(p, q)
    assert not check_rule(p, q, BROKEN, RuleSettings(draws=20_000, seed=seed)).passed


def test_a_subtler_mistake_fails_too(monkeypatch):
    """Redrawing a rejected draft from p itself, not from max(0, p − q), over-weights what q already favours."""
    def redraw_from_p(p, q, drafts, generator):
        keep = torch.rand(drafts.shape, generator=generator) * q[drafts] <= p[drafts]
        return torch.where(keep, drafts, torch.multinomial(p, len(drafts), replacement=True, generator=generator))
    monkeypatch.setitem(speculative_rule.RULES, "redraw from p", redraw_from_p)
    p, q = distributions(7, sharpness=3.0)
    assert not check_rule(p, q, "redraw from p", RuleSettings(draws=50_000)).passed
    assert check_rule(p, q, GOOD, RuleSettings(draws=50_000)).passed


def test_transformers_rule_passes_the_same_check(monkeypatch):
    """generate's `_speculative_sampling`, one draft token per call, as the rule under the check."""
    def transformers_rule(p, q, drafts, generator):
        logits_q, logits_p = q.log()[None, None], p.log()[None, None].expand(1, 2, -1)
        with seeded(0):  # it draws from torch's global generator
            return torch.tensor([int(_speculative_sampling(torch.tensor([[int(x)]]), logits_q, 1, logits_p)[0][0, 0])
                                 for x in drafts])
    monkeypatch.setitem(speculative_rule.RULES, "transformers", transformers_rule)
    p, q = distributions(3, vocab=12)
    assert check_rule(p, q, "transformers", RuleSettings(draws=4_000)).passed
    assert not check_rule(p, q, BROKEN, RuleSettings(draws=4_000)).passed


def test_one_step_of_the_rule():
    p, q = torch.tensor([0.5, 0.3, 0.2]), torch.tensor([0.2, 0.6, 0.2])
    step = rule_step(p, q, draft_token=1)
    assert step.keep_probability == pytest.approx(0.5) and step.rejection_probability == pytest.approx(0.3)
    assert step.residual.tolist() == pytest.approx([1.0, 0.0, 0.0])  # max(0, p − q) = (0.3, 0, 0), normalised
    assert rule_step(p, q, draft_token=0).keep_probability == 1.0  # p ≥ q: always kept
    same = rule_step(p, p, draft_token=2)
    assert same.keep_probability == 1.0 and same.rejection_probability == 0.0


def test_a_point_mass_drafter_is_prompt_lookup():
    """q all on one token (prompt lookup): kept with probability p(x), else redrawn from p without x."""
    p = torch.tensor([0.1, 0.6, 0.3])
    q = torch.tensor([0.0, 0.0, 1.0])
    step = rule_step(p, q, draft_token=2)
    assert step.keep_probability == pytest.approx(0.3)
    assert step.residual.tolist() == pytest.approx([0.1 / 0.7, 0.6 / 0.7, 0.0])
    assert check_rule(p, q, GOOD, RuleSettings(draws=20_000)).passed

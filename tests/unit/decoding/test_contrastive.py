"""Contrastive search: the paper's scoring rule on a case worked by hand, and greedy at alpha = 0."""

import pytest
import torch

from playground.decoding import runner
from playground.decoding.contrastive import degeneration_scores
from playground.core.prompts import build_prompt
from playground.decoding.strategies import DecodingSettings


def test_scoring_rule_on_a_case_worked_by_hand():
    # Candidates: p = 0.6, 0.3, 0.1. The context holds one hidden state, (1, 0).
    # cos with it: candidate A (1, 0) -> 1; B (0, 1) -> 0; C (1, 1) -> 1/sqrt(2) = 0.7071.
    # alpha = 0.6: A 0.4*0.6 - 0.6*1 = -0.36; B 0.4*0.3 - 0 = 0.12; C 0.4*0.1 - 0.6*0.7071 = -0.3843.
    probs = torch.tensor([0.6, 0.3, 0.1])
    candidates = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    context = torch.tensor([[1.0, 0.0]])
    scores = degeneration_scores(probs, candidates, context, alpha=0.6)
    assert scores.tolist() == pytest.approx([-0.36, 0.12, -0.38426], abs=1e-4)
    assert int(scores.argmax()) == 1  # B wins; greedy would take A
    # The penalty is the maximum similarity over the whole context: adding (0, 1) makes B the most penalised.
    both = degeneration_scores(probs, candidates, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), alpha=0.6)
    assert both.tolist() == pytest.approx([-0.36, 0.12 - 0.6, -0.38426], abs=1e-4)
    assert int(both.argmax()) == 0


def test_alpha_zero_is_greedy(tiny):
    prompt = build_prompt(tiny.tokenizer, "Tell me about cats")
    settings = DecodingSettings(max_new_tokens=10, penalty_alpha=0.0, contrastive_k=4)
    contrastive = runner.run_contrastive(tiny, prompt.input_ids, settings)
    [greedy] = runner.run_sampling_batch(tiny, prompt.input_ids, ["greedy"], settings)
    assert contrastive.token_ids == greedy.token_ids


def test_cached_candidate_states_equal_a_full_recompute(smollm2):
    """Each step's KV-cache bookkeeping is right if one forward pass over the final text reproduces the per-step
    raw logits."""
    prompt = build_prompt(smollm2.tokenizer, "My favourite fruits are apples, bananas, and", use_chat_template=False)
    result = runner.run_contrastive(smollm2, prompt.input_ids, DecodingSettings(max_new_tokens=12))
    ids = torch.tensor([prompt.input_ids + result.token_ids])
    with torch.no_grad():
        probs = torch.softmax(smollm2.model(ids).logits[0, len(prompt.input_ids) - 1 : -1], -1)
    for step, p in zip(result.steps, probs):
        assert step.prob == pytest.approx(float(p[step.token_id]), rel=1e-3, abs=1e-6)
        assert step.rank <= 4  # always one of the top contrastive_k candidates


def test_contrastive_avoids_the_greedy_loop(smollm2):
    prompt = build_prompt(smollm2.tokenizer, "My favourite fruits are apples, bananas, and", use_chat_template=False)
    settings = DecodingSettings(max_new_tokens=64)
    contrastive = runner.run_contrastive(smollm2, prompt.input_ids, settings).summary()
    [greedy] = runner.run_sampling_batch(smollm2, prompt.input_ids, ["greedy"], settings)
    assert contrastive["repetition_rate"] < greedy.summary()["repetition_rate"]

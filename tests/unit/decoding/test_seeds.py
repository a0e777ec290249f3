"""A strategy's text belongs to its strategy: its tokens depend on the prompt, its own settings and the seed, never
on which other strategies share the batched pass (each row draws with its own generator)."""

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transformers import TopKLogitsWarper, TopPLogitsWarper

from playground.core import models
from playground.core.prompts import build_prompt
from playground.decoding import runner
from playground.decoding.per_row import PerRowSampler, seeded_generators
from playground.decoding.strategies import SAMPLING_FAMILY, DecodingSettings

PROMPT = "Write a haiku about the sea."


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(st.sampled_from(SAMPLING_FAMILY), min_size=2, max_size=6, unique=True),
       seed=st.integers(0, 2**32), temperature=st.sampled_from([0.7, 1.0, 1.5]))
def test_a_rows_tokens_do_not_depend_on_what_shares_the_batch(chosen, seed, temperature):
    loaded = models.load_causal_lm("tiny-llama")
    prompt = build_prompt(loaded.tokenizer, PROMPT).input_ids
    s = DecodingSettings(max_new_tokens=10, seed=seed, temperature=temperature)
    together = runner.run_sampling_batch(loaded, prompt, chosen, s)
    for result in together:
        [alone] = runner.run_sampling_batch(loaded, prompt, [result.name], s)
        assert result.token_ids == alone.token_ids, result.name


def test_the_sampler_draws_as_the_global_generator_does_after_manual_seed():
    scores = torch.randn(3, 50, generator=torch.Generator().manual_seed(1))
    sampler = PerRowSampler([[], [], []], seeded_generators([4, 4, 9]))
    one_hot = sampler(torch.zeros(3, 1, dtype=torch.long), scores)
    drawn = one_hot.argmax(-1).tolist()
    for row, seed in enumerate([4, 4, 9]):
        torch.manual_seed(seed)
        assert drawn[row] == int(torch.multinomial(torch.softmax(scores[row : row + 1], -1), 1))
    probs = torch.softmax(scores, -1)
    for row, token in enumerate(drawn):  # each row's trace figures, kept as it drew (no warpers: from the model's)
        numbers = sampler.numbers[row][0]
        assert numbers.prob == numbers.sampled_prob == float(probs[row, token])
        assert numbers.rank == int((probs[row] > probs[row, token]).sum()) + 1
    assert torch.isinf(one_hot).sum() == 3 * 49  # one token left per row: generate's argmax can only pick it


def test_a_greedy_row_and_a_stopped_row_draw_nothing_and_a_sampled_row_always_draws():
    """A draw costs a vocabulary of random numbers; a row whose token is settled without one does not pay it. A
    sampled row whose warpers left one token still draws: its stream must stay the one bare `generate` uses."""
    scores = torch.randn(4, 50, generator=torch.Generator().manual_seed(2))
    scores[3, 7] = 1e4  # top-p keeps only token 7 here
    generators = seeded_generators([1, 1, 1, 1])
    before = [g.get_state() for g in generators]
    running = [True, False, True, True]
    sampler = PerRowSampler([[TopKLogitsWarper(1)], [], [], [TopPLogitsWarper(0.9)]], generators, running=running)
    drawn = sampler(torch.zeros(4, 1, dtype=torch.long), scores).argmax(-1).tolist()
    assert drawn[0] == int(scores[0].argmax()) and torch.equal(generators[0].get_state(), before[0])
    assert torch.equal(generators[1].get_state(), before[1])  # stopped: its tokens from here on are cut away
    torch.manual_seed(1)
    assert drawn[2] == int(torch.multinomial(torch.softmax(scores[2:3], -1), 1))
    assert drawn[3] == 7 and not torch.equal(generators[3].get_state(), before[3])
    running[1] = True  # the caller's list is read at every step
    sampler(torch.zeros(4, 1, dtype=torch.long), scores)
    assert not torch.equal(generators[1].get_state(), before[1])


def test_a_stopped_row_is_traced_no_more_and_leaves_the_others_as_they_were():
    """The running rows get the tokens, figures and margins they get when every row runs; the stopped one gets
    none of its own (rows 1 and 3 share one list of warpers, so they are warped as one group with a hole)."""
    scores = torch.randn(4, 50, generator=torch.Generator().manual_seed(3))
    top_p = [TopPLogitsWarper(0.8)]
    warpers = [[TopKLogitsWarper(1)], top_p, [], top_p]
    every = PerRowSampler(warpers, seeded_generators([5, 5, 5, 5]))
    some = PerRowSampler(warpers, seeded_generators([5, 5, 5, 5]), running=[True, True, True, False])
    ids = torch.zeros(4, 1, dtype=torch.long)
    assert every(ids, scores).argmax(-1)[:3].tolist() == some(ids, scores).argmax(-1)[:3].tolist()
    assert some.numbers[:3] == every.numbers[:3] and some.numbers[3] == []
    assert some.margins[0][:3] == every.margins[0][:3] and some.margins[0][3] == float("inf")
    some.running[1] = False
    some(ids, scores)
    assert [len(n) for n in some.numbers] == [2, 1, 2, 0]

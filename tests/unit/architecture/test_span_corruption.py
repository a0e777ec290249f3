"""T5's span corruption: input and target together rebuild the original, the number of cut tokens is
round(0.15 · n), spans alternate with kept runs and start after a kept one, and the mean span is near 3."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.architecture.span_corruption import EOS, corrupt, rebuilt, sentinel

tokens = st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=4), min_size=2, max_size=300)


@settings(max_examples=300, deadline=None)
@given(tokens=tokens, seed=st.integers(0, 2 ** 32 - 1))
def test_input_and_target_rebuild_the_original(tokens, seed):
    s = corrupt(tokens, seed)
    assert rebuilt(s.encoder_input, s.decoder_target) == tokens
    n = len(tokens)
    assert sum(s.noise) == min(max(int(np.round(0.15 * n)), 1), n - 1)
    spans = len(s.span_lengths)
    assert s.noise[0] is False and spans >= 1
    assert [t for t in s.encoder_input if t.startswith("<extra_id_")] == [sentinel(k) for k in range(spans)]
    assert s.decoder_target[0] == sentinel(0) and s.encoder_input[-1] == s.decoder_target[-1] == EOS
    assert len(s.encoder_input) + len(s.decoder_target) == n + 2 * spans + 2


@settings(max_examples=100, deadline=None)
@given(n=st.integers(40, 600), seed=st.integers(0, 2 ** 32 - 1))
def test_the_mean_span_is_near_three(n, seed):
    lengths = corrupt(["w"] * n, seed).span_lengths
    assert abs(np.mean(lengths) - 3) <= 0.5


def test_the_spans_move_with_the_seed():
    layouts = {tuple(corrupt([str(i) for i in range(100)], seed).noise) for seed in range(20)}
    assert len(layouts) == 20

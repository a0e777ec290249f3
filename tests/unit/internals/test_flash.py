"""Online softmax and tiled (FlashAttention) attention against torch's own scaled_dot_product_attention."""

import pytest
import torch
import torch.nn.functional as F

from playground.core.errors import PlaygroundError
from playground.internals.flash import naive_attention, online_softmax_row, tiled_attention


def sdpa(q, k, v, causal):
    groups = q.shape[1] // k.shape[1]
    return F.scaled_dot_product_attention(q, k.repeat_interleave(groups, 1), v.repeat_interleave(groups, 1),
                                          is_causal=causal)


@pytest.mark.parametrize("tile", [1, 3, 7, 16, 64])
def test_online_softmax_row_equals_softmax_times_v(tile):
    torch.manual_seed(0)
    q, k, v = torch.randn(64), torch.randn(37, 64), torch.randn(37, 64)
    row, steps = online_softmax_row(q, k, v, tile)
    expected = torch.softmax(k @ q / 8, dim=0) @ v
    assert torch.allclose(row, expected, atol=1e-6)
    assert [s.keys for s in steps][0] == (0, min(tile, 37)) and steps[-1].keys[1] == 37
    assert all(b.running_max >= a.running_max for a, b in zip(steps, steps[1:]))  # the max only grows


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("heads,kv_heads", [(4, 4), (9, 3), (4, 1)])  # MHA, GQA (SmolLM2's 9/3), MQA
@pytest.mark.parametrize("n,q_tile,k_tile", [(50, 16, 16), (33, 7, 10), (64, 64, 64), (5, 8, 3)])
def test_tiled_attention_equals_sdpa(causal, heads, kv_heads, n, q_tile, k_tile):
    torch.manual_seed(n)
    q, k, v = torch.randn(2, heads, n, 32), torch.randn(2, kv_heads, n, 32), torch.randn(2, kv_heads, n, 32)
    expected = sdpa(q, k, v, causal)
    assert (tiled_attention(q, k, v, causal, q_tile, k_tile) - expected).abs().max() <= 1e-5
    assert (naive_attention(q, k, v, causal) - expected).abs().max() <= 1e-5


def test_a_tile_below_one_is_refused():
    with pytest.raises(PlaygroundError, match="tile must be at least 1"):
        online_softmax_row(torch.randn(4), torch.randn(3, 4), torch.randn(3, 4), 0)
    with pytest.raises(PlaygroundError, match="tile sizes must be at least 1"):
        tiled_attention(torch.randn(1, 1, 3, 4), torch.randn(1, 1, 3, 4), torch.randn(1, 1, 3, 4), q_tile=0)

"""FlashAttention on the real model: the caught q/k/v are the layer's own (eager attention weights as the oracle),
the online softmax walk and the tiled forward equal exact attention on them, and the profiler's peak is exact."""

import pytest
import torch

from playground.core.errors import PlaygroundError
from playground.core.twins import eager_twin
from playground.internals.flash_lab import FlashSettings, walk_real_row
from playground.internals.profiling import peak_allocated_bytes
from playground.internals.qkv import layer_qkv

PROMPT = "The capital of France is Paris, and the capital of Italy is"


def test_the_caught_q_k_v_give_the_layers_own_attention_weights(tiny):
    ids = tiny.tokenizer(PROMPT, add_special_tokens=False)["input_ids"][:12]
    layer = tiny.model.config.num_hidden_layers - 1
    qkv = layer_qkv(tiny, ids, layer)
    with torch.inference_mode():
        expected = eager_twin(tiny.model)(torch.tensor([ids]), output_attentions=True).attentions[layer][0]
    groups = qkv.query.shape[1] // qkv.key.shape[1]
    scores = qkv.query[0] @ qkv.key[0].repeat_interleave(groups, 0).transpose(-1, -2) * qkv.scaling
    n = len(ids)
    scores = scores.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    assert (torch.softmax(scores, -1) - expected).abs().max() <= 1e-5


@pytest.mark.parametrize("key_tile,q_tile,k_tile", [(4, 5, 3), (1, 64, 64), (7, 4, 9)])
def test_online_softmax_and_tiles_on_smollm2s_real_row_equal_exact_attention(smollm2, key_tile, q_tile, k_tile):
    settings = FlashSettings(layer=7, head=5, key_tile=key_tile, q_tile=q_tile, k_tile=k_tile, max_length=128)
    result = walk_real_row(smollm2, PROMPT, settings)
    n = len(result.tokens)
    assert result.row_error <= 1e-6
    assert result.tiled_error["causal"] <= 1e-5 and result.tiled_error["full"] <= 1e-5
    assert [s.keys for s in result.steps] == [(a, min(a + key_tile, n)) for a in range(0, n, key_tile)]
    assert result.steps[-1].running_max == max(s.tile_max for s in result.steps)


def test_the_profilers_peak_counts_what_was_held_at_once():
    def two_megabytes_then_one():
        a = torch.ones(500_000)  # 2 MB
        del a
        return torch.ones(250_000)  # 1 MB: the peak stays at 2 MB

    assert 2_000_000 <= peak_allocated_bytes(two_megabytes_then_one) < 2_100_000


def test_naive_attention_holds_the_score_matrix_and_tiles_do_not(smollm2):
    sweep = walk_real_row(smollm2, PROMPT, FlashSettings(max_length=1024)).sweep
    assert [p.length for p in sweep] == [128, 256, 512, 1024]
    last = sweep[-1]
    assert last.peak_bytes["naive"] >= 9 * 1024 * 1024 * 4  # 9 heads of 1024² fp32 scores, at least
    assert last.peak_bytes["tiled"] * 4 < last.peak_bytes["naive"]
    assert sweep[-1].peak_bytes["naive"] > 3 * sweep[-2].peak_bytes["naive"]  # quadratic in the length


@pytest.mark.parametrize("field,value,message", [("key_tile", 0, "key_tile must be between 1"),
                                                 ("k_tile", -2, "k_tile must be between 1"),
                                                 ("max_length", 100_000, "max_length must be between")])
def test_bad_settings_are_refused(field, value, message):
    with pytest.raises(PlaygroundError, match=message):
        FlashSettings(**{field: value})


def test_a_head_or_layer_the_model_lacks_is_refused(smollm2):
    with pytest.raises(PlaygroundError, match="head must be between 0 and 8"):
        walk_real_row(smollm2, PROMPT, FlashSettings(head=9))
    with pytest.raises(PlaygroundError, match="layer must be between 0 and 29"):
        walk_real_row(smollm2, PROMPT, FlashSettings(layer=30))


def test_profiler_sessions_from_two_threads_take_turns():
    """Two users' requests at once used to crash the server: kineto allows one profiler session per process."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        peaks = list(pool.map(lambda n: peak_allocated_bytes(lambda: torch.ones(n)), [250_000] * 8))
    assert all(1_000_000 <= p < 1_100_000 for p in peaks)

"""The swaps: both norms equal torch's own on the same vector; a shift leaves LayerNorm where it was and turns
RMSNorm; the gate times the rest of the MLP's product is what the model's down projection (or activation) got;
the MLP weights by formula equal the model's own; a pre-norm stream grows and a post-norm one does not."""

import pytest
import torch
import torch.nn.functional as F

from playground.architecture.block_walk import layers_of
from playground.architecture.hooks import caught
from playground.architecture.swaps import mlp_shape, norm_swap, swaps
from playground.architecture.walk import WalkSettings
from playground.core import models
from playground.core.prompts import model_input_ids

PROMPT = "The capital of France is Paris, and the capital of Italy is"


def test_both_norms_are_torchs_own():
    x = torch.randn(576, generator=torch.Generator().manual_seed(0)) * 3 + 1.5
    n = norm_swap(x)
    assert torch.allclose(torch.tensor(n.layer_norm), F.layer_norm(x, (576,), eps=0), atol=1e-5)
    assert torch.allclose(torch.tensor(n.rms_norm), F.rms_norm(x, (576,), eps=0), atol=1e-5)
    assert n.rms ** 2 == pytest.approx(n.mean ** 2 + n.spread ** 2, rel=1e-5)
    assert all(layer_norm == pytest.approx(1, abs=1e-5) for _, layer_norm, _ in n.shift_cosines)


def test_a_shift_turns_rms_norm_by_the_formula():
    x = torch.randn(576, generator=torch.Generator().manual_seed(1))
    # A mean-free x shifted by c spreads: cos(x + c·σ, x) = 1 / √(1 + c²)
    for c, _, rms in norm_swap(x - x.mean()).shift_cosines:
        assert rms == pytest.approx(1 / (1 + c * c) ** 0.5, abs=1e-4)


@pytest.mark.parametrize("key", ["tiny-llama", "tiny-qwen2", "tiny-gpt2", "minilm-l6-v2"])
def test_the_gate_is_what_the_mlp_multiplies_by(key):
    loaded = models.load_any(key)
    ids = model_input_ids(loaded, PROMPT)
    other = models.load_encoder() if key != "minilm-l6-v2" else models.load_causal_lm("tiny-llama")
    result = swaps(loaded, ids, WalkSettings(layer=1, position=2), other, model_input_ids(other, PROMPT))
    block = layers_of(loaded.model)[1]
    if result.family == "llama":
        spots = {"up": block.mlp.up_proj}, {"product": block.mlp.down_proj}
    elif result.family == "gpt2":
        spots = {"up": block.mlp.c_fc, "product": block.mlp.act}, {}
    else:
        spots = {"up": block.intermediate.dense, "product": block.intermediate}, {}
    with torch.no_grad(), caught(*spots) as seen:
        loaded.model(torch.tensor([ids]))
    product = torch.tensor(result.gate) * seen["up"][2]
    assert torch.allclose(product, seen["product"][2], rtol=1e-4, atol=1e-5)
    mlp = block.mlp if result.family != "bert" else torch.nn.ModuleList([block.intermediate, block.output.dense])
    weights = sum(p.numel() for name, p in mlp.named_parameters() if p.dim() == 2)
    assert mlp_shape(loaded).params == weights


def test_a_pre_norm_stream_grows_and_a_post_norm_one_does_not(smollm2):
    encoder = models.load_encoder()
    result = swaps(smollm2, model_input_ids(smollm2, PROMPT), WalkSettings(layer=10, position=-1), encoder,
                   model_input_ids(encoder, PROMPT))
    pre, post = result.streams
    assert (pre.norm_placement, post.norm_placement) == ("pre-norm", "post-norm")
    assert len(pre.norms) == 31 and len(post.norms) == 7
    assert max(pre.norms[1:-1]) > 10 * pre.norms[1]  # the residual adds pile up
    # each post-norm layer ends in LayerNorm: unit spread, then the gain and bias bound its size
    for norm, block in zip(post.norms[1:], encoder.model.encoder.layer):
        ln = block.output.LayerNorm
        assert norm <= ln.weight.abs().max() * ln.weight.numel() ** 0.5 + ln.bias.norm()

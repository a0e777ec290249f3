"""T5's three masks, caught in a tiny T5: each equals masking_utils' own, and its attention is 0 where forbidden."""

import torch

from playground.attention.plots import panels_figure
from playground.attention.t5_masks import t5_panels
from playground.core import models


def test_encoder_decoder_and_cross_attention_masks():
    panels = t5_panels(models.tiny_t5(), ["The capital of France is", "Hi there"])
    assert [p.name.split(" ")[0] for p in panels] == ["encoder", "decoder", "cross-attention"]
    for panel in panels:
        assert panel.matches_reference
        assert float(panel.attention[~panel.allowed].abs().max()) == 0.0
        assert torch.allclose(panel.attention.sum(-1), torch.ones(panel.attention.shape[0]), atol=1e-5)
    encoder, decoder, cross = (p.allowed for p in panels)
    assert encoder[0].tolist() == [True, True, False, False, False]  # "Hi there": 2 real tokens, then padding
    assert torch.equal(decoder[:2, :2], torch.tril(torch.ones(2, 2, dtype=torch.bool)))  # causal
    assert cross.shape == (5, 5) and bool(cross[:, :2].all()) and not bool(cross[:, 2:].any())
    assert len(panels_figure(panels).data) == 6


def test_the_tiny_t5_is_labelled_as_random_weights():
    t5 = models.tiny_t5()
    assert t5.random_weights and "random weights" in t5.label and t5.model.config.is_encoder_decoder

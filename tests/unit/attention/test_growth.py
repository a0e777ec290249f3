"""Growth during generation: the rows generate returns step by step, stacked, equal one forward pass over the whole
text (what the KV cache must guarantee), and each step adds exactly one row."""

import pytest
import torch

from playground.attention import plots
from playground.core.twins import eager_twin
from playground.attention.growth import GrowthSettings, grow
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt


@pytest.mark.parametrize("layer,head", [(5, 3), (18, 8)])
def test_stacked_rows_equal_one_forward_pass_over_the_whole_text(smollm2, layer, head):
    ids = build_prompt(smollm2.tokenizer, "The capital of France is", use_chat_template=False).input_ids
    growth = grow(smollm2, ids, GrowthSettings(layer=layer, head=head, new_tokens=6))
    assert growth.token_ids[: len(ids)] == ids and len(growth.token_ids) == len(ids) + 5
    with torch.inference_mode():
        full = eager_twin(smollm2.model)(torch.tensor([growth.token_ids]), output_attentions=True)
    assert torch.allclose(growth.matrix, full.attentions[layer][0, head].float(), atol=1e-5)
    assert [growth.at_step(s).shape[0] for s in range(6)] == [5, 6, 7, 8, 9, 10]


def test_the_animation_has_a_frame_per_step(tiny):
    ids = build_prompt(tiny.tokenizer, "one two three", use_chat_template=False).input_ids
    growth = grow(tiny, ids, GrowthSettings(new_tokens=4))
    fig = plots.growth_figure(growth)
    assert len(fig.frames) == 4  # the prompt, then three fed-back tokens
    last_frame_rows = [row for row in fig.frames[-1].data[0].z if any(v is not None for v in row)]
    assert len(last_frame_rows) == len(growth.tokens)


@pytest.mark.parametrize("settings,words", [(GrowthSettings(new_tokens=0), "new_tokens must be between 1"),
                                            (GrowthSettings(layer=9), "layer must be between 0 and 1")])
def test_bad_requests_are_explained(tiny, settings, words):
    with pytest.raises(PlaygroundError, match=words):
        grow(tiny, [1, 2, 3], settings)

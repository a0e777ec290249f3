"""The logit lens: its last row is the model's own output, a middle row is the final norm and LM head applied by
hand to `output_hidden_states`, and on SmolLM2 the answer forms in the last layers."""

import pytest
import torch

from playground.architecture.logit_lens import logit_lens
from playground.core import models
from playground.core.errors import PlaygroundError
from playground.core.prompts import build_prompt


def ids_of(loaded, text):
    return build_prompt(loaded.tokenizer, text, use_chat_template=False).input_ids


def test_the_last_row_is_the_models_own_and_a_middle_row_is_the_hand_computed_lens(tiny):
    ids = ids_of(tiny, "one two three four five")
    lens = logit_lens(tiny, ids)
    assert lens.last_layer_difference <= 1e-5
    assert len(lens.rows) == tiny.model.config.num_hidden_layers + 1 and lens.rows[0] == "embeddings"
    with torch.no_grad():
        out = tiny.model(torch.tensor([ids]), output_hidden_states=True)
        inner = tiny.model.model if hasattr(tiny.model, "model") else tiny.model.transformer
        norm = inner.norm if hasattr(inner, "norm") else inner.ln_f
        # hidden_states[1] is the stream after layer 0 (the last entry has the final norm already applied)
        probs = tiny.model.lm_head(norm(out.hidden_states[1]))[0].softmax(-1)
    best = probs.max(-1)
    assert lens.top_probs[1] == pytest.approx(best.values.tolist(), abs=1e-6)
    assert lens.top_tokens[1] == [tiny.tokenizer.decode([i]) for i in best.indices.tolist()]
    final = out.logits[0].argmax(-1)
    assert lens.final_probs[1] == pytest.approx(probs[torch.arange(len(ids)), final].tolist(), abs=1e-6)
    assert lens.final_ranks[-1] == [0] * len(ids)  # the model's own top token is first in its own last row


def test_on_smollm2_paris_forms_in_the_last_layers(smollm2):
    lens = logit_lens(smollm2, ids_of(smollm2, "The Eiffel Tower is in the city of"))
    assert lens.final_tokens[-1] == " Paris" and lens.last_layer_difference <= 1e-5
    ranks = [row[-1] for row in lens.final_ranks]
    assert ranks[-1] == 0 and ranks[len(ranks) // 2] > 100  # far down the list halfway up the stack
    assert lens.top_tokens[-1][-1] == " Paris" and lens.top_probs[-1][-1] > 0.5


def test_an_encoder_has_no_lens():
    with pytest.raises(PlaygroundError, match="^model: the logit lens"):
        logit_lens(models.load_encoder(), [101, 102])

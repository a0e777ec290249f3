"""The next-token labels are what transformers' causal LMs train on: the loss a model computes from them equals the
cross-entropy of each marked position against the token after it; a chat fine-tune's loss covers the reply and the
end of its turn only."""

import pytest
import torch
import torch.nn.functional as F

from playground.architecture.next_token_labels import IGNORE, chat_fine_tune, next_token, pretraining
from playground.core.prompts import encode_text

TEXT = "The cat sat on the mat."


def test_pretraining_predicts_every_next_token(tokenizer):
    labelled = pretraining(tokenizer, TEXT)
    ids = encode_text(tokenizer, TEXT)
    assert labelled.labels == ids
    assert labelled.targets[:-1] == labelled.tokens[1:] and labelled.targets[-1] is None
    assert "".join(labelled.tokens) == TEXT


def test_a_chat_fine_tune_covers_the_reply_and_its_end(tokenizer):
    labelled = chat_fine_tune(tokenizer, TEXT)
    reply = encode_text(tokenizer, TEXT)
    counted = [label for label in labelled.labels if label != IGNORE]
    assert counted == reply + [tokenizer.convert_tokens_to_ids("<|im_end|>")]
    assert [t for t in labelled.targets if t is not None][-1] == "<|im_end|>"
    assert "".join(labelled.tokens) == tokenizer.apply_chat_template(
        [{"role": "user", "content": "Write one sentence."}, {"role": "assistant", "content": TEXT}], tokenize=False)


@pytest.mark.parametrize("part", ["pretraining", "fine_tune"])
def test_the_models_own_loss_is_the_marked_positions(smollm2, part):
    labelled = getattr(next_token(smollm2.tokenizer, TEXT), part)
    with torch.no_grad():
        out = smollm2.model(torch.tensor([labelled.ids]), labels=torch.tensor([labelled.labels]))
    at = [i for i, target in enumerate(labelled.targets) if target is not None]
    nexts = torch.tensor([labelled.ids[i + 1] for i in at])
    by_hand = F.cross_entropy(out.logits[0, at].float(), nexts)
    assert out.loss.item() == pytest.approx(by_hand.item(), rel=1e-5)

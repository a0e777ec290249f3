"""GPT's, LLaMA's and Qwen's objective: every position predicts the token after it. In pretraining the loss covers
every position but the last (whose next token is not in the text); in a chat fine-tune it covers only the
assistant's reply and the token that ends its turn (so the model learns to stop), as the PEFT lab trains.
"""

from dataclasses import dataclass

from playground.core.prompts import encode_text
from playground.core.visible import token_pieces

IGNORE = -100  # the label torch's cross-entropy skips
USER_TURN = "Write one sentence."  # the fine-tune's question; the learner's text is the reply it is trained on
_SLOT = "\ue000"  # stands in for the reply while the template is rendered


@dataclass
class Labelled:
    ids: list[int]
    tokens: list[str]  # the text each token adds
    targets: list[str | None]  # the token each position is trained to predict; None where no loss is taken
    labels: list[int]  # what a causal LM's `labels=` gets: the position's own id where the loss counts, -100 else

    @property
    def loss_positions(self) -> int:
        return sum(t is not None for t in self.targets)

    def payload(self) -> dict:
        return {"ids": self.ids, "tokens": self.tokens, "targets": self.targets, "labels": self.labels,
                "loss_positions": self.loss_positions}


def labelled(tokenizer, ids: list[int], counts: list[bool]) -> Labelled:
    """`labels` as transformers' causal LMs take them (the model shifts them by one inside its loss), and what
    each position therefore predicts: position i is trained on token i + 1 when that token counts."""
    tokens = token_pieces(tokenizer, ids)
    targets = [tokens[i + 1] if i + 1 < len(ids) and counts[i + 1] else None for i in range(len(ids))]
    return Labelled(ids, tokens, targets, [i if c else IGNORE for i, c in zip(ids, counts)])


def pretraining(tokenizer, text: str) -> Labelled:
    ids = encode_text(tokenizer, text)
    return labelled(tokenizer, ids, [True] * len(ids))


def chat_fine_tune(tokenizer, text: str) -> Labelled:
    """`text` as the assistant's reply to USER_TURN in the tokenizer's chat template: the loss on the reply and on
    the end-of-turn token right after it; the template, the system and user turns add nothing."""
    rendered = tokenizer.apply_chat_template(
        [{"role": "user", "content": USER_TURN}, {"role": "assistant", "content": _SLOT}], tokenize=False)
    before, after = rendered.split(_SLOT)
    head, reply, tail = (encode_text(tokenizer, part) for part in (before, text, after))
    counts = [False] * len(head) + [True] * len(reply) + [i == 0 for i in range(len(tail))]
    return labelled(tokenizer, head + reply + tail, counts)


@dataclass
class NextToken:
    pretraining: Labelled
    fine_tune: Labelled | None  # None for a tokenizer with no chat template

    def payload(self) -> dict:
        return {"objective": "next_token", "pretraining": self.pretraining.payload(),
                "chat_fine_tune": self.fine_tune and {"user_turn": USER_TURN, **self.fine_tune.payload()}}


def next_token(tokenizer, text: str) -> NextToken:
    chat = getattr(tokenizer, "chat_template", None)
    return NextToken(pretraining(tokenizer, text), chat_fine_tune(tokenizer, text) if chat else None)

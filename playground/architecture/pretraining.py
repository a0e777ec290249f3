"""The masks of pretraining on one sentence: BERT's MLM and T5's span corruption on MiniLM's WordPiece tokens
(BERT's own vocabulary; T5's SentencePiece vocabulary does not ship offline), and the next-token labels on
SmolLM2's tokens with its chat template. Plus fill-mask, where a model with an MLM head can be had."""

from dataclasses import dataclass

import torch

from playground.architecture import mlm, next_token_labels, span_corruption
from playground.architecture.words import WORDS
from playground.core import models
from playground.core.errors import PlaygroundError, check
from playground.core.prompts import encode_text

OBJECTIVES = ("mlm", "span_corruption", "next_token")
MAX_TOKENS = 128  # one sentence or a short paragraph: each token is a column of the figure
MAX_DRAWS = 10_000
FILL_TOP = 3


def _text(text: str) -> str:
    text = (text or "").strip()
    check(text != "", WORDS.text("text.empty"))
    return text


def _whole(value, name: str, low: int, high: int) -> int:
    try:
        whole = float(value) == int(value) and low <= int(value) <= high
    except (TypeError, ValueError, OverflowError):
        whole = False
    check(whole, WORDS.text("whole", name=name, low=low, high=high, value=repr(value)))
    return int(value)


def _seed(seed) -> int:
    return _whole(seed, "seed", 0, 2 ** 32 - 1)


def _capped(ids: list[int], least: int = 1) -> list[int]:
    check(len(ids) <= MAX_TOKENS, WORDS.text("text.long", length=len(ids), limit=MAX_TOKENS))
    check(len(ids) >= least, WORDS.text("text.short", least=least, length=len(ids)))
    return ids


def wordpiece():
    return models.load_encoder().tokenizer  # MiniLM's: BERT-base-uncased's WordPiece vocabulary


def mlm_ids(text: str) -> list[int]:
    return _capped(encode_text(wordpiece(), _text(text), add_special_tokens=True), least=3)


def pretraining_masks(text: str, objective: str, seed):
    """One draw of `objective` on `text`: an MlmDraw, a SpanCorruption or NextToken labels."""
    check(objective in OBJECTIVES, WORDS.text("objective", names=", ".join(OBJECTIVES), value=repr(objective)))
    seed = _seed(seed)
    if objective == "mlm":
        return mlm.draw(wordpiece(), mlm_ids(text), seed)
    if objective == "span_corruption":
        tokenizer = wordpiece()
        ids = _capped(encode_text(tokenizer, _text(text)), least=2)
        return span_corruption.corrupt(tokenizer.convert_ids_to_tokens(ids), seed)
    tokenizer = models.load_causal_lm().tokenizer
    _capped(encode_text(tokenizer, _text(text)), least=2)
    return next_token_labels.next_token(tokenizer, _text(text))


def mlm_rates(text: str, draws, seed) -> mlm.MlmRates:
    return mlm.rates(wordpiece(), mlm_ids(text), _whole(draws, "draws", 1, MAX_DRAWS), _seed(seed))


@dataclass
class FillMask:
    model: str
    predictions: list[dict]  # per picked position: what stood there, what the model saw, its top guesses
    unavailable: str | None = None  # why there are none

    def payload(self) -> dict:
        return {"model": self.model, "predictions": self.predictions, "unavailable": self.unavailable}


def fill_mask(draw: mlm.MlmDraw, model_id: str) -> FillMask:
    """The MLM head's guesses at every picked position of `draw`, from a model that reads the same WordPiece
    vocabulary; where none can be loaded, why."""
    try:
        loaded = models.load_masked_lm(model_id)
    except PlaygroundError as err:
        return FillMask(model_id, [], str(err))
    if loaded.tokenizer.get_vocab() != wordpiece().get_vocab():
        return FillMask(model_id, [], WORDS.text("vocabulary", model=model_id))
    with torch.inference_mode():
        logits = loaded.model(input_ids=torch.tensor([draw.input_ids], device=loaded.model.device)).logits[0]
    probs = logits.float().softmax(-1).cpu()
    predictions = []
    for i, label in enumerate(draw.labels):
        if label != mlm.IGNORE:
            top = probs[i].topk(FILL_TOP)
            guesses = loaded.tokenizer.convert_ids_to_tokens(top.indices.tolist())
            predictions.append({"position": i, "original": draw.tokens[i], "seen": draw.input_tokens[i],
                                "top": [[g, round(float(p), 4)] for g, p in zip(guesses, top.values)],
                                "p_original": round(float(probs[i, label]), 4)})
    return FillMask(model_id, predictions)

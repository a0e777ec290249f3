"""The prompt's token ids as the chosen model reads them, within this tab's cap."""

from playground.architecture.words import WORDS
from playground.core import config
from playground.core.errors import check
from playground.core.prompts import model_input_ids

MAX_TOKENS = config.MAX_ATTENTION_TOKENS  # the lens keeps every layer's logits for every token


def prompt_ids(loaded, text: str) -> list[int]:
    ids = model_input_ids(loaded, text)
    check(len(ids) <= MAX_TOKENS, WORDS.text("prompt.long", length=len(ids), limit=MAX_TOKENS))
    return ids

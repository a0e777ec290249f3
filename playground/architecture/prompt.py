"""The prompt's token ids as the chosen model reads them, within this tab's cap."""

from playground.core import config
from playground.core.errors import check
from playground.core.prompts import model_input_ids

MAX_TOKENS = config.MAX_ATTENTION_TOKENS  # the lens keeps every layer's logits for every token


def prompt_ids(loaded, text: str) -> list[int]:
    ids = model_input_ids(loaded, text)
    check(len(ids) <= MAX_TOKENS, f"prompt: it is {len(ids):,} tokens long, and this tab takes at most {MAX_TOKENS} "
          "(the logit lens keeps every layer's logits for every token). Shorten it.")
    return ids

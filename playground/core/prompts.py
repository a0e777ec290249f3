"""Turning what a person typed into the token ids the model sees.

Text that looks like a special token (`<|im_end|>`) is tokenised as plain text, never as the real control
token, so a user cannot close the chat turn early or break the template.
"""

import functools
import threading
from dataclasses import dataclass

from transformers import PreTrainedTokenizerBase

from playground.core import config
from playground.core.errors import check
from playground.core.words import WORDS

# A private-use character stands in for the user's text while the chat template is rendered.
_SLOT = "\ue000"


@dataclass(frozen=True)
class Prompt:
    input_ids: list[int]
    rendered: str  # what the model sees, special tokens included, for the "raw prompt" view

    @property
    def n_tokens(self) -> int:
        return len(self.input_ids)


# transformers' fast tokenizers keep per-call settings (`split_special_tokens`, truncation, padding) as state on the
# one Rust tokenizer a model shares, set at the start of every encode. Two requests encoding at once could each pick
# up the other's setting: a chat template's `<|im_start|>` then came out as plain-text pieces. Every encode of a
# shared tokenizer goes through `encode_text`, one at a time (an encode takes well under a millisecond).
_ENCODING = threading.Lock()


def encode_text(tokenizer: PreTrainedTokenizerBase, text: str, *, add_special_tokens: bool = False,
                split_special_tokens: bool = False) -> list[int]:
    """The token ids of one text; `split_special_tokens=True` reads special-token text as plain text."""
    with _ENCODING:
        encoded = tokenizer(text, add_special_tokens=add_special_tokens, split_special_tokens=split_special_tokens)
    return encoded["input_ids"]


def _text_ids(tokenizer: PreTrainedTokenizerBase, text: str, *, user: bool) -> list[int]:
    return encode_text(tokenizer, text, split_special_tokens=user)


def template_parts(tokenizer: PreTrainedTokenizerBase) -> tuple[str, str] | None:
    """What the chat template puts before and after a user message (None without a template)."""
    template = getattr(tokenizer, "chat_template", None)
    return _template_parts(tokenizer, repr(template)) if template else None


def template_prefix(tokenizer: PreTrainedTokenizerBase) -> tuple[int, ...]:
    """The token ids every chat prompt of this tokenizer starts with: the template's part before the user message
    (SmolLM2's system message), empty without a template."""
    template = getattr(tokenizer, "chat_template", None)
    return _template_prefix(tokenizer, repr(template)) if template else ()


# cached per tokenizer and template (its repr): a tokenizer's template can be replaced
@functools.lru_cache(maxsize=32)
def _template_parts(tokenizer: PreTrainedTokenizerBase, template: str) -> tuple[str, str]:
    rendered = tokenizer.apply_chat_template([{"role": "user", "content": _SLOT}], tokenize=False,
                                             add_generation_prompt=True)
    before, after = rendered.split(_SLOT)
    return before, after


@functools.lru_cache(maxsize=32)
def _template_prefix(tokenizer: PreTrainedTokenizerBase, template: str) -> tuple[int, ...]:
    return tuple(_text_ids(tokenizer, _template_parts(tokenizer, template)[0], user=False))


def build_prompt(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    use_chat_template: bool = True,
    max_tokens: int | None = None,
) -> Prompt:
    """Validate the user's text and tokenise it, wrapped in the chat template when asked and available."""
    text = text or ""
    check(text.strip() != "", WORDS.text("prompt.empty"))
    check(len(text) <= config.MAX_PROMPT_CHARS,
          WORDS.text("prompt.chars", length=len(text), limit=config.MAX_PROMPT_CHARS))
    text = text.replace(_SLOT, "")
    if use_chat_template and template_parts(tokenizer):
        before, after = template_parts(tokenizer)
        ids = list(template_prefix(tokenizer)) + _text_ids(tokenizer, text, user=True)
        ids += _text_ids(tokenizer, after, user=False)
        rendered = before + text + after
    else:
        ids = _text_ids(tokenizer, text, user=True)
        if tokenizer.bos_token_id is not None and getattr(tokenizer, "add_bos_token", False):
            ids = [tokenizer.bos_token_id] + ids
        rendered = text
    limit = config.MAX_PROMPT_TOKENS if max_tokens is None else max_tokens
    check(len(ids) <= limit, WORDS.text("prompt.tokens", length=len(ids), limit=limit))
    return Prompt(ids, rendered)


def model_input_ids(loaded, text: str, use_chat_template: bool = False) -> list[int]:
    """A prompt's token ids as `loaded` (a LoadedModel) reads them: a causal LM's as `build_prompt` makes them, an
    encoder's between its own special tokens (BERT's [CLS] … [SEP], T5's closing </s>), as it was trained to."""
    prompt = build_prompt(loaded.tokenizer, text, use_chat_template and loaded.is_decoder_only)
    if loaded.is_decoder_only:
        return prompt.input_ids
    return encode_text(loaded.tokenizer, prompt.rendered, add_special_tokens=True, split_special_tokens=True)

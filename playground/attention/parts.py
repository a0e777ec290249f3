"""Which attention to read. A decoder (GPT, LLaMA, Qwen) or an encoder (BERT) has one kind, self-attention; an
encoder-decoder (T5) has three: the encoder's self-attention over the prompt, the decoder's causal
self-attention, and cross-attention from the decoder's tokens to the encoder's. One forward pass of the eager twin
gives all three; the decoder reads the prompt shifted right by one (its start token first), as in training.
"""

import torch

from playground.attention.words import WORDS
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.words import WORDS as CORE

PARTS = {
    "self": "self-attention (the encoder's, in an encoder-decoder)",
    "decoder": "the decoder's causal self-attention (encoder-decoder only)",
    "cross": "cross-attention: decoder tokens look at the encoder's (encoder-decoder only)",
}
_CROSS_NAMES = ("EncDecAttention", "encoder_attn", "crossattention")  # T5; BART, Marian; BERT as a decoder


def check_part(loaded: LoadedModel, part: str) -> None:
    check(part in PARTS, CORE.text("one_of", name="part", choices=", ".join(PARTS), value=repr(part)))
    check(part == "self" or loaded.model.config.is_encoder_decoder,
          WORDS.text("one_kind", model=loaded.label, part=part))


def decoder_ids(loaded: LoadedModel, token_ids: list[int]) -> list[int]:
    """What the decoder reads: the prompt shifted right, starting with the decoder start token (T5: padding)."""
    start = loaded.model.generation_config.decoder_start_token_id
    return [loaded.model.config.pad_token_id if start is None else start] + token_ids[:-1]


def forward_inputs(loaded: LoadedModel, token_ids: list[int]) -> dict:
    """The keyword arguments of one forward pass over the prompt, for any of the three kinds of model."""
    ids = torch.tensor([token_ids], device=loaded.model.device)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "output_attentions": True}
    if loaded.model.config.is_encoder_decoder:
        inputs["decoder_input_ids"] = torch.tensor([decoder_ids(loaded, token_ids)], device=ids.device)
    return inputs


def part_token_ids(loaded: LoadedModel, token_ids: list[int], part: str) -> tuple[list[int], list[int]]:
    """(query token ids, key token ids) of the part's matrix."""
    decoder = decoder_ids(loaded, token_ids) if part != "self" else token_ids
    return decoder, token_ids if part == "cross" else decoder


def attentions_of(outputs, part: str) -> tuple[torch.Tensor, ...]:
    """The part's per-layer weights among the model's outputs (`output_attentions=True`); None from a model
    without attention (a state-space model such as Mamba)."""
    if part == "self":
        encoder = getattr(outputs, "encoder_attentions", None)
        return getattr(outputs, "attentions", None) if encoder is None else encoder
    return outputs.decoder_attentions if part == "decoder" else outputs.cross_attentions


def _is_attention(module: torch.nn.Module) -> bool:
    return type(module).__name__.endswith("Attention")


def attention_modules(model, part: str = "self") -> list[torch.nn.Module]:
    """The module that computes the part's attention weights in every layer, in order: the innermost `…Attention`
    (LlamaAttention, GPT2Attention, BertSelfAttention, T5Attention)."""
    found = []
    for name, module in model.named_modules():
        if not _is_attention(module) or any(_is_attention(child) for child in module.children()):
            continue
        cross = any(word in name for word in _CROSS_NAMES)
        if not model.config.is_encoder_decoder:
            chosen = not cross
        elif part == "self":
            chosen = name.startswith("encoder.")
        else:
            chosen = name.startswith("decoder.") and cross == (part == "cross")
        if chosen:
            found.append(module)
    check(found, WORDS.text("no_module", model=type(model).__name__))
    return found

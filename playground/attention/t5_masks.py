"""T5's three masks, caught at the first layer of each attention: the encoder's bidirectional self-attention with
padding, the decoder's causal self-attention, and cross-attention from every decoder token to the encoder's real
tokens. Offline there is no trained T5, so a tiny one with random weights shows the structure, which does not
depend on the weights."""

from contextlib import ExitStack

import torch
from transformers.masking_utils import bidirectional_mask_function, causal_mask_function, sdpa_mask

from playground.attention.masks import MaskPanel
from playground.attention.padding import pad_rows
from playground.attention.words import WORDS
from playground.core.device import onto, to_cpu
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.prompts import encode_text
from playground.core.twins import caught_inputs, eager_twin
from playground.core.visible import token_pieces


def t5_panels(t5: LoadedModel, prompts: list[str]) -> list[MaskPanel]:
    """The three masks for the shorter (padded) prompt, fed to the encoder and, shifted right, to the decoder."""
    tokenizer = t5.tokenizer
    start = tokenizer.pad_token_id  # T5 starts its decoder with the padding token
    rows = [encode_text(tokenizer, p, split_special_tokens=True) for p in prompts]
    check(len(rows) == 2 and min(map(len, rows)) > 0, WORDS.text("t5_prompts"))
    encoder_ids, encoder_padding = pad_rows(rows, tokenizer.pad_token_id, "right")
    decoder_ids, decoder_padding = pad_rows([[start] + r[:-1] for r in rows], tokenizer.pad_token_id, "right")
    twin = eager_twin(t5.model)
    layers = {WORDS.text("t5.layer.encoder"): twin.encoder.block[0].layer[0].SelfAttention,
              WORDS.text("t5.layer.decoder"): twin.decoder.block[0].layer[0].SelfAttention,
              WORDS.text("t5.layer.cross"): twin.decoder.block[0].layer[1].EncDecAttention}
    with ExitStack() as stack, torch.inference_mode():
        caught = {name: stack.enter_context(caught_inputs(module)) for name, module in layers.items()}
        inputs = onto(twin.device, encoder_ids, encoder_padding, decoder_ids, decoder_padding)
        out = twin(input_ids=inputs[0], attention_mask=inputs[1], decoder_input_ids=inputs[2],
                   decoder_attention_mask=inputs[3], output_attentions=True)
    n_enc, n_dec, row = encoder_ids.shape[1], decoder_ids.shape[1], min(range(2), key=lambda r: len(rows[r]))
    references = [
        sdpa_mask(batch_size=2, q_length=n_enc, kv_length=n_enc, mask_function=bidirectional_mask_function,
                  attention_mask=encoder_padding, allow_is_causal_skip=False),
        sdpa_mask(batch_size=2, q_length=n_dec, kv_length=n_dec, mask_function=causal_mask_function,
                  attention_mask=decoder_padding, allow_is_causal_skip=False),
        sdpa_mask(batch_size=2, q_length=n_dec, kv_length=n_enc, mask_function=bidirectional_mask_function,
                  attention_mask=encoder_padding, allow_is_causal_skip=False),
    ]
    attentions = [out.encoder_attentions[0], out.decoder_attentions[0], out.cross_attentions[0]]
    encoder_tokens, decoder_tokens = (token_pieces(tokenizer, ids[row].tolist()) for ids in (encoder_ids, decoder_ids))
    token_sides = [(encoder_tokens, encoder_tokens), (decoder_tokens, decoder_tokens),
                   (decoder_tokens, encoder_tokens)]
    panels = []
    for (name, hooked), reference, attention, (queries, keys) in zip(caught.items(), references, attentions,
                                                                     token_sides):
        mask = hooked["kwargs"].get("mask")
        panels.append(MaskPanel(name, queries, keys, (mask[row, 0] == 0).cpu(), reference[row, 0],
                                to_cpu(attention[row].mean(0))))
    return panels

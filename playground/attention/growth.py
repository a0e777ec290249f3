"""Attention growing during generation: each new token adds one query row over every key cached so far.

`generate(output_attentions=True)` returns, for each step, only the new token's row: with a KV cache the earlier
rows are never computed again. Stacking the rows rebuilds the matrix a single forward pass over the whole text
would give (a test holds them equal), which is the picture behind the KV cache that the internals tab measures.
"""

from dataclasses import dataclass

import torch

from playground.attention.extraction import check_layer_head
from playground.attention.words import WORDS
from playground.core.device import to_cpu
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.twins import eager_twin
from playground.core.visible import token_pieces
from playground.core.words import WORDS as CORE

MAX_NEW_TOKENS = 16
MAX_PROMPT_TOKENS = 48  # every step is a frame of the animation: keep the frames small


@dataclass(frozen=True)
class GrowthSettings(Settings):
    """The head to watch, and how many tokens to generate (whole numbers; ranges are checked by `grow`)."""

    layer: int = 0
    head: int = 0
    new_tokens: int = 8


@dataclass
class Growth:
    token_ids: list[int]  # the prompt's, then the generated ones that were fed back (the last has no row yet)
    tokens: list[str]
    prompt_length: int
    matrix: torch.Tensor  # (n, n): the prompt's rows from step 0, then one row per generated token

    def at_step(self, step: int) -> torch.Tensor:
        """The matrix as it stood after `step` new tokens (step 0: the prompt alone)."""
        n = self.prompt_length + step
        return self.matrix[:n, :n]


def grow(loaded: LoadedModel, token_ids: list[int], settings: GrowthSettings) -> Growth:
    """Greedy generation on the eager twin, keeping the chosen head's attention row of every step."""
    twin = eager_twin(loaded.model)
    text = twin.config.get_text_config()
    check_layer_head(loaded.label, text.num_hidden_layers, text.num_attention_heads, settings.layer, settings.head)
    check(1 <= settings.new_tokens <= MAX_NEW_TOKENS,
          CORE.text("between", name="new_tokens", low=1, high=MAX_NEW_TOKENS, value=settings.new_tokens))
    check(len(token_ids) <= MAX_PROMPT_TOKENS,
          WORDS.text("growth.long", length=len(token_ids), limit=MAX_PROMPT_TOKENS))
    ids = torch.tensor([token_ids], device=twin.device)
    with torch.inference_mode():
        out = twin.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                            max_new_tokens=settings.new_tokens, min_new_tokens=settings.new_tokens,
                            pad_token_id=loaded.tokenizer.pad_token_id, output_attentions=True,
                            return_dict_in_generate=True)
    all_ids = out.sequences[0].tolist()[: len(token_ids) + len(out.attentions) - 1]  # the last token has no row
    n = len(all_ids)
    matrix = torch.zeros(n, n)
    for step, layers in enumerate(out.attentions[: n - len(token_ids) + 1]):
        rows = to_cpu(layers[settings.layer][0, settings.head])  # step 0: the prompt's rows; then one row each
        first = 0 if step == 0 else len(token_ids) + step - 1
        matrix[first : first + rows.shape[0], : rows.shape[1]] = rows
    return Growth(all_ids, token_pieces(loaded.tokenizer, all_ids), len(token_ids), matrix)

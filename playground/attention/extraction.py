"""Attention weights of every layer and head for one prompt, from the model's own eager attention."""

from dataclasses import dataclass

import torch

from playground.attention.heads import STATISTICS
from playground.attention.parts import attentions_of, forward_inputs
from playground.attention.words import WORDS
from playground.core import config
from playground.core.device import to_cpu
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import model_input_ids
from playground.core.twins import eager_twin
from playground.core.visible import token_pieces
from playground.core.words import WORDS as CORE_WORDS


@dataclass(frozen=True)
class AttentionSettings(Settings):
    """What the tab looks at: one layer and head (0-based, as in transformers' outputs), and how heads are ranked."""

    layer: int = 0
    head: int = 0
    statistic: str = "first_token"

    def __post_init__(self):
        super().__post_init__()
        check(self.statistic in STATISTICS,
              CORE_WORDS.text("one_of", name="statistic", choices=", ".join(STATISTICS),
                              value=repr(self.statistic)))


@dataclass
class Attention:
    model_label: str
    random_weights: bool
    tokens: list[str]  # the text each token adds
    token_ids: list[int]
    weights: torch.Tensor  # (layers, heads, queries, keys): softmax(QKᵀ/√d + mask) as the model computed it
    num_kv_heads: int  # query heads share key/value heads in groups of heads // kv_heads (GQA)
    shown: str  # which attention these are: "decoder", "encoder" or "seq2seq" (its words: "shown.<kind>")

    @property
    def num_layers(self) -> int:
        return self.weights.shape[0]

    @property
    def num_heads(self) -> int:
        return self.weights.shape[1]

    def kv_head(self, head: int) -> int:
        """The key/value head a query head reads (transformers' repeat_kv: consecutive query heads share one)."""
        return head // (self.num_heads // self.num_kv_heads)

    def check_layer_head(self, layer: int, head: int) -> None:
        check_layer_head(self.model_label, self.num_layers, self.num_heads, layer, head)

    def chosen_queries(self, queries: list[int]) -> list[int]:
        """The query positions, checked and in order; none chosen means the last token, the one that predicts."""
        n = len(self.tokens)
        for q in queries:
            check(float(q).is_integer() and 0 <= q < n, WORDS.text("queries", last=n - 1, value=q))
        return sorted({int(q) for q in queries}) or [n - 1]

    def summed(self, layer: int, queries: list[int]) -> torch.Tensor:
        """(heads, keys): what the chosen query tokens pay each key together, their rows added up, in every head
        of the layer. Each query's row sums to 1, so the whole sums to the number of queries."""
        return self.weights[layer][:, self.chosen_queries(queries)].sum(1)


def check_layer_head(model_label: str, num_layers: int, num_heads: int, layer: int, head: int) -> None:
    check(0 <= layer < num_layers, CORE_WORDS.text("layer", last=num_layers - 1, model=model_label, value=layer))
    check(0 <= head < num_heads, WORDS.text("head_range", last=num_heads - 1, model=model_label, value=head))


def kv_heads(model_config) -> int:
    """Key/value heads: fewer than the query heads under GQA/MQA; configs without the field have one per head."""
    text = model_config.get_text_config()
    return getattr(text, "num_key_value_heads", None) or text.num_attention_heads


def tokenize(loaded: LoadedModel, prompt_text: str, use_chat_template: bool) -> list[int]:
    """The prompt's token ids as the model reads them (`model_input_ids`), within the attention cap."""
    ids = model_input_ids(loaded, prompt_text, use_chat_template)
    check(len(ids) <= config.MAX_ATTENTION_TOKENS,
          WORDS.text("too_long", length=len(ids), limit=config.MAX_ATTENTION_TOKENS))
    return ids


def extract(loaded: LoadedModel, prompt_text: str, use_chat_template: bool = True) -> Attention:
    """Run the prompt once through the eager twin of the shared model and keep every self-attention matrix (the
    encoder's, in an encoder-decoder)."""
    token_ids = tokenize(loaded, prompt_text, use_chat_template)
    with torch.inference_mode():
        attentions = attentions_of(eager_twin(loaded.model)(**forward_inputs(loaded, token_ids)), "self")
    check(attentions is not None and all(a is not None for a in attentions),
          WORDS.text("no_weights", model=loaded.label))
    return Attention(
        model_label=loaded.label,
        random_weights=loaded.random_weights,
        tokens=token_pieces(loaded.tokenizer, token_ids),
        token_ids=token_ids,
        weights=to_cpu(torch.stack([a[0] for a in attentions])),
        num_kv_heads=kv_heads(loaded.model.config),
        shown="decoder" if loaded.is_decoder_only else "seq2seq" if loaded.model.config.is_encoder_decoder
        else "encoder",
    )

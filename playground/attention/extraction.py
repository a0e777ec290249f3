"""Attention weights of every layer and head for one prompt, from the model's own eager attention."""

from dataclasses import dataclass

import torch

from playground.attention.eager import eager_twin
from playground.attention.heads import STATISTICS
from playground.core import config
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.visible import token_pieces


@dataclass(frozen=True)
class AttentionSettings(Settings):
    """What the tab looks at: one layer and head (0-based, as in transformers' outputs), and how heads are ranked."""

    layer: int = 0
    head: int = 0
    statistic: str = "first_token"

    def __post_init__(self):
        super().__post_init__()
        check(self.statistic in STATISTICS,
              f"statistic must be one of {', '.join(STATISTICS)} (got {self.statistic!r}).")


@dataclass
class Attention:
    model_label: str
    random_weights: bool
    tokens: list[str]  # the text each token adds
    token_ids: list[int]
    weights: torch.Tensor  # (layers, heads, queries, keys): softmax(QKᵀ/√d + mask) as the model computed it
    num_kv_heads: int  # query heads share key/value heads in groups of heads // kv_heads (GQA)

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


def check_layer_head(model_label: str, num_layers: int, num_heads: int, layer: int, head: int) -> None:
    check(0 <= layer < num_layers, f"layer must be between 0 and {num_layers - 1} for {model_label} (got {layer}).")
    check(0 <= head < num_heads, f"head must be between 0 and {num_heads - 1} for {model_label} (got {head}).")


def kv_heads(model_config) -> int:
    """Key/value heads: fewer than the query heads under GQA/MQA; configs without the field have one per head."""
    text = model_config.get_text_config()
    return getattr(text, "num_key_value_heads", None) or text.num_attention_heads


def tokenize(loaded: LoadedModel, prompt_text: str, use_chat_template: bool) -> list[int]:
    """The prompt's token ids, within the attention cap."""
    prompt = build_prompt(loaded.tokenizer, prompt_text, use_chat_template)
    check(prompt.n_tokens <= config.MAX_ATTENTION_TOKENS,
          f"The prompt is {prompt.n_tokens:,} tokens long; attention is computed for at most "
          f"{config.MAX_ATTENTION_TOKENS} tokens here, since its size grows with the square of the length "
          "(layers × heads × tokens²). Shorten it.")
    return prompt.input_ids


def extract(loaded: LoadedModel, prompt_text: str, use_chat_template: bool = True) -> Attention:
    """Run the prompt once through the eager twin of the shared model and keep every attention matrix."""
    token_ids = tokenize(loaded, prompt_text, use_chat_template)
    ids = torch.tensor([token_ids])
    with torch.inference_mode():
        out = eager_twin(loaded.model)(ids, attention_mask=torch.ones_like(ids), output_attentions=True)
    check(out.attentions is not None and all(a is not None for a in out.attentions),
          f"{loaded.label} cannot return its attention weights.")
    return Attention(
        model_label=loaded.label,
        random_weights=loaded.random_weights,
        tokens=token_pieces(loaded.tokenizer, token_ids),
        token_ids=token_ids,
        weights=torch.stack([a[0] for a in out.attentions]).float(),
        num_kv_heads=kv_heads(loaded.model.config),
    )

"""The logit lens (nostalgebraist, 2020): the residual stream after every layer, read as if it were the last, through
the model's own final norm and LM head. Where a prediction forms can then be seen layer by layer: the top token
at each layer and position, and the rank and probability the model's final answer had at each layer.

The tuned lens (Belrose et al., 2023) trains one small affine map per layer first, because the middle layers do
not speak the output's basis exactly; the plain lens needs no training, and its last row is the model's own output
(checked: `last_layer_difference`).
"""

from dataclasses import dataclass

import torch

from playground.architecture.block_walk import layers_of
from playground.architecture.hooks import caught
from playground.architecture.words import WORDS
from playground.core.errors import PlaygroundError
from playground.core.models import LoadedModel
from playground.core.visible import token_pieces

CHUNK = 25_000_000  # logits held at once (100 MB in float32): a few layers' worth at the 256-token cap


@dataclass
class LogitLens:
    model_label: str
    tokens: list[str]  # the text each of the prompt's tokens adds
    rows: list[str]  # "embeddings", then "layer 0" ... "layer L-1" (the stream after that layer)
    top_tokens: list[list[str]]  # [row][position]: the token the lens ranks first
    top_probs: list[list[float]]
    final_tokens: list[str]  # [position]: the model's own prediction (its last row's top token)
    final_ranks: list[list[int]]  # [row][position]: that token's rank under the lens (0 = top)
    final_probs: list[list[float]]
    last_layer_difference: float  # max |lens logits after the last layer - the model's own logits|

    def payload(self) -> dict:
        return vars(self).copy() | {"model": self.model_label}


def final_norm_and_head(model):
    """The modules that turn the last layer's stream into logits."""
    for owner, norm in (("model", "norm"), ("transformer", "ln_f")):
        inner = getattr(model, owner, None)
        if inner is not None and hasattr(inner, norm) and hasattr(model, "lm_head"):
            return getattr(inner, norm), model.lm_head
    raise PlaygroundError(WORDS.text("no_final_norm", model=type(model).__name__))


def logit_lens(loaded: LoadedModel, token_ids: list[int]) -> LogitLens:
    if not loaded.is_decoder_only:
        raise PlaygroundError(WORDS.text("lens.causal", model=loaded.label))
    model = loaded.model
    norm, head = final_norm_and_head(model)
    layers = layers_of(model)
    ids = torch.tensor([token_ids], device=model.device)
    with torch.no_grad():
        with caught({f"layer {i}": layer for i, layer in enumerate(layers)}) as seen:
            out = model(ids, output_hidden_states=True)
        own = out.logits[0].float()
        streams = torch.stack([out.hidden_states[0][0]] + [seen[f"layer {i}"] for i in range(len(layers))])
        final = own.argmax(-1)
        best, best_p, ranks, probs = [], [], [], []
        step = max(1, CHUNK // (len(token_ids) * own.shape[-1]))  # rows of logits held at once
        # the last layer's stream alone, shaped as the model's own pass shapes it, so its row is the same sum
        chunks = [streams[i:min(i + step, len(streams) - 1)] for i in range(0, len(streams) - 1, step)]
        for chunk in chunks + [streams[-1:]]:
            logits = head(norm(chunk)).float()  # rows × positions × vocabulary
            difference = (logits[-1] - own).abs().max().item()  # kept for the last row: the model's own output?
            for kept, read in zip((best, best_p, ranks, probs), read_rows(logits, final), strict=True):
                kept += read.tolist()
    top_tokens = [pieces(loaded.tokenizer, row) for row in best]
    return LogitLens(
        loaded.label, token_pieces(loaded.tokenizer, token_ids),
        ["embeddings"] + [f"layer {i}" for i in range(len(layers))], top_tokens, best_p,
        pieces(loaded.tokenizer, final.tolist()), ranks, probs,
        difference)


def read_rows(logits: torch.Tensor, final: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Per row and position: the top token and its probability, and the rank and probability of `final` (one id
    per position). Spends `logits` (exponentiated in place: the softmax's normaliser without another copy)."""
    top = logits.max(-1)
    at_final = logits.gather(-1, final.expand(len(logits), -1)[..., None])[..., 0]
    ranks = (logits > at_final[..., None]).sum(-1)
    total = top.values + logits.sub_(top.values[..., None]).exp_().sum(-1).log()  # logsumexp
    return top.indices, (top.values - total).exp(), ranks, (at_final - total).exp()


def pieces(tokenizer, ids: list[int]) -> list[str]:
    """Each id's own text, decoded alone (" Paris", not the tokenizer's "ĠParis")."""
    return [tokenizer.decode([i], clean_up_tokenization_spaces=False) for i in ids]

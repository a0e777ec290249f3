"""The swaps from BERT to LLaMA, side by side on the same real hidden state: LayerNorm vs RMSNorm, a GELU MLP vs
SwiGLU (its gate, and the parameters at the same width), and where the norm sits (the residual stream of a
pre-norm model across its layers against a post-norm one's)."""

import math
from dataclasses import dataclass

import torch

from playground.architecture.block_walk import family_of, layers_of
from playground.architecture.hooks import caught
from playground.architecture.walk import WalkSettings
from playground.architecture.words import WORDS
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.published import LLAMA3_8B, QWEN25_7B
from playground.core.visible import token_pieces
from playground.core.words import WORDS as CORE_WORDS

STRIP = 8
SHIFTS = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]  # in units of the vector's own spread
SHUT = 0.1  # a gate value this close to zero lets (almost) nothing of its channel through


def _cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.nn.functional.cosine_similarity(a, b, dim=0))


def layer_norm(x: torch.Tensor) -> torch.Tensor:
    return (x - x.mean()) / x.std(correction=0)  # gain 1 and no bias, to compare the two operations alone


def rms_norm(x: torch.Tensor) -> torch.Tensor:
    return x / x.pow(2).mean().sqrt()


@dataclass
class NormSwap:
    mean: float
    spread: float  # the standard deviation, LayerNorm's divisor
    rms: float  # RMSNorm's divisor: rms² = mean² + spread²
    layer_norm: list[float]  # every component, both unit-gain
    rms_norm: list[float]
    cosine: float  # between the two outputs: 1 when the mean is 0
    shift_cosines: list[tuple[float, float, float]]  # (shift in spreads, LayerNorm's, RMSNorm's cos to unshifted)


def norm_swap(x: torch.Tensor) -> NormSwap:
    """Both norms on one vector; then the vector shifted by c · spread in every component: LayerNorm takes the
    mean out and does not move, RMSNorm keeps it and turns towards the all-ones direction."""
    mean, spread, rms = float(x.mean()), float(x.std(correction=0)), float(x.pow(2).mean().sqrt())
    shifts = [(c, _cosine(layer_norm(x + c * spread), layer_norm(x)), _cosine(rms_norm(x + c * spread), rms_norm(x)))
              for c in SHIFTS]
    return NormSwap(mean, spread, rms, layer_norm(x).tolist(), rms_norm(x).tolist(),
                    _cosine(layer_norm(x), rms_norm(x)), shifts)


@dataclass
class MlpShape:
    model: str
    kind: str  # "SwiGLU" or "GELU"
    width: int  # d, the residual stream's
    inner: int

    @property
    def params(self) -> int:
        return (3 if self.kind == "SwiGLU" else 2) * self.width * self.inner  # weights only; GELU MLPs add biases

    def row(self) -> list:
        d = self.width
        return [self.model, self.kind, d, self.inner, round(self.inner / d, 2), f"{self.params / 1e6:.2f}",
                f"{8 * d * d / 1e6:.2f}", round(8 * d / 3)]


MLP_COLUMNS = ["mlp.model", "mlp.kind", "mlp.d", "mlp.inner", "mlp.ratio", "mlp.weights", "mlp.gelu",
               "mlp.swiglu"]  # keys of words.py
REFERENCE_MLPS = [MlpShape("BERT-base", "GELU", 768, 3072), MlpShape("GPT-2 (124M)", "GELU", 768, 3072),
                  MlpShape("Llama-3-8B", "SwiGLU", LLAMA3_8B.hidden_size, LLAMA3_8B.intermediate_size),
                  MlpShape("Qwen2.5-7B", "SwiGLU", QWEN25_7B.hidden_size, QWEN25_7B.intermediate_size)]


def mlp_shape(loaded: LoadedModel) -> MlpShape:
    c, family = loaded.model.config, family_of(loaded.model)
    if family == "llama":
        return MlpShape(loaded.label, "SwiGLU", c.hidden_size, c.intermediate_size)
    if family == "gpt2":
        return MlpShape(loaded.label, "GELU", c.n_embd, c.n_inner or 4 * c.n_embd)
    return MlpShape(loaded.label, "GELU", c.hidden_size, c.intermediate_size)


def _pre_activation(block, family: str) -> dict:
    """The module whose output the gate is computed from: SwiGLU's gate projection, a GELU MLP's first one."""
    if family == "llama":
        return {"gate": block.mlp.gate_proj}
    return {"gate": block.mlp.c_fc if family == "gpt2" else block.intermediate.dense}


def gate_values(family: str, u: torch.Tensor) -> torch.Tensor:
    """Per channel, what multiplies it: SwiGLU's silu(g), g from a projection of its own, can be negative; GELU's
    Φ(u) lies in [0, 1] and gates u itself (GPT-2's tanh form, BERT's erf form)."""
    if family == "llama":
        return torch.nn.functional.silu(u)
    if family == "gpt2":
        return 0.5 * (1 + torch.tanh(math.sqrt(2 / math.pi) * (u + 0.044715 * u.pow(3))))
    return 0.5 * (1 + torch.erf(u / math.sqrt(2)))


@dataclass
class StreamNorms:
    model: str
    norm_placement: str  # "pre-norm" or "post-norm"
    norms: list[float]  # ‖hidden_states[i]‖ at the last token, i = 0 (embeddings) … layers


def stream_norms(loaded: LoadedModel, ids: list[int]) -> StreamNorms:
    with torch.no_grad():
        hidden = loaded.model(torch.tensor([ids], device=loaded.model.device), output_hidden_states=True).hidden_states
    placement = "post-norm" if family_of(loaded.model) == "bert" else "pre-norm"
    return StreamNorms(loaded.label, placement, [float(h[0, -1].float().norm()) for h in hidden])


@dataclass
class Swaps:
    model_label: str
    family: str
    layer: int
    position: int
    token: str
    norms: NormSwap
    gate: list[float]  # the gate at every MLP channel, at the token
    gate_kind: str
    mlps: list[MlpShape]
    streams: list[StreamNorms]

    @property
    def shut_share(self) -> float:
        return sum(abs(g) < SHUT for g in self.gate) / len(self.gate)

    def payload(self) -> dict:
        n = self.norms
        return {"model": self.model_label, "layer": self.layer, "position": self.position, "token": self.token,
                "norms": {"mean": n.mean, "spread": n.spread, "rms": n.rms, "cosine": n.cosine,
                          "layer_norm_first": n.layer_norm[:STRIP], "rms_norm_first": n.rms_norm[:STRIP],
                          "shift_cosines": n.shift_cosines},
                "gate": {"kind": self.gate_kind, "channels": len(self.gate), "shut_share": self.shut_share,
                         "shut_below": SHUT},
                "mlps": [dict(zip((WORDS.text(c, "en") for c in MLP_COLUMNS), m.row())) for m in self.mlps],
                "streams": [vars(s) for s in self.streams]}


def swaps(loaded: LoadedModel, ids: list[int], settings: WalkSettings, other: LoadedModel,
          other_ids: list[int]) -> Swaps:
    """The chosen model's stream entering block `settings.layer` at `settings.position`, through both norms; that
    block's MLP gate at the token; the MLP shapes; and the stream's norm across layers here and in `other` (the
    post-norm MiniLM beside a pre-norm model, or SmolLM2 beside MiniLM)."""
    model, family = loaded.model, family_of(loaded.model)
    layers, n = layers_of(model), len(ids)
    check(0 <= settings.layer < len(layers),
          CORE_WORDS.text("layer", last=len(layers) - 1, model=loaded.label, value=settings.layer))
    check(-n <= settings.position < n, WORDS.text("position", first=-n, last=n - 1, count=n, value=settings.position))
    block, position = layers[settings.layer], settings.position % n
    with torch.no_grad(), caught(_pre_activation(block, family)) as seen:
        hidden = model(torch.tensor([ids], device=model.device), output_hidden_states=True).hidden_states
    x = hidden[settings.layer][0, position].float()
    gate = gate_values(family, seen["gate"][position].float())
    streams = [stream_norms(loaded, ids), stream_norms(other, other_ids)]
    return Swaps(loaded.label, family, settings.layer, position, token_pieces(loaded.tokenizer, ids)[position],
                 norm_swap(x), gate.tolist(), "silu(gate)" if family == "llama" else "Φ(u)",
                 [*REFERENCE_MLPS, mlp_shape(loaded)], streams)

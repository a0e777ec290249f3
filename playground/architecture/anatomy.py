"""BERT → GPT-2 → T5 → LLaMA → Qwen, one row each, read from the real model objects and their configs.

Nothing here is typed in as prose: each fact comes from the model (its modules, its parameters, a forward pass
with hooks) or its config, so a new architecture fills its own row. The big published configs (Llama-3-8B,
Qwen2.5-7B) are built on the meta device: all the structure, no weights, no memory. The parameter count per
component is counted twice, from the config by formula and from `named_parameters`; a test holds them equal.
"""

import copy
import functools
from dataclasses import dataclass

import torch
from transformers import (
    BertConfig,
    BertModel,
    GPT2Config,
    GPT2LMHeadModel,
    LlamaForCausalLM,
    PreTrainedModel,
    Qwen2ForCausalLM,
    T5Config,
    T5ForConditionalGeneration,
)

from playground.architecture.words import WORDS
from playground.core.published import LLAMA3_8B, QWEN25_7B
from playground.core.seeded import seeded

COMPONENTS = ("embeddings", "attention", "mlp", "norms", "other")
# A parameter's component, from its lower-cased name: the first pattern it contains wins.
NAME_PATTERNS = [
    ("norms", ("norm", "ln_")),
    ("attention", ("attn", "attention")),
    ("embeddings", ("embed", "wte", "wpe", "shared")),
    ("mlp", ("mlp", "densereludense", "intermediate", "output.dense")),
]

REFERENCE_MODELS = [
    ("BERT-base", BertModel, BertConfig()),
    ("GPT-2 (124M)", GPT2LMHeadModel, GPT2Config()),
    ("T5-small", T5ForConditionalGeneration, T5Config()),
    ("Llama-3-8B", LlamaForCausalLM, LLAMA3_8B),
    ("Qwen2.5-7B", Qwen2ForCausalLM, QWEN25_7B),
]


def component_of(name: str) -> str:
    return next((c for c, patterns in NAME_PATTERNS if any(p in name.lower() for p in patterns)), "other")


def counted(model: PreTrainedModel) -> dict[str, int]:
    """Parameters per component, summed over `named_parameters` (tied weights once)."""
    counts = dict.fromkeys(COMPONENTS, 0)
    for name, parameter in model.named_parameters():
        counts[component_of(name)] += parameter.numel()
    return counts


def formula(config) -> dict[str, int]:
    """Parameters per component from the config alone, by each family's formula."""
    kind = config.model_type
    if kind in ("llama", "qwen2"):
        h, layers, heads, kv = config.hidden_size, config.num_hidden_layers, config.num_attention_heads, \
            config.num_key_value_heads
        d = getattr(config, "head_dim", None) or h // heads
        bias = (heads * d + 2 * kv * d) if kind == "qwen2" or config.attention_bias else 0  # Qwen2: q, k, v biases
        embeddings = config.vocab_size * h
        return {"embeddings": embeddings, "attention": layers * (2 * h * heads * d + 2 * h * kv * d + bias),
                "mlp": layers * 3 * h * config.intermediate_size, "norms": (2 * layers + 1) * h,
                "other": 0 if config.tie_word_embeddings else embeddings}
    if kind == "gpt2":
        h, layers, inner = config.n_embd, config.n_layer, config.n_inner or 4 * config.n_embd
        return {"embeddings": (config.vocab_size + config.n_positions) * h,
                "attention": layers * (4 * h * h + 4 * h), "mlp": layers * (2 * h * inner + inner + h),
                "norms": (2 * layers + 1) * 2 * h, "other": 0}
    if kind == "bert":
        h, layers, inner = config.hidden_size, config.num_hidden_layers, config.intermediate_size
        return {"embeddings": (config.vocab_size + config.max_position_embeddings + config.type_vocab_size) * h,
                "attention": layers * (4 * h * h + 4 * h), "mlp": layers * (2 * h * inner + inner + h),
                "norms": (2 * layers + 1) * 2 * h, "other": h * h + h}  # other: the pooler
    if kind == "t5":
        h, inner, ff = config.d_model, config.num_heads * config.d_kv, config.d_ff
        encoder, decoder = config.num_layers, config.num_decoder_layers
        projections = 3 if config.is_gated_act else 2
        return {"embeddings": config.vocab_size * h,
                "attention": (encoder + 2 * decoder) * 4 * h * inner + 2 * config.relative_attention_num_buckets
                * config.num_heads,  # self + cross attention, and one relative-position bias table per stack
                "mlp": (encoder + decoder) * projections * h * ff,
                "norms": (2 * encoder + 1 + 3 * decoder + 1) * h,
                "other": 0 if config.tie_word_embeddings else config.vocab_size * h}
    raise ValueError(f"No parameter formula for model type {kind!r}.")


@dataclass
class AnatomyRow:
    """What a model is made of, as codes (read once; the reference rows are cached), in words when shown."""

    name: str
    layout: str  # "decoder-only", "encoder-only" or "encoder-decoder"
    norm: str
    activation: str
    position_kind: str  # "rope", "relative" or "learned"
    heads: tuple[str, int, int]  # (MHA, MQA or GQA; query heads; KV heads)
    params: dict[str, int]  # per component, from named_parameters

    @property
    def total(self) -> int:
        return sum(self.params.values())

    @property
    def positions(self) -> str:
        return WORDS.text(f"positions.{self.position_kind}")

    @property
    def attention(self) -> str:
        kind, heads, kv = self.heads
        return WORDS.text("heads", kind=kind, heads=heads, kv=kv)

    @property
    def mask(self) -> str:
        return WORDS.text(f"mask.{self.layout}")

    def table_row(self) -> list:
        millions = [round(self.params[c] / 1e6, 2) for c in COMPONENTS]
        return [self.name, WORDS.text(f"layout.{self.layout}"), self.norm, self.activation, self.positions,
                self.attention, self.mask, *millions, round(self.total / 1e6, 1)]


def table_columns() -> list[str]:
    """The table's headers, in the request's language."""
    return [*(WORDS.text(f"column.{c}") for c in ("model", "layout", "norm", "activation", "positions", "attention",
                                                   "mask")),
            *(WORDS.text("column.params", component=WORDS.text(f"component.{c}")) for c in COMPONENTS),
            WORDS.text("column.total")]


def _layout(model: PreTrainedModel) -> str:
    if model.config.is_encoder_decoder:
        return "encoder-decoder"
    return "decoder-only" if model.can_generate() else "encoder-only"


def _norm_type(model: PreTrainedModel) -> str:
    """LayerNorm subtracts the mean and has a bias; RMSNorm (LLaMA's, and T5's own 'T5LayerNorm') has neither."""
    norm = next(m for name, m in model.named_modules() if component_of(name + ".") == "norms" and
                hasattr(m, "weight") and not list(m.children()))
    return "LayerNorm" if getattr(norm, "bias", None) is not None else "RMSNorm"


def _tiny_sibling(model: PreTrainedModel) -> PreTrainedModel:
    """The same architecture with one small layer, to watch the order of a forward pass."""
    config = copy.deepcopy(model.config)
    small = dict(hidden_size=32, num_attention_heads=4, num_hidden_layers=1, num_decoder_layers=1,
                 intermediate_size=64, n_inner=64, d_ff=64, d_kv=8, head_dim=8, vocab_size=64)
    for key, value in small.items():
        if hasattr(config, key):
            setattr(config, key, value)
    if hasattr(config, "num_key_value_heads"):  # keep the kind: MHA, GQA or MQA
        ratio = model.config.num_attention_heads // model.config.num_key_value_heads
        config.num_key_value_heads = max(1, 4 // ratio) if ratio < model.config.num_attention_heads else 1
    with seeded(0):
        return type(model)(config).eval()


def _norm_position(model: PreTrainedModel) -> str:
    """Pre-norm if, inside the first block, a norm runs before attention; post-norm if attention runs first."""
    tiny = _tiny_sibling(model)
    order = []
    hooks = [m.register_forward_pre_hook(lambda mod, args, kind=component_of(name + "."): order.append(kind))
             for name, m in tiny.named_modules() if not list(m.children()) and
             component_of(name + ".") in ("norms", "attention") and ".0." in f".{name}."]
    ids = torch.tensor([[1, 2, 3]])
    with torch.no_grad():
        tiny(ids, decoder_input_ids=ids) if tiny.config.is_encoder_decoder else tiny(ids)
    for hook in hooks:
        hook.remove()
    return "pre-norm" if order and order[0] == "norms" else "post-norm"


def _activation(model: PreTrainedModel) -> str:
    config = model.config
    name = getattr(config, "hidden_act", None) or getattr(config, "activation_function", None) or \
        getattr(config, "dense_act_fn", "?")
    gated = any(n.endswith(("gate_proj.weight", "wi_0.weight")) for n, _ in model.named_parameters())
    return {"silu": "SwiGLU (gated SiLU)"}.get(name, f"gated {name}") if gated else name.upper()


def _positions(model: PreTrainedModel) -> str:
    names = [name for name, _ in model.named_modules()]
    if any(name.endswith("rotary_emb") for name in names):
        return "rope"
    if any("relative_attention_bias" in name for name in names):
        return "relative"
    return "learned"


def _heads(model: PreTrainedModel) -> tuple[str, int, int]:
    config = model.config.get_text_config()
    heads = config.num_attention_heads
    kv = getattr(config, "num_key_value_heads", None) or heads
    return "MHA" if kv == heads else "MQA" if kv == 1 else "GQA", heads, kv


def anatomy_row(name: str, model: PreTrainedModel) -> AnatomyRow:
    return AnatomyRow(name, _layout(model), f"{_norm_type(model)}, {_norm_position(model)}", _activation(model),
                      _positions(model), _heads(model), counted(model))


@functools.cache  # built from constants: the same rows every time
def reference_rows() -> list[AnatomyRow]:
    """One row per reference architecture, each built from its published config on the meta device."""
    rows = []
    for name, cls, config in REFERENCE_MODELS:
        with torch.device("meta"):
            model = cls(copy.deepcopy(config))
        rows.append(anatomy_row(name, model))
    return rows

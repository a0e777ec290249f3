"""The fine-tuning methods the lab compares: peft's own for everything peft has, a bottleneck adapter (which peft
lacks), and full fine-tuning as the honest baseline. Each wraps a private copy of the base model; the shared base
is never touched."""

import copy
from collections.abc import Callable
from dataclasses import dataclass

import torch
from peft import (
    AdaptionPromptConfig,
    IA3Config,
    LoraConfig,
    PrefixTuningConfig,
    PromptEncoderConfig,
    PromptTuningConfig,
    TaskType,
    get_peft_model,
)

from peft.tuners.adaption_prompt.config import TRANSFORMERS_MODEL_CONFIG as ADAPTION_PROMPT_MODELS

from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.seeded import seeded
from playground.core.words import WORDS as CORE
from playground.peft_lab import bottleneck
from playground.peft_lab.words import WORDS

LORA_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class MethodSettings(Settings):
    """Every method's knobs; a method reads only its own."""

    n_virtual: int = 8  # prompt, prefix and P-tuning: virtual tokens
    init_text: str = ""  # prompt tuning: start from these words' embeddings ("" = random)
    encoder_hidden: int = 128  # P-tuning: the prompt encoder's hidden size
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    lora_targets: str = "q_proj,v_proj"  # comma-separated module names
    adapter_len: int = 10  # LLaMA-Adapter: adaption prompt length
    adapter_layers: int = 8  # LLaMA-Adapter: how many top layers get one
    bottleneck_size: int = 32  # bottleneck adapter: the down-projection's width

    RANGES = {"n_virtual": (1, 64), "encoder_hidden": (8, 1024), "lora_r": (1, 256), "lora_alpha": (1, 1024),
              "adapter_len": (1, 64), "adapter_layers": (1, 1024), "bottleneck_size": (1, 1024)}

    def __post_init__(self):
        super().__post_init__()
        check(0.0 <= self.lora_dropout < 1.0, WORDS.text("lora_dropout", value=self.lora_dropout))
        check(set(self.targets) <= set(LORA_MODULES) and self.targets,
              WORDS.text("lora_targets", choices=", ".join(LORA_MODULES), value=repr(self.lora_targets)))

    @property
    def targets(self) -> list[str]:
        return [t.strip() for t in self.lora_targets.split(",") if t.strip()]


@dataclass(frozen=True)
class Method:
    name: str
    title: str
    learning_rate: float  # a sensible default: prompt methods want more than LoRA
    wrap: Callable[[torch.nn.Module, MethodSettings, LoadedModel], torch.nn.Module]
    prompt_learning: bool = False  # adds virtual tokens or a KV prefix: decoded with its own forward (see decode.py)


def _peft(config_of):
    def wrap(model, settings: MethodSettings, loaded: LoadedModel):
        return get_peft_model(model, config_of(settings, loaded))
    return wrap


def _prompt_tuning(s: MethodSettings, loaded: LoadedModel) -> PromptTuningConfig:
    if not s.init_text.strip():
        return PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=s.n_virtual)
    return PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=s.n_virtual,
                              prompt_tuning_init="TEXT", prompt_tuning_init_text=s.init_text,
                              tokenizer_name_or_path=loaded.tokenizer.name_or_path)


def _full(model, settings: MethodSettings, loaded: LoadedModel):
    return model.requires_grad_(True)


METHODS = {m.name: m for m in [
    Method("lora", "LoRA", 2e-3,
           _peft(lambda s, _: LoraConfig(task_type=TaskType.CAUSAL_LM, r=s.lora_r, lora_alpha=s.lora_alpha,
                                         lora_dropout=s.lora_dropout, target_modules=s.targets))),
    Method("ia3", "IA3", 1e-2,
           _peft(lambda s, _: IA3Config(task_type=TaskType.CAUSAL_LM))),
    Method("prompt_tuning", "Prompt tuning", 3e-2, _peft(_prompt_tuning), prompt_learning=True),
    Method("prefix_tuning", "Prefix tuning", 1e-2,
           _peft(lambda s, _: PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=s.n_virtual)),
           prompt_learning=True),
    Method("p_tuning", "P-tuning", 1e-2,
           _peft(lambda s, _: PromptEncoderConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=s.n_virtual,
                                                  encoder_hidden_size=s.encoder_hidden)), prompt_learning=True),
    Method("llama_adapter", "LLaMA-Adapter", 1e-2,
           _peft(lambda s, _: AdaptionPromptConfig(task_type=TaskType.CAUSAL_LM, adapter_len=s.adapter_len,
                                                   adapter_layers=s.adapter_layers))),
    Method("bottleneck", "Bottleneck adapter", 1e-3,
           lambda model, s, _: bottleneck.add_adapters(model, s.bottleneck_size)),
    Method("full", "Full fine-tuning", 5e-5, _full),
]}


def check_method(name: str) -> Method:
    check(name in METHODS, CORE.text("one_of", name="method", choices=", ".join(METHODS), value=repr(name)))
    return METHODS[name]


def adapted_copy(loaded: LoadedModel, method: str, settings: MethodSettings, seed: int = 0) -> torch.nn.Module:
    """A private copy of the shared base with the method added, its new parameters (and only those) trainable. The
    seed draws the method's random initial values."""
    chosen = check_method(method)
    if method == "llama_adapter":
        check(loaded.model.config.model_type in ADAPTION_PROMPT_MODELS,
              WORDS.text("llama_adapter.model", models=", ".join(ADAPTION_PROMPT_MODELS), model=loaded.label,
                         kind=loaded.model.config.model_type))
        check(settings.adapter_layers <= loaded.model.config.num_hidden_layers,
              WORDS.text("adapter_layers", layers=loaded.model.config.num_hidden_layers,
                         value=settings.adapter_layers))
    model = copy.deepcopy(loaded.model).requires_grad_(False)
    with seeded(seed):  # the new weights' initialisation draws from torch's global generator
        return chosen.wrap(model, settings, loaded)


def trainable_parameters(model: torch.nn.Module) -> tuple[int, int]:
    """(trainable, all) parameter counts, each tensor counted once (tied embeddings are one tensor)."""
    seen, trainable, total = set(), 0, 0
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total

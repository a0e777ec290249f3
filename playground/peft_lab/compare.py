"""The same prompt through the base and the adapted model, greedy and sampled, and per token what changed: each
adapted token's probability under both models and the KL divergence between their next-token distributions."""

from contextlib import nullcontext
from dataclasses import dataclass

import torch
from peft.helpers import rescale_adapter_scale

from playground.core.device import device_of, to_cpu
from playground.core.errors import Settings, check
from playground.core.models import LoadedModel
from playground.core.prompts import build_prompt
from playground.core.seeded import SEED_RANGE
from playground.peft_lab.decode import decode
from playground.peft_lab.words import WORDS


@dataclass(frozen=True)
class CompareSettings(Settings):
    max_new_tokens: int = 24
    temperature: float = 0.8
    top_p: float = 0.95
    sample_seed: int = 0
    lora_scale: float = 1.0  # LoRA only: 0 is the base, 1 the adapter as trained

    RANGES = {"max_new_tokens": (1, 128), "lora_scale": (0, 1.5), "sample_seed": SEED_RANGE}

    def __post_init__(self):
        super().__post_init__()
        check(0 < self.temperature <= 3,
              WORDS.text("open_interval", name="temperature", high=3, value=self.temperature))
        check(0 < self.top_p <= 1, WORDS.text("open_interval", name="top_p", high=1, value=self.top_p))

    @property
    def sampling(self) -> dict:
        return {"temperature": self.temperature, "top_p": self.top_p}


@dataclass
class Adapted:
    """A trained or loaded method on its private copy of the base."""

    label: str
    method: str
    model: torch.nn.Module
    prompt_learning: bool


@dataclass
class Comparison:
    prompt_ids: list[int]
    base: dict[str, list[int]]  # "greedy" / "sampled" -> new token ids
    adapted: dict[str, list[int]]
    base_probs: torch.Tensor  # the base's greedy tokens, each one's probability under the base
    adapted_probs: torch.Tensor  # the adapted greedy tokens: probability under the adapted model
    adapted_under_base: torch.Tensor  # the same tokens' probability under the base
    kl: torch.Tensor  # per adapted token: KL(adapted ‖ base) of the distributions that chose it, in nats


def scaled(adapted: Adapted, scale: float):
    """LoRA's update times `scale` for a while (peft's `rescale_adapter_scale`, which is LoRA-only)."""
    if adapted.method != "lora":
        check(scale == 1.0, WORDS.text("lora_scale", adapter=adapted.label, method=adapted.method))
        return nullcontext()
    return rescale_adapter_scale(adapted.model, scale)


def next_token_log_probs(model, ids: list[int], new: list[int]) -> torch.Tensor:
    """(len(new), vocab): the log-distributions that predicted each of `new` after `ids`, one teacher-forced
    forward (prompt-learning models put their virtual tokens first: only the text's last positions count)."""
    sequence = torch.tensor([ids + new], device=device_of(model))
    with torch.inference_mode():
        logits = to_cpu(model(input_ids=sequence, attention_mask=torch.ones_like(sequence)).logits[0])
    logits = logits[-sequence.shape[1]:]
    return torch.log_softmax(logits[len(ids) - 1: len(ids) - 1 + len(new)], dim=-1)


def _chosen(log_probs: torch.Tensor, new: list[int]) -> torch.Tensor:
    return log_probs[torch.arange(len(new)), torch.tensor(new, dtype=torch.long)].exp()


def compare(loaded: LoadedModel, adapted: Adapted, prompt_text: str, settings: CompareSettings) -> Comparison:
    ids = build_prompt(loaded.tokenizer, prompt_text, use_chat_template=False).input_ids
    eos, n = loaded.eos_token_ids, settings.max_new_tokens
    base = {"greedy": decode(loaded.model, False, ids, n, eos),
            "sampled": decode(loaded.model, False, ids, n, eos, settings.sampling, settings.sample_seed)}
    with scaled(adapted, settings.lora_scale):
        mine = {"greedy": decode(adapted.model, adapted.prompt_learning, ids, n, eos),
                "sampled": decode(adapted.model, adapted.prompt_learning, ids, n, eos, settings.sampling,
                                  settings.sample_seed)}
        adapted_lp = next_token_log_probs(adapted.model, ids, mine["greedy"])
    base_lp = next_token_log_probs(loaded.model, ids, mine["greedy"])
    kl = (adapted_lp.exp() * (adapted_lp - base_lp)).sum(-1)
    base_probs = _chosen(next_token_log_probs(loaded.model, ids, base["greedy"]), base["greedy"])
    return Comparison(ids, base, mine, base_probs, _chosen(adapted_lp, mine["greedy"]),
                      _chosen(base_lp, mine["greedy"]), kl.clamp(min=0.0))

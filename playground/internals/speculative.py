"""Speculative decoding on the loaded model, through transformers' own assisted generation: a drafter proposes
tokens, the model checks them all in one forward pass and keeps the longest prefix it agrees with, then adds one
token of its own. Each target step is recorded (drafted, accepted, the model's token) and the run is timed against
plain decoding of the same prompt in the same request."""

import copy
import time
from dataclasses import dataclass, field

import torch
from transformers import LogitsProcessorList

from playground.core.errors import PlaygroundError, Settings, check
from playground.core.models import LoadedModel, load_causal_lm
from playground.core.prompts import build_prompt
from playground.core.seeded import seeded
from playground.core.words import WORDS as CORE
from playground.internals.kv_cache import StepClock
from playground.internals.words import WORDS

DRAFTERS = ("prompt_lookup", "early_exit", "draft_model")  # their names: words "drafter.*"
MAX_SPECULATIVE_TOKENS = 256
MAX_DRAFT_LENGTH = 32
# At temperature 1 with no truncation, the sampled distribution is the model's own: what the rejection rule keeps.
FULL_DISTRIBUTION = dict(temperature=1.0, top_k=0, top_p=1.0)


@dataclass(frozen=True)
class SpeculativeSettings(Settings):
    drafter: str = "prompt_lookup"
    draft_length: int = 8  # tokens the drafter proposes per target step
    exit_layer: int = 24  # early exit: the drafter is the model's first exit_layer layers
    draft_model: str = "tiny-qwen2"  # draft_model: a registry key or Hub id sharing the target's tokenizer
    max_new_tokens: int = 64
    do_sample: bool = False
    seed: int = 0

    RANGES = {"draft_length": (1, MAX_DRAFT_LENGTH), "exit_layer": (1, 1_000),
              "max_new_tokens": (1, MAX_SPECULATIVE_TOKENS), "seed": (0, 2**31 - 1)}

    def __post_init__(self):
        super().__post_init__()
        check(self.drafter in DRAFTERS,
              CORE.text("one_of", name="drafter", choices=", ".join(DRAFTERS), value=repr(self.drafter)))


@dataclass
class DraftStep:
    """One forward pass of the target model over the drafted tokens."""
    drafted: list[int]  # what the drafter proposed (empty: prompt lookup found no match, a plain step)
    accepted: int  # how many of them, from the first, the model kept
    added: int  # the model's own token: in place of the first rejected draft, or after them all (the last pass,
    # cut by max_new_tokens or the end of text, may end on a draft the model agreed with)
    drafted_probs: list[float]  # each drafted token's probability under the model, at its position
    added_prob: float
    seconds: float  # since the run started, when this step's tokens were in

    @property
    def new_tokens(self) -> int:
        return self.accepted + 1


@dataclass
class FirstDraft:
    """The first step that had a draft: the model's and the drafter's next-token logits at its first position."""
    draft_token: int
    target_logits: torch.Tensor  # p, as logits over the vocabulary
    draft_logits: torch.Tensor | None  # q; None for prompt lookup, whose q is all on the copied token


@dataclass
class SpeculativeRun:
    prompt_tokens: int
    token_ids: list[int]
    steps: list[DraftStep]
    plain_ids: list[int]
    plain_seconds: list[float]  # since the plain run started, when each of its tokens was in
    first_draft: FirstDraft | None = field(default=None, repr=False)

    @property
    def seconds(self) -> float:
        return self.steps[-1].seconds if self.steps else 0.0

    @property
    def drafted(self) -> int:
        return sum(len(s.drafted) for s in self.steps)

    @property
    def accepted(self) -> int:
        return sum(s.accepted for s in self.steps)

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.drafted if self.drafted else 0.0

    @property
    def tokens_per_forward(self) -> float:
        return len(self.token_ids) / len(self.steps)

    @property
    def speedup(self) -> float:
        """Plain decoding's time over speculative decoding's, per token (they match in length when greedy)."""
        plain = self.plain_seconds[-1] / len(self.plain_ids)
        return plain / (self.seconds / len(self.token_ids))

    @property
    def same_as_plain(self) -> bool:
        return self.token_ids == self.plain_ids


def private_view(model):
    """The model's own weights behind its own config and generation config. Early exit drafts by lowering
    `config.num_hidden_layers` for a moment, and the heuristic draft schedule writes back to the generation config:
    on the shared model, another request running then would see both. Here they change a copy only."""
    view = copy.copy(model)
    view._modules = dict(model._modules)
    prefix = model.base_model_prefix
    base = copy.copy(getattr(model, prefix))
    base._modules = dict(base._modules)
    view.config = base.config = copy.deepcopy(model.config)
    view._modules[prefix] = base
    view.generation_config = copy.deepcopy(model.generation_config)
    return view


class RecordingCandidates:
    """transformers' candidate generator for this run, recording what it proposed and what the model kept. generate
    exposes no hook between the draft and the check, so the view's `_get_candidate_generator` hands out this
    wrapper; everything else passes through to the real generator."""

    def __init__(self, inner, started: float):
        self.inner, self.started = inner, started
        self.steps: list[DraftStep] = []
        self.first_draft: FirstDraft | None = None
        self._pending = None

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def get_candidates(self, input_ids, **kwargs):
        candidate_ids, candidate_logits = self.inner.get_candidates(input_ids, **kwargs)
        self._pending = (input_ids.shape[1], candidate_ids[0, input_ids.shape[1]:].tolist(), candidate_logits)
        return candidate_ids, candidate_logits

    def update_candidate_strategy(self, input_ids, scores, num_matches):
        start, drafted, draft_logits = self._pending
        kept = input_ids[0, start:].tolist()
        probs = scores[0].float().softmax(-1)
        n = int(num_matches)
        if drafted and self.first_draft is None:
            self.first_draft = FirstDraft(drafted[0], scores[0, 0].float().clone(),
                                          None if draft_logits is None else draft_logits[0, 0].float().clone())
        self.steps.append(DraftStep(drafted, n, kept[-1], [float(probs[i, t]) for i, t in enumerate(drafted)],
                                    float(probs[n, kept[-1]]), time.perf_counter() - self.started))
        return self.inner.update_candidate_strategy(input_ids, scores, num_matches)


def drafter_arguments(loaded: LoadedModel, view, settings: SpeculativeSettings) -> dict:
    """generate's arguments for the chosen drafter, with a constant draft length (transformers' default grows and
    shrinks it and stops a draft early when the drafter is unsure: fine for speed, harder to read)."""
    if settings.drafter == "prompt_lookup":
        return {"prompt_lookup_num_tokens": settings.draft_length}
    if settings.drafter == "early_exit":
        layers = loaded.model.config.get_text_config().num_hidden_layers
        check(settings.exit_layer < layers, WORDS.text("exit_layer", last=layers - 1, model=loaded.label,
                                                        layers=layers))
        base = getattr(loaded.model, loaded.model.base_model_prefix)
        check(hasattr(base, "layers"), WORDS.text("no_early_exit", model=loaded.label))
        drafter, arguments = view, {"assistant_early_exit": settings.exit_layer}
    else:
        drafter = private_view(draft_model_for(loaded, settings.draft_model).model)
        arguments = {"assistant_model": drafter}
    drafter.generation_config.num_assistant_tokens = settings.draft_length
    drafter.generation_config.num_assistant_tokens_schedule = "constant"
    drafter.generation_config.assistant_confidence_threshold = 0.0
    return arguments


def draft_model_for(loaded: LoadedModel, key: str) -> LoadedModel:
    """The draft model, which must read and write the same tokens as the target: drafts are checked token by token."""
    draft = load_causal_lm(key)
    if draft.tokenizer.get_vocab() != loaded.tokenizer.get_vocab():
        raise PlaygroundError(WORDS.text("other_tokenizer", draft=draft.label, model=loaded.label,
                                         draft_size=len(draft.tokenizer), size=len(loaded.tokenizer)))
    return draft


def _generate(model, loaded: LoadedModel, ids: torch.Tensor, settings: SpeculativeSettings, **kwargs):
    sampling = FULL_DISTRIBUTION if settings.do_sample else {}
    with torch.inference_mode(), seeded(settings.seed):
        return model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=settings.max_new_tokens,
                              do_sample=settings.do_sample, pad_token_id=loaded.tokenizer.pad_token_id,
                              **sampling, **kwargs)


def plain_run(loaded: LoadedModel, ids: torch.Tensor, settings: SpeculativeSettings) -> tuple[list[int], list[float]]:
    """Plain decoding, one forward pass per token, stamped per token."""
    clock = StepClock()
    started = time.perf_counter()
    out = _generate(loaded.model, loaded, ids, settings, logits_processor=LogitsProcessorList([clock]))
    return out[0, ids.shape[1]:].tolist(), [stamp - started for stamp in clock.stamps]


def speculative_run(loaded: LoadedModel, prompt: str, settings: SpeculativeSettings,
                    use_chat_template: bool = True) -> SpeculativeRun:
    """Plain decoding, then speculative decoding with the chosen drafter, of the same prompt; after a short
    warm-up, so neither pays for the process's first forward pass."""
    ids = torch.tensor([build_prompt(loaded.tokenizer, prompt, use_chat_template).input_ids],
                       device=loaded.model.device)
    view = private_view(loaded.model)
    arguments = drafter_arguments(loaded, view, settings)
    _generate(loaded.model, loaded, ids, SpeculativeSettings(max_new_tokens=2))
    plain_ids, plain_seconds = plain_run(loaded, ids, settings)
    recorders = []

    def recording(*args, **kwargs):
        recorders.append(RecordingCandidates(type(view)._get_candidate_generator(view, *args, **kwargs), started))
        return recorders[-1]

    view._get_candidate_generator = recording
    started = time.perf_counter()
    out = _generate(view, loaded, ids, settings, **arguments)
    recorder = recorders[0]
    return SpeculativeRun(ids.shape[1], out[0, ids.shape[1]:].tolist(), recorder.steps, plain_ids, plain_seconds,
                          recorder.first_draft)

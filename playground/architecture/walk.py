"""One transformer block walked number by number: each step computed here from the block's weights, and checked
against what the model's own module computed in the same forward pass (caught by forward hooks).

A step keeps the whole sequence (attention needs every position) and reports, at the chosen position, the
vector's first values and its norm, so that the residual stream's growth through the block can be read off.
The families differ in where the norms sit and which MLP they use (walk_llama, walk_gpt2, walk_bert);
block_walk runs the forward pass and picks the family.
"""

from dataclasses import dataclass, field

import torch

from playground.architecture.words import WORDS
from playground.core.errors import Settings

STRIP = 8  # values of a vector shown, from its start


@dataclass(frozen=True)
class WalkSettings(Settings):
    layer: int = 0
    position: int = -1  # negative: counted from the end (-1: the last token)


@dataclass(frozen=True)
class Step:
    kind: str  # the step's name as given: a key of words.py ("entering", "residual_add") or code ("LayerNorm")
    name: str  # in words, in the request's language
    formula: str
    shape: tuple[int, ...]
    strip: list[float]  # the first values at the chosen position
    norm: float  # of the whole vector at the chosen position
    difference: float | None  # max |here - the module's own| over every position; None: nothing to compare with
    scale: float | None  # max |the module's own|: float32 keeps about 7 significant digits of it
    checked_against: str  # what it was compared with, in words

    @property
    def relative(self) -> float | None:
        """The difference as a share of the tensor's largest value: float32 rounding shows as about 1e-7 here,
        whatever the size of the numbers (SmolLM2's first token carries values in the hundreds)."""
        return None if self.difference is None else self.difference / max(self.scale, 1.0)


@dataclass
class BlockWalk:
    model_label: str
    family: str
    layer: int
    position: int
    tokens: list[str]
    steps: list[Step] = field(default_factory=list)

    @property
    def max_difference(self) -> float:
        return max((s.difference for s in self.steps if s.difference is not None), default=0.0)

    @property
    def max_relative(self) -> float:
        return max((s.relative for s in self.steps if s.relative is not None), default=0.0)

    def payload(self) -> dict:
        return {"model": self.model_label, "family": self.family, "layer": self.layer, "position": self.position,
                "tokens": self.tokens, "max_difference": self.max_difference, "max_relative": self.max_relative,
                "steps": [vars(s) | {"shape": list(s.shape), "relative": s.relative} for s in self.steps]}


class Walker:
    """Records the steps of one walk: `step` takes a tensor computed here (sequence first) and the key of the
    module output it must equal."""

    def __init__(self, walk: BlockWalk, seen: dict[str, torch.Tensor]):
        self.walk, self.seen = walk, seen

    def step(self, name: str, formula: str, here: torch.Tensor, key: str | None = None,
             oracle: torch.Tensor | None = None, against: str = "", **values) -> torch.Tensor:
        """Adds a step; `key` names a caught module tensor to compare with, or `oracle` is one given directly.
        `name` is a step's key in words.py ("step.<name>") or code shown as it is; `formula` likewise ("f.<name>",
        filled with `values`)."""
        theirs = self.seen[key] if key is not None else oracle
        difference = scale = None
        if theirs is not None:
            theirs = theirs.reshape(here.shape).double()
            difference, scale = (here.double() - theirs).abs().max().item(), theirs.abs().max().item()
        at = here[self.walk.position].flatten()
        self.walk.steps.append(Step(
            name, words(f"step.{name}", name), words(f"f.{formula}", formula, **values), tuple(here.shape),
            [round(v, 5) for v in at[:STRIP].tolist()], at.norm().item(), difference, scale,
            words(against, against) or (WORDS.text("output_of", module=key) if key is not None else "")))
        return here


def words(key: str, code: str, **values) -> str:
    """A step's words for `key` in the request's language, or `code` (a formula, a module's name) as it is."""
    return WORDS.text(key, **values) if key in WORDS.entries else code


def linear(x: torch.Tensor, module) -> torch.Tensor:
    """x · Wᵀ + b in float32 (nn.Linear's layout: out × in)."""
    y = x @ module.weight.float().T
    return y + module.bias.float() if module.bias is not None else y

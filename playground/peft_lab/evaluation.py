"""Held-out exact match: does greedy decoding of the prompt give exactly the completion?"""

from dataclasses import dataclass

from playground.peft_lab.data import Example
from playground.peft_lab.decode import decode


@dataclass
class Scores:
    exact_match: float  # share of held-out rows answered exactly
    outputs: list[str]  # what the model wrote for each row


def completion_tokens(tokenizer, examples: list[Example]) -> int:
    """Room for the longest expected completion and its end-of-text token, plus a little."""
    return max(len(tokenizer(e.completion, add_special_tokens=False)["input_ids"]) for e in examples) + 4


def exact_match(model, prompt_learning: bool, tokenizer, eos_ids: set[int], examples: list[Example]) -> Scores:
    budget = completion_tokens(tokenizer, examples)
    outputs = []
    for e in examples:
        ids = tokenizer(e.prompt, add_special_tokens=False)["input_ids"]
        new = [t for t in decode(model, prompt_learning, ids, budget, eos_ids) if t not in eos_ids]
        outputs.append(tokenizer.decode(new))
    hits = sum(out.strip() == e.completion.strip() for out, e in zip(outputs, examples))
    return Scores(hits / len(examples), outputs)

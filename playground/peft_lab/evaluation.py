"""Held-out exact match: does greedy decoding of the prompt give exactly the completion?"""

from dataclasses import dataclass

import torch

from playground.core.device import device_of
from playground.core.prompts import encode_text
from playground.peft_lab.data import Example
from playground.peft_lab.decode import decode


@dataclass
class Scores:
    exact_match: float  # share of held-out rows answered exactly
    outputs: list[str]  # what the model wrote for each row


def completion_tokens(tokenizer, examples: list[Example]) -> int:
    """Room for the longest expected completion and its end-of-text token, plus a little."""
    return max(len(encode_text(tokenizer, e.completion)) for e in examples) + 4


def batched_greedy(model, rows: list[list[int]], max_new_tokens: int, eos_ids: set[int], pad_id: int) -> list:
    """Greedy continuations of every row in one left-padded `generate` call (decoding is bound by memory
    bandwidth, so a batch costs little more than one row)."""
    n = max(map(len, rows))
    ids = torch.tensor([[pad_id] * (n - len(r)) + r for r in rows], device=device_of(model))
    mask = torch.tensor([[0] * (n - len(r)) + [1] * len(r) for r in rows], device=ids.device)
    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, do_sample=False,
                             eos_token_id=sorted(eos_ids), pad_token_id=pad_id)
    return out[:, n:].tolist()


def exact_match(model, prompt_learning: bool, tokenizer, eos_ids: set[int], examples: list[Example]) -> Scores:
    """Prompt-learning methods decode row by row with their own forward (see decode.py); the others, and the
    base, in one batch."""
    budget = completion_tokens(tokenizer, examples)
    rows = [encode_text(tokenizer, e.prompt) for e in examples]
    if prompt_learning:
        continuations = [decode(model, True, ids, budget, eos_ids) for ids in rows]
    else:
        continuations = batched_greedy(model, rows, budget, eos_ids, tokenizer.pad_token_id)
    outputs = []
    for new in continuations:
        kept = []
        for t in new:
            if t in eos_ids:
                break
            kept.append(t)
        outputs.append(tokenizer.decode(kept))
    hits = sum(out.strip() == e.completion.strip() for out, e in zip(outputs, examples))
    return Scores(hits / len(examples), outputs)

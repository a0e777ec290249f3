"""Text from an adapted model that follows the forward pass training optimised.

In this stack (peft 0.21.2, transformers 5.24) `generate` does not run prompt tuning, P-tuning or prefix tuning
the way their forward does. transformers 5 renamed the cache that `prepare_inputs_for_generation` hands on from
`past_key_values` to `cache`, and no longer passes `attention_mask` or `cache_position` there; peft's fix-ups for
prompt learning look for those old names, find nothing, and skip: the virtual tokens' positions and the attention
mask over them are not extended, so with a cache the continuation drifts from the forward (and prefix tuning's
prefix, itself handed over as a cache, drifts even without one). So these methods decode here without a cache,
running the method's own forward over the whole text at each step; every other method uses `generate`. A test
holds each method's output to a step-by-step argmax of its own forward.
"""

import torch
from transformers import LogitsProcessorList

from playground.core.device import device_of, to_cpu
from playground.core.seeded import seeded
from playground.sampling.processors import processors_for


def forward_decode(model, ids: list[int], max_new_tokens: int, eos_ids: set[int],
                   processors: LogitsProcessorList | None = None,
                   generator: torch.Generator | None = None) -> list[int]:
    """New token ids, one full forward per step: argmax, or a draw after `processors` (transformers' own warpers)
    when a generator is given."""
    sequence = torch.tensor([ids], device=device_of(model))
    new: list[int] = []
    with torch.inference_mode():
        for _ in range(max_new_tokens):
            logits = to_cpu(model(input_ids=sequence, attention_mask=torch.ones_like(sequence)).logits[:, -1])
            if generator is None:
                token = int(logits.argmax(-1))
            else:  # on the CPU, where the seeded generator draws
                scores = (processors or LogitsProcessorList())(sequence.cpu(), logits)
                token = int(torch.multinomial(torch.softmax(scores, -1), 1, generator=generator))
            new.append(token)
            if token in eos_ids:
                break
            sequence = torch.cat([sequence, torch.tensor([[token]], device=sequence.device)], dim=1)
    return new


def decode(model, prompt_learning: bool, ids: list[int], max_new_tokens: int, eos_ids: set[int],
           sampling: dict | None = None, seed: int = 0) -> list[int]:
    """New token ids: greedy, or sampled with `sampling` (generate's arguments: temperature, top_p, top_k)."""
    if prompt_learning:
        generator = torch.Generator().manual_seed(seed) if sampling else None
        return forward_decode(model, ids, max_new_tokens, eos_ids,
                              LogitsProcessorList(processors_for(sampling or {})), generator)
    ids_tensor = torch.tensor([ids], device=device_of(model))
    with seeded(seed), torch.inference_mode():  # torch's global generator, in turns (see core/seeded.py)
        out = model.generate(input_ids=ids_tensor, attention_mask=torch.ones_like(ids_tensor),
                             max_new_tokens=max_new_tokens, do_sample=bool(sampling), eos_token_id=sorted(eos_ids),
                             pad_token_id=min(eos_ids, default=0), **(sampling or {}))
    return out[0, len(ids):].tolist()

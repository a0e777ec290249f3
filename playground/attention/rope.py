"""RoPE, seen: the rotated q·k score depends only on how far apart the two tokens are.

Rotary position embedding (Su et al., 2021, https://arxiv.org/abs/2104.09864) turns each pair of a vector's
dimensions by an angle proportional to the token's position. The dot product of two turned vectors depends on the
difference of their angles, so on m − n only. Here the real, un-rotated q and k of two tokens of the prompt are
placed at other positions with the model's own rotary module and `apply_rotary_pos_emb`, and scored again.
"""

import sys
from dataclasses import dataclass

import torch

from playground.attention.cell import layer_inputs
from playground.attention.words import WORDS
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.core.twins import eager_twin

SHIFTS = (0, 1, 10, 100, 1000)


@dataclass
class RopeDemo:
    query: int
    key: int
    shifted: list[tuple[int, int, float]]  # (query position, key position, score): the pair moved together
    distances: list[int]  # query position − key position
    distance_scores: list[float]  # the same two vectors at each distance


def rope_demo(loaded: LoadedModel, token_ids: list[int], layer: int, head: int, query: int, key: int,
              max_distance: int = 256) -> RopeDemo:
    """Score the pair's real q and k at their own positions, moved together by SHIFTS, and at every distance."""
    inputs = layer_inputs(loaded, token_ids, layer, head)
    check(inputs.uses_rope, WORDS.text("no_rope", model=loaded.label))
    rotary = next(m for name, m in eager_twin(loaded.model).named_modules() if name.endswith("rotary_emb"))
    apply = sys.modules[type(inputs.module).__module__].apply_rotary_pos_emb
    kv_head = head // (inputs.queries.shape[1] // inputs.keys.shape[1])
    q, k = inputs.queries[0, head, query], inputs.keys[0, kv_head, key]

    def score(query_position: int, key_position: int) -> float:
        cos, sin = rotary(q[None, None], torch.tensor([[query_position, key_position]], device=q.device))
        turned_q, _ = apply(q[None, None, None], q[None, None, None], cos[:, :1], sin[:, :1])
        turned_k, _ = apply(k[None, None, None], k[None, None, None], cos[:, 1:], sin[:, 1:])
        return float((turned_q.flatten() @ turned_k.flatten()) * inputs.module.scaling)

    with torch.inference_mode():
        shifted = [(query + c, key + c, score(query + c, key + c)) for c in SHIFTS]
        distances = list(range(0, max_distance + 1))
        distance_scores = [score(d, 0) for d in distances]
    return RopeDemo(query, key, shifted, distances, distance_scores)

"""torch's global random generator, taken in turns.

`generate(do_sample=True)`, a LoRA's initialisation and a random-weight model all draw from the one generator of
the process, seeded with `torch.manual_seed`. Two requests that seed and draw at once interleave their draws, and
a fixed seed stops giving a fixed result (the load test caught this under 16 clients). So whatever seeds the
global generator and then draws from it does so inside `seeded`, one request at a time. One draw stays outside:
dropout during a training step (LoRA's lora_dropout above 0), which may shift a sampled result that runs at the
same moment. Per-request generators, which would let them all run together, are issue 12's.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import torch

_turn = threading.RLock()

SEED_RANGE = (0, 2**63 - 1)  # torch.manual_seed takes these (and wraps negatives, which would be two names for one)


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    with _turn:
        torch.manual_seed(seed)
        yield

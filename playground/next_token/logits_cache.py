"""Last-position logits per (model, context): a change of sampling parameter never re-runs the model."""

import threading
from collections import OrderedDict

import torch

from playground.core.device import to_cpu
from playground.core.errors import check
from playground.core.models import LoadedModel
from playground.next_token.words import WORDS


class LogitsCache:
    """A small LRU of the model's next-token logits, shared by every session (they depend on nothing private)."""

    def __init__(self, size: int = 32):
        self.size = size
        self._store: "OrderedDict[tuple, torch.Tensor]" = OrderedDict()
        self._lock = threading.Lock()
        self.forward_passes = 0

    def get(self, loaded: LoadedModel, context_ids: list[int]) -> torch.Tensor:
        key = (loaded.key, tuple(context_ids))
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                return self._store[key]
        check(len(context_ids) < loaded.context_length, WORDS.text("too_long", label=loaded.label))
        with torch.inference_mode():
            logits = to_cpu(loaded.model(torch.tensor([context_ids], device=loaded.model.device)).logits[0, -1])
        with self._lock:
            self.forward_passes += 1
            self._store[key] = logits
            while len(self._store) > self.size:
                self._store.popitem(last=False)
        return logits


LOGITS = LogitsCache()

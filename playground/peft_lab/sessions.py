"""Who owns what. Each browser session (or API client) has its own finished runs and its own last adapter, and
can stop only its own job; nothing in one session is reachable from another. One training job runs at a time:
Gradio's queue holds the others and shows each its position (the UI wires training with concurrency 1)."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from playground.peft_lab.compare import Adapted

MAX_SESSIONS = 8  # sessions that keep an adapter in memory; the least recently used one lets its adapter go


@dataclass
class Session:
    stop: threading.Event = field(default_factory=threading.Event)
    runs: list[dict] = field(default_factory=list)  # each finished run's record (see records.py)
    adapter: Adapted | None = None  # the last trained or uploaded one
    adapter_folder: object = None  # where it is saved, for download
    adapter_base: str = ""  # the key of the model it adapts


class Sessions:
    def __init__(self, capacity: int = MAX_SESSIONS):
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def get(self, session_id: str) -> Session:
        with self._lock:
            session = self._sessions.setdefault(session_id, Session())
            self._sessions.move_to_end(session_id)
            while len(self._sessions) > self.capacity:
                self._sessions.popitem(last=False)
            return session


SESSIONS = Sessions()

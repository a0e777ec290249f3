"""At most N requests a minute from each visitor (PLAYGROUND_RATE_LIMIT; on by default on a public Space).

Gradio has no per-client limit of its own; its queue bounds how many requests wait, not who sends them. A visitor
is the first address in X-Forwarded-For (a Space sits behind a proxy), else the connecting address.
"""

import collections
import threading
import time

import gradio as gr

from playground.core.errors import PlaygroundError
from playground.core.words import WORDS

WINDOW = 60.0


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self._sent: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def check(self, visitor: str) -> None:
        """Count one request from `visitor`, or refuse it with how long to wait."""
        now = self.clock()
        with self._lock:
            sent = self._sent[visitor]
            while sent and now - sent[0] >= WINDOW:
                sent.popleft()
            if len(sent) >= self.per_minute:
                wait = WINDOW - (now - sent[0])
                raise PlaygroundError(WORDS.text("rate_limit", per_minute=self.per_minute, wait=wait))
            sent.append(now)


def visitor(request: gr.Request | None) -> str:
    if request is None:
        return "local"
    forwarded = request.headers.get("x-forwarded-for", "")
    return forwarded.split(",")[0].strip() or (request.client.host if request.client else "unknown")

"""Where a batched comparison's time goes: the batcher's record of each segment it decoded and of each request's
way through it, for benchmarks/bench_batching.py's breakdown. In memory, the last few thousand of each.

A request's way: it arrives (the handler hands it to the batcher), waits to board (the merge window, or a full
batch), is decoded over one or more segments, and finishes (its rows are done). A segment: its newcomers'
prompts prefilled and the caches stacked, then `generate`'s steps, each a forward pass of every row plus the
per-row draw and the trace figures.

Example:
    BATCHER.timeline.clear(); ...serve...; BATCHER.timeline.segments[0].decode_s
"""

import time
from collections import deque
from dataclasses import dataclass, field

KEEP = 4096


@dataclass(frozen=True)
class Segment:
    rows: int  # rows decoded in it
    newcomers: int  # rows that boarded just before it
    prompts: int  # distinct prompts prefilled for them
    started: float  # perf_counter
    prefill_s: float
    stack_s: float  # the running rows' and the newcomers' caches cut, padded and stacked
    steps: int
    decode_s: float  # generate's steps, less the draws and figures below: the forward passes and generate's own work
    drawing_s: float  # per-row penalties, warpers and draws
    figures_s: float  # each step's trace figures (probabilities, rank, entropy, top alternatives)
    ended: float

    @property
    def step_s(self) -> float:
        """One step's forward pass (and generate's own work) at this many rows."""
        return self.decode_s / max(self.steps, 1)


@dataclass
class Journey:
    seed: int
    prompt_tokens: int
    rows: int
    arrived: float = field(default_factory=time.perf_counter)  # handed to the batcher
    boarded: float = 0.0  # its rows' first segment began (the last boarding, for one run again alone)
    finished: float = 0.0  # its rows were done
    traced: float = 0.0  # its results (texts and traces) were built


class Timeline:
    def __init__(self, keep: int = KEEP):
        self.segments: deque[Segment] = deque(maxlen=keep)
        self.journeys: deque[Journey] = deque(maxlen=keep)

    def clear(self) -> None:
        self.segments.clear()
        self.journeys.clear()

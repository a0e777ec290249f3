"""What torch.profiler says about a piece of work: the peak of the memory it allocated, and where its time went.

CPU tensors have no `max_memory_allocated` (that is CUDA's), but the profiler records every allocation and free
with the running total, so the peak above the starting point is exact, not sampled like RSS.
"""

import json
import os
import tempfile
import threading
from collections.abc import Callable

from torch.profiler import ProfilerActivity, profile, record_function

CPU = 0  # the profiler's device type for host memory
# The profiler (kineto) is one per process: two sessions at once, from two users' requests, crash the server
# with a segmentation fault (found by tests/api/test_load.py). So sessions take turns.
_one_session = threading.Lock()
WHOLE = "playground: the whole work"


def peak_allocated_bytes(work: Callable[[], object]) -> int:
    """The most bytes `work` held allocated at once, above what was allocated when it began."""
    with _one_session, profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        work()
    handle, path = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    try:
        prof.export_chrome_trace(path)  # the memory events with running totals are only exported, not exposed
        with open(path) as f:
            events = [e["args"] for e in json.load(f)["traceEvents"]
                      if e.get("name") == "[memory]" and e["args"].get("Device Type") == CPU]
    finally:
        os.remove(path)
    if not events:
        return 0
    start = events[0]["Total Allocated"] - events[0]["Bytes"]
    return max(0, max(e["Total Allocated"] for e in events) - start)


def self_time_by_op(work: Callable[[], object]) -> tuple[dict[str, float], float]:
    """Each op's own CPU time in `work`, in seconds (children excluded, so the times add up), and the whole of
    `work` as the profiler timed it (so what no op accounts for, Python included, is the difference)."""
    with _one_session, profile(activities=[ProfilerActivity.CPU]) as prof:
        with record_function(WHOLE):
            work()
    events = prof.key_averages()
    whole = next(e.cpu_time_total for e in events if e.key == WHOLE) / 1e6
    return {e.key: e.self_cpu_time_total / 1e6 for e in events if "::" in e.key}, whole

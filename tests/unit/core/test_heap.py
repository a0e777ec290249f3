"""The server's garbage-collector setting: what exists is frozen out of the scans, the young are collected less
often, and a cycle made afterwards is still collected."""

import gc
import weakref

import pytest

from playground.core import heap


@pytest.fixture
def restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_freezes_what_exists_and_the_collector_still_collects_new_cycles(restored):
    class Node:
        pass

    before = Node()
    heap.settle()
    assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == heap.YOUNG_THRESHOLD
    assert not gc.is_tracked(before) or before not in gc.get_objects()  # frozen: outside every generation
    cycle = Node()
    cycle.me = cycle
    gone = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert gone() is None

"""A view that refreshes as a person edits its controls does so through one listener, so that a session's
refreshes run one at a time and the last edit wins. A listener per control ran side by side, and the attention
heatmap in Chromium once showed the layer's refresh (with the old head) landing after the head's."""

from collections import Counter

from playground.ui import build_app

EDITS = {"input", "change"}


def test_each_live_view_is_refreshed_by_one_listener():
    dependencies = build_app().config["dependencies"]
    live = [d for d in dependencies if d["backend_fn"] and d["outputs"] and {event for _, event in d["targets"]} & EDITS]
    writers = Counter(tuple(d["outputs"]) for d in live)
    assert writers, "no live views found"
    assert all(count == 1 for count in writers.values()), writers
    assert max(len(d["targets"]) for d in live) >= 4  # the grouped knobs really are one listener's triggers

"""Python's garbage collector, set for a long-running server once the app has loaded.

The loaded app holds about 700,000 Python objects (models, tokenizers, the panels' openings), and a batch's
`generate` makes many short-lived ones at every step. The collector scanned the long-lived ones again and again:
in the batching benchmark its passes took about 1.5 s of a 16 s classroom, holding the interpreter lock that the
decoding driver needs between its steps. Freezing what exists once the app has loaded (`gc.freeze`, as preforking
servers such as gunicorn do) takes those out of every scan, and a higher first threshold makes the young
collections rarer; the collector still runs.

Example:
    settle()  # after the models and openings are loaded, before or while serving
"""

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (Python's default is 700)


def settle() -> None:
    """Collect once, freeze the survivors out of later collections, and collect the young less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)

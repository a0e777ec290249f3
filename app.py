"""Entry point: build the Blocks app and serve it (host and port from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT)."""

import logging
import os
import sys
import threading

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # works offline: no usage pings from the server

from playground.core import device, heap, models  # noqa: E402
from playground.core.errors import PlaygroundError  # noqa: E402
from playground.ui import LAUNCH_KWARGS, build_app, queued  # noqa: E402
from playground.ui.opening import compute_all  # noqa: E402

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

try:  # PLAYGROUND_DEVICE / PLAYGROUND_DTYPE this machine cannot honour: say so and stop, before anything loads
    device.placement()
except PlaygroundError as err:
    sys.exit(f"LLM Playground cannot start: {err}")

demo = build_app()

if __name__ == "__main__":
    try:  # load (and on first run convert) the default model before the first visitor
        models.load_causal_lm()
    except PlaygroundError as err:  # e.g. PLAYGROUND_MODEL names a Hub id while offline: serve anyway
        logging.warning("default model not loaded: %s", err)
    # Each panel's default experiment, run once in the background while the server starts: a page that opens
    # before one is ready waits for that computation, not for a copy of it. Then what is loaded stays out of the
    # garbage collector's scans (core/heap.py).
    threading.Thread(target=lambda: (compute_all(), heap.settle()), name="openings", daemon=True).start()
    queued(demo).launch(**LAUNCH_KWARGS)

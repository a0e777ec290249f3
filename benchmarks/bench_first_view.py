"""A newcomer's first view of each tab: `python app.py` is started and left to compute its openings, then each tab
is opened in a fresh browser session (Debian's chromium, headless, 1400 px wide) and timed from navigation until a
plot on show holds data. Target: <= 3 s for every tab on this 2-core machine once the app has started."""

import os
import statistics
import sys
import time

from playwright.sync_api import sync_playwright

from common import ROOT, write

from bench_startup import serve_until_200  # noqa: E402  (after common, which puts the repository on the path)
from playground.ui import TABS  # noqa: E402
from tests.browser.conftest import CHROMIUM, FLAGS  # noqa: E402
from tests.browser.test_first_view import PLOT_WITH_DATA  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
TARGET_S = 3.0


def first_view_seconds(browser, url: str, title: str) -> tuple[float, float]:
    """From navigation: until the tab can be clicked (Gradio has built the page), and until its plot has data."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        tab = page.get_by_role("tab", name=title, exact=True).first
        tab.wait_for(state="visible", timeout=60_000)
        ready = time.perf_counter() - start
        tab.click()
        page.wait_for_function(PLOT_WITH_DATA, timeout=300_000)
        return ready, time.perf_counter() - start
    finally:
        context.close()


def main() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    _, proc, url = serve_until_200(env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            started = time.perf_counter()
            for tab in TABS:  # not timed: waits for the openings, computed as the app starts
                first_view_seconds(browser, url, tab.TITLE)
            print(f"openings ready {time.perf_counter() - started:.1f} s after the server answered", file=sys.stderr)
            runs = {tab.TITLE: [first_view_seconds(browser, url, tab.TITLE) for _ in range(REPEATS)] for tab in TABS}
            browser.close()
    finally:
        proc.terminate()
        proc.wait()
    times = {title: statistics.median(total for _, total in r) for title, r in runs.items()}
    result = {f"{title}: navigation to its plot (s, median of {REPEATS})": round(s, 2) for title, s in times.items()}
    result["Gradio's page start: navigation to a clickable tab (s, median)"] = round(
        statistics.median(ready for r in runs.values() for ready, _ in r), 2)
    result["the tab's own part: clickable tab to its plot (s, slowest median)"] = round(
        max(statistics.median(total - ready for ready, total in r) for r in runs.values()), 2)
    result[f"slowest (target <= {TARGET_S:g} s)"] = round(max(times.values()), 2)
    write("first_view", result)


if __name__ == "__main__":
    main()

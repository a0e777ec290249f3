"""A newcomer's first view of each tab: `python app.py` is started and left to compute its openings, then each tab
is opened in a fresh browser session (Debian's chromium, headless, 1400 px wide), in English and in Chinese (the
browser's locale), and timed from navigation until a plot on show holds data. Target: <= 3 s for every tab on this
2-core machine once the app has started, in either language.

Gradio's own floor is timed in the same rounds: a page that holds one small plotly plot and nothing else, on the
same Gradio, theme and browser. Most of a first view is Gradio building its page and running its plotly bundle
(4.6 MB of JavaScript) before the first plot can be drawn; the app's own part is what it takes beyond that floor."""

import os
import statistics
import sys
import time

import gradio as gr
import plotly.graph_objects as go
from playwright.sync_api import sync_playwright

from common import ROOT, write

from bench_startup import free_port, serve_until_200  # noqa: E402  (after common, which puts the repository on the path)
from playground.ui import LAUNCH_KWARGS, TABS, tab_title  # noqa: E402
from tests.browser.conftest import CHROMIUM, FLAGS  # noqa: E402
from tests.browser.test_first_view import PLOT_WITH_DATA  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", 5))
TARGET_S = 3.0
FLOOR = "Gradio's floor: one plot, nothing else"
LOCALES = {"en": "en-US", "zh-CN": "zh-CN"}  # the app's language -> the browser's locale


def first_view_seconds(browser, url: str, title: str | None, language: str = "en") -> tuple[float, float]:
    """From navigation: until the tab can be clicked (Gradio has built the page), and until its plot has data."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=LOCALES[language])
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        ready = 0.0
        if title:
            tab = page.get_by_role("tab", name=title, exact=True).first
            tab.wait_for(state="visible", timeout=60_000)
            ready = time.perf_counter() - start
            tab.click()
        page.wait_for_function(PLOT_WITH_DATA, timeout=300_000)
        return ready, time.perf_counter() - start
    finally:
        context.close()


def serve_floor() -> tuple[gr.Blocks, str]:
    with gr.Blocks() as floor:
        gr.Plot(go.Figure(go.Scatter(y=[1, 3, 2])))
    floor.launch(server_port=free_port(), prevent_thread_lock=True, quiet=True, **LAUNCH_KWARGS)
    return floor, floor.local_url


def main() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    _, proc, url = serve_until_200(env)
    floor, floor_url = serve_floor()
    pages = {FLOOR: (floor_url, None, "en"),
             **{f"{tab_title(tab)} ({language})": (url, tab_title(tab, language), language)
                for language in LOCALES for tab in TABS}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            started = time.perf_counter()
            for language in LOCALES:  # not timed: waits for the openings, computed as the app starts
                for tab in TABS:
                    first_view_seconds(browser, url, tab_title(tab, language), language)
            print(f"openings ready {time.perf_counter() - started:.1f} s after the server answered", file=sys.stderr)
            runs = {name: [] for name in pages}
            for _ in range(REPEATS):  # round after round, so that machine noise hits every page alike
                for name, (page_url, title, language) in pages.items():
                    runs[name].append(first_view_seconds(browser, page_url, title, language))
            browser.close()
    finally:
        floor.close()
        proc.terminate()
        proc.wait()
    times = {name: statistics.median(total for _, total in r) for name, r in runs.items()}
    spread = {name: max(total for _, total in r) - min(total for _, total in r) for name, r in runs.items()}
    result = {f"{name}: navigation to its plot (s, median of {REPEATS}, spread {spread[name]:.1f})": round(s, 2)
              for name, s in times.items()}
    tabs = {name: s for name, s in times.items() if name != FLOOR}
    result["Gradio's page start: navigation to a clickable tab (s, median)"] = round(
        statistics.median(ready for name, r in runs.items() if name != FLOOR for ready, _ in r), 2)
    result["the app's own part: slowest tab minus Gradio's floor (s)"] = round(max(tabs.values()) - times[FLOOR], 2)
    for language in LOCALES:
        result[f"slowest tab in {language} (target <= {TARGET_S:g} s)"] = round(
            max(s for name, s in tabs.items() if name.endswith(f"({language})")), 2)
    write("first_view", result)


if __name__ == "__main__":
    main()

"""A real headless Chromium (Debian's) driven by Playwright, shared by the browser tests, on the app that
`python app.py` serves."""

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def page(app_process_url, artifacts):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.outside_requests, page.console_errors = [], []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda err: page.console_errors.append(str(err)))
        page.on(
            "request",
            lambda r: urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).hostname not in LOCAL_HOSTS
            and page.outside_requests.append(r.url),
        )
        page.goto(app_process_url)
        # The openings are computed in the background as the app starts; decoding's is the slowest. A tab is drawn
        # when it is opened, and the tests start on the decoding tab.
        page.get_by_role("tab", name="Decoding strategies", exact=True).click()
        page.wait_for_function("document.querySelectorAll('.card').length === 5", timeout=240_000)
        yield page
        browser.close()


@pytest.fixture(autouse=True)
def offline_and_quiet(page):
    """After every browser test: the page asked nothing of any host but this one (it works offline), and logged
    no error to the console."""
    yield
    assert page.outside_requests == [], f"requests outside localhost: {page.outside_requests}"
    assert page.console_errors == [], f"console errors: {page.console_errors}"

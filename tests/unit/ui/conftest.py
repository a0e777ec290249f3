"""The app's panel openings, built once for the ui tests that read them (computing one runs the panel on its
defaults, so each is computed at most once: `values()` keeps it)."""

import pytest

from playground.ui import build_app
from playground.ui.opening import OPENINGS


@pytest.fixture(scope="session")
def openings() -> dict:
    build_app()
    return dict(OPENINGS)  # a later build_app() makes new ones; these keep what they computed

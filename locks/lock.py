"""`make lock`: every environment's lock, made by pip-tools' `pip-compile` from the top-level requirements files.

    app     requirements.txt, above its marker  -> requirements.txt, below its marker (a Hugging Face Space
                                                   installs that one file alone, so the app's lock lives in it)
    tests   requirements.txt + requirements-test.txt -> locks/test.txt (the app's pins held as they are)
    engine  requirements-engine.txt              -> locks/engine.txt
            requirements-engine-build.txt        -> locks/engine-build.txt (llama.cpp's build tools)

pip-compile keeps the versions a lock already has unless the inputs need others; arguments after `lock.py` go to
every pip-compile call: `make lock LOCK_ARGS=--upgrade` moves everything, `LOCK_ARGS="--upgrade-package fastapi"`
one distribution. It resolves with the pip that installs, so pip's own settings apply (here: torch's CPU wheel).
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "# ---- The lock"
APP_LOCK_HEADER = f"""{MARKER}: written by `make lock` from the lines above (pip-compile); edit those, never these. ----
# Every distribution the app installs, at its exact version. A Hugging Face Space installs this file alone, so the
# app's lock is here and not in a file of its own.
"""
PIP_COMPILE = [str(Path(sys.executable).parent / "pip-compile"), "--quiet", "--allow-unsafe", "--strip-extras",
               "--no-emit-find-links", "--no-emit-index-url", "--no-emit-trusted-host"]


def split_app_requirements(text: str) -> tuple[str, str]:
    """(the top-level requirements, the lock below the marker)."""
    top, _, lock = text.partition(MARKER)
    lock = lock.split("\n", 3)[3] if lock else ""  # drop the marker's own three lines
    return top.rstrip() + "\n", lock


def portable(lock: str) -> str:
    """Local version labels dropped (torch==2.13.0+cpu -> torch==2.13.0): pip then takes the CPU build where it is
    offered (here from pip's find-links, in Docker from PyTorch's CPU index) and the default build elsewhere, and
    `==2.13.0` matches both (PEP 440)."""
    return re.sub(r"^([A-Za-z0-9._-]+==[^\s+;]+)\+[^\s;]+", r"\1", lock, flags=re.M)


def pip_compile(inputs: list[str], output: Path, cwd: Path, extra: list[str], header: bool = True) -> str:
    env = {**os.environ, "CUSTOM_COMPILE_COMMAND": "make lock"}
    command = PIP_COMPILE + ([] if header else ["--no-header"]) + ["--output-file", str(output), *inputs, *extra]
    subprocess.run(command, cwd=cwd, env=env, check=True)
    output.write_text(portable(output.read_text()))
    return output.read_text()


def lock_app(extra: list[str]) -> None:
    path = ROOT / "requirements.txt"
    top, lock = split_app_requirements(path.read_text())
    with tempfile.TemporaryDirectory() as scratch:  # the top lines alone, under the same name, so "via" reads right
        scratch = Path(scratch)
        (scratch / "requirements.txt").write_text(top)
        (scratch / "app.lock").write_text(lock)  # the versions to keep
        lock = pip_compile(["requirements.txt"], scratch / "app.lock", scratch, extra, header=False)
    path.write_text(f"{top}\n{APP_LOCK_HEADER}{lock}")


def main(extra: list[str]) -> None:
    lock_app(extra)
    for inputs, output in ((["requirements.txt", "requirements-test.txt"], "locks/test.txt"),
                           (["requirements-engine.txt"], "locks/engine.txt"),
                           (["requirements-engine-build.txt"], "locks/engine-build.txt")):
        pip_compile(inputs, ROOT / output, ROOT, extra)
        print(f"locked {output}")
    print("locked requirements.txt (below its marker)")


if __name__ == "__main__":
    main(sys.argv[1:])

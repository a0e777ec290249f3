"""Every environment holds to its lock (`make lock` writes them): the tests' venv equals locks/test.txt plus the
embedded packages, the engine's venv equals locks/engine.txt, and a Hugging Face Space, which installs
requirements.txt alone, resolves to the app's lock. Drift is caught here, by name, and not by a hang elsewhere."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = "pip"  # held by the Makefile's PIP_VERSION, not by a lock: it is what installs the lock
LISTING = "import importlib.metadata as m, json; print(json.dumps([[d.metadata['Name'], d.version] for d in " \
          "m.distributions()]))"


def lock(*names: str) -> dict[str, str]:
    """{distribution: version} from the `name==version` lines of lock files (comments and options skipped)."""
    pins = {}
    for name in names:
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                requirement = Requirement(line)
                (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
                pins[canonicalize_name(requirement.name)] = version
    return pins


def installed(python: Path | str) -> dict[str, str]:
    """{distribution: version} of what `python`'s environment has installed, the installer left out."""
    listing = subprocess.run([str(python), "-c", LISTING], capture_output=True, text=True, check=True).stdout
    return {canonicalize_name(name): version for name, version in json.loads(listing)
            if canonicalize_name(name) != INSTALLER}


def drift(have: dict[str, str], locked: dict[str, str]) -> list[str]:
    """What keeps `have` from equalling `locked`, one line per distribution. `==2.13.0` matches 2.13.0+cpu (PEP
    440), which is how the locks name torch's CPU build."""
    lines = [f"missing: {name}=={locked[name]}" for name in sorted(locked.keys() - have.keys())]
    lines += [f"not in the lock: {name}=={have[name]}" for name in sorted(have.keys() - locked.keys())]
    lines += [f"{name}: {have[name]} installed, the lock says {locked[name]}" for name in sorted(have.keys() &
              locked.keys()) if not SpecifierSet(f"=={locked[name]}").contains(Version(have[name]), prereleases=True)]
    return lines


def held(have: dict[str, str], locked: dict[str, str], venv: str) -> None:
    problems = drift(have, locked)
    assert not problems, f"{venv} has drifted from its lock ({len(problems)}):\n  " + "\n  ".join(problems) + \
        "\n`make clean test` rebuilds it from the locks; to move a pin, edit the top-level file and `make lock`."


def test_drift_is_named_a_version_swapped_missing_or_extra():
    locked = {"fastapi": "0.163.2", "torch": "2.13.0", "uvicorn": "0.54.0"}
    assert drift({"fastapi": "0.163.2", "torch": "2.13.0+cpu", "uvicorn": "0.54.0"}, locked) == []
    assert drift({"fastapi": "0.165.0", "torch": "2.13.0+cpu", "numpy": "2.4.6"}, locked) == [
        "missing: uvicorn==0.54.0", "not in the lock: numpy==2.4.6",
        "fastapi: 0.165.0 installed, the lock says 0.163.2"]


def test_the_tests_venv_equals_its_lock():
    held(installed(sys.executable), lock("locks/test.txt", "requirements-embedded.txt"), ".venv")


def test_the_venvs_installer_is_the_makefiles():
    wanted = re.search(r"^PIP_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M)[1]
    listing = json.loads(subprocess.run([sys.executable, "-c", LISTING], capture_output=True, text=True).stdout)
    assert [version for name, version in listing if name == INSTALLER] == [wanted]


def test_the_engine_venv_equals_its_lock(engine_python):
    held(installed(engine_python), lock("locks/engine.txt"), ".venv-engine")


@pytest.mark.parametrize("top, locks", [
    ("requirements.txt", ["requirements.txt"]),
    ("requirements-test.txt", ["locks/test.txt"]),
    ("requirements-embedded.txt", ["locks/test.txt", "requirements-embedded.txt"]),
    ("requirements-engine.txt", ["locks/engine.txt"]),
    ("requirements-engine-build.txt", ["locks/engine-build.txt"]),
])
def test_each_lock_is_current_with_its_top_level_file(top, locks):
    """A top-level line edited without `make lock` would make pip refuse the install; say so here, by name."""
    pinned = lock(*locks)
    text = (ROOT / top).read_text().split("# ---- The lock", 1)[0]
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{name} ({top}) is in no lock: run `make lock`"
            assert requirement.specifier.contains(pinned[name], prereleases=True), \
                f"{top} asks {requirement}, {locks[0]} has {pinned[name]}: run `make lock`"


def test_the_app_lock_and_the_test_lock_agree_on_every_app_pin():
    app, tests = lock("requirements.txt"), lock("locks/test.txt")
    assert {name: tests.get(name) for name in app} == app


def test_a_space_installing_requirements_txt_alone_resolves_to_the_app_lock(tmp_path):
    """A Gradio Space copies requirements.txt alone into its build and runs `pip install -r` on it: resolve that
    (pip's --dry-run, as into an empty venv) from a folder holding nothing else."""
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
                             "--report", str(report), "-r", "requirements.txt"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    resolved = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    resolved.pop(INSTALLER, None)
    held(resolved, lock("requirements.txt"), "A Space's install of requirements.txt")

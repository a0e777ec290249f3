"""The test engine's llama.cpp is built portably (`make engine`: GGML_NATIVE=OFF, which targets x86-64-v3): its
machine code holds no AVX-512 or AMX instruction, and on a CPU without AVX-512 (QEMU's Haswell, emulated) it
completes a multi-token prompt token for token as it does here. A build tuned to a machine that reports AVX-512
and AMX crashed on every prompt longer than one token there, and a build tuned to this machine dies of SIGILL on
the emulated Haswell (benchmarks/bench_engine_build.py measures what the portable build costs)."""

import re
import shutil
import subprocess

import pytest

from tests.engine.oracle import own_completion

# zmm registers and opmask registers are AVX-512's; tile configuration, loads and dot products are AMX's.
BEYOND_X86_64_V3 = re.compile(r"%zmm\d+|%k[0-7]\b|ldtilecfg|tileloadd|tdpb[fsu]")
PROMPT = "List three facts about the Moon."
HASWELL = "Haswell-v4"  # AVX2, FMA, F16C, BMI2; no AVX-512, no AMX
# Under emulation each token takes about 6 s (and loading about 30 s): four are enough to show a multi-token prompt
# decoding token for token as natively, where the tuned build crashed before its second token.
NEW_TOKENS = 4


def site_packages(engine_python):
    return next((engine_python.parent.parent / "lib").glob("python3*/site-packages"))


def test_the_engines_machine_code_holds_no_avx512_or_amx_instruction(engine_python):
    libraries = [lib for lib in (site_packages(engine_python) / "llama_cpp" / "lib").glob("*.so*")
                 if not lib.is_symlink()]
    assert any(lib.name.startswith("libggml-cpu") for lib in libraries)  # where the CPU kernels are
    for lib in libraries:
        code = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True,
                              check=True).stdout
        found = sorted(set(BEYOND_X86_64_V3.findall(code)))
        assert not found, f"{lib.name} uses instructions beyond x86-64-v3: {found[:10]}"


def test_the_engine_completes_a_multi_token_prompt_on_a_cpu_without_avx512(engine_python, gguf):
    qemu = shutil.which("qemu-x86_64")
    if qemu is None:
        pytest.fail("QEMU's user-mode emulator is missing: `make test` installs Debian's qemu-user")
    here = own_completion([str(engine_python)], gguf, PROMPT, max_tokens=NEW_TOKENS)
    # The venv's python is a link to the base interpreter, which QEMU runs as itself: name the venv's packages.
    env = {"PYTHONPATH": str(site_packages(engine_python)), "PATH": "/usr/bin:/bin"}
    emulated = own_completion([qemu, "-cpu", HASWELL, str(engine_python.resolve())], gguf, PROMPT, env=env,
                              max_tokens=NEW_TOKENS)
    assert len(here["tokens"]) == NEW_TOKENS and emulated == here

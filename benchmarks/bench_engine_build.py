"""What the portable llama.cpp build costs: tokens per second of the test engine's wheel (GGML_NATIVE=OFF, built
by `make engine`) against a build tuned to this CPU (GGML_NATIVE=ON, `make engine-native`), the same greedy
completion of the embedded SmolLM2 GGUF, interleaved in one run.

The ratio is portable ÷ native tokens per second (1.0 = the portable build costs nothing). Where the native build
crashes (it did on a machine that reports AVX-512 and AMX), that is the result instead of a ratio.
"""

import json
import os
import platform
import signal
import statistics
import subprocess

from common import ROOT, write

from playground.core import embedded

BUILDS = {"portable": ROOT / ".venv-engine", "native": ROOT / ".venv-engine-native"}
PROMPT = "List three facts about the Moon."  # several tokens: the crashing build failed on any prompt of more than one
MAX_TOKENS = 128
REPEATS = 7


def run(venv, gguf) -> dict:
    done = subprocess.run([str(venv / "bin" / "python"), str(ROOT / "benchmarks" / "llama_speed.py"), str(gguf),
                           PROMPT, str(MAX_TOKENS), str(os.cpu_count())], capture_output=True, text=True)
    if done.returncode != 0:
        cause = signal.Signals(-done.returncode).name if done.returncode < 0 else f"exit {done.returncode}"
        return {"crashed": cause, "stderr": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_flags() -> list[str]:
    flags = open("/proc/cpuinfo").read().split("flags", 1)[1].split("\n", 1)[0].split()
    return sorted(f for f in flags if f.startswith(("avx512", "amx")) or f in ("avx2", "fma", "f16c"))


def main() -> None:
    gguf = embedded.package_dir(embedded.SMOLLM2_PACKAGE) / embedded.SMOLLM2_GGUF
    missing = [str(venv) for venv in BUILDS.values() if not (venv / "bin" / "python").exists()]
    if missing:
        raise SystemExit(f"missing {missing}: `make engine engine-native` builds both")
    rates, texts, crashed = {name: [] for name in BUILDS}, {}, {}
    for _ in range(REPEATS):
        for name, venv in BUILDS.items():
            if name in crashed:
                continue
            result = run(venv, gguf)
            if "crashed" in result:
                crashed[name] = result
                continue
            rates[name].append(result["tokens"] / result["seconds"])
            texts[name] = result["text"]
    result = {"machine": platform.processor() or platform.machine(), "cpu_flags": cpu_flags(),
              "threads": os.cpu_count(), "tokens": MAX_TOKENS, "repeats": REPEATS,
              "crashed": {name: c["crashed"] for name, c in crashed.items()},
              "same_text": len(set(texts.values())) == 1 and len(texts) == len(BUILDS)}
    result.update({f"{name}_tokens_per_s": round(statistics.median(r), 1) for name, r in rates.items() if r})
    if not crashed:
        result["portable_over_native"] = round(result["portable_tokens_per_s"] / result["native_tokens_per_s"], 3)
    write("engine_build", result)


if __name__ == "__main__":
    main()

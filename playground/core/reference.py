"""Results measured once and shipped, for the panels too slow to run when a page opens (KV cache timing, paged
serving, the roofline, every PEFT method trained): the panel opens on its reference result, which says where and
when it was measured, and its button measures it again here.

A reference is the panel's own outputs, as its handler returned them (figures as plotly's JSON), so it is drawn by
the same plotting code as a live run: one measurement, shown in each language. `make references` writes them
(playground/ui/references.py).

Example:
    save(path, {"en": [summary, figure, rows], "zh-CN": [...]})  # what the handler showed, and this machine
    outputs, measured_on = load(path, "zh-CN")  # the outputs in that language, figures rebuilt as go.Figure
    provenance(measured_on)                  # "Reference result, measured on <CPU> (2 threads, float32) on <date>…"
"""

import datetime
import json
import platform
from pathlib import Path

import plotly.graph_objects as go
import torch

from playground.core import device
from playground.core.language import DEFAULT
from playground.core.words import WORDS

PACKAGES = Path(__file__).resolve().parents[1]
COMMAND = "make references"
FIGURE = "plotly_figure"  # the key that marks a serialised figure among the outputs


def shipped(package: str, name: str) -> Path:
    """Where a tab package keeps its reference results: playground/<package>/reference/<name>.json."""
    return PACKAGES / package / "reference" / f"{name}.json"


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """What a timing depends on: the CPU, the threads torch uses, the device and dtype, torch, and the day."""
    return {"cpu": cpu_name(), "threads": torch.get_num_threads(), **device.describe(),
            "torch": torch.__version__.split("+")[0], "date": datetime.date.today().isoformat()}


def _encode(value):
    return {FIGURE: json.loads(value.to_json())} if isinstance(value, go.Figure) else value


def _decode(value):
    return go.Figure(value[FIGURE]) if isinstance(value, dict) and set(value) == {FIGURE} else value


def save(path: Path, outputs: dict[str, list]) -> None:
    """`outputs` by language; a result with no words in it is saved once, in English, and read in every language."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoded = {language: [_encode(v) for v in values] for language, values in outputs.items()}
    path.write_text(json.dumps({"measured_on": machine(), "command": COMMAND, "outputs": encoded},
                               separators=(",", ":"), ensure_ascii=False) + "\n")


def load(path: Path, language: str = DEFAULT) -> tuple[list, dict]:
    """The shipped outputs in `language` (figures as go.Figure) and the machine they were measured on."""
    data = json.loads(path.read_text())
    outputs = data["outputs"].get(language, data["outputs"][DEFAULT])
    return [_decode(v) for v in outputs], data["measured_on"]


def measured(measured_on: dict, language: str | None = None) -> str:
    """Where and when a reference was measured, and by what command."""
    return WORDS.text("reference", language, command=COMMAND, **measured_on)


def provenance(measured_on: dict) -> str:
    """One line that says this result was not measured here: where, when, and how to measure it here."""
    return f"{measured(measured_on)} {WORDS.text('reference.again')}"

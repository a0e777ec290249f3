"""Adapters on disk: saved with peft's `save_pretrained` (safetensors), zipped for download, and an upload checked
before anything in it is loaded: safetensors only (a pickle can run code when loaded), a config type this lab
knows, and a match with the base model."""

import copy
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from peft import PeftConfig, PeftModel, PeftType
from safetensors.torch import load_model, save_model

from playground.core import config
from playground.core.errors import PlaygroundError, check
from playground.core.models import LoadedModel
from playground.peft_lab import bottleneck
from playground.peft_lab.compare import Adapted
from playground.peft_lab.methods import METHODS
from playground.peft_lab.words import WORDS

SHIPPED = Path(__file__).with_name("adapters")  # made by `make adapters` (scripts in make_adapters.py)
MARKER = "playground_adapter.json"  # the method, and the base's shape it was trained on
FULL_WEIGHTS = "model.safetensors"
PICKLES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")
PEFT_METHODS = {PeftType.LORA: "lora", PeftType.IA3: "ia3", PeftType.PROMPT_TUNING: "prompt_tuning",
                PeftType.PREFIX_TUNING: "prefix_tuning", PeftType.P_TUNING: "p_tuning",
                PeftType.ADAPTION_PROMPT: "llama_adapter"}
SHAPE = ("model_type", "hidden_size", "num_hidden_layers", "vocab_size")


def _shape(model_config) -> dict:
    return {key: getattr(model_config, key) for key in SHAPE}


def save(adapted: Adapted, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = adapted.model
    if isinstance(model, PeftModel):
        model.save_pretrained(str(folder), safe_serialization=True)
        base_config = model.get_base_model().config
    elif adapted.method == "bottleneck":
        bottleneck.save(model, folder)
        base_config = model.config
    else:  # full fine-tuning: every weight (safetensors' save_model keeps a tied matrix once)
        save_model(model, str(folder / FULL_WEIGHTS))
        base_config = model.config
    (folder / MARKER).write_text(json.dumps({"method": adapted.method, "label": adapted.label,
                                             "base": _shape(base_config)}))
    return folder


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder))
    return target


def unpack(upload: Path) -> Path:
    """An uploaded zip, checked and unpacked into a fresh folder."""
    check(zipfile.is_zipfile(upload), WORDS.text("zip"))
    with zipfile.ZipFile(upload) as archive:
        members = archive.infolist()
        names = [m.filename for m in members]
        pickled = [n for n in names if n.lower().endswith(PICKLES)]
        if pickled:
            raise PlaygroundError(WORDS.text("pickle", name=pickled[0]))
        check(all(not n.startswith("/") and ".." not in Path(n).parts for n in names),
              WORDS.text("zip_paths"))
        check(sum(m.file_size for m in members) <= config.MAX_FILE_BYTES,  # a zip bomb stops here
              WORDS.text("zip_size", limit=config.MAX_FILE_BYTES // 1_000_000))
        folder = Path(tempfile.mkdtemp(prefix="adapter-"))
        archive.extractall(folder)
    inner = [p for p in folder.iterdir()]
    if len(inner) == 1 and inner[0].is_dir():  # a zip of the folder itself
        return inner[0]
    return folder


def _read_json(path: Path) -> dict:
    """An uploaded JSON file that must hold one object."""
    try:
        data = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as err:
        raise PlaygroundError(WORDS.text("json_invalid", name=path.name, error=err)) from err
    check(isinstance(data, dict), WORDS.text("json_object", name=path.name))
    return data


def _method_of(folder: Path) -> str:
    if (folder / MARKER).exists():
        method = _read_json(folder / MARKER).get("method")
        check(method in METHODS, WORDS.text("unknown_method", method=repr(method)))
        return method
    check((folder / "adapter_config.json").exists(),
          WORDS.text("no_adapter"))
    try:
        peft_type = PeftConfig.from_pretrained(str(folder)).peft_type
    except (ValueError, TypeError, KeyError) as err:  # malformed JSON, or fields peft does not know
        raise PlaygroundError(WORDS.text("peft_config", error=err)) from err
    check(peft_type in PEFT_METHODS,
          WORDS.text("peft_type", types=", ".join(t.value for t in PEFT_METHODS), kind=peft_type))
    return PEFT_METHODS[peft_type]


def load(loaded: LoadedModel, folder: Path, label: str) -> Adapted:
    """The adapter in `folder` on a private copy of the shared base."""
    method = _method_of(folder)
    if (folder / MARKER).exists():
        trained_on = _read_json(folder / MARKER).get("base", {})
        check(trained_on == _shape(loaded.model.config),
              WORDS.text("other_base", trained_on=trained_on, model=loaded.label, shape=_shape(loaded.model.config)))
    model = copy.deepcopy(loaded.model)
    try:
        if method == "bottleneck":
            model = bottleneck.load(model, folder)
        elif method == "full":
            load_model(model, str(folder / FULL_WEIGHTS), strict=True)
        else:
            check((folder / "adapter_model.safetensors").exists(),
                  WORDS.text("no_safetensors"))
            model = PeftModel.from_pretrained(model, str(folder), is_trainable=False)
    except (RuntimeError, ValueError, KeyError, OSError) as err:
        raise PlaygroundError(WORDS.text("does_not_fit", model=loaded.label, error=str(err)[:300])) from err
    model.eval().requires_grad_(False)
    return Adapted(label, method, model, METHODS[method].prompt_learning)


def shipped() -> list[str]:
    return sorted(p.name for p in SHIPPED.iterdir() if p.is_dir()) if SHIPPED.exists() else []


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)

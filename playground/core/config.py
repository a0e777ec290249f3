"""Settings read from the environment, in one place."""

import os
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


# A public deployment gets the tighter defaults in the second column below; a Hugging Face Space sets SPACE_ID, so
# a Space is public unless PLAYGROUND_PUBLIC=0 says otherwise. Any single variable still overrides its default.
PUBLIC = _flag("PLAYGROUND_PUBLIC", "SPACE_ID" in os.environ)


def _int(name: str, default: int, public: int | None = None) -> int:
    return int(os.environ.get(name, public if PUBLIC and public is not None else default))


EMBEDDED_LM = "smollm2-135m-instruct"
EMBEDDED_ENCODER = "minilm-l6-v2"

# The model the app opens with: a registry key (see playground.core.models) or a Hub id.
DEFAULT_MODEL = os.environ.get("PLAYGROUND_MODEL", EMBEDDED_LM)

# Folders a typed model id may name on this server (separated by ":"); by default none: an id is a Hub id.
LOCAL_MODEL_DIRS = [Path(p).resolve() for p in os.environ.get("PLAYGROUND_LOCAL_MODEL_DIRS", "").split(":") if p]

# Where in-process models run: auto (CUDA when torch sees a GPU, else the CPU), cpu or cuda; and in what dtype:
# float32, or bfloat16 / float16 (half the memory and bandwidth, for a GPU). See playground.core.device.
DEVICE = os.environ.get("PLAYGROUND_DEVICE", "auto").strip().lower()
DTYPE = os.environ.get("PLAYGROUND_DTYPE", "float32").strip().lower()

# Converted models (GGUF -> safetensors) live here; safe to delete, rebuilt on demand.
CACHE_DIR = Path(os.environ.get("PLAYGROUND_CACHE_DIR", Path.home() / ".cache" / "llm-playground"))

# Limits that keep one request from monopolising a shared server: (localhost, public).
MAX_NEW_TOKENS = _int("PLAYGROUND_MAX_NEW_TOKENS", 256, 128)
MAX_PROMPT_TOKENS = _int("PLAYGROUND_MAX_PROMPT_TOKENS", 1024, 512)
MAX_PROMPT_CHARS = _int("PLAYGROUND_MAX_PROMPT_CHARS", 8000, 4000)
MAX_BEAMS = _int("PLAYGROUND_MAX_BEAMS", 8, 4)
MAX_LOADED_MODELS = _int("PLAYGROUND_MAX_LOADED_MODELS", 3, 2)
MAX_SAMPLES = _int("PLAYGROUND_MAX_SAMPLES", 100_000, 20_000)
MAX_TOP_N = _int("PLAYGROUND_MAX_TOP_N", 100)
MAX_ATTENTION_TOKENS = _int("PLAYGROUND_MAX_ATTENTION_TOKENS", 256, 128)  # attention is layers × heads × tokens²

# The queue: how many runs of one event at once, how many requests may wait (beyond that Gradio answers "queue
# full"), and how many requests one client may send a minute (0: no limit).
CONCURRENCY = _int("PLAYGROUND_CONCURRENCY", 2, 2)
# Concurrent decoding comparisons on one model share one running batch (decoding/batcher.py): the first waits this
# many ms for company (0: each alone, one at a time, the old behaviour), and the batch holds up to this many rows.
# Unset (None), both follow the machine: core/device.py's decoding_batch().
MERGE_WINDOW_MS = int(os.environ["PLAYGROUND_MERGE_WINDOW_MS"]) if "PLAYGROUND_MERGE_WINDOW_MS" in os.environ else None
MAX_BATCH_ROWS = max(1, int(os.environ["PLAYGROUND_MAX_BATCH_ROWS"])) if "PLAYGROUND_MAX_BATCH_ROWS" in os.environ \
    else None
QUEUE_SIZE = _int("PLAYGROUND_QUEUE_SIZE", 64, 32)
RATE_LIMIT = _int("PLAYGROUND_RATE_LIMIT", 0, 30)


# An outside engine with an OpenAI-compatible API (vLLM, llama.cpp's server): its models join the model picker.
ENGINE_URL = os.environ.get("PLAYGROUND_ENGINE_URL", "")
ENGINE_API_KEY = os.environ.get("PLAYGROUND_ENGINE_API_KEY", "")
ENGINE_TIMEOUT = float(os.environ.get("PLAYGROUND_ENGINE_TIMEOUT", "60"))  # seconds one request may take


def hub_offline_by_env() -> bool:
    """True when the environment forbids the Hub (tests and CI set HF_HUB_OFFLINE=1)."""
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")

# The PEFT lab's training data and jobs. An upload may be at most MAX_FILE_BYTES (an adapter zip: a full fine-tune
# of SmolLM2 is ~540 MB); a training file, read into memory, at most MAX_UPLOAD_BYTES.
MAX_FILE_BYTES = _int("PLAYGROUND_MAX_FILE_BYTES", 600_000_000, 100_000_000)
MAX_UPLOAD_BYTES = _int("PLAYGROUND_MAX_UPLOAD_BYTES", 2_000_000, 1_000_000)
MAX_UPLOAD_ROWS = _int("PLAYGROUND_MAX_UPLOAD_ROWS", 5_000, 2_000)
MAX_EXAMPLE_TOKENS = _int("PLAYGROUND_MAX_EXAMPLE_TOKENS", 128)  # prompt + completion, per row
MAX_TRAIN_STEPS = _int("PLAYGROUND_MAX_TRAIN_STEPS", 2_000, 300)
MAX_JOB_SECONDS = _int("PLAYGROUND_MAX_JOB_SECONDS", 900, 300)  # one training job's time cap

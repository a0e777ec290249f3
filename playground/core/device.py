"""Where the in-process models run (PLAYGROUND_DEVICE) and in what dtype (PLAYGROUND_DTYPE).

Every shared model is moved there once, at load; each tab makes its inputs on the model's own device
(`model.device`) and brings what it shows back to the CPU. A PEFT job's copy of the base goes where the base is.

Example:
    device, dtype = placement()      # torch.device("cpu"), torch.float32 on this machine
    describe()                       # {"device": "cpu", "dtype": "float32"}, as the header and each JSON say
"""

import functools

import torch

from playground.core import config
from playground.core.errors import PlaygroundError

DEVICES = ("auto", "cpu", "cuda")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@functools.lru_cache(maxsize=None)
def _placement(device: str, dtype: str) -> tuple[torch.device, torch.dtype]:
    if device not in DEVICES:
        raise PlaygroundError(f"PLAYGROUND_DEVICE must be one of {', '.join(DEVICES)} (got '{device}').")
    if dtype not in DTYPES:
        raise PlaygroundError(f"PLAYGROUND_DTYPE must be one of {', '.join(DTYPES)} (got '{dtype}').")
    if device == "cuda" and not torch.cuda.is_available():
        raise PlaygroundError("PLAYGROUND_DEVICE=cuda, but torch sees no CUDA device here (this torch is "
                              f"{torch.__version__}); set PLAYGROUND_DEVICE=auto or cpu.")
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(device), DTYPES[dtype]


def placement() -> tuple[torch.device, torch.dtype]:
    """(device, dtype) from the settings, checked: an unknown name or a CUDA device torch cannot see is an error."""
    return _placement(config.DEVICE, config.DTYPE)


def describe() -> dict:
    """The device and dtype in words, for the header and each result's JSON; the GPU's name when there is one."""
    device, dtype = placement()
    named = {"device": device.type, "dtype": str(dtype).removeprefix("torch.")}
    if device.type == "cuda":
        named["gpu"] = torch.cuda.get_device_name(device)
    return named


def decoding_batch() -> tuple[int, int]:
    """(rows, merge window in ms) of the running decoding batch (decoding/batcher.py), from the machine unless
    PLAYGROUND_MAX_BATCH_ROWS or PLAYGROUND_MERGE_WINDOW_MS say. A CPU takes 16 rows per core torch computes on, at
    most 64: on 2 cores a 32-row step cost 1.7x a 2-row one (bench_batching.py), and the rows' draws grow with the
    rows. A GPU decodes 128 rows of a small model at about the cost of one. The window is a fraction of a lone step:
    30 ms on a CPU (a step there is 130-170 ms), 5 ms on a GPU. A public deployment takes half the rows."""
    device, _ = placement()
    rows, window = (128, 5) if device.type == "cuda" else (min(16 * torch.get_num_threads(), 64), 30)
    if config.PUBLIC:
        rows = max(rows // 2, 1)
    return (config.MAX_BATCH_ROWS or rows,
            window if config.MERGE_WINDOW_MS is None else config.MERGE_WINDOW_MS)


def to_cpu(tensor: torch.Tensor) -> torch.Tensor:
    """What a tab shows, back on the CPU in float32, where the plots, the samplers' bookkeeping and the JSON live."""
    return tensor.detach().to("cpu", torch.float32)


def onto(device: torch.device, *tensors: torch.Tensor | None) -> tuple:
    """The model's inputs moved to its device (None stays None)."""
    return tuple(None if t is None else t.to(device) for t in tensors)


def device_of(model: torch.nn.Module) -> torch.device:
    """Where a model's weights are (a PEFT wrapper's too)."""
    return next(model.parameters()).device

"""Training data: the built-in tasks, a person's upload (checked row by row), and the tokens a batch feeds the
model, with the loss on the completion only."""

import csv
import io
import json
from dataclasses import dataclass

import torch

from playground.core import config
from playground.core.errors import PlaygroundError, check
from playground.core.prompts import encode_text
from playground.core.words import WORDS as CORE
from playground.peft_lab.make_tasks import FOLDER, TASKS
from playground.peft_lab.words import WORDS

IGNORE = -100  # the label torch's cross-entropy skips: prompt tokens and padding add nothing to the loss
HELD_OUT_SHARE = 0.1  # of an upload, the last rows are held out


@dataclass(frozen=True)
class Example:
    prompt: str
    completion: str


@dataclass(frozen=True)
class Dataset:
    name: str
    train: list[Example]
    heldout: list[Example]


def _rows(text: str) -> list[Example]:
    return [Example(r["prompt"], r["completion"]) for r in map(json.loads, text.splitlines()) if r]


def load_task(name: str) -> Dataset:
    check(name in TASKS, CORE.text("one_of", name="task", choices=", ".join(TASKS), value=repr(name)))
    train, heldout = (_rows((FOLDER / f"{name}.{split}.jsonl").read_text()) for split in ("train", "heldout"))
    return Dataset(name, train, heldout)


def _records(raw: str, filename: str) -> list[tuple[int, object]]:
    """(line number, record) pairs from JSONL (one object per line) or CSV (a header row)."""
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(raw))
        check(reader.fieldnames is not None and {"prompt", "completion"} <= set(reader.fieldnames),
              WORDS.text("csv_header", columns=reader.fieldnames))
        return [(reader.line_num, row) for row in reader]
    records = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as err:
            check(False, WORDS.text("not_json", line=number, error=err.msg))
    return records


def parse_upload(data: bytes, filename: str, tokenizer) -> Dataset:
    """A person's JSONL or CSV of prompt/completion rows, every row checked; the last tenth is held out."""
    check(filename.lower().endswith((".jsonl", ".json", ".csv")),
          WORDS.text("file_kind", name=repr(filename)))
    check(len(data) <= config.MAX_UPLOAD_BYTES,
          WORDS.text("file_bytes", size=len(data), limit=config.MAX_UPLOAD_BYTES))
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise PlaygroundError(WORDS.text("not_utf8", line=line, byte=err.start)) from err
    records = _records(raw, filename)
    check(records, WORDS.text("file_empty"))
    check(len(records) <= config.MAX_UPLOAD_ROWS,
          WORDS.text("file_rows", rows=len(records), limit=config.MAX_UPLOAD_ROWS))
    examples = []
    for number, record in records:
        check(isinstance(record, dict) and {"prompt", "completion"} <= set(record),
              WORDS.text("row_columns", line=number,
                         columns=sorted(record) if isinstance(record, dict) else type(record).__name__))
        prompt, completion = record["prompt"], record["completion"]
        check(isinstance(prompt, str) and isinstance(completion, str), WORDS.text("row_text", line=number))
        check(prompt.strip() != "" and completion.strip() != "", WORDS.text("row_empty", line=number))
        n = len(encode_text(tokenizer, prompt + completion)) + 1
        check(n <= config.MAX_EXAMPLE_TOKENS,
              WORDS.text("row_tokens", line=number, tokens=n, limit=config.MAX_EXAMPLE_TOKENS))
        examples.append(Example(prompt, completion))
    check(len(examples) >= 2, WORDS.text("two_rows"))
    held = max(1, round(len(examples) * HELD_OUT_SHARE))
    return Dataset(filename, examples[:-held], examples[-held:])


@dataclass
class Batch:
    input_ids: torch.Tensor  # (rows, n), right-padded
    attention_mask: torch.Tensor
    labels: torch.Tensor  # the completion's tokens (and the end-of-text token); IGNORE elsewhere

    def to(self, device: torch.device) -> "Batch":
        return Batch(self.input_ids.to(device), self.attention_mask.to(device), self.labels.to(device))


def encode(tokenizer, examples: list[Example]) -> Batch:
    """Prompt and completion as one row each, the loss only on the completion and the end-of-text token that ends
    it (so the adapted model learns to stop)."""
    rows, labels = [], []
    for ex in examples:
        prompt = encode_text(tokenizer, ex.prompt)
        completion = encode_text(tokenizer, ex.completion) + [tokenizer.eos_token_id]
        rows.append(prompt + completion)
        labels.append([IGNORE] * len(prompt) + completion)
    n = max(map(len, rows))
    pad = tokenizer.pad_token_id
    return Batch(torch.tensor([r + [pad] * (n - len(r)) for r in rows]),
                 torch.tensor([[1] * len(r) + [0] * (n - len(r)) for r in rows]),
                 torch.tensor([lab + [IGNORE] * (n - len(lab)) for lab in labels]))

"""The built-in tasks, an upload checked row by row, and the loss on the completion only."""

import json

import pytest
import torch

from playground.core import config
from playground.core.errors import PlaygroundError
from playground.peft_lab.data import IGNORE, Example, encode, load_task, parse_upload
from playground.peft_lab.make_tasks import TASKS


@pytest.mark.parametrize("name", list(TASKS))
def test_built_in_tasks_hold_out_answers_never_trained_on(name):
    task = load_task(name)
    assert len(task.train) >= 100 and len(task.heldout) >= 20
    train_prompts = {e.prompt for e in task.train}
    assert not any(e.prompt in train_prompts for e in task.heldout)
    if name == "city_json":
        assert not {e.completion for e in task.heldout} & {e.completion for e in task.train}


def test_the_files_are_what_the_script_makes(tmp_path, monkeypatch):
    from playground.peft_lab import make_tasks

    shipped = {p.name: p.read_text() for p in make_tasks.FOLDER.glob("*.jsonl")}
    monkeypatch.setattr(make_tasks, "FOLDER", tmp_path)
    make_tasks.main()
    assert {p.name: p.read_text() for p in tmp_path.glob("*.jsonl")} == shipped


def jsonl(*rows) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


GOOD = {"prompt": "Q: 2+2?\nA:", "completion": " 4"}


def test_an_upload_in_jsonl_or_csv_is_split_into_train_and_held_out(tokenizer):
    data = parse_upload(jsonl(*[GOOD] * 20), "mine.jsonl", tokenizer)
    assert (len(data.train), len(data.heldout)) == (18, 2) and data.train[0] == Example(**GOOD)
    csv = parse_upload(b'prompt,completion\n"Q: 2+2?\nA:", 4\nHi,there\n', "mine.csv", tokenizer)
    assert csv.train == [Example("Q: 2+2?\nA:", " 4")] and csv.heldout == [Example("Hi", "there")]


@pytest.mark.parametrize("data,name,words", [
    (jsonl({"question": "a", "answer": "b"}, GOOD), "x.jsonl", r"Line 1 must have the columns prompt and completion"),
    (jsonl(GOOD, {"prompt": "a", "completion": "  "}), "x.jsonl", "Line 2 has an empty prompt or completion"),
    (jsonl(GOOD) + b'{"prompt": "caf\xe9", "completion": "x"}\n', "x.jsonl", "Line 2 is not UTF-8"),
    (jsonl(GOOD) + b"not json\n", "x.jsonl", "Line 2 is not JSON"),
    (b"question,answer\na,b\n", "x.csv", "The CSV header must name the columns prompt and completion"),
    (jsonl(GOOD, {"prompt": "word " * 200, "completion": "x"}), "x.jsonl", "Line 2 is .* tokens long"),
    (jsonl(GOOD), "x.jsonl", "at least 2 rows"),
    (b"", "x.jsonl", "no rows"),
    (jsonl(GOOD, GOOD), "x.bin", "Upload a .jsonl or .csv"),
])
def test_a_bad_upload_names_the_line_and_the_problem(tokenizer, data, name, words):
    with pytest.raises(PlaygroundError, match=words):
        parse_upload(data, name, tokenizer)


def test_an_upload_over_the_caps_is_refused(tokenizer, monkeypatch):
    monkeypatch.setattr(config, "MAX_UPLOAD_ROWS", 3)
    with pytest.raises(PlaygroundError, match="4 rows; the limit here is 3"):
        parse_upload(jsonl(*[GOOD] * 4), "x.jsonl", tokenizer)
    monkeypatch.setattr(config, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(PlaygroundError, match="the limit here is 10"):
        parse_upload(jsonl(GOOD, GOOD), "x.jsonl", tokenizer)


def test_the_loss_covers_the_completion_and_its_end_only(llama):
    tokenizer = llama.tokenizer
    examples = [Example("Review: great.\nLabel:", " POS"), Example("Q:", " a longer answer")]
    batch = encode(tokenizer, examples)
    prompt = tokenizer(examples[0].prompt, add_special_tokens=False)["input_ids"]
    completion = tokenizer(examples[0].completion, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    assert batch.labels[0].tolist()[:len(prompt) + len(completion)] == [IGNORE] * len(prompt) + completion
    assert (batch.labels[batch.attention_mask == 0] == IGNORE).all()
    with torch.no_grad():
        out = llama.model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
    # the oracle: cross-entropy of each next token, averaged over the completion tokens alone
    logits, targets = out.logits[:, :-1], batch.labels[:, 1:]
    kept = targets != IGNORE
    expected = torch.nn.functional.cross_entropy(logits[kept], targets[kept])
    assert torch.allclose(out.loss, expected, atol=1e-5)

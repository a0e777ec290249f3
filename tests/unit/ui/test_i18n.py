"""The catalogues: every key in both languages, none empty, each Chinese text in Chinese, the same placeholders in
both, none unused by the code; the translated ui modules hold no words of their own; the language a request
reads."""

import ast
import asyncio
import re
import string
from pathlib import Path

import pytest

import playground
import playground.ui  # every tab, and so every part's words
from playground.core import reference
from playground.core.language import REGISTRY
from playground.ui import i18n
from playground.ui.i18n import language_of, resolve
from playground.ui.i18n.app import APP
from playground.ui.i18n.early_head import EarlyHead
from playground.ui.i18n.start import START

UI = Path(i18n.__file__).parents[1]
CODE = Path(playground.__file__).parent
# Every ui module: its words all live in catalogues.
TRANSLATED = sorted(path.name for path in UI.glob("*.py"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ENTRIES = [(name, key, pair) for name, words in REGISTRY.items() for key, pair in words.entries.items()]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name,key,pair", ENTRIES, ids=[f"{n}.{k}" for n, k, _ in ENTRIES])
def test_every_key_in_both_languages(name, key, pair):
    english, chinese = pair
    assert english.strip() and chinese.strip()
    assert CJK.search(chinese), f"{name}.{key} is not in Chinese"
    assert fields(english) == fields(chinese), f"{name}.{key}: the two languages quote different numbers"


def used_strings() -> tuple[set[str], set[str]]:
    """Every string constant in the code (but the words themselves), and every f-string's leading text (a key made
    from a number)."""
    constants, prefixes = set(), set()
    for path in CODE.rglob("*.py"):
        if "i18n" in path.parts or path.name == "words.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(node.values[0].value)
    return constants, prefixes


def test_no_key_is_unused():
    constants, prefixes = used_strings()
    unused = [f"{name}.{key}" for name, key, _ in ENTRIES
              if key not in constants and not any(key.startswith(p) for p in prefixes)]
    assert not unused


WORDS = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}")  # two words or more: something a person reads
COMPONENTS = {"Markdown", "Button", "HTML", "Tab", "Textbox", "Slider", "Number", "Checkbox", "Dropdown", "Plot",
              "Dataframe", "JSON", "Error", "Warning", "Info", "Blocks"}


@pytest.mark.parametrize("module", TRANSLATED)
def test_translated_modules_hold_no_words_of_their_own(module):
    """No component in them gets a literal text (value, label, info, title) that reads as words."""
    for node in ast.walk(ast.parse((UI / module).read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in COMPONENTS):
            continue
        texts = [a for a in node.args[:1]] + [k.value for k in node.keywords
                                              if k.arg in ("value", "label", "info", "title", "placeholder")]
        for text in texts:
            literal = text.value if isinstance(text, ast.Constant) else None
            assert not (isinstance(literal, str) and WORDS.search(literal)), \
                f"{module}:{node.lineno} gives {node.func.attr} its own words: {literal!r}"


def test_filled_keys_hold_the_numbers_in_both_languages():
    assert set(REGISTRY) >= {APP.name, START.name}  # the catalogues register themselves
    machine = {"cpu": "A CPU", "threads": 2, "dtype": "float32", "torch": "2.13.0", "date": "2026-12-02"}
    data = START.filled("measured", reference=lambda language: reference.measured(machine, language))
    assert resolve(data) .startswith("**Reference result**, measured on A CPU (2 threads")
    assert "2026-12-02 在 A CPU（2 个线程" in resolve(data, "zh-CN")


class Request:
    def __init__(self, **headers):
        self.headers = headers


@pytest.mark.parametrize("headers,language", [
    ({}, "en"),
    ({"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}, "zh-CN"),
    ({"accept-language": "zh-TW"}, "zh-CN"),
    ({"accept-language": "en-US,en;q=0.9"}, "en"),
    ({"accept-language": "fr-FR, zh;q=0.5"}, "zh-CN"),
    ({"accept-language": "fr-FR"}, "en"),
    ({"cookie": "playground_lang=zh-CN", "accept-language": "en-US"}, "zh-CN"),
    ({"cookie": "playground_lang=en", "accept-language": "zh-CN"}, "en"),
    ({"cookie": "playground_lang=klingon", "accept-language": "zh-CN"}, "zh-CN"),
    ({"cookie": "\x00;;=;\"", "accept-language": "en"}, "en"),
])
def test_the_language_a_request_reads(headers, language):
    assert language_of(Request(**headers)) == language
    assert language_of(None) == "en"


def served_through_early_head(content_type: bytes, body: list[bytes], method: str = "GET") -> tuple[dict, bytes]:
    """What EarlyHead sends for an app that answers `body` (in chunks) as `content_type`."""
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), (b"content-length", b"999")]})
        for i, chunk in enumerate(body):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(body) - 1})

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(EarlyHead(app)({"type": "http", "method": method, "path": "/"}, None, send))
    return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_the_switch_script_comes_first_in_the_pages_head():
    headers, page = served_through_early_head(b"text/html; charset=utf-8", [b"<html><he", b"ad><title>x</title>",
                                                                            b"</head></html>"])
    assert page.startswith(b"<html><head>" + i18n.HEAD.encode() + b"<title>x</title>")
    assert headers[b"content-length"] == str(len(page)).encode()
    headers, body = served_through_early_head(b"application/json", [b'{"<head>": 1}'])
    assert body == b'{"<head>": 1}' and headers[b"content-length"] == b"999"  # anything else passes untouched

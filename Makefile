# `make run` serves the app; `make test` runs every test. Both install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export GRADIO_ANALYTICS_ENABLED = False

ENGINE_VENV ?= .venv-engine

.PHONY: run test bench tasks adapters install install-test prepare chromium engine compiler clean

run: install prepare
	$(PY) app.py

test: install-test prepare chromium engine
	HF_HUB_OFFLINE=1 $(PY) -m pytest

bench: install-test prepare engine
	@for script in benchmarks/bench_*.py; do echo "== $$script"; HF_HUB_OFFLINE=1 $(PY) $$script || exit 1; done

# The PEFT lab's built-in tasks and shipped adapters, remade by their seeded scripts (both are committed).
tasks: install
	$(PY) -m playground.peft_lab.make_tasks

adapters: install prepare
	HF_HUB_OFFLINE=1 $(PY) -m playground.peft_lab.make_adapters

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-embedded.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -r requirements-embedded.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

prepare: install
	$(PY) -m playground.core.prepare

# Debian's chromium for the browser tests (never `playwright install`: it downloads a browser build).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# The test engine: llama.cpp's OpenAI-compatible server in its own venv, as an outside engine would be. Its PyPI
# release is a source distribution: the first install compiles llama.cpp (~5 min on 2 cores), then pip reuses the
# wheel it cached.
engine: $(ENGINE_VENV)/.installed

$(ENGINE_VENV)/.installed: requirements-engine.txt | compiler
	$(PYTHON) -m venv $(ENGINE_VENV)
	$(ENGINE_VENV)/bin/python -m pip install -q --upgrade pip
	$(ENGINE_VENV)/bin/python -m pip install -q -r requirements-engine.txt
	touch $@

compiler:
	@command -v g++ >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q g++; }

clean:
	rm -rf $(VENV) $(ENGINE_VENV) test-artifacts .pytest_cache

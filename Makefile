# `make run` serves the app; `make test` runs every test. Both install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export GRADIO_ANALYTICS_ENABLED = False

.PHONY: run test bench tasks adapters install install-test prepare chromium clean

run: install prepare
	$(PY) app.py

test: install-test prepare chromium
	HF_HUB_OFFLINE=1 $(PY) -m pytest

bench: install-test prepare
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

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache

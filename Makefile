# `make run` serves the app; `make test` runs every test. Both install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export GRADIO_ANALYTICS_ENABLED = False

ENGINE_VENV ?= .venv-engine
LOCK_VENV ?= .venv-lock
# Every venv gets this pip: the installer is held too, and pip-compile resolves with the pip that installs. Python
# 3.11's venv also seeds setuptools; it goes, and comes back at its locked version where a lock names it.
PIP_VERSION := 26.3
define new_venv
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install -q pip==$(PIP_VERSION)
	$(1)/bin/python -m pip uninstall -q -y setuptools
endef

.PHONY: run test bench tasks adapters references install install-test prepare chromium emulator engine engine-native compiler
.PHONY: lock clean

run: install prepare
	$(PY) app.py

test: install-test prepare chromium emulator engine
	HF_HUB_OFFLINE=1 $(PY) -m pytest

bench: install-test prepare engine engine-native
	@for script in benchmarks/bench_*.py; do echo "== $$script"; HF_HUB_OFFLINE=1 $(PY) $$script || exit 1; done

# The PEFT lab's built-in tasks and shipped adapters, remade by their seeded scripts (both are committed).
tasks: install
	$(PY) -m playground.peft_lab.make_tasks

adapters: install prepare
	HF_HUB_OFFLINE=1 $(PY) -m playground.peft_lab.make_adapters

# The slow panels' reference results (KV cache, PagedAttention, roofline, every PEFT method), measured here and
# committed: those panels open on them. About 10 minutes; ONLY="internals/kv_cache" remakes one.
references: install prepare
	HF_HUB_OFFLINE=1 $(PY) -m playground.ui.references $(ONLY)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(PY):
	$(call new_venv,$(VENV))

# requirements.txt ends with the app's lock (see `make lock`), so installing it installs exact versions.
$(VENV)/.installed: requirements.txt requirements-embedded.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -r requirements-embedded.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt locks/test.txt
	$(PY) -m pip install -q -r requirements-test.txt -c locks/test.txt
	touch $@

prepare: install
	$(PY) -m playground.core.prepare

# Debian's chromium for the browser tests (never `playwright install`: it downloads a browser build).
# Debian's chromium, and a font with Chinese glyphs for the 简体中文 page's screenshots (WenQuanYi, about 10 MB).
chromium:
	@command -v chromium >/dev/null && fc-list | grep -qi wenquanyi || { $(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q chromium fonts-wqy-zenhei; }

# The test engine: llama.cpp's OpenAI-compatible server in its own venv, as an outside engine would be. Its PyPI
# release is a source distribution, so llama.cpp is compiled here (~6 min on 2 cores), and compiled portably:
# llama.cpp's default build is tuned to the building CPU (GGML_NATIVE), and such a build made on a machine that
# reports AVX-512 and AMX crashed (SIGSEGV) on every prompt longer than one token. GGML_NATIVE=OFF targets
# x86-64-v3 (AVX2, FMA, F16C, BMI2; no AVX-512, no AMX), so one wheel runs on every machine the project lands on.
# The wheel is built into a folder named after its flags (kept beside the model cache, so a fresh clone reuses it)
# and installed from there alone (--only-binary), never from pip's wheel cache, which keys a wheel by its source and
# not by its flags, and may hold a build tuned to another CPU.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
ENGINE_WHEELS := $(HOME)/.cache/llm-playground/engine-wheels/$(subst $() ,_,$(subst -D,,$(strip $(LLAMA_CMAKE_ARGS))))

engine: $(ENGINE_VENV)/.installed

$(ENGINE_VENV)/.installed: requirements-engine.txt locks/engine.txt locks/engine-build.txt | compiler
	rm -rf $(ENGINE_VENV)
	$(call new_venv,$(ENGINE_VENV))
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(ENGINE_VENV)/bin/python -m pip wheel -q --no-deps --no-cache-dir \
		--find-links $(ENGINE_WHEELS) -w $(ENGINE_WHEELS) -c locks/engine.txt \
		--build-constraint locks/engine-build.txt llama-cpp-python
	$(ENGINE_VENV)/bin/python -m pip install -q --only-binary llama-cpp-python --find-links $(ENGINE_WHEELS) \
		-r requirements-engine.txt -c locks/engine.txt
	touch $@

# A build tuned to this CPU, for benchmarks/bench_engine_build.py only: what the portable build costs (it may crash,
# as above; the benchmark says so). Its wheel is never kept: it belongs to the CPU that built it.
engine-native:
	$(MAKE) engine ENGINE_VENV=.venv-engine-native LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON ENGINE_WHEELS=$$(mktemp -d)

# QEMU's user-mode emulator: a test runs the engine on an emulated CPU without AVX-512 (tests/engine).
emulator:
	@command -v qemu-x86_64 >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q qemu-user; }

compiler:
	@command -v g++ >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q g++; }

# The locks, remade by pip-tools' pip-compile from the top-level requirements files (locks/lock.py says which from
# which). `make lock LOCK_ARGS=--upgrade` moves every pin; LOCK_ARGS="--upgrade-package NAME" moves one.
lock: $(LOCK_VENV)/.installed
	$(LOCK_VENV)/bin/python locks/lock.py $(LOCK_ARGS)

$(LOCK_VENV)/.installed:
	$(call new_venv,$(LOCK_VENV))
	$(LOCK_VENV)/bin/python -m pip install -q pip-tools==7.6.2 build==1.6.1 click==8.5.1 pyproject-hooks==1.3.3 \
		wheel==0.48.0 packaging==26.4 setuptools==84.2.1
	touch $@

clean:
	rm -rf $(VENV) $(ENGINE_VENV) .venv-engine-native $(LOCK_VENV) test-artifacts .pytest_cache

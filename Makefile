# cordiale — every set-up step lives here, so the README's two commands are all a user types.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= cordiale-demo.duckdb
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: install install-dev browser demo test check lint typecheck lock bench vendor clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cordiale needs Python >= 3.11")'
	@$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian, apt-get install python3-venv"; exit 1; }
	@$(PIP) install --upgrade "pip>=24"

$(VENV)/.main: $(BIN)/python requirements/main.txt pyproject.toml
	$(PIP) install --require-hashes -r requirements/main.txt
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.main requirements/dev.txt
	$(PIP) install --require-hashes -r requirements/dev.txt
	@touch $@

install: $(VENV)/.main

install-dev: $(VENV)/.dev

# The main job on the project's own sample corpus: ingest it, then show what was found.
demo: install
	$(BIN)/cordiale ingest samples/ --db $(DEMO_DB)
	$(BIN)/cordiale docs --db $(DEMO_DB)
	$(BIN)/cordiale actors --db $(DEMO_DB) --limit 30
	$(BIN)/cordiale events --db $(DEMO_DB) --limit 30
	$(BIN)/cordiale dyad CHN RUS --db $(DEMO_DB) --freq year
	$(BIN)/cordiale report CHN RUS --db $(DEMO_DB) --freq month --output cordiale-demo-report.html
	@echo "Explore it in a browser (API docs at /docs): $(BIN)/cordiale serve --db $(DEMO_DB)  then open http://127.0.0.1:8000/"

# The report's browser tests drive Debian's Chromium (the one package not from PyPI); without
# root or apt they skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed (apt-get install chromium): browser tests will skip"; fi; }

test: install-dev browser
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check src tests bench tools

typecheck: install-dev
	$(BIN)/mypy

check: lint typecheck test

# Refresh the pinned, hashed requirement files (needs pip-tools).
lock:
	$(PIP) install pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o main.txt main.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o dev.txt dev.in

# Re-generate vendored data from npm packages (tarballs fetched over HTTPS, checked against pinned
# hashes, cached in build/npm); the output is committed, so a fresh clone needs no network.
vendor: $(BIN)/python
	$(BIN)/python tools/build_world_map.py

bench: install
	$(BIN)/python bench/ingest_throughput.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB).wal cordiale-demo-report.html .pytest_cache .mypy_cache .ruff_cache

# The README's two commands. Both set themselves up from scratch (venv, packages, chromium).
#   make run    build and validate the graph, write every export, print where they are
#   make test   run the test suite (CI runs exactly this, via .ci/run, after `make lint`)
#   make test-fast  the tests that start no browser or server and are not marked slow (the edit loop)
#   make lint   ruff over the code (rules in pyproject.toml)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HASH   := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP  := $(VENV)/.installed-run-$(HASH)
TEST_STAMP := $(VENV)/.installed-dev-$(HASH)
SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-fast lint setup chromium

PYTEST_ARGS ?=

# `make run` installs only what running needs; `make test` (and `make setup`) add the dev extras.
$(RUN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing cse-graph and its runtime packages into $(VENV) (first run, or pyproject.toml changed)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-* && touch $@

$(TEST_STAMP): $(RUN_STAMP)
	@echo "installing the test packages (pytest, playwright, jsonschema, sparqlwrapper, oxigraph)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-dev-* && touch $@

setup: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/cse-graph build --format table
	$(BIN)/cse-graph validate --no-warnings --format table
	$(BIN)/cse-graph export all --report table
	@echo "Exports are in $(CURDIR)/exports/ — open exports/overview.html in a browser (it works offline)."

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks tools

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser and not server" $(PYTEST_ARGS)

test: $(TEST_STAMP) chromium
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: treating that as a failure"; exit 1; fi; \
	exit $$status

# Everything a fresh machine needs: Python 3.11+, git and make. The virtualenv is made here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run build validate test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## The main job: build the dumps (validated) and list what the data still lacks.
run: build
	$(BIN)/seirei validate --violations-only

build: setup
	$(BIN)/seirei build

validate: setup
	$(BIN)/seirei validate

## The tests: lint, then pytest.
test: lint
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check scripts tests

bench: setup
	$(BIN)/python scripts/bench_build.py

clean:
	rm -rf dist .pytest_cache .ruff_cache

# Everything a fresh machine needs: Python 3.11+, git and make. The virtualenv is made here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core and Lighthouse for the browser tests, pinned in tests/browser/package-lock.json (npm writes this file)
NODE_STAMP := tests/browser/node_modules/.package-lock.json

.PHONY: setup run build validate test test-fast lint bench bench-load bench-site bench-scale soak lighthouse screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): tests/browser/package-lock.json
	@# without npm the browser tests that need these skip (and fail under CI=true: .ci/run installs npm)
	if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: axe-core and Lighthouse not installed (Debian: apt-get install nodejs npm)"; fi

setup: $(STAMP) $(NODE_STAMP)

## The main job: build the dumps (validated), load them into the embedded Oxigraph store and
## serve SPARQL read-only at http://127.0.0.1:7878/query until Ctrl-C.
run: build
	$(BIN)/seirei validate --violations-only
	$(BIN)/seirei serve

build: setup
	$(BIN)/seirei build

validate: setup
	$(BIN)/seirei validate

## The tests: lint, then pytest.
test: lint
	$(BIN)/python -m pytest

## The tests that start no engine (Oxigraph, Virtuoso, seirei serve) and no browser: under a minute.
## Many of them wait (retries, backoff, deadlines, a command starting) rather than compute, so more
## workers than cores still help: 4 on 2 cores took 45 s where 2 took 54 s.
FAST_WORKERS ?= 4
test-fast: setup
	$(BIN)/python -m pytest -m "not engine and not browser" -n $(FAST_WORKERS) --dist worksteal

## ruff (with C901: cyclomatic complexity at most 15) and no function in scripts/ over 60 lines.
lint: setup
	@# both run, so that one pass lists every finding
	$(BIN)/ruff check --output-format concise scripts tests; ruff=$$?; \
	$(BIN)/python scripts/check_functions.py scripts && exit $$ruff

bench: setup
	$(BIN)/python scripts/bench_build.py

bench-load: setup
	$(BIN)/python scripts/bench_load.py

bench-site: setup
	$(BIN)/python scripts/bench_site.py

## Issue 16's benchmark: each build stage's seconds, growth exponent and peak memory on synthetic tables of about
## 10k, 100k and 1M triples (SIZES), beside pyoxigraph's and rudof's floors; then a rebuild after one edited row,
## store preparation and the competency queries at the largest size, the real data's build, and the targets.
SIZES ?= 10000 100000 1000000
bench-scale: setup
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python scripts/bench_scale.py $(SIZES)

## 50 hostile and 4 normal clients against seirei serve on loopback for 30 s: page p99, engine CPU
## and memory, what reached a loopback listener, error counts.
soak: build
	$(BIN)/python scripts/soak.py

## Lighthouse's accessibility, best-practices and SEO scores for / and a city page, in en and ja (Debian Chromium,
## loopback only); exits 1 under 95.
lighthouse: build
	$(BIN)/python scripts/lighthouse.py

## The README's screenshots of Kawasaki's page, en and ja, at 1366 and 390 px: docs/screenshots/*.png.
screenshots: build
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf dist store .pytest_cache .ruff_cache

# poles — the two commands: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: setup setup-test run serve test test-sqlite test-postgres lint bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "poles needs Python 3.11 ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-app

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "poles needs npm (Node.js) to install its reference data and assets"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed-app node_modules/.installed

setup-test: $(VENV)/.installed-test node_modules/.installed

## make run: set up, migrate (and the shared cache's table), load reference data and the demo register when
## empty, serve on 127.0.0.1:$(PORT) with the task worker beside gunicorn (`poles serve`; Ctrl-C stops both)
run: setup
	$(BIN)/poles migrate --no-input
	$(BIN)/poles createcachetable --database cache
	$(BIN)/poles load_reference --if-empty
	$(BIN)/poles demo --if-empty
	$(BIN)/poles collectstatic --no-input -v 0
	$(BIN)/poles serve --port $(PORT) --workers $(WORKERS)

## make test: set up with the test extras, lint, then run the suite on SQLite and, at the same time, its
## database tests on PostgreSQL when one answers (two processes on two cores: 31 min on the development VM,
## where one after the other would take some 55); each run's output is printed whole when it ends
test: setup-test
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite:
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@url="$$($(BIN)/python -m poles.core.testdb)"; \
	if [ -n "$$url" ]; then \
		echo "== suite again on PostgreSQL ($${url%%@*}@…): the tests that reach the database; the others (observatory, Spark, pure rules, CLI runs on their own SQLite files) run once, in the SQLite run, as they do not depend on it =="; \
		DATABASE_URL="$$url" $(BIN)/pytest --database-tests-only $(PYTEST_ARGS); \
	else \
		echo "== no PostgreSQL reachable (DATABASE_URL unset, nothing on 127.0.0.1:5432): PostgreSQL run skipped =="; \
	fi

bench: setup-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) node_modules var/staticfiles

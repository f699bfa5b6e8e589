# The two commands a newcomer needs: `make run` and `make test`. Both are safe to run twice.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export AIRFLOW_HOME := $(CURDIR)/.airflow
export SIAGA_WAREHOUSE ?= $(CURDIR)/data/siaga.duckdb

.PHONY: run test setup setup-test lint bench train clean

## run: install everything, run the daily ingest on the bundled sample data, print the summary
run: setup
	@mkdir -p data/staging
	$(BIN)/siaga extract replay --out data/staging/replay.jsonl
	$(BIN)/siaga ingest data/staging/replay.jsonl
	$(BIN)/siaga summary

## test: the same set-up, then the whole test suite (what .ci/run calls)
test: setup setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

## setup-test: what only the tests need beyond the venv: Debian's Chromium for the browser tests
setup-test:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/siaga bench

train: setup
	$(BIN)/siaga train

clean:
	rm -rf $(VENV) .airflow data/*.duckdb data/*.duckdb.wal data/staging

# The two commands a newcomer needs: `make run` and `make test`. Both are safe to run twice.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export AIRFLOW_HOME := $(CURDIR)/.airflow
export SIAGA_WAREHOUSE ?= $(CURDIR)/data/siaga.duckdb
AIRFLOW := $(BIN)/airflow
# Where `make run` serves Airflow and the UI; the Execution API follows the port.
AIRFLOW_PORT ?= 8080
AIRFLOW_URL := http://127.0.0.1:$(AIRFLOW_PORT)
# `airflow` starts helper processes by name: the venv's bin must come first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export AIRFLOW__API__HOST := 127.0.0.1
export AIRFLOW__API__PORT := $(AIRFLOW_PORT)
export AIRFLOW__API__BASE_URL := $(AIRFLOW_URL)
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL := $(AIRFLOW_URL)/execution/
export AIRFLOW__CORE__PARALLELISM ?= 4

.PHONY: run test setup setup-test setup-celery airflow-setup airflow-config serve run-celery celery-check lint bench \
	bench-dags train clean

## run: install everything, run kutim_daily_ingest through Airflow for today on the bundled sample
## data (replay, loopback fakes, no credentials), print the summary, then serve Airflow and the UI
## on 127.0.0.1:8080 until Ctrl-C. The first run takes in the sample's 14 days (conf window_hours).
run: export SIAGA_REPLAY_RELATIVE_TO ?= today
run: airflow-setup
	@echo "== kutim_daily_ingest lewat Airflow (sumber bawaan: replay, tanpa kredensial) =="
	@$(AIRFLOW) dags test kutim_daily_ingest "$$(date -u +%Y-%m-%dT%H:%M:00+00:00)" -c '{"window_hours": 336}' \
		> $(AIRFLOW_HOME)/logs/dags_test.log 2>&1 \
		|| { tail -n 60 $(AIRFLOW_HOME)/logs/dags_test.log; echo "kutim_daily_ingest gagal; log: $(AIRFLOW_HOME)/logs/dags_test.log"; exit 1; }
	@grep -oE "siaga (sources|extract [a-z]+|load|alerts|emergency|run):.*" $(AIRFLOW_HOME)/logs/dags_test.log \
		| sed -E 's/ \[siaga\.dags\].*$$//; s/^/  /' || true
	@$(BIN)/siaga summary
	@$(MAKE) --no-print-directory serve

## serve: Airflow's api-server (with the UI plugin), scheduler and dag-processor on 127.0.0.1 until Ctrl-C.
## No `airflow standalone` and no triggerer: their log servers bind every interface.
serve: export SIAGA_REPLAY_RELATIVE_TO ?= today
serve: airflow-setup
	@trap 'kill $$pids 2>/dev/null; wait 2>/dev/null; echo "Airflow dihentikan."' EXIT; trap 'exit 0' INT TERM; \
	$(AIRFLOW) api-server --port $(AIRFLOW_PORT) > $(AIRFLOW_HOME)/logs/api-server.out 2>&1 & pids="$$!"; \
	$(AIRFLOW) scheduler --skip-serve-logs > $(AIRFLOW_HOME)/logs/scheduler.out 2>&1 & pids="$$pids $$!"; \
	$(AIRFLOW) dag-processor > $(AIRFLOW_HOME)/logs/dag-processor.out 2>&1 & pids="$$pids $$!"; \
	for i in $$(seq 1 120); do \
		$(BIN)/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
			"$(AIRFLOW_URL)/api/v2/monitor/health" 2>/dev/null && break; \
		kill -0 $${pids%% *} 2>/dev/null || { tail -n 30 $(AIRFLOW_HOME)/logs/api-server.out; exit 1; }; sleep 1; \
	done; \
	echo ""; echo "Airflow dan UI Kutim Siaga berjalan di $(AIRFLOW_URL) (UI: $(AIRFLOW_URL)/siaga/)"; \
	echo "Masuk sebagai 'moderator' (role user) atau 'humas' (role viewer); kata sandi:"; \
	sed 's/^/  /' $(AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated; echo ""; \
	echo "(berkas: $(AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated). Tekan Ctrl-C untuk berhenti."; \
	wait

## airflow-setup: render .airflow/airflow.cfg, migrate Airflow's SQLite metadata, create the pool
## (the migration only when the database is missing or older than the venv or the template)
airflow-setup: airflow-config
	@stamp=$(AIRFLOW_HOME)/.migrated; \
	if [ ! -f $$stamp ] || [ ! -f $(AIRFLOW_HOME)/airflow.db ] || [ config/airflow.cfg -nt $$stamp ] \
		|| [ $(VENV)/.installed -nt $$stamp ]; then \
		echo "airflow db migrate ($(AIRFLOW_HOME)/airflow.db)"; \
		$(AIRFLOW) db migrate > $(AIRFLOW_HOME)/logs/db_migrate.log 2>&1 \
			|| { tail -n 30 $(AIRFLOW_HOME)/logs/db_migrate.log; exit 1; }; \
		$(AIRFLOW) pools set siaga_warehouse 1 "DuckDB warehouse: one writer at a time" > /dev/null && touch $$stamp; \
	fi

airflow-config: setup
	@mkdir -p $(AIRFLOW_HOME)/logs
	@test -s $(AIRFLOW_HOME)/secrets.env || $(BIN)/python -c 'import secrets; from cryptography.fernet import Fernet; \
		print("SECRET_KEY=" + secrets.token_hex(32)); print("JWT_SECRET=" + secrets.token_hex(32)); \
		print("FERNET_KEY=" + Fernet.generate_key().decode())' > $(AIRFLOW_HOME)/secrets.env
	@. $(AIRFLOW_HOME)/secrets.env && sed -e "s|@REPO@|$(CURDIR)|g" -e "s|@AIRFLOW_HOME@|$(AIRFLOW_HOME)|g" \
		-e "s|@SECRET_KEY@|$$SECRET_KEY|g" -e "s|@JWT_SECRET@|$$JWT_SECRET|g" -e "s|@FERNET_KEY@|$$FERNET_KEY|g" \
		config/airflow.cfg > $(AIRFLOW_HOME)/airflow.cfg.new && mv $(AIRFLOW_HOME)/airflow.cfg.new $(AIRFLOW_HOME)/airflow.cfg

## test: the same set-up, then the whole test suite (what .ci/run calls)
test: setup setup-test airflow-setup
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

# The runtime pins (requirements.txt, what the image installs) and the dev set (requirements-dev.txt: tests
# and tooling), then the project itself, editable, without resolving anything again.
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

## setup-test: what only the tests need beyond the venv: Debian's Chromium for the browser tests,
## PostgreSQL and Redis for the CeleryExecutor test
setup-test: setup-celery
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## setup-celery: Debian's PostgreSQL (Airflow's metadata) and Redis (the Celery broker), if missing
setup-celery:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null || { apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null; }

## run-celery: Airflow on the CeleryExecutor on loopback (PostgreSQL in .airflow/pg, Redis, api-server,
## scheduler, dag-processor, workers worker-a [default,warehouse] and worker-b [default]), one
## kutim_daily_ingest run on the bundled sample, which worker ran which task; left running until Ctrl-C.
run-celery: export SIAGA_REPLAY_RELATIVE_TO ?= today
run-celery: airflow-setup setup-celery
	@$(BIN)/python tools/celery_stack.py

## celery-check: the same once, then everything stopped; the last line is the run as JSON
celery-check: export SIAGA_REPLAY_RELATIVE_TO ?= today
celery-check: airflow-setup setup-celery
	@$(BIN)/python tools/celery_stack.py --check

## lint: ruff, then the import contracts between the folders (pyproject.toml [tool.importlinter]):
## dags and the UI -> warehouse -> nlp, extractors; no runtime package imports tests or tools
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR):$(CURDIR)/plugins $(BIN)/lint-imports --no-cache

## bench: every part's benchmark once (siaga bench, and one daily run through Airflow on 10,000 posts), then
## their tables written into docs/benchmarks.md between its <!-- bench:PART --> markers, stamped with the
## date, the commit and the load (tools/bench_docs.py; BENCH_ARGS=--quick for a smoke run). The executor
## comparison stays in bench-dags; `tools/bench_docs.py --check` says whether the docs are older than HEAD.
BENCH_ARGS ?=
bench: setup airflow-setup
	$(BIN)/python tools/bench_docs.py $(BENCH_ARGS)

## bench-dags: one kutim_daily_ingest run through Airflow on 10,000 replayed posts (figures as JSON), then
## BENCH_EXECUTOR_POSTS (100,000) posts in-process (airflow dags test) and on the CeleryExecutor with two
## workers, the same data (tools/bench/executors.py; its last line is the JSON)
BENCH_EXECUTOR_POSTS ?= 100000
bench-dags: airflow-setup setup-celery
	@$(BIN)/python -m tools.bench.daily_run 10000 > $(AIRFLOW_HOME)/logs/bench_dags.log 2>&1 \
		|| { tail -n 40 $(AIRFLOW_HOME)/logs/bench_dags.log; exit 1; }
	@sed -n '/^{$$/,/^}$$/p' $(AIRFLOW_HOME)/logs/bench_dags.log
	@$(BIN)/python -m tools.bench.executors $(BENCH_EXECUTOR_POSTS) > $(AIRFLOW_HOME)/logs/bench_executors.log 2>&1 \
		|| { tail -n 40 $(AIRFLOW_HOME)/logs/bench_executors.log; exit 1; }
	@tail -n 1 $(AIRFLOW_HOME)/logs/bench_executors.log

train: setup
	$(BIN)/siaga train

clean:
	rm -rf $(VENV) .airflow data/*.duckdb data/*.duckdb.wal data/staging

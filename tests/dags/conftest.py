"""Airflow for the DAG tests: the project's rendered .airflow home, a per-test warehouse and
staging folder, and a pipeline config with fast retries. One pytest process runs every DAG test
(the first dag.test() costs ~10 s, later ones ~1 s)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.dags.dag_helpers import write_pipeline_config

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"

# Before anything imports airflow: the project's Airflow home, as `make test` exports it.
os.environ.setdefault("AIRFLOW_HOME", str(REPO / ".airflow"))
if not (Path(os.environ["AIRFLOW_HOME"]) / "airflow.db").exists():
    subprocess.run(["make", "-s", "-C", str(REPO), "airflow-setup"], check=True)
# The DAG runs of the tests go to a copy of the migrated metadata database, not into the one
# `make run` serves (unless something imported airflow before this file, e.g. another conftest).
if "airflow" not in sys.modules:
    _test_home = Path(tempfile.mkdtemp(prefix="siaga-airflow-test-"))
    shutil.copyfile(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db", _test_home / "airflow.db")
    os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{_test_home / 'airflow.db'}"
    atexit.register(shutil.rmtree, _test_home, ignore_errors=True)
if str(DAGS) not in sys.path:
    sys.path.insert(0, str(DAGS))  # as Airflow does, so siaga_dag_config / siaga_tasks import

# The loopback everywhere: no test reaches a real platform.
for var in ("SIAGA_X_API_BASE", "SIAGA_GRAPH_API_BASE", "SIAGA_INSTAGRAM_BASE", "SIAGA_LAPOR_API_BASE"):
    os.environ[var] = "http://127.0.0.1:9"  # discard port: refused at once
os.environ.pop("SIAGA_ALERT_WEBHOOK_URL", None)
os.environ.pop("SIAGA_REPLAY_RELATIVE_TO", None)  # the sample's own dates: tests pick their days


@pytest.fixture(scope="session")
def dagbag(tmp_path_factory):
    """The DAG folder parsed once, with the fast-retry config (parse-time settings)."""
    config = write_pipeline_config(tmp_path_factory.mktemp("config") / "pipeline.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIAGA_PIPELINE_CONFIG", str(config))
        from airflow.dag_processing.dagbag import DagBag

        bag = DagBag(dag_folder=str(DAGS))
        yield bag


@pytest.fixture
def run_env(tmp_path, monkeypatch):
    """A fresh warehouse and staging folder for one test; returns a function that (re)writes the
    run-time pipeline config with overrides."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    staging = tmp_path / "staging"

    def configure(**overrides) -> Path:
        path = write_pipeline_config(tmp_path / "pipeline.yaml", staging_dir=str(staging), **overrides)
        monkeypatch.setenv("SIAGA_PIPELINE_CONFIG", str(path))
        return staging

    configure()
    return configure

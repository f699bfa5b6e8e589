"""The CeleryExecutor, really run (tools/celery_stack.py --check, what `make celery-check` does): PostgreSQL,
Redis, the api-server, scheduler, dag-processor and two Celery workers on loopback, one kutim_daily_ingest
run on the bundled sample; then the same run through the LocalExecutor (`airflow dags test`) into another
warehouse, and the two warehouses' counts compared."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# The sample's own dates (no SIAGA_REPLAY_RELATIVE_TO): a window of 14 days ending here holds all of it.
LOGICAL_DATE = "2026-11-23T00:00:00+00:00"
WINDOW_HOURS = 336
CHUNK_POSTS = 60  # the sample's ~400 posts in 7 chunks: work for both workers


def environment(tmp: Path, name: str) -> dict[str, str]:
    """A fresh warehouse and staging folder for one executor's run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW__DATABASE__")}
    env.pop("SIAGA_REPLAY_RELATIVE_TO", None)
    env.pop("SIAGA_PIPELINE_CONFIG", None)
    env["AIRFLOW_HOME"] = str(REPO / ".airflow")
    env["SIAGA_WAREHOUSE"] = str(tmp / name / "siaga.duckdb")
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    (tmp / name).mkdir()
    return env


def stats(env: dict) -> dict:
    done = subprocess.run([str(BIN / "siaga"), "stats"], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def celery_run(tmp_path_factory):
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") or not shutil.which("redis-server"):
        pytest.fail("PostgreSQL and Redis are needed: `make setup-celery` installs them (part of `make test`)")
    tmp = tmp_path_factory.mktemp("celery")
    env = environment(tmp, "celery")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "celery_stack.py"),
            "--check",
            "--logical-date",
            LOGICAL_DATE,
            "--window-hours",
            str(WINDOW_HOURS),
            "--chunk-posts",
            str(CHUNK_POSTS),
            "--staging",
            str(tmp / "celery"),
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-3000:]
    result = json.loads(lines[-1])  # the contract: the last line is the run as one JSON object
    result["stdout"] = done.stdout
    result["warehouse_counts"] = stats(env)
    return result


def test_celery_run_succeeds_with_analysis_on_both_workers_and_the_writer_on_worker_a(celery_run):
    assert celery_run["state"] == "success", celery_run["stdout"][-4000:]
    tasks = celery_run["tasks"]
    assert {t["state"] for t in tasks} == {"success"}
    analyse = [t for t in tasks if t["task_id"] == "analyse"]
    assert len(analyse) >= 2 and sorted(t["map_index"] for t in analyse) == list(range(len(analyse)))
    assert {t["worker"].split("@")[0] for t in analyse} == {"worker-a", "worker-b"}, analyse
    writers = [t for t in tasks if t["task_id"] in {"load", "plan_extracts", "detect_spikes", "alert_emergencies"}]
    assert {t["task_id"] for t in writers} == {"load", "plan_extracts", "detect_spikes", "alert_emergencies"}
    assert {t["worker"].split("@")[0] for t in writers} == {"worker-a"}, writers
    assert {t["queue"] for t in writers} == {"warehouse"}
    # the run's JSON and the warehouse agree
    assert celery_run["counts"] == celery_run["warehouse_counts"]


def test_celery_counts_equal_a_local_executor_run_of_the_same_data(celery_run, tmp_path):
    env = environment(tmp_path, "local")
    config = tmp_path / "pipeline.yaml"
    import yaml

    raw = yaml.safe_load((REPO / "config" / "pipeline.yaml").read_text(encoding="utf-8"))
    raw["staging_dir"] = str(tmp_path / "local" / "staging")
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    env["SIAGA_PIPELINE_CONFIG"] = str(config)
    # Airflow's SQLite metadata, a copy: the LocalExecutor run leaves `make run`'s database alone
    shutil.copyfile(REPO / ".airflow" / "airflow.db", tmp_path / "airflow.db")
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{tmp_path / 'airflow.db'}"
    env["AIRFLOW__CORE__EXECUTOR"] = "LocalExecutor"
    conf = {"window_hours": WINDOW_HOURS, "chunk_posts": CHUNK_POSTS}
    done = subprocess.run(
        [str(BIN / "airflow"), "dags", "test", "kutim_daily_ingest", LOGICAL_DATE, "-c", json.dumps(conf)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    local = stats(env)
    assert local["posts"] > 0 and local["issues"] > 0
    assert celery_run["warehouse_counts"] == local

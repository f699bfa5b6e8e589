"""Benchmark: one kutim_daily_ingest run on N replayed posts, in-process (`airflow dags test`, one task at a
time, as `make run`) and on the CeleryExecutor with two workers (tools/celery_stack.py --check), the same
sample, logical date and chunk size, each into a fresh warehouse. Figures as JSON on the last line.

    .venv/bin/python -m tools.bench.executors [N] [--chunk-posts C]     # `make bench-dags` runs 100,000

Per executor: the run's wall time (first task start to last task end; Airflow's own start-up not counted),
the seconds of each task (mapped ones summed, with their count and the longest), and the warehouse's
counts, which must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))

from tools.bench.daily_run import write_x_sample  # noqa: E402 - the team's realistic X pages


def task_figures(rows: list[tuple[str, float]]) -> dict:
    """Seconds per task: a mapped task's instances summed, with their number and the longest."""
    out: dict[str, dict] = {}
    for task_id, seconds in rows:
        entry = out.setdefault(task_id, {"seconds": 0.0, "instances": 0, "longest": 0.0})
        entry["seconds"] = round(entry["seconds"] + seconds, 2)
        entry["instances"] += 1
        entry["longest"] = round(max(entry["longest"], seconds), 2)
    return out


def environment(work: Path, name: str, sample: Path) -> dict[str, str]:
    import yaml

    (work / name).mkdir()
    config = yaml.safe_load((REPO / "config" / "pipeline.yaml").read_text(encoding="utf-8"))
    config.update(sources=["replay"], staging_dir=str(work / name / "staging"))
    (work / name / "pipeline.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__DATABASE__")}
    env.update(
        AIRFLOW_HOME=str(REPO / ".airflow"),
        SIAGA_PIPELINE_CONFIG=str(work / name / "pipeline.yaml"),
        SIAGA_SAMPLE_DIR=str(sample),
        SIAGA_WAREHOUSE=str(work / name / "siaga.duckdb"),
        SIAGA_REPLAY_RELATIVE_TO="",
        PATH=f"{BIN}:{os.environ.get('PATH', '')}",
    )
    for var in ("SIAGA_X_API_BASE", "SIAGA_GRAPH_API_BASE", "SIAGA_INSTAGRAM_BASE", "SIAGA_LAPOR_API_BASE"):
        env[var] = "http://127.0.0.1:9"
    return env


def stats(env: dict) -> dict:
    done = subprocess.run([str(BIN / "siaga"), "stats"], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def in_process(work: Path, sample: Path, logical: str, conf: dict) -> dict:
    env = environment(work, "dags_test", sample)
    db = work / "dags_test" / "airflow.db"
    shutil.copyfile(REPO / ".airflow" / "airflow.db", db)
    env.update(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{db}", AIRFLOW__CORE__EXECUTOR="LocalExecutor")
    began = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "airflow"), "dags", "test", "kutim_daily_ingest", logical, "-c", json.dumps(conf)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    process_s = time.perf_counter() - began
    if done.returncode:
        raise SystemExit((done.stdout + done.stderr)[-3000:])
    with sqlite3.connect(db) as con:  # the copy may hold `make run`'s runs: this one is the newest
        (run_id,) = con.execute(
            "SELECT run_id FROM dag_run WHERE dag_id = 'kutim_daily_ingest' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        # dags test dates the run's start at its logical date: the run is its tasks' span
        (run_s,) = con.execute(
            "SELECT (julianday(max(end_date)) - julianday(min(start_date))) * 86400 "
            "FROM task_instance WHERE dag_id = 'kutim_daily_ingest' AND run_id = ?",
            (run_id,),
        ).fetchone()
        rows = con.execute(
            "SELECT task_id, (julianday(end_date) - julianday(start_date)) * 86400 FROM task_instance "
            "WHERE dag_id = 'kutim_daily_ingest' AND run_id = ? AND end_date IS NOT NULL",
            (run_id,),
        ).fetchall()
    return {
        "executor": "airflow dags test (in-process, one task at a time)",
        "run_s": round(run_s, 2),
        "process_s": round(process_s, 2),
        "tasks": task_figures(rows),
        "counts": stats(env),
    }


def celery(work: Path, sample: Path, logical: str, conf: dict) -> dict:
    env = environment(work, "celery", sample)
    began = time.perf_counter()
    stack = str(REPO / "tools" / "celery_stack.py")
    done = subprocess.run(
        [
            sys.executable,
            stack,
            "--check",
            "--logical-date",
            logical,
            "--window-hours",
            str(conf["window_hours"]),
            "--chunk-posts",
            str(conf["chunk_posts"]),
            "--staging",
            str(work / "celery" / "staging"),
            "--timeout",
            "3600",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    process_s = time.perf_counter() - began
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["state"] != "success":
        raise SystemExit(done.stdout[-3000:])
    rows = [(t["task_id"], float(t["seconds"])) for t in result["tasks"]]
    workers = sorted({t["worker"] for t in result["tasks"] if t["task_id"] == "analyse"})
    return {
        "executor": "CeleryExecutor, 2 workers x concurrency 1",
        "run_s": result["run_seconds"],
        "process_s": round(process_s, 2),
        "stack_up_and_down_s": round(process_s - result["run_seconds"], 2),
        "analyse_workers": workers,
        "tasks": task_figures(rows),
        "counts": stats(env),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", nargs="?", type=int, default=100_000)
    parser.add_argument("--chunk-posts", type=int, default=20_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="siaga-bench-executors-"))
    try:
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        written = write_x_sample(work / "sample", args.posts, end - timedelta(hours=24), end)
        logical = end.isoformat()
        conf = {"window_hours": 24, "chunk_posts": args.chunk_posts}
        local = in_process(work, work / "sample", logical, conf)
        print(json.dumps({"dags_test": local}), flush=True)
        remote = celery(work, work / "sample", logical, conf)
        figures = {
            "bench": "executors_daily_run",
            "posts": written,
            "chunk_posts": args.chunk_posts,
            "cpu_cores": os.cpu_count(),
            "dags_test": local,
            "celery": remote,
            "same_counts": local["counts"] == remote["counts"],
        }
        print(json.dumps(figures, default=str), flush=True)
        return 0 if figures["same_counts"] else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

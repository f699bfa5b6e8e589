"""Benchmark: one kutim_daily_ingest run on N posts from the replay source, end to end through Airflow.

    .venv/bin/python -m tools.bench.daily_run [N]        # prints the figures as JSON

`run()` records N synthetic X search pages (the X API v2 format the replay source reads)
under a temporary SIAGA_SAMPLE_DIR, runs the DAG with dag.test() against a temporary warehouse and
a copy of the Airflow metadata database, and reports the wall time and where it went: each task's
own work (timed inside the task callables), the task instances' durations, and Airflow's overhead
(the wall time not spent in the project's code).
Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE_SIZE = 100
KECAMATAN = (
    "Sangatta Utara",
    "Sangatta Selatan",
    "Bengalon",
    "Muara Wahau",
    "Kaliorang",
    "Rantau Pulung",
    "Muara Bengkal",
    "Kongbeng",
    "Teluk Pandan",
    "Sangkulirang",
)
TEMPLATES = (
    "Jalan poros {k} rusak parah, berlubang di depan {p}, mohon PUPR segera perbaiki",
    "Banjir merendam rumah warga di {k} sejak subuh, air setinggi lutut di {p}",
    "Air PDAM mati sudah tiga hari di {k}, warga sekitar {p} kesulitan air bersih",
    "Lampu jalan di {k} padam semua, gelap dan rawan di dekat {p}",
    "Sampah menumpuk di {k} dekat {p}, bau dan tidak diangkut seminggu",
    "Kebakaran rumah di {k} dekat {p}, api besar, tolong damkar segera datang!",
    "Pelayanan puskesmas {k} lambat, antre dari pagi di {p}",
    "Sekolah di {k} kekurangan guru, murid belajar sendiri di {p}",
)
DETAILS = (
    "sudah {n} hari begini",
    "sejak {n} hari lalu",
    "tolong segera, sudah {n} kali lapor",
    "RT {n} warga mengeluh",
    "anak sekolah terganggu {n} hari",
    "mohon ditindak, jam {n} tadi",
)
PLACES = ("pasar", "masjid raya", "SD negeri", "simpang tiga", "kantor desa", "pelabuhan", "terminal")


def write_x_sample(folder: Path, n_posts: int, start: datetime, end: datetime, seed: int = 7) -> int:
    """N tweets in recorded search pages (x/search_recent.jsonl), created within [start, end);
    about one in ten is a retweet of an earlier one, as on the real timeline."""
    rng = random.Random(seed)
    out = folder / "x"
    out.mkdir(parents=True, exist_ok=True)
    span = (end - start).total_seconds()
    tweets = []
    for i in range(n_posts):
        created = start + timedelta(seconds=span * (i + 0.5) / n_posts)
        if tweets and rng.random() < 0.1:
            original = rng.choice(tweets)
            text = f"RT @warga{original['author_id'][-4:]}: {original['text']}"
        else:
            text = rng.choice(TEMPLATES).format(k=rng.choice(KECAMATAN), p=rng.choice(PLACES))
            text += ", " + rng.choice(DETAILS).format(n=rng.randrange(2, 24))  # near, not exact, copies
        tweets.append(
            {
                "id": str(2_000_000_000_000_000_000 + i),
                "text": text,
                "author_id": str(1_500_000_000_000_000_000 + rng.randrange(3000)),
                "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "lang": "in",
                "public_metrics": {
                    "retweet_count": rng.randrange(5),
                    "reply_count": rng.randrange(5),
                    "like_count": rng.randrange(50),
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": rng.randrange(5000),
                },
                "edit_history_tweet_ids": [],
            }
        )
    fetched = end.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with (out / "search_recent.jsonl").open("w", encoding="utf-8") as pages:
        for first in range(0, len(tweets), PAGE_SIZE):
            data = tweets[first : first + PAGE_SIZE]
            page = {
                "fetched_at": fetched,
                "query": "#kutim lang:id",
                "response": {"data": data, "meta": {"result_count": len(data)}},
            }
            pages.write(json.dumps(page, ensure_ascii=False) + "\n")
    return len(tweets)


def _prepare_airflow(work: Path) -> None:
    """Airflow home from the project, metadata in a copy: the bench leaves `make run`'s runs alone."""
    home = Path(os.environ.setdefault("AIRFLOW_HOME", str(REPO / ".airflow")))
    if not (home / "airflow.db").exists():
        raise SystemExit("run `make airflow-setup` first (the bench needs the migrated Airflow database)")
    if "airflow" not in sys.modules:
        shutil.copyfile(home / "airflow.db", work / "airflow.db")
        os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{work / 'airflow.db'}"
    for var in ("SIAGA_X_API_BASE", "SIAGA_GRAPH_API_BASE", "SIAGA_INSTAGRAM_BASE", "SIAGA_LAPOR_API_BASE"):
        os.environ[var] = "http://127.0.0.1:9"
    if str(REPO / "dags") not in sys.path:
        sys.path.insert(0, str(REPO / "dags"))


def run(n_posts: int = 10_000) -> dict:
    """Time one daily run of kutim_daily_ingest on `n_posts` replayed posts; figures as a dict."""
    import yaml

    work = Path(tempfile.mkdtemp(prefix="siaga-dags-bench-"))
    saved = dict(os.environ)
    try:
        _prepare_airflow(work)
        logical_date = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        start = logical_date - timedelta(hours=24)
        t0 = time.perf_counter()
        written = write_x_sample(work / "sample", n_posts, start, logical_date)
        generate_s = time.perf_counter() - t0
        config = yaml.safe_load((REPO / "config" / "pipeline.yaml").read_text(encoding="utf-8"))
        config.update(sources=["replay"], staging_dir=str(work / "staging"))
        (work / "pipeline.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        os.environ.update(
            SIAGA_PIPELINE_CONFIG=str(work / "pipeline.yaml"),
            SIAGA_SAMPLE_DIR=str(work / "sample"),
            SIAGA_WAREHOUSE=str(work / "siaga.duckdb"),
            SIAGA_REPLAY_RELATIVE_TO="",
        )
        t0 = time.perf_counter()
        from airflow.dag_processing.dagbag import DagBag

        bag = DagBag(dag_folder=str(REPO / "dags"))
        dag = bag.get_dag("kutim_daily_ingest")
        import_parse_s = time.perf_counter() - t0
        # Parsing the DAG files alone (what the dag-processor repeats), from Airflow's own per-file stats.
        dag_parse_s = sum(
            stat.duration.total_seconds() if isinstance(stat.duration, timedelta) else stat.duration
            for stat in bag.dagbag_stats
        )
        t0 = time.perf_counter()
        dag_run = dag.test(logical_date=logical_date)
        wall_s = time.perf_counter() - t0
        tasks = _task_times(dag_run)
        work_s = {
            task_id: sum(v.get("seconds", 0.0) for v in _xcoms(dag_run, task_id))
            for task_id in ("extract", "load", "detect_spikes", "alert_emergencies")
        }
        load_value = next(iter(_xcoms(dag_run, "load")), {})
        counts_loaded = load_value.get("counts") or {}
        from warehouse.stats import stats

        counts = stats()
        return {
            "bench": "dags_daily_run",
            "n_posts_recorded": written,
            "state": str(dag_run.state),
            "wall_s": round(wall_s, 2),
            "target_s": 120,
            # Time inside the project's code, per stage (measured in the task callables).
            "work_s": {name: round(value, 2) for name, value in work_s.items()},
            # load_staged's own breakdown (analyse, load, dedupe, cluster, drafts) when it reports one.
            "load_breakdown_s": {k: v for k, v in counts_loaded.items() if k.endswith("_s")}
            or counts_loaded.get("timings"),
            "airflow_overhead_s": round(wall_s - sum(work_s.values()), 2),
            "task_instance_s": {name: round(t["seconds"], 2) for name, t in tasks.items()},
            "load_counts": {k: v for k, v in counts_loaded.items() if not k.endswith("_s")},
            "warehouse": {k: counts.get(k) for k in ("posts", "issues", "drafts", "quarantine")},
            "posts_per_s_end_to_end": round(counts.get("posts", 0) / wall_s, 1) if wall_s else None,
            "alerts": _alert_kinds(),
            "dag_parse_s": round(dag_parse_s, 3),
            "dag_parse_target_s": 2.0,
            "dag_files_parsed": len(bag.dagbag_stats),
            "setup_s": {"generate_sample": round(generate_s, 2), "import_parse": round(import_parse_s, 2)},
        }
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(work, ignore_errors=True)


def _alert_kinds() -> dict[str, int]:
    from warehouse.alerts import list_alerts

    kinds: dict[str, int] = {}
    for alert in list_alerts():
        kinds[alert["kind"]] = kinds.get(alert["kind"], 0) + 1
    return kinds


def _task_times(dag_run) -> dict[str, dict]:
    """Seconds each task spent running (mapped extracts summed), from Airflow's task instances."""
    from airflow import settings
    from airflow.models import TaskInstance

    times: dict[str, dict] = {}
    with settings.Session() as session:
        for ti in session.query(TaskInstance).filter(
            TaskInstance.dag_id == dag_run.dag_id, TaskInstance.run_id == dag_run.run_id
        ):
            entry = times.setdefault(ti.task_id, {"seconds": 0.0, "instances": 0})
            if ti.start_date and ti.end_date:
                entry["seconds"] += (ti.end_date - ti.start_date).total_seconds()
            entry["instances"] += 1
    return times


def _xcoms(dag_run, task_id: str) -> list[dict]:
    """The return values of a task (one per mapped instance)."""
    from airflow import settings
    from airflow.models.xcom import XComModel

    with settings.Session() as session:
        rows = (
            session.query(XComModel.value)
            .filter(
                XComModel.dag_id == dag_run.dag_id,
                XComModel.run_id == dag_run.run_id,
                XComModel.task_id == task_id,
                XComModel.key == "return_value",
            )
            .all()
        )
    values = [json.loads(v) if isinstance(v, str) else v for (v,) in rows]
    return [v for v in values if isinstance(v, dict)]


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    print(json.dumps(figures, indent=2, default=str))

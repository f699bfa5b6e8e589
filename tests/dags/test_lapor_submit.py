"""`dag.test()` of lapor_submit against the fake SP4N-LAPOR!, in a throwaway Airflow (SQLite).

Airflow runs in a child process so its AIRFLOW_HOME and config never leak into other tests;
the fake runs here, so the test sees every ticket it holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, FakeLapor, seed_approved_draft

REPO = Path(__file__).resolve().parents[2]
TOKEN = "token-uji-dag-lapor"

# One child runs the DAG once per line it reads, so Airflow is imported once for both runs.
RUN_DAG = """
import json, sys
sys.path.insert(0, sys.argv[1])  # as Airflow's DAG processor does: DAG files import their helpers
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
for _ in sys.stdin:
    run = bag.get_dag("lapor_submit").test()
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    print("RESULT " + json.dumps({"run": str(run.state), "tasks": states}), flush=True)
"""

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture
def airflow_env(tmp_path):
    env = dict(
        os.environ,
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path / 'airflow' / 'airflow.db'}",
        SIAGA_WAREHOUSE=str(tmp_path / "siaga.duckdb"),
        AIRFLOW_CONN_SIAGA_LAPOR=json.dumps({"conn_type": "http", "password": TOKEN}),
        SIAGA_LAPOR_TIMEOUT_S="1",
    )
    (tmp_path / "airflow").mkdir()
    migrate = subprocess.run(
        [str(Path(sys.executable).parent / "airflow"), "db", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    return env


@pytest.fixture
def dag_runner(airflow_env):
    """Starts the child lazily (the test sets SIAGA_LAPOR_API_BASE first); `run()` runs the DAG once."""
    children: list[subprocess.Popen] = []

    def run() -> dict:
        if not children:
            children.append(
                subprocess.Popen(
                    [sys.executable, "-c", RUN_DAG, airflow_env["AIRFLOW__CORE__DAGS_FOLDER"]],
                    cwd=REPO,
                    env=airflow_env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=None if os.environ.get("SIAGA_DEBUG_DAG_CHILD") else subprocess.DEVNULL,
                    text=True,
                )
            )
        child = children[0]
        child.stdin.write("run\n")
        child.stdin.flush()
        for line in child.stdout:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT ") :])
        raise AssertionError(f"the DAG child ended without a result (exit code {child.wait(timeout=30)})")

    yield run
    for child in children:
        child.stdin.close()
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def drafts_state() -> dict[str, tuple]:
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT draft_id, d.status, s.state, s.tracking_id, s.idempotency_key, d.lapor_return_reason "
            "FROM lapor_submissions s JOIN drafts d USING (draft_id)"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_lapor_submit_sends_each_approved_draft_once_then_stores_status_history(airflow_env, dag_runner, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", airflow_env["SIAGA_WAREHOUSE"])
    with warehouse.connect(write=True) as con:
        for draft in SAMPLE_DRAFTS:
            seed_approved_draft(con, draft)
    with FakeLapor(token=TOKEN, hold_s=2.5) as fake:
        airflow_env["SIAGA_LAPOR_API_BASE"] = fake.base_url
        # The next pushes meet, in order: a 500, an answer that never comes in time after LAPOR!
        # accepted, an unreadable answer after it accepted, and a refused content.
        fake.fail_next("500", "timeout", "malformed", "validation")

        first = dag_runner()
        assert first == {
            "run": "success",
            "tasks": {"send_approved": "success", "sync_status": "success", "reply_posters": "success"},
        }
        after_first = drafts_state()
        submitted = {d: v for d, v in after_first.items() if v[:2] == ("submitted", "submitted")}
        [returned] = [v for v in after_first.values() if v[0] == "pending"]
        assert len(submitted) == 2 and len(fake.tickets) == 2  # one ticket each, despite three failures
        for _, _, tracking_id, key, _ in submitted.values():
            assert [t.tracking_id for t in fake.find(key)] == [tracking_id]
        assert returned[4] == "Isi laporan kurang jelas: sebutkan lokasi dan waktu kejadian"

        # The moderator edits and approves the returned draft; LAPOR! moves one ticket on.
        with warehouse.connect(write=True) as con:
            con.execute(
                "UPDATE drafts SET status = 'approved', isi = isi || ' Terjadi sejak 10 November 2026.' "
                "WHERE status = 'pending'"
            )
        verified = next(iter(submitted.values()))[2]
        fake.advance(verified, "Terverifikasi", tanggalverifikasi="2026-11-24T09:15:00")
        fake.advance(
            verified,
            "Proses",
            tindaklanjut={
                "tanggal": "2026-11-25T10:00:00",
                "oleh": "Dinas PUPR Kutai Timur",
                "isi": "Tim sudah meninjau lokasi; penambalan dijadwalkan pekan depan.",
            },
        )
        pushes_before = len(fake.pushes)
        second = dag_runner()
        assert second["run"] == "success"
        assert len(fake.tickets) == 3 and len(fake.pushes) == pushes_before + 1  # only the re-approved one

    after_second = drafts_state()
    assert {v[:2] for v in after_second.values()} == {("submitted", "submitted")}
    assert sorted(v[2] for v in after_second.values()) == sorted(t.tracking_id for t in fake.tickets)
    with warehouse.connect() as con:
        history = con.execute(
            "SELECT status FROM lapor_status_history WHERE tracking_id = ? ORDER BY observed_at, status",
            [verified],
        ).fetchall()
        followups = con.execute("SELECT responder FROM lapor_followups WHERE tracking_id = ?", [verified]).fetchall()
    assert [h[0] for h in history] == ["belum_terverifikasi", "ditindaklanjuti"]
    assert followups == [("Dinas PUPR Kutai Timur",)]

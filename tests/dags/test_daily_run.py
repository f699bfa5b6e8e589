"""kutim_daily_ingest and emergency_watch end to end through Airflow's dag.test() on the embedded
default (the replay source) with the loopback fakes; all in this one pytest process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.dags.alert_receivers import WebhookReceiver

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

# A scheduled midnight run; with the conf window_hours=336 it takes in the whole bundled sample
# (14 days, as `make run` does), so it surely holds emergencies.
LOGICAL_DATE = datetime(2026, 11, 23, tzinfo=UTC)
WHOLE_SAMPLE = {"window_hours": 336}


def run_dag(dagbag, dag_id: str, logical_date: datetime = LOGICAL_DATE, conf: dict | None = None):
    dag = dagbag.get_dag(dag_id)
    return dag.test(logical_date=logical_date, run_conf=conf)


def task_states(dag_run) -> dict[tuple[str, int], tuple[str, int]]:
    from airflow import settings
    from airflow.models import TaskInstance

    with settings.Session() as session:
        tis = session.query(TaskInstance).filter(
            TaskInstance.dag_id == dag_run.dag_id, TaskInstance.run_id == dag_run.run_id
        )
        return {(ti.task_id, ti.map_index): (str(ti.state), ti.try_number) for ti in tis}


def staged_posts(staging: Path, source: str) -> int:
    """Distinct posts in a source's staging files (quarantine lines and repeats left out); the
    replay keeps each post's own platform, so this is compared with the warehouse's post count."""
    from warehouse.alerts import post_keys_in

    files = list(staging.rglob(f"{source}.jsonl"))
    assert files, f"no staging file for {source} under {staging}"
    return len(post_keys_in(files))


def warehouse_counts() -> dict:
    from warehouse import connect
    from warehouse.alerts import list_alerts
    from warehouse.stats import stats

    counts = stats()
    with connect() as con:  # per-issue figures: a re-run must not move posts between issues
        counts["issue_figures"] = sorted(
            con.execute("SELECT issue_id, post_count, report_count, reach FROM issues").fetchall()
        )
    alerts = list_alerts()
    counts["alerts"] = sorted((a["alert_id"], a["kind"], a["value"], str(a["delivered_at"])) for a in alerts)
    return counts


def test_daily_run_loads_posts_issues_drafts_and_alerts_once(dagbag, run_env, monkeypatch):
    with WebhookReceiver() as hook:
        channel = {"conn_type": "apprise", "extra": {"config": {"path": hook.url.replace("http://", "json://")}}}
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_ALERTS_ALL", json.dumps(channel))
        every_kind = ["siaga_alerts_all"]
        staging = run_env(
            alerts={
                "channels": {"emergency": every_kind, "spike": every_kind, "viral": every_kind},
                "digest_threshold": 1000,
            }
        )

        first = run_dag(dagbag, "kutim_daily_ingest", conf=WHOLE_SAMPLE)
        assert str(first.state) == "success", task_states(first)
        counts = warehouse_counts()
        assert counts["posts"] == staged_posts(staging, "replay") > 0
        assert sum(counts["sources"].values()) == counts["posts"]
        assert counts["issues"] > 0
        assert sum(counts["drafts"].values()) > 0
        emergencies = [a for a in counts["alerts"] if a[1] == "emergency"]
        assert emergencies, "the sample has emergencies: they must be alerted"
        assert all(a[3] != "None" for a in counts["alerts"]), "every alert was delivered"
        sent = [body["title"] for body in hook.bodies]
        assert len(sent) == len(counts["alerts"]), "one message per alert"
        assert len([t for t in sent if t.startswith("DARURAT ")]) == len(emergencies)

        second = run_dag(dagbag, "kutim_daily_ingest", conf=WHOLE_SAMPLE)
        assert str(second.state) == "success"
        assert warehouse_counts() == counts
        assert len(hook.bodies) == len(sent), "nothing sent twice"


def test_failing_source_leaves_the_others_loaded_and_is_retried(dagbag, run_env):
    staging = run_env()
    # x's staging file cannot be written (a folder stands in its place), whatever x returns.
    (staging / "2026-11-22" / "x.jsonl").mkdir(parents=True)  # the day the midnight run covers

    dag_run = run_dag(dagbag, "kutim_daily_ingest", conf={"sources": ["replay", "x"], **WHOLE_SAMPLE})

    states = task_states(dag_run)
    assert states[("extract", 0)] == ("success", 1)
    assert states[("extract", 1)] == ("failed", 2), "x failed, was retried once (retries: 1), then failed"
    assert states[("load", -1)][0] == "success"
    assert states[("report", -1)][0] == "failed"
    assert str(dag_run.state) == "failed"
    counts = warehouse_counts()
    assert counts["posts"] == staged_posts(staging, "replay") > 0


def test_stored_cursors_are_handed_to_the_extracts(dagbag, run_env):
    from airflow import settings
    from airflow.models.xcom import XComModel

    from warehouse.cursors import save_cursors

    run_env()
    save_cursors("replay", {"sample": "2026-11-20T00:00:00Z"})
    dag_run = run_dag(dagbag, "kutim_daily_ingest")
    assert str(dag_run.state) == "success"
    with settings.Session() as session:
        plan = (
            session.query(XComModel.value)
            .filter(
                XComModel.dag_id == dag_run.dag_id,
                XComModel.run_id == dag_run.run_id,
                XComModel.task_id == "plan_extracts",
                XComModel.key == "return_value",
            )
            .scalar()
        )
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert plan == [{"source": "replay", "cursors": {"sample": "2026-11-20T00:00:00Z"}}]


def test_backfilled_days_each_land_once_and_rerunning_one_changes_nothing(dagbag, run_env):
    staging = run_env()
    days = [LOGICAL_DATE - timedelta(days=n) for n in (3, 2, 1)]
    for logical_date in days:
        assert str(run_dag(dagbag, "kutim_daily_ingest", logical_date=logical_date).state) == "success"
    staged_days = sorted(p.name for p in staging.iterdir())
    assert staged_days == ["2026-11-19", "2026-11-20", "2026-11-21"]
    counts = warehouse_counts()
    assert counts["posts"] == staged_posts(staging, "replay")

    assert str(run_dag(dagbag, "kutim_daily_ingest", logical_date=days[1]).state) == "success"
    assert warehouse_counts() == counts


def test_emergency_watch_raises_emergencies_and_judges_spikes_hourly(dagbag, run_env):
    run_env()
    dag_run = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
    states = task_states(dag_run)
    assert str(dag_run.state) == "success", states
    assert states[("detect_spikes", -1)][0] == states[("send_alerts", -1)][0] == "success"
    kinds = {a[1] for a in warehouse_counts()["alerts"]}
    assert "emergency" in kinds and kinds <= {"emergency", "spike", "viral"}

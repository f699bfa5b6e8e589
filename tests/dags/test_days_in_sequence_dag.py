"""The daily DAG over fourteen days after the bundled sample, one logical date after the other, as the
scheduler runs it: the same end as one bulk load of the same posts.

The replay source reads the days from `SIAGA_REPLAY_EXTRA_DIR` (tests/sequence_days.py writes them
after the sample's own dates) and shifts sample and days alike so that they end yesterday
(`SIAGA_REPLAY_RELATIVE_TO`: the loader refuses posts fetched in the future). A run at midnight takes in
the day before; the first run takes in the whole sample (conf window_hours=336, as `make run` does). All
runs happen once, in the module fixture (~1 min).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.dags.dag_helpers import write_pipeline_config
from tests.sequence_days import DAYS, ending_yesterday, write_days
from tests.warehouse.warehouse_state import assert_same_similarities, contents, differences, export_issues, siaga

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

FIRST_DAY = ending_yesterday()
SAMPLE_RUN = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=UTC)  # the sample ends before it
WHOLE_SAMPLE = {"window_hours": 336}
BUSY = 6


@dataclass
class DagDays:
    daily: Path
    bulk: Path
    days: list[Path]
    states: list[str] = field(default_factory=list)  # per run: the DAG run's state
    new_posts: list[int] = field(default_factory=list)  # per day: posts the run added
    joined_busy: list[int] = field(default_factory=list)  # per day: reports placed into issues with 6+
    rerun_changed: bool | None = None


def _issue_reports(warehouse: Path) -> tuple[int, dict[str, int], dict[str, str]]:
    from warehouse import connect

    with connect(path=warehouse) as con:
        posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        counts = dict(con.execute("SELECT issue_id, report_count FROM issues").fetchall())
        placed = dict(con.execute("SELECT post_key, issue_id FROM issue_posts WHERE role = 'report'").fetchall())
    return posts, counts, placed


@pytest.fixture(scope="module")
def dag_days(dagbag, tmp_path_factory) -> DagDays:
    folder = tmp_path_factory.mktemp("dag-days")
    run = DagDays(daily=folder / "daily.duckdb", bulk=folder / "bulk.duckdb", days=write_days(folder / "days"))
    dag = dagbag.get_dag("kutim_daily_ingest")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIAGA_WAREHOUSE", str(run.daily))
        mp.setenv("SIAGA_REPLAY_EXTRA_DIR", str(folder / "days"))
        mp.setenv("SIAGA_REPLAY_RELATIVE_TO", FIRST_DAY.isoformat())
        mp.setenv(
            "SIAGA_PIPELINE_CONFIG",
            str(write_pipeline_config(folder / "pipeline.yaml", staging_dir=str(folder / "staging"))),
        )
        run.states.append(str(dag.test(logical_date=SAMPLE_RUN, run_conf=WHOLE_SAMPLE).state))
        for n in range(1, DAYS + 1):
            posts, counts, placed = _issue_reports(run.daily)
            run.states.append(str(dag.test(logical_date=SAMPLE_RUN + timedelta(days=n)).state))
            after, _, placed_after = _issue_reports(run.daily)
            run.new_posts.append(after - posts)
            run.joined_busy.append(
                sum(counts.get(issue, 0) >= BUSY for key, issue in placed_after.items() if key not in placed)
            )
        # A date run again (a cleared run): nothing changes.
        export = export_issues(run.daily)
        rerun = dag.test(logical_date=SAMPLE_RUN + timedelta(days=DAYS // 2))
        run.states.append(str(rerun.state))
        run.rerun_changed = export_issues(run.daily) != export

    # One bulk load of what the runs staged (the sample's window, then each day's), through the CLI.
    staged = sorted((folder / "staging").glob("*/replay.jsonl"))
    assert len(staged) == DAYS + 1, staged
    bulk = folder / "all.jsonl"
    bulk.write_text("".join(p.read_text(encoding="utf-8") for p in staged), encoding="utf-8")
    siaga("ingest", str(bulk), "--source", "staging", warehouse=run.bulk)
    return run


def test_every_day_runs_through_the_dag_and_joins_busy_issues(dag_days):
    assert dag_days.states == ["success"] * (DAYS + 2), dag_days.states
    assert len(dag_days.new_posts) == DAYS and all(n > 0 for n in dag_days.new_posts), dag_days.new_posts
    assert dag_days.joined_busy[0] > 0, "the first day joins the sample's busy issues"
    assert sum(n > 0 for n in dag_days.joined_busy) >= DAYS // 2, dag_days.joined_busy
    assert dag_days.rerun_changed is False


def test_the_dag_day_by_day_ends_byte_for_byte_where_one_bulk_load_ends(dag_days):
    assert export_issues(dag_days.daily) == export_issues(dag_days.bulk)


def test_the_dag_day_by_day_ends_with_the_same_posts_links_and_drafts_as_one_bulk_load(dag_days):
    similarity = {"issue_posts": ("similarity",)}  # compared below
    assert differences(contents(dag_days.daily, similarity), contents(dag_days.bulk, similarity)) == {}
    assert_same_similarities(dag_days.daily, dag_days.bulk)

"""The monthly monev report on a warehouse built from the bundled sample (`siaga extract replay` + `siaga
ingest`, dated so the sample lies in November 2026): its figures agree with `siaga stats`, decisions,
LAPOR! deadlines and emergencies are counted as defined, and an empty month still gives its figures."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
from pathlib import Path

import pytest

import warehouse
from tests.warehouse.report_sample import MONTH, build_sample_warehouse
from warehouse import emergencies as emergencies_module
from warehouse import moderation
from warehouse.report import BadMonth, month_before, monthly_figures, parse_month
from warehouse.stats import stats


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    return build_sample_warehouse(tmp_path_factory.mktemp("report"))


@pytest.fixture
def sample(sample_warehouse, tmp_path, monkeypatch) -> Path:
    """A copy of the sample warehouse for one test (tests may decide drafts or add tickets)."""
    path = tmp_path / "siaga.duckdb"
    shutil.copyfile(sample_warehouse, path)
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


def test_the_samples_month_adds_up_to_siaga_stats(sample):
    counts = stats()
    figures = monthly_figures(MONTH)
    totals = figures["totals"]
    assert figures["has_data"] and counts["posts"] > 0
    assert totals["posts"]["month"] == counts["posts"]
    assert {r["platform"]: r["posts"] for r in figures["posts_per_platform"]} == counts["sources"]
    assert totals["issues"]["month"] == counts["issues"]
    assert figures["drafts"]["by_status"] == counts["drafts"]
    assert totals["drafts"]["month"] == sum(counts["drafts"].values())
    assert totals["emergencies"]["month"] == counts["emergencies"]
    assert sum(r["issues"] for r in figures["by_category"]) == counts["issues"]
    assert sum(r["issues"] for r in figures["by_kecamatan"]) == counts["issues"]
    assert sum(r["issues"] for r in figures["by_opd"]) == counts["issues"]
    assert sum(d["posts"] for d in figures["daily_posts"]) == counts["posts"]
    assert len(figures["daily_posts"]) == 30
    # the month before holds nothing of the sample, and says so beside each figure
    assert totals["posts"]["previous"] == 0 and totals["posts"]["change"] == counts["posts"]
    assert all(r["previous"] == 0 for r in figures["by_category"])


def test_the_ten_issues_with_most_reach(sample):
    with warehouse.connect() as con:
        reach = [
            r[0]
            for r in con.execute(
                "SELECT reach FROM issues WHERE status <> 'merged' ORDER BY reach DESC LIMIT 10"
            ).fetchall()
        ]
    top = monthly_figures(MONTH)["top_issues"]
    assert [t["reach"] for t in top] == reach
    assert len(top) == 10 and all(t["judul"] for t in top)


def test_an_empty_month_has_zeros_and_a_summary_that_says_so(sample):
    figures = monthly_figures("2025-02")
    assert not figures["has_data"]
    assert all(v["month"] in (0, None) for v in figures["totals"].values())
    assert figures["summary"].startswith("Tidak ada data untuk Februari 2025")
    assert [d["day"] for d in figures["daily_posts"]][-1] == "2025-02-28"


def test_the_summary_is_written_from_the_figures(sample):
    figures = monthly_figures(MONTH)
    summary = figures["summary"]
    top_category = figures["by_category"][0]
    assert summary.startswith("Pada November 2026")
    assert f"{figures['totals']['posts']['month']} unggahan" in summary
    assert f"{figures['totals']['issues']['month']} isu baru" in summary
    assert top_category["label"] in summary


def test_decisions_and_the_median_time_to_approval(sample):
    with warehouse.connect() as con:
        drafts = con.execute("SELECT draft_id FROM drafts ORDER BY draft_id LIMIT 4").fetchall()
    ids = [d[0] for d in drafts]
    moderation.approve(ids[0], actor="uji", role="moderator")
    moderation.approve(ids[1], actor="uji", role="moderator")
    moderation.reject(ids[2], "bukan keluhan", actor="uji", role="moderator")
    with warehouse.connect() as con:
        spans = con.execute(
            "SELECT epoch(e.occurred_at - i.first_seen) FROM moderation_events e JOIN drafts d USING (draft_id) "
            "JOIN issues i ON i.issue_id = d.issue_id WHERE e.action = 'approve'"
        ).fetchall()
    figures = monthly_figures(MONTH)
    drafts_figures = figures["drafts"]
    assert (drafts_figures["approved"], drafts_figures["rejected"], drafts_figures["merged"]) == (2, 1, 0)
    assert drafts_figures["waiting"] == stats()["drafts"]["pending"]
    assert drafts_figures["median_hours_to_approval"] == round(statistics.median(s for (s,) in spans) / 3600, 1)
    assert figures["totals"]["approved"]["month"] == 2


def _ticket(con, draft_id: str, tracking_id: str, submitted: str, verified: str | None) -> None:
    con.execute("UPDATE drafts SET status = 'submitted' WHERE draft_id = ?", [draft_id])
    con.execute(
        "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, attempts, "
        "submitted_at, verified_at, updated_at) VALUES (?, ?, 'http', 'submitted', ?, 1, ?, ?, ?)",
        [draft_id, f"KS-{tracking_id}", tracking_id, submitted, verified, submitted],
    )


def test_lapor_tickets_by_state_and_the_share_meeting_each_deadline_per_opd(sample):
    with warehouse.connect(write=True) as con:
        opd, ids = con.execute(
            "SELECT opd, list(draft_id ORDER BY draft_id) FROM drafts WHERE opd IS NOT NULL GROUP BY 1 "
            "HAVING count(*) >= 3 ORDER BY 1 LIMIT 1"
        ).fetchone()
        a, b, c = ids[:3]
        # Monday 9 Nov 2026 10:00 WITA: verification is due by Thursday 12 Nov (3 working days)
        _ticket(con, a, "9000001", "2026-11-09 02:00:00", "2026-11-11 02:00:00")  # verified in time
        _ticket(con, b, "9000002", "2026-11-09 02:00:00", "2026-11-16 02:00:00")  # verified late
        _ticket(con, c, "9000003", "2026-11-09 02:00:00", None)  # never verified: overdue on 20 Nov
    tickets = monthly_figures(MONTH, today=dt.date(2026, 11, 20))["tickets"]
    assert tickets["total"] == 3
    assert tickets["by_state"] == [{"state": "submitted", "label": "Terkirim ke LAPOR!", "tickets": 3}]
    row = next(r for r in tickets["sla_per_opd"] if r["opd"] == opd)
    assert (row["verifikasi_met"], row["verifikasi_late"], row["verifikasi_running"]) == (1, 2, 0)
    assert row["verifikasi_share"] == round(1 / 3, 3)
    assert tickets["sla_total"]["tickets"] == 3
    stages = {s["stage"]: s for s in tickets["by_stage"]}
    assert stages["verifikasi"] == {"stage": "verifikasi", "tickets": 1, "overdue": 1}
    assert stages["tindak_lanjut"]["tickets"] == 2


def test_emergencies_carry_their_alert_and_hand_off_times(sample):
    with warehouse.connect(write=True) as con:
        issue_id, first_seen = con.execute(
            "SELECT issue_id, first_seen FROM issues WHERE is_emergency ORDER BY issue_id LIMIT 1"
        ).fetchone()
        con.execute(
            "INSERT INTO alerts (alert_id, kind, day, scope, scope_key, issue_id, message, handoff_status, "
            "delivered_at, created_at) VALUES ('al-uji', 'emergency', ?, 'issue', ?, ?, 'darurat', "
            "'pending', ?, ?)",
            [
                first_seen.date(),
                issue_id,
                issue_id,
                first_seen + dt.timedelta(minutes=12),
                first_seen + dt.timedelta(minutes=10),
            ],
        )
    # The hand-off goes through its one writer, as the Darurat page does.
    emergencies_module.mark(
        issue_id,
        "handed_to_112",
        actor="uji",
        role="moderator",
        reference="112-0042",
        handed_at=first_seen + dt.timedelta(minutes=25),
        now=first_seen + dt.timedelta(minutes=30),
    )
    emergencies = monthly_figures(MONTH)["emergencies"]
    item = next(i for i in emergencies["items"] if i["issue_id"] == issue_id)
    assert item["minutes_to_alert"] == 12.0 and item["handoff_status"] == "handed_to_112"
    assert item["minutes_to_handoff"] == 25.0
    assert emergencies["handed_to_112"] == 1
    assert emergencies["total"] == stats()["emergencies"]
    assert emergencies["no_alert"] == emergencies["total"] - 1


def test_months_are_read_strictly():
    assert parse_month("2026-11") == dt.date(2026, 11, 1)
    for bad in ("2026-13", "2026-1", "11-2026", "", "2026-11-01", "0000-01"):
        with pytest.raises(BadMonth):
            parse_month(bad)


def test_a_run_on_the_first_reports_the_month_before_in_wita():
    assert month_before(dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 1)
    assert month_before(dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)) == dt.date(2025, 12, 1)
    # 31 Dec 17:00 UTC is already 1 January in Kutim
    assert month_before(dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)

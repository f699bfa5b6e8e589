"""The monev report's figures equal a recount in Python, row by row, of the warehouse they read.

The report reads the month and the month before in one pass per table (GROUPING SETS over issues and
their drafts, one scan of posts, issue 17). This checks every table of it against the plainest possible
recount of the same rows, on a generated warehouse bent into the cases a real one holds: merged issues,
issues without a draft or without a kecamatan, category or first_seen, drafts rejected, merged or with the
bridge, posts known only by when they were fetched or loaded, approvals in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

import pytest

import warehouse
from core.domain import WITA_OFFSET
from tools.bench.ui import generate_warehouse
from warehouse.report import (
    DECISION_OF_STATUS,
    NO_CATEGORY,
    TOP_ISSUES,
    UNKNOWN_KECAMATAN,
    UNKNOWN_OPD,
    monthly_figures,
)

VARIATIONS = (
    "UPDATE issues SET status = 'merged' WHERE hash(issue_id) % 11 = 0",
    "UPDATE issues SET kecamatan = NULL WHERE hash(issue_id) % 13 = 1",
    "UPDATE issues SET category = NULL WHERE hash(issue_id) % 17 = 2",
    "UPDATE issues SET first_seen = NULL, created_at = TIMESTAMP '2026-10-31 15:30:00' WHERE hash(issue_id) % 19 = 3",
    "UPDATE issues SET is_emergency = true WHERE hash(issue_id) % 23 = 4",
    "DELETE FROM drafts WHERE hash(issue_id) % 29 = 5 AND draft_id NOT IN (SELECT draft_id FROM lapor_submissions)",
    "UPDATE drafts SET status = 'rejected' WHERE hash(issue_id) % 7 = 2 AND status = 'pending'",
    "UPDATE drafts SET status = 'merged' WHERE hash(issue_id) % 31 = 2 AND status = 'pending'",
    "UPDATE drafts SET status = 'submitted' WHERE status = 'approved' AND hash(issue_id) % 3 = 0",
    "UPDATE drafts SET opd = NULL WHERE hash(issue_id) % 41 = 6",
    "UPDATE drafts SET decided_at = TIMESTAMP '2026-11-20 00:00:00' - INTERVAL (hash(draft_id) % 300) HOUR "
    "WHERE status <> 'pending'",
    "INSERT INTO moderation_events (draft_id, issue_id, actor, role, action, detail, occurred_at) "
    "SELECT draft_id, issue_id, 'm', 'moderator', 'approve', '{}', "
    "TIMESTAMP '2026-11-15 00:00:00' - INTERVAL (hash(draft_id) % 500) HOUR FROM drafts WHERE hash(draft_id) % 2 = 0",
    # posts without a time of their own count when fetched, else when loaded
    "UPDATE posts SET created_at = NULL, fetched_at = TIMESTAMP '2026-10-31 10:00:00' + INTERVAL (hash(post_key) % 20) "
    "HOUR WHERE hash(post_key) % 50 = 7",
    "UPDATE posts SET created_at = NULL, fetched_at = NULL, loaded_at = TIMESTAMP '2026-11-30 16:30:00' "
    "WHERE hash(post_key) % 60 = 8",
)


@pytest.fixture(scope="module")
def bent_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-recount") / "siaga.duckdb"
    generate_warehouse(path, posts=4_000, issues=400)
    with warehouse.connect(write=True, path=path) as con:
        for statement in VARIATIONS:
            con.execute(statement)
    return path


@pytest.fixture
def rows(bent_warehouse, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(bent_warehouse))
    with warehouse.connect() as con:

        def fetch(sql: str) -> list[dict]:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

        return {
            "posts": fetch("SELECT platform, coalesce(created_at, fetched_at, loaded_at) AS t FROM posts"),
            "issues": fetch("SELECT *, coalesce(first_seen, created_at) AS t FROM issues"),
            "drafts": {d["issue_id"]: d for d in fetch("SELECT * FROM drafts")},
            "approvals": {
                r["draft_id"]: r["at"]
                for r in fetch(
                    "SELECT draft_id, min(occurred_at) AS at FROM moderation_events WHERE action = 'approve' GROUP BY 1"
                )
            },
            "tickets": {r["draft_id"] for r in fetch("SELECT draft_id FROM lapor_submissions")},
        }


def _month(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time()) - WITA_OFFSET, dt.datetime.combine(after, dt.time()) - WITA_OFFSET


def _recount(rows: dict, first: dt.date) -> dict:
    start, end = _month(first)
    posts = [p for p in rows["posts"] if start <= p["t"] < end]
    issues = [i for i in rows["issues"] if start <= i["t"] < end]
    drafts = rows["drafts"]
    approved = {s for s, d in DECISION_OF_STATUS.items() if d == "approved"}
    groups: dict[str, dict[str, Counter]] = {name: defaultdict(Counter) for name in ("category", "kecamatan", "opd")}
    status = Counter()
    waits = []
    for i in issues:
        d = drafts.get(i["issue_id"])
        keys = {
            "category": i["category"] or NO_CATEGORY,
            "kecamatan": i["kecamatan"] or UNKNOWN_KECAMATAN,
            "opd": (d["opd"] if d else None) or UNKNOWN_OPD,
        }
        emergency = i["is_emergency"] and i["status"] != "merged"
        for name, key in keys.items():
            g = groups[name][key]
            g["issues"] += 1
            g["emergencies"] += emergency
            g["drafts"] += d is not None
            g["approved"] += bool(d) and d["status"] in approved
            g["rejected"] += bool(d) and d["status"] == "rejected"
            g["waiting"] += bool(d) and d["status"] == "pending"
            g["posts"] += i["post_count"]
            g["reach"] += i["reach"]
        if d:
            status[d["status"]] += 1
            if d["status"] in approved:
                decided = rows["approvals"].get(d["draft_id"]) or d["decided_at"]
                if decided is not None:
                    waits.append((decided - i["t"]).total_seconds())
    top = sorted(
        (i for i in issues if i["status"] != "merged"), key=lambda i: (-i["reach"], -i["post_count"], i["issue_id"])
    )
    return {
        "posts": len(posts),
        "platforms": dict(sorted(Counter(p["platform"] for p in posts).items())),
        "daily": Counter((p["t"] + WITA_OFFSET).date().isoformat() for p in posts),
        "issues": len(issues),
        "emergencies": sum(i["is_emergency"] and i["status"] != "merged" for i in issues),
        "reach": sum(i["reach"] for i in issues),
        "by_status": dict(sorted(status.items())),
        "median_hours": round(statistics.median(waits) / 3600, 1) if waits else None,
        "groups": {
            name: sorted(({"key": k, **dict(c)} for k, c in found.items()), key=lambda r: (-r["issues"], r["key"]))
            for name, found in groups.items()
        },
        "top": [i["issue_id"] for i in top[:TOP_ISSUES]],
        "emergency_ids": [
            i["issue_id"]
            for i in sorted(issues, key=lambda i: (i["t"], i["issue_id"]))
            if i["is_emergency"] and i["status"] != "merged"
        ],
        "tickets": sum(
            1 for i in issues if (d := drafts.get(i["issue_id"])) is not None and d["draft_id"] in rows["tickets"]
        ),
    }


@pytest.mark.parametrize("month", ["2026-11", "2026-12"])  # December: posts, no issues
def test_every_table_of_the_report_equals_a_recount_of_its_rows(rows, month):
    first = dt.date.fromisoformat(f"{month}-01")
    before = (first - dt.timedelta(days=1)).replace(day=1)
    figures = monthly_figures(month, today=dt.date(2026, 11, 25))
    mine, previous = _recount(rows, first), _recount(rows, before)
    both = {key: mine[key] + previous[key] for key in ("issues", "tickets", "emergencies", "posts")}
    assert both["issues"] > 100 and both["tickets"] > 10 and both["emergencies"] > 0 and mine["posts"] > 0
    totals = figures["totals"]
    for key in ("posts", "issues", "emergencies", "reach", "tickets"):
        assert (totals[key]["month"], totals[key]["previous"]) == (mine[key], previous[key]), key
    assert totals["median_hours_to_approval"]["month"] == mine["median_hours"]
    assert totals["median_hours_to_approval"]["previous"] == previous["median_hours"]
    assert figures["drafts"]["by_status"] == mine["by_status"]
    assert {r["platform"]: r["posts"] for r in figures["posts_per_platform"] if r["posts"]} == mine["platforms"]
    assert {d["day"]: d["posts"] for d in figures["daily_posts"] if d["posts"]} == dict(mine["daily"])
    for name in ("category", "kecamatan", "opd"):
        shown = [
            {k: v for k, v in row.items() if k not in ("previous", "change", "label")}
            for row in figures[f"by_{name}"]
            if row["issues"]
        ]
        assert shown == [{name: r.pop("key"), **r} for r in mine["groups"][name]], name
        before_counts = {r["key"]: r["issues"] for r in previous["groups"][name]}
        assert {row[name]: row["previous"] for row in figures[f"by_{name}"] if row["previous"]} == before_counts
    assert [t["issue_id"] for t in figures["top_issues"]] == mine["top"]
    assert [e["issue_id"] for e in figures["emergencies"]["items"]] == mine["emergency_ids"]
    assert figures["tickets"]["total"] == sum(r["tickets"] for r in figures["tickets"]["by_stage"]) == mine["tickets"]

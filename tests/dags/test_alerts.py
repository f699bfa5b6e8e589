"""warehouse.alerts: spikes and viral issues against the previous days, emergencies for 112."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warehouse import connect
from warehouse.alerts import (
    detect_spikes,
    find_spikes,
    format_wita,
    list_alerts,
    mark_delivered,
    post_keys_in,
    record_emergencies,
    summary_lines,
)

END = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # the run scheduled at midnight covers 19 Nov
START = END - timedelta(hours=24)


@pytest.fixture
def warehouse_file(tmp_path, monkeypatch):
    path = tmp_path / "siaga.duckdb"
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


def add_posts(posts: list[dict]) -> None:
    """Seed posts with their analysis and issue link (what the loader would have written)."""
    with connect(write=True) as con:
        for p in posts:
            key = f"x:{p['id']}"
            created = p["created_at"].astimezone(UTC).replace(tzinfo=None)
            con.execute(
                """INSERT INTO posts (platform, platform_post_id, post_key, url, text, created_at, likes,
                                      shares, lat, lon, loaded_at, updated_at)
                   VALUES ('x', ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, now()::TIMESTAMP)""",
                [
                    p["id"],
                    key,
                    f"https://x.com/i/status/{p['id']}",
                    p.get("text", "laporan warga"),
                    created,
                    p.get("likes", 0),
                    p.get("shares", 0),
                    p.get("lat"),
                    p.get("lon"),
                ],
            )
            con.execute(
                """INSERT INTO post_analysis (post_key, model_version, is_complaint, category, is_emergency,
                                              kecamatan, analyzed_at)
                   VALUES (?, 'test', true, ?, ?, ?, now()::TIMESTAMP)""",
                [key, p["category"], p.get("emergency", False), p.get("kecamatan")],
            )
            if p.get("issue"):
                con.execute("INSERT INTO issue_posts VALUES (?, ?, 'report', 1.0, now()::TIMESTAMP)", [key, p["issue"]])


def add_issue(issue_id: str, **fields) -> None:
    row = {
        "category": "banjir",
        "kecamatan": "Bengalon",
        "desa": None,
        "region_code": None,
        "lat": None,
        "lon": None,
        "is_emergency": False,
        "first_seen": None,
        "last_seen": None,
        "post_count": 1,
        **fields,
    }
    with connect(write=True) as con:
        con.execute(
            """INSERT INTO issues (issue_id, category, kecamatan, desa, region_code, lat, lon, is_emergency,
                                   first_seen, last_seen, post_count, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, now()::TIMESTAMP)""",
            [
                issue_id,
                row["category"],
                row["kecamatan"],
                row["desa"],
                row["region_code"],
                row["lat"],
                row["lon"],
                row["is_emergency"],
                row["first_seen"],
                row["last_seen"],
                row["post_count"],
            ],
        )


def daily_posts(per_day: list[int], category: str, kecamatan: str, prefix: str, **extra) -> list[dict]:
    """per_day[0] posts on the oldest of len(per_day) days ending with the window under test."""
    posts = []
    for offset, count in enumerate(reversed(per_day)):  # offset 0 = the window under test
        day_start = START - timedelta(days=offset)
        for i in range(count):
            posts.append(
                {
                    "id": f"{prefix}-{offset}-{i}",
                    "category": category,
                    "kecamatan": kecamatan,
                    "created_at": day_start + timedelta(minutes=30 + 10 * i),
                    **extra,
                }
            )
    return posts


def test_category_and_kecamatan_spike_when_today_exceeds_mean_plus_k_sigma(warehouse_file):
    add_posts(daily_posts([1, 2, 1, 2, 1, 2, 1, 12], "banjir", "Bengalon", "banjir"))
    add_posts(daily_posts([3, 3, 3, 3, 3, 3, 3, 3], "jalan_jembatan", "Kaliorang", "jalan"))

    alerts = detect_spikes(START, END, k=3.0, baseline_days=7, min_count=3)

    flagged = {(a["kind"], a["scope"], a["scope_key"]) for a in alerts}
    assert flagged == {("spike", "category", "banjir"), ("spike", "kecamatan", "Bengalon")}
    banjir = next(a for a in alerts if a["scope_key"] == "banjir")
    assert banjir["value"] == 12
    assert banjir["baseline"] == pytest.approx(10 / 7)
    assert banjir["threshold"] < 12
    assert banjir["day"] == START.date()
    assert "banjir" in banjir["message"] and "12 unggahan" in banjir["message"]
    assert banjir["detail"]["baseline_values"] == [1, 2, 1, 2, 1, 2, 1]


def test_detecting_the_same_day_twice_changes_nothing(warehouse_file):
    add_posts(daily_posts([0, 0, 1, 0, 0, 1, 0, 9], "listrik", "Sangatta Utara", "listrik"))
    first = detect_spikes(START, END)
    mark_delivered([a["alert_id"] for a in first])
    delivered = list_alerts()
    second = detect_spikes(START, END)
    assert [a["alert_id"] for a in second] == [a["alert_id"] for a in first]
    assert list_alerts() == delivered


def test_few_posts_never_alert_however_quiet_the_week_was(warehouse_file):
    add_posts(daily_posts([2, 2, 2, 2, 2, 2, 2, 2], "jalan_jembatan", "Kaliorang", "jalan"))
    add_posts(daily_posts([0, 0, 0, 0, 0, 0, 0, 2], "sosial", "Kongbeng", "sosial"))
    assert detect_spikes(START, END, min_count=3) == []
    flagged = {(a["scope"], a["scope_key"]) for a in detect_spikes(START, END, min_count=2)}
    assert flagged == {("category", "sosial"), ("kecamatan", "Kongbeng")}


def test_a_fresh_warehouse_without_history_raises_no_spikes(warehouse_file):
    add_posts(daily_posts([0, 0, 0, 0, 0, 0, 0, 40], "banjir", "Bengalon", "banjir"))
    assert detect_spikes(START, END) == []
    add_posts([{"id": "old", "category": "lainnya", "created_at": START - timedelta(days=3)}])
    assert {a["scope_key"] for a in detect_spikes(START, END)} == {"banjir", "Bengalon"}


def test_a_larger_k_tolerates_more_variation(warehouse_file):
    add_posts(daily_posts([2, 6, 1, 7, 2, 6, 1, 9], "kesehatan", "Bengalon", "sehat"))
    assert {a["scope"] for a in detect_spikes(START, END, k=1.0)} == {"category", "kecamatan"}
    assert detect_spikes(START, END, k=3.0) == []


def test_issue_goes_viral_on_reach_not_only_on_post_count(warehouse_file):
    add_issue("issue-sampah", category="lingkungan_sampah", kecamatan="Sangatta Selatan")
    quiet = daily_posts(
        [1, 1, 1, 1, 1, 1, 1, 0], "lingkungan_sampah", "Sangatta Selatan", "s", issue="issue-sampah", likes=2
    )
    loud = daily_posts(
        [0, 0, 0, 0, 0, 0, 0, 3],
        "lingkungan_sampah",
        "Sangatta Selatan",
        "l",
        issue="issue-sampah",
        likes=400,
        shares=90,
    )
    add_posts(quiet + loud)
    viral = [a for a in detect_spikes(START, END) if a["kind"] == "viral"]
    assert [a["issue_id"] for a in viral] == ["issue-sampah"]
    assert viral[0]["value"] == 3 * (1 + 400 + 90)
    assert "Isu viral" in viral[0]["message"] and "Sangatta Selatan" in viral[0]["message"]


def test_find_spikes_counts_missing_days_as_zero():
    counts = {("category", "banjir"): {7: (5, 5.0)}, ("category", "listrik"): {0: (5, 5.0), 7: (5, 5.0)}}
    found = find_spikes(counts, n_baseline=7, k=3.0, min_count=3)
    assert [(f["scope_key"], f["baseline"]) for f in found] == [("banjir", 0.0)]
    # listrik: one day of 5 in the week gives mean 5/7 and sigma ~1.75: 5 > 0.71 + 3 * 1.75 is false
    assert all(f["scope_key"] != "listrik" for f in found)


def test_emergency_alert_says_what_where_when_with_evidence_and_a_summary_for_112(warehouse_file):
    first_seen = datetime(2026, 11, 19, 2, 15)  # UTC: 10.15 WITA
    add_issue(
        "issue-api",
        category="kebakaran",
        kecamatan="Bengalon",
        desa="Sepaso",
        region_code="64.08.07.2001",
        lat=0.8531,
        lon=117.7312,
        is_emergency=True,
        first_seen=first_seen,
        last_seen=first_seen + timedelta(minutes=40),
        post_count=3,
    )
    add_posts(
        [
            {
                "id": f"api-{i}",
                "category": "kebakaran",
                "kecamatan": "Bengalon",
                "issue": "issue-api",
                "emergency": True,
                "created_at": first_seen.replace(tzinfo=UTC) + timedelta(minutes=20 * i),
            }
            for i in range(3)
        ]
    )

    alerts = record_emergencies(["x:api-0", "x:api-1"], day=START.date())

    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert["kind"], alert["scope"], alert["issue_id"]) == ("emergency", "issue", "issue-api")
    assert alert["handoff_status"] == "pending"
    assert alert["delivered_at"] is None
    where = alert["detail"]["where"]
    assert (where["kecamatan"], where["desa"]) == ("Bengalon", "Sepaso")
    assert where["region_code"] == "64.08.07.2001"
    assert (where["lat"], where["lon"]) == (0.8531, 117.7312)
    assert alert["detail"]["when"]["first_seen"].startswith("2026-11-19T02:15")
    urls = [e["url"] for e in alert["detail"]["evidence"]]
    assert urls == [f"https://x.com/i/status/api-{i}" for i in range(3)]
    summary = alert["detail"]["callback_summary"]
    for expected in (
        "KEBAKARAN",
        "Sepaso",
        "Bengalon",
        "64.08.07.2001",
        "0.85310, 117.73120",
        "19 Nov 2026 10.15 WITA",
        "3 unggahan",
        "https://x.com/i/status/api-0",
    ):
        assert expected in summary
    assert alert["message"] == summary


def test_an_emergency_seen_again_keeps_its_one_alert_and_its_delivery(warehouse_file):
    add_issue("issue-banjir", is_emergency=True, post_count=1)
    add_posts(
        [
            {
                "id": "b-1",
                "category": "banjir",
                "issue": "issue-banjir",
                "emergency": True,
                "created_at": START + timedelta(hours=1),
            }
        ]
    )
    (alert,) = record_emergencies(["x:b-1"], day=START.date())
    assert mark_delivered([alert["alert_id"]]) == 1
    add_posts(
        [
            {
                "id": "b-2",
                "category": "banjir",
                "issue": "issue-banjir",
                "emergency": True,
                "created_at": START + timedelta(days=1, hours=1),
            }
        ]
    )
    with connect(write=True) as con:
        con.execute("UPDATE issues SET post_count = 2 WHERE issue_id = 'issue-banjir'")

    (again,) = record_emergencies(["x:b-2"], day=END.date())

    assert again["alert_id"] == alert["alert_id"]
    assert again["delivered_at"] is not None and again["day"] == START.date()
    assert again["value"] == 2 and len(again["detail"]["evidence"]) == 2
    assert len(list_alerts("emergency")) == 1
    assert mark_delivered([alert["alert_id"]]) == 0  # never delivered twice


def test_posts_that_are_not_emergencies_raise_nothing(warehouse_file):
    add_issue("issue-jalan", category="jalan_jembatan")
    add_posts([{"id": "j-1", "category": "jalan_jembatan", "issue": "issue-jalan", "created_at": START}])
    assert record_emergencies(["x:j-1"]) == []
    assert record_emergencies([]) == []


def test_post_keys_in_reads_staged_posts_and_skips_lines_without_keys(tmp_path: Path):
    staged = tmp_path / "replay.jsonl"
    staged.write_text(
        "\n".join(
            [
                json.dumps({"platform": "x", "platform_post_id": "1", "text": "a"}),
                json.dumps({"platform": "x", "text": "no id: the loader quarantines it"}),
                "not json",
                json.dumps({"platform": "facebook", "platform_post_id": "9_1", "text": "b"}),
                json.dumps({"platform": "x", "platform_post_id": "1", "text": "a again"}),
            ]
        ),
        encoding="utf-8",
    )
    assert post_keys_in([staged]) == ["x:1", "facebook:9_1"]


def test_times_read_in_kutim_local_time():
    assert format_wita(datetime(2026, 11, 22, 16, 5)) == "23 Nov 2026 00.05 WITA"
    assert format_wita(datetime(2026, 8, 1, 1, 0, tzinfo=UTC)) == "1 Agu 2026 09.00 WITA"
    assert format_wita(None) == "waktu tidak diketahui"


def test_run_summary_counts_everything_and_spells_out_the_first_emergencies():
    stats = {
        "posts": 391,
        "issues": 65,
        "drafts": {"pending": 65},
        "quarantine": 9,
        "sources": {"x": 127, "facebook": 122},
    }
    alerts = [{"kind": "emergency", "message": f"DARURAT {i}"} for i in range(7)]
    alerts.append({"kind": "viral", "message": "Isu viral"})
    lines = summary_lines(stats, alerts)
    assert "Unggahan: 391 (facebook: 122, x: 127)" in lines
    assert "Draf LAPOR!: 65 (pending: 65)" in lines
    assert "Darurat: 7; isu viral: 1; lonjakan: 0" in lines
    assert [line for line in lines if line.startswith("  - ")] == [f"  - DARURAT {i}" for i in range(5)]
    assert lines[-1].startswith("  ... dan 2 lainnya")

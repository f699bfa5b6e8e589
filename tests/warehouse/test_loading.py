"""Loading normalized posts: upserts, quarantine, idempotence."""

from __future__ import annotations

import json

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines, load_lines
from warehouse.stats import stats

ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.05.2001",
}


def sample_posts() -> list[dict]:
    return [
        post(
            "x",
            "100",
            "Jalan di Swarga Bara rusak parah, lubang di mana-mana 😡 #kutim",
            "2026-11-20T01:00:00Z",
            metrics={"likes": 10, "shares": 2, "comments": 1, "views": 300},
            gold=ROAD,
            url="https://x.com/warga/status/100",
        ),
        post(
            "facebook",
            "200_1",
            "Lampu jalan mati sebulan di Teluk Lingga",
            "2026-11-20T02:00:00Z",
            gold={
                "category": "listrik",
                "kecamatan": "Sangatta Utara",
                "desa": "Teluk Lingga",
                "region_code": "64.08.05.1003",
            },
        ),
        post(
            "instagram",
            "C9xyz",
            "Selamat Hari Guru untuk semua guru di Kutim!",
            "2026-11-20T03:00:00Z",
            gold={"category": None, "is_complaint": False},
        ),
    ]


def test_same_post_fetched_twice_is_one_row_with_updated_metrics(warehouse_file):
    first = sample_posts()[0]
    again = dict(first, metrics={"likes": 25, "shares": 4, "comments": 3, "views": 900})
    counts = load_lines(lines([first, again]))
    assert counts["posts_new"] == 1
    counts = load_lines(lines([again | {"metrics": {"likes": 40, "shares": 4, "comments": 3, "views": 950}}]))
    assert counts == {
        "lines": 1,
        "posts_new": 0,
        "posts_updated": 1,
        "posts_unchanged": 0,
        "posts_edited": 0,
        "quarantined": 0,
        "quarantine_new": 0,
    }
    with warehouse.connect() as con:
        rows = con.execute("SELECT likes, views FROM posts WHERE post_key = 'x:100'").fetchall()
    assert rows == [(40, 950)]


def test_loading_the_same_data_twice_changes_no_count(warehouse_file):
    posts = sample_posts()
    analyzer = GoldAnalyzer(posts)
    ingest_lines(lines(posts), analyze=analyzer)
    before = stats()
    with warehouse.connect() as con:
        snapshot = con.execute("SELECT draft_id, version, updated_at FROM drafts ORDER BY 1").fetchall()
    second = ingest_lines(lines(posts), analyze=analyzer)
    assert second["posts_new"] == 0 and second["posts_unchanged"] == len(posts)
    assert second["analyzed"] == 0 and second["reports_placed"] == 0
    assert stats() == before
    with warehouse.connect() as con:
        assert con.execute("SELECT draft_id, version, updated_at FROM drafts ORDER BY 1").fetchall() == snapshot
    assert before["posts"] == 3 and before["issues"] == 2 and before["drafts"] == {"pending": 2}


def test_malformed_lines_are_quarantined_with_reason_and_the_rest_load(warehouse_file):
    good = sample_posts()
    bad = [
        "{not json",
        json.dumps({"platform": "x", "text": "tanpa id"}),
        json.dumps({"platform": "x", "platform_post_id": "9", "text": "   "}),
        json.dumps({"platform": "x", "platform_post_id": "10", "text": "ok", "created_at": "kemarin sore"}),
        json.dumps(["a", "list"]),
        json.dumps(
            {"_quarantine": True, "source": "facebook", "reason": "Graph API item without id", "raw": {"message": "x"}}
        ),
    ]
    counts = load_lines(lines(good[:2]) + bad + lines(good[2:]))
    assert counts["posts_new"] == 3
    assert counts["quarantined"] == len(bad)
    with warehouse.connect() as con:
        reasons = dict(con.execute("SELECT raw, reason FROM quarantine").fetchall())
    assert reasons["{not json"] == "not valid JSON"
    assert reasons[bad[1]] == "missing required field: platform_post_id"
    assert reasons[bad[2]].startswith("missing required field: text")
    assert reasons[bad[3]] == "created_at is not ISO 8601: kemarin sore"
    assert reasons[bad[4]] == "not a JSON object"
    assert reasons[bad[5]] == "quarantined by extractor: Graph API item without id"
    # a retry quarantines nothing twice
    load_lines(bad)
    assert stats()["quarantine"] == len(bad)


def test_timestamps_with_offsets_are_stored_in_utc(warehouse_file):
    load_lines(lines([post("whatsapp", "wamid.1", "Air PDAM mati", "2026-11-20T10:00:00+08:00")]))
    with warehouse.connect() as con:
        created = con.execute("SELECT created_at FROM posts").fetchone()[0]
    assert created.isoformat() == "2026-11-20T02:00:00"


def test_migrations_are_recorded_once(warehouse_file):
    with warehouse.connect(write=True) as con:
        first = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    with warehouse.connect(write=True) as con:
        assert warehouse.migrate(con) == []
        assert con.execute("SELECT version, name FROM schema_migrations").fetchall() == first
    assert first[0] == (1, "001_core.sql")

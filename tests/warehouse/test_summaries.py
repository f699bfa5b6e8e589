"""The pages' summary tables (migration 013) equal a full recount after every kind of write.

`summaries.refresh` changes only the issues a writer touched; `summaries.rebuild` recounts everything
from posts and issue_posts. After each step of a realistic sequence (day after day, a day loaded again,
a refetch with new figures, copies and replies, an OPD edit, merge, split, retention) the incremental
tables must hold exactly what a recount gives, and the migration must backfill an existing warehouse.
"""

from __future__ import annotations

import pytest

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse import moderation, summaries
from warehouse.ingest import ingest_lines
from warehouse.retention import apply_retention

ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.04.2012",
    "opd": "Dinas Pekerjaan Umum dan Penataan Ruang",
}
FLOOD = {
    "category": "banjir",
    "kecamatan": "Muara Wahau",
    "desa": "Wanasari",
    "region_code": "64.08.02.2007",
    "opd": "Badan Penanggulangan Bencana Daerah",
}
WATER = {
    "category": "air_bersih",
    "kecamatan": "Bengalon",
    "desa": "Sepaso",
    "region_code": "64.08.09.2005",
    "opd": "Perumda Air Minum Tirta Tuah Benua",
}
NOT_A_COMPLAINT = {"is_complaint": False}


def _day1() -> list[dict]:
    return [
        post(
            "x",
            "101",
            "Jalan Swarga Bara berlubang besar, motor jatuh",
            "2026-11-10T01:00:00Z",
            gold=ROAD,
            metrics={"likes": 5, "shares": 1, "comments": 2},
            fetched_at="2026-11-10T06:00:00Z",
        ),
        post(
            "facebook",
            "102",
            "Lubang jalan di Swarga Bara makin dalam",
            "2026-11-10T05:30:00Z",
            gold=ROAD,
            author_name="Warga Swarga Bara",
            raw={"id": "102"},
        ),
        post(
            "instagram",
            "103",
            "Banjir di Wanasari, air masuk rumah",
            "2026-11-10T23:10:00Z",
            gold=FLOOD,
            metrics={"likes": 40},
        ),
        post("x", "104", "Selamat hari jadi Kutim", "2026-11-10T02:00:00Z", gold=NOT_A_COMPLAINT),
    ]


def _day2() -> list[dict]:
    return [
        # a retweet and a reply follow their original into its issue; the original comes back with more likes
        post(
            "x",
            "201",
            "RT @warga: Jalan Swarga Bara berlubang besar, motor jatuh",
            "2026-11-11T02:00:00Z",
            shared_from="x:101",
            gold=ROAD,
        ),
        post(
            "facebook",
            "202",
            "Betul, sudah lama begini",
            "2026-11-11T03:00:00Z",
            parent_id="facebook:102",
            gold=NOT_A_COMPLAINT,
        ),
        post(
            "x",
            "101",
            "Jalan Swarga Bara berlubang besar, motor jatuh",
            "2026-11-10T01:00:00Z",
            gold=ROAD,
            metrics={"likes": 50, "shares": 9, "comments": 4},
            fetched_at="2026-11-11T06:00:00Z",
        ),
        post("whatsapp", "203", "Air PDAM mati tiga hari di Sepaso", "2026-11-11T08:00:00Z", gold=WATER),
        post("facebook", "204", "Banjir Wanasari belum surut, warga mengungsi", "2026-11-11T16:45:00Z", gold=FLOOD),
    ]


def _day3() -> list[dict]:
    return [
        post("x", "301", "Sepaso tidak ada air PDAM lagi hari ini", "2026-11-12T01:00:00Z", gold=WATER),
        post("instagram", "302", "Jalan Swarga Bara rusak parah dekat sekolah", "2026-11-12T04:00:00Z", gold=ROAD),
    ]


DAYS = (_day1, _day2, _day3)
EVERY = [p for day in DAYS for p in day()]


class _Undo(Exception):
    """Raised inside a write connection so its transaction rolls back."""


def _snapshot(con) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in summaries.SUMMARY_TABLES}


def assert_summaries_match_recount() -> dict[str, list[tuple]]:
    """The summaries as the writers left them equal a recount from scratch (which is then rolled back)."""
    found: dict[str, dict[str, list[tuple]]] = {}
    with pytest.raises(_Undo), warehouse.connect(write=True) as con:
        found["kept"] = _snapshot(con)
        summaries.rebuild(con)
        found["recount"] = _snapshot(con)
        raise _Undo
    for table in summaries.SUMMARY_TABLES:
        assert found["kept"][table] == found["recount"][table], table
    return found["kept"]


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    """Three days loaded one run each, the summaries checked after every run."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    analyze = GoldAnalyzer(EVERY)
    for day in DAYS:
        ingest_lines(lines(day()), analyze=analyze)
        assert_summaries_match_recount()
    return analyze


def _issue_of(post_key: str) -> str:
    with warehouse.connect() as con:
        return con.execute("SELECT issue_id FROM issue_posts WHERE post_key = ?", [post_key]).fetchone()[0]


def _draft_of(issue_id: str) -> dict:
    with warehouse.connect() as con:
        draft_id = con.execute("SELECT draft_id FROM drafts WHERE issue_id = ?", [issue_id]).fetchone()[0]
    return moderation.get_draft(draft_id, evidence_limit=0)


def test_day_after_day_the_summaries_count_what_the_posts_hold(loaded):
    kept = assert_summaries_match_recount()
    road = _issue_of("x:101")
    with warehouse.connect() as con:
        posts, engagement = con.execute(
            "SELECT posts, engagement FROM issue_summary WHERE issue_id = ?", [road]
        ).fetchone()
        linked = con.execute("SELECT count(*) FROM issue_posts WHERE issue_id = ?", [road]).fetchone()[0]
        platforms = {
            r[0] for r in con.execute("SELECT platform FROM issue_platforms WHERE issue_id = ?", [road]).fetchall()
        }
    # the road: 101 (refetched: 50 + 9 + 4), 102, 201 (retweet), 202 (reply), 302; each post counts itself once
    assert linked == posts == 5
    assert engagement == (50 + 9 + 4 + 1) + 1 + 1 + 1 + 1
    assert platforms == {"x", "facebook", "instagram"}
    by_day = {(day.isoformat(), category, platform): n for day, category, _, _, platform, n, _ in kept["post_counts"]}
    # the flood post at 23:10 UTC on the 10th is the 11th in Kutim (WITA): days are WITA days
    assert by_day[("2026-11-11", "banjir", "instagram")] == 1
    assert ("2026-11-10", "banjir", "instagram") not in by_day
    assert sum(by_day.values()) == sum(r[5] for r in kept["issue_summary"])


def test_loading_a_day_again_changes_no_summary(loaded):
    before = assert_summaries_match_recount()
    ingest_lines(lines(_day2()), analyze=loaded)
    assert assert_summaries_match_recount() == before


def test_an_opd_edit_moves_the_issues_posts_to_that_opd_in_the_day_counts(loaded):
    road = _issue_of("x:101")
    draft = _draft_of(road)
    moderation.update_draft(
        draft["draft_id"], draft["version"], {"opd": "Dinas Perhubungan"}, actor="mod", role="moderator", regions={}
    )
    kept = assert_summaries_match_recount()
    opds = {opd for _, category, _, opd, *_ in kept["post_counts"] if category == "jalan_jembatan"}
    assert opds == {"Dinas Perhubungan"}


def test_merge_and_split_keep_the_summaries_equal_to_a_recount(loaded):
    road, flood = _issue_of("x:101"), _issue_of("instagram:103")
    moderation.merge_issues(flood, road, actor="mod", role="moderator")
    kept = assert_summaries_match_recount()
    counts = {r[0]: r[5] for r in kept["issue_summary"]}
    assert counts[flood] == 0 and counts[road] == 7
    result = moderation.split_issue(road, ["instagram:103", "facebook:204"], actor="mod", role="moderator")
    kept = assert_summaries_match_recount()
    counts = {r[0]: r[5] for r in kept["issue_summary"]}
    assert counts[road] == 5 and counts[result["new_issue"]] == 2


def test_retention_changes_no_count(loaded):
    before = assert_summaries_match_recount()
    assert apply_retention(days=1)["posts_stripped"] > 0
    assert assert_summaries_match_recount() == before


def test_the_migration_backfills_a_warehouse_that_predates_it(loaded):
    before = assert_summaries_match_recount()
    with warehouse.connect(write=True) as con:  # the warehouse as it was before migration 013
        for table in (*summaries.SUMMARY_TABLES, "issue_splits"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM schema_migrations WHERE version = 13")
    with warehouse.connect() as con:  # the next connection migrates it, backfill included
        assert _snapshot(con) == before

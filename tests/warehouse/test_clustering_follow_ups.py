"""Posts that are not reports (a warning, a photo caption, a question) follow the issue they are about."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

SWARGA_BARA = {"kecamatan": "Sangatta Utara", "desa": "Swarga Bara", "region_code": "64.08.04.2012"}
NOT_A_COMPLAINT = {"is_complaint": False, "category": None}


def ingest(posts, analyzer=None):
    return ingest_lines(lines(posts), analyze=analyzer or GoldAnalyzer(posts))


def links(con) -> dict[str, tuple[str, str]]:
    return {k: (i, r) for k, i, r in con.execute("SELECT post_key, issue_id, role FROM issue_posts").fetchall()}


ROAD = post(
    "facebook",
    "1",
    "Lubang besar di Jalan Kabo Jaya depan SD 003 Swarga Bara, motor warga jatuh tiap malam",
    "2026-11-02T01:00:00Z",
    gold=dict(SWARGA_BARA, category="jalan_jembatan"),
)
WARNING = post(
    "x",
    "2",
    "hati2 yg lewat jalan kabo jaya depan sd 003, lubang besar segede bak mandi, motor bisa jatuh",
    "2026-11-02T09:00:00Z",
    gold=dict(SWARGA_BARA, **NOT_A_COMPLAINT),
)
FESTIVAL = post(
    "instagram",
    "3",
    "Festival kuliner UMKM digelar di lapangan Swarga Bara akhir pekan ini, ayo datang",
    "2026-11-03T02:00:00Z",
    gold=dict(SWARGA_BARA, **NOT_A_COMPLAINT),
)


def test_a_warning_about_a_reported_pothole_follows_its_issue_without_being_a_report(warehouse_file):
    counts = ingest([ROAD, WARNING, FESTIVAL])
    with warehouse.connect() as con:
        linked = links(con)
        assert linked["x:2"] == (linked["facebook:1"][0], "follow_up")
        assert "instagram:3" not in linked  # same desa, nothing in common: not about the pothole
        issue = linked["facebook:1"][0]
        report_count, post_count = con.execute(
            "SELECT report_count, post_count FROM issues WHERE issue_id = ?", [issue]
        ).fetchone()
    assert (report_count, post_count) == (1, 2)
    assert counts["issues_opened"] == 1
    ingest([ROAD, WARNING, FESTIVAL])  # a re-run links nothing twice
    with warehouse.connect() as con:
        assert links(con) == linked


def test_a_post_that_is_not_a_report_never_opens_an_issue(warehouse_file):
    ingest([WARNING, FESTIVAL])
    with warehouse.connect() as con:
        assert links(con) == {}
        assert con.execute("SELECT count(*) FROM issues").fetchone()[0] == 0


def test_a_follow_up_as_alike_to_two_issues_in_its_desa_joins_neither(warehouse_file):
    water = post(
        "facebook",
        "4",
        "Air PDAM mati di Swarga Bara depan SD 003, warga jauh beli air galon tiap malam",
        "2026-11-02T02:00:00Z",
        gold=dict(SWARGA_BARA, category="air_bersih"),
    )
    vague = post(
        "x",
        "5",
        "depan sd 003 swarga bara parah tiap malam, warga capek",
        "2026-11-02T10:00:00Z",
        gold=dict(SWARGA_BARA, **NOT_A_COMPLAINT),
    )
    ingest([ROAD, water, vague])
    with warehouse.connect() as con:
        linked = links(con)
    assert linked["facebook:1"][0] != linked["facebook:4"][0]
    assert "x:5" not in linked


def test_day_by_day_a_follow_up_joins_yesterdays_issue_and_does_not_keep_it_open(warehouse_file, monkeypatch):
    later = post(
        "facebook",
        "6",
        "Lubang besar Jalan Kabo Jaya depan SD 003 Swarga Bara belum ditambal, motor jatuh",
        "2026-11-24T01:00:00Z",
        gold=dict(SWARGA_BARA, category="jalan_jembatan"),
    )
    warning_day_12 = dict(WARNING, created_at="2026-11-12T09:00:00Z")
    posts = [ROAD, warning_day_12, later]
    analyzer = GoldAnalyzer(posts)
    for day in posts:  # one post a day, each its own run
        ingest([day], analyzer)
    with warehouse.connect() as con:
        day_by_day = links(con)
    assert day_by_day["x:2"] == (day_by_day["facebook:1"][0], "follow_up")
    # 22 days after the first report: the follow-up on day 12 did not extend the 14-day window
    assert day_by_day["facebook:6"][0] != day_by_day["facebook:1"][0]
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    ingest(posts, analyzer)  # the same posts in one run: the same issues
    with warehouse.connect() as con:
        assert links(con) == day_by_day

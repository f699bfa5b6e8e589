"""Two problems of one category in one desa: wording, not the place alone, keeps an issue going."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

SEPASO = {"kecamatan": "Bengalon", "desa": "Sepaso", "region_code": "64.08.09.2001", "category": "jalan_jembatan"}


def road(post_id: str, text: str, day: int) -> dict:
    return post("facebook", post_id, text, f"2026-10-{day:02d}T02:00:00Z", gold=dict(SEPASO))


BRIDGE = [
    road("1", "Jembatan ulin di Gang Rawa Indah Sepaso amblas, mobil tidak bisa menyeberang", 1),
    road("2", "jembatan ulin rawa indah sepaso makin amblas, papan lantainya patah dua", 6),
    road("3", "Sudah sepekan jembatan Rawa Indah amblas, anak sekolah memutar jauh", 12),
]
SCHOOL_ROAD = road("4", "Aspal di depan SD 005 Sepaso mengelupas dan licin, dua pengendara jatuh pagi ini", 20)
BRIDGE_AGAIN = road("5", "Jembatan ulin Rawa Indah Sepaso belum juga diperbaiki, amblas makin dalam", 21)


def issues_of(posts: list[dict]) -> dict[str, str]:
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    with warehouse.connect() as con:
        return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_another_road_problem_in_the_desa_after_the_first_fortnight_opens_its_own_issue(warehouse_file):
    # Day 20 is within 14 days of the bridge's last report (day 12): on place alone the school road would
    # chain into the bridge's issue, and so would every road report in Sepaso for the rest of the year.
    issue = issues_of([*BRIDGE, SCHOOL_ROAD, BRIDGE_AGAIN])
    assert issue["facebook:1"] == issue["facebook:2"] == issue["facebook:3"]
    assert issue["facebook:4"] != issue["facebook:1"]
    # the bridge, still broken and told in its own words, goes on in its issue
    assert issue["facebook:5"] == issue["facebook:1"]


def test_reports_of_one_problem_within_its_first_fortnight_join_on_the_place_alone(warehouse_file):
    # a terse report sharing no word with the first one is the same problem while the issue is young
    terse = road("6", "sudah tiga hari tidak bisa lewat, tolong segera ditangani", 3)
    issue = issues_of([BRIDGE[0], terse])
    assert issue["facebook:6"] == issue["facebook:1"]


def test_day_by_day_the_one_desa_rule_gives_the_issues_of_one_load(warehouse_file, monkeypatch):
    posts = [*BRIDGE, SCHOOL_ROAD, BRIDGE_AGAIN]
    analyzer = GoldAnalyzer(posts)
    for day in posts:
        ingest_lines(lines([day]), analyze=analyzer)
    with warehouse.connect() as con:
        day_by_day = dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    assert issues_of(posts) == day_by_day

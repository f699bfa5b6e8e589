"""A complaint whose place the analysis did not find joins the one open issue it shares some wording with."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

SWARGA_BARA = {"kecamatan": "Sangatta Utara", "desa": "Swarga Bara", "region_code": "64.08.04.2012"}
SEPASO = {"kecamatan": "Bengalon", "desa": "Sepaso", "region_code": "64.08.09.2001"}
NO_PLACE = {"in_kutim": False, "category": "jalan_jembatan"}  # as the NLP leaves a post it could not place


def ingest(posts, analyzer=None):
    return ingest_lines(lines(posts), analyze=analyzer or GoldAnalyzer(posts))


def links(con) -> dict[str, tuple[str, str]]:
    return {k: (i, r) for k, i, r in con.execute("SELECT post_key, issue_id, role FROM issue_posts").fetchall()}


BRIDGE = post(
    "facebook",
    "1",
    "Jembatan kayu di Gang Mawar Swarga Bara patah sebelah, anak sekolah terpaksa memutar lewat kebun sawit",
    "2026-10-05T01:00:00Z",
    gold=dict(SWARGA_BARA, category="jalan_jembatan"),
)
HARBOUR_ROAD = post(
    "facebook",
    "2",
    "Jalan tanah menuju pelabuhan Sepaso berlubang dan licin, truk ikan sering terperosok kalau hujan",
    "2026-10-05T03:00:00Z",
    gold=dict(SEPASO, category="jalan_jembatan"),
)
# a citizen's terse repost: no desa, few of the report's words
TERSE = post(
    "whatsapp",
    "3",
    "jembatan kayunya patah, anak sekolah tiap pagi muter lewat kebun, kapan dibetulin",
    "2026-10-06T08:00:00Z",
    gold=dict(NO_PLACE),
)
VAGUE = post("x", "4", "parah bgt, dari dulu ga pernah diurus pemerintah", "2026-10-06T09:00:00Z", gold=dict(NO_PLACE))


def test_a_terse_complaint_with_no_place_joins_the_issue_it_shares_words_with(warehouse_file):
    ingest([BRIDGE, HARBOUR_ROAD, TERSE, VAGUE])
    with warehouse.connect() as con:
        linked = links(con)
        issues = con.execute("SELECT count(*) FROM issues").fetchone()[0]
    assert linked["whatsapp:3"] == (linked["facebook:1"][0], "report")
    assert "x:4" not in linked  # nothing in common with either road: it says too little
    assert issues == 2  # a complaint with no place never opens an issue


def test_a_complaint_with_no_place_as_alike_to_two_issues_joins_neither(warehouse_file):
    other_bridge = post(
        "instagram",
        "5",
        "Jembatan kayu ke pelabuhan Sepaso patah sebelah, anak sekolah terpaksa memutar lewat kebun",
        "2026-10-05T05:00:00Z",
        gold=dict(SEPASO, category="jalan_jembatan"),
    )
    ingest([BRIDGE, other_bridge, TERSE])
    with warehouse.connect() as con:
        linked = links(con)
    assert linked["facebook:1"][0] != linked["instagram:5"][0]
    assert "whatsapp:3" not in linked


def test_a_complaint_with_no_place_never_joins_an_issue_opened_after_it(warehouse_file):
    early = dict(TERSE, created_at="2026-10-04T08:00:00Z")
    ingest([BRIDGE, early])
    with warehouse.connect() as con:
        assert "whatsapp:3" not in links(con)


def test_day_by_day_a_complaint_with_no_place_joins_as_in_one_load(warehouse_file, monkeypatch):
    posts = [BRIDGE, HARBOUR_ROAD, TERSE, VAGUE]
    analyzer = GoldAnalyzer(posts)
    for day in posts:  # one post a run
        ingest([day], analyzer)
    with warehouse.connect() as con:
        day_by_day = links(con)
    assert day_by_day["whatsapp:3"] == (day_by_day["facebook:1"][0], "report")
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    ingest(posts, analyzer)
    with warehouse.connect() as con:
        assert links(con) == day_by_day

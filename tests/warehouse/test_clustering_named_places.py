"""A problem between two kecamatan (a road from one to the other) is at both: a report placed in the other
kecamatan joins the issue whose reports named it, when the wording agrees a little (`weak_place_similarity`)."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

SEPASO, RANTAU_PULUNG = "64.08.09.2001", "64.08.14"


class NamingAnalyzer(GoldAnalyzer):
    """The gold labels, with the places each post names (`gold["named"]`) as the NLP's entities."""

    def __init__(self, posts):
        super().__init__(posts)
        self.named = {f"{p['platform']}:{p['platform_post_id']}": p["gold"].get("named", []) for p in posts}

    def __call__(self, records):
        out = super().__call__(records)
        for analysis in out:
            analysis["entities"] = [{"text": c, "label": "PLACE", "code": c} for c in self.named[analysis["id"]]]
        return out


def gold(code: str, named: list[str], kecamatan: str, desa: str | None = None) -> dict:
    return {"category": "jalan_jembatan", "region_code": code, "kecamatan": kecamatan, "desa": desa, "named": named}


# placed in desa Sepaso (Bengalon), naming kecamatan Rantau Pulung as the road's other end
BETWEEN = post(
    "facebook",
    "1",
    "Jalan poros penghubung Desa Sepaso ke Kecamatan Rantau Pulung putus di tengah, semenisasi berhenti, "
    "sisanya lumpur dan truk sawit terjebak.",
    "2026-08-01T02:00:00Z",
    gold=gold(SEPASO, [SEPASO, RANTAU_PULUNG], "Bengalon", "Sepaso"),
)
# the same road told from the other end: the analysis found only Rantau Pulung
OTHER_END = post(
    "x",
    "2",
    "poros rantau pulung arah sepaso putus, semenisasi berhenti, truk sawit terjebak lumpur tiap hujan",
    "2026-08-01T08:00:00Z",
    gold=gold(RANTAU_PULUNG, [RANTAU_PULUNG], "Rantau Pulung"),
)
# another road in Rantau Pulung, in other words
MARKET_ROAD = post(
    "instagram",
    "3",
    "Jalan lingkungan dekat pasar Rantau Pulung berlubang besar depan masjid, tolong segera ditambal pak",
    "2026-08-02T08:00:00Z",
    gold=gold(RANTAU_PULUNG, [RANTAU_PULUNG], "Rantau Pulung"),
)


def ingest(posts, analyzer=None):
    return ingest_lines(lines(posts), analyze=analyzer or NamingAnalyzer(posts))


def issue_of(con) -> dict[str, str]:
    return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_a_report_from_the_other_kecamatan_of_a_road_joins_the_issue_that_named_it(warehouse_file):
    ingest([BETWEEN, OTHER_END])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["x:2"] == linked["facebook:1"]


def test_a_report_that_names_the_kecamatan_of_an_earlier_issue_joins_it(warehouse_file):
    earlier = dict(OTHER_END, created_at="2026-07-31T20:00:00Z")
    ingest([earlier, BETWEEN])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["facebook:1"] == linked["x:2"]


def test_a_named_kecamatan_needs_alike_wording_too(warehouse_file):
    ingest([BETWEEN, OTHER_END, MARKET_ROAD])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["instagram:3"] != linked["facebook:1"]


def test_without_the_named_kecamatan_two_kecamatan_never_join(warehouse_file):
    unnamed = dict(BETWEEN, gold=dict(BETWEEN["gold"], named=[SEPASO]))
    ingest([unnamed, OTHER_END])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["x:2"] != linked["facebook:1"]


def test_day_by_day_named_kecamatan_join_as_in_one_load(warehouse_file, monkeypatch):
    posts = [BETWEEN, OTHER_END, MARKET_ROAD]
    analyzer = NamingAnalyzer(posts)
    for day in posts:  # one post a run: the issue's named kecamatan are rebuilt from its reports
        ingest([day], analyzer)
    with warehouse.connect() as con:
        day_by_day = issue_of(con)
    assert day_by_day["x:2"] == day_by_day["facebook:1"] != day_by_day["instagram:3"]
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    ingest(posts, analyzer)
    with warehouse.connect() as con:
        assert issue_of(con) == day_by_day

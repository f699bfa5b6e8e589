"""Streets and RTs say nothing between two reports of an area-wide problem (a flood over several RTs), but a
point problem beside one (a road, an aid post) is held to its details: a report of another category naming
another street or RT does not join a desa's flood on place alone."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.clustering import Clusterer
from warehouse.ingest import ingest_lines
from warehouse.settings import ClusteringSettings, clustering_settings

PLACE = {"kecamatan": "Bengalon", "desa": "Sepaso Timur", "region_code": "64.08.09.2006"}


def report(post_id: str, text: str, day: int, category: str) -> dict:
    return post("x", post_id, text, f"2026-09-{day:02d}T03:00:00Z", gold=dict(PLACE, category=category))


def issues_of(posts: list[dict]) -> dict[str, str]:
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    with warehouse.connect() as con:
        return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_the_area_exception_needs_both_sides_area_wide():
    clusterer = Clusterer(ClusteringSettings(area_categories=["banjir", "bencana_alam"]))

    def differ(a: set[str], b: set[str], category: str, other: str) -> bool:
        return clusterer.details_differ(frozenset(a), frozenset(b), category, other)

    assert not differ({"rt 3"}, {"rt 9"}, "banjir", "banjir")
    assert not differ({"jalan mwr"}, {"jalan mlt"}, "banjir", "bencana_alam")
    assert differ({"rt 3"}, {"rt 9"}, "sosial", "banjir")
    assert differ({"jalan mwr"}, {"jalan mlt"}, "banjir", "jalan_jembatan")
    assert not differ({"rt 3"}, {"rt 3", "rt 9"}, "sosial", "banjir")  # names one of the flood's RTs
    assert not differ({"rt 3"}, {"jalan mlt"}, "sosial", "banjir")  # different kinds say nothing


def test_aid_at_another_rt_does_not_join_the_flood_but_aid_at_its_rt_does(warehouse_file):
    assert {"banjir"} <= clustering_settings().area_categories
    assert frozenset({"banjir", "sosial"}) in clustering_settings().neighbour_categories
    posts = [
        report("1", "banjir masuk rumah di RT 03, air selutut sejak subuh", 10, "banjir"),
        report("2", "RT 07 juga terendam banjir, warga mengungsi", 10, "banjir"),
        # flood aid at one of the flood's RTs: the flood's (a neighbouring category, no wording needed)
        report("3", "bantuan sembako untuk korban banjir RT 07 belum sampai", 11, "sosial"),
        # social aid at an RT the flood never named: another problem
        report("4", "bansos lansia di RT 15 belum cair sudah tiga bulan", 11, "sosial"),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] == issue["x:2"] == issue["x:3"]
    assert issue["x:4"] != issue["x:1"]


def test_a_road_at_another_street_does_not_join_a_landslide_there(warehouse_file):
    posts = [
        report("1", "longsor menimbun jalan di jl merpati, rumah warga retak", 3, "bencana_alam"),
        report("2", "jalan berlubang besar di jln Nuri, motor sering jatuh", 4, "jalan_jembatan"),
        report("3", "jalan di jl merpati tertimbun longsor belum dibersihkan", 5, "jalan_jembatan"),
    ]
    issue = issues_of(posts)
    assert issue["x:2"] != issue["x:1"]
    assert issue["x:3"] == issue["x:1"]

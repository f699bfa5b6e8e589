"""Two problems in one desa that each name a different street, RT or numbered school stay two issues."""

from __future__ import annotations

import duckdb
import pytest

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.clustering import Clusterer
from warehouse.fingerprint import details_sql
from warehouse.ingest import ingest_lines
from warehouse.settings import ClusteringSettings, clustering_settings

# Desa Sepaso Timur, kecamatan Bengalon
PLACE = {"kecamatan": "Bengalon", "desa": "Sepaso Timur", "region_code": "64.08.09.2006"}


def report(post_id: str, text: str, day: int, category: str = "jalan_jembatan") -> dict:
    return post("x", post_id, text, f"2026-09-{day:02d}T03:00:00Z", gold=dict(PLACE, category=category))


def issues_of(posts: list[dict]) -> dict[str, str]:
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    with warehouse.connect() as con:
        return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def details_of(text: str) -> set[str]:
    return set(duckdb.connect().execute(f"SELECT {details_sql('t')} FROM (SELECT ? AS t)", [text]).fetchone()[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a street's name, however the street word is written; one name by its consonants
        ("Jl. Merpati Putih berlubang dalam", {"jalan mrpt"}),
        ("jln merpati putih ancur", {"jalan mrpt"}),
        ("gg.nuri becek tiap hujan", {"jalan nr"}),
        ("lubang di jln kndang belum ditambal, jalan kandang makin parah", {"jalan kndng"}),
        # what the road is like, where it goes, or a desa's name is not a street
        ("jalan rusak parah menuju desa, jalan poros putus", set()),
        ("jalan Teluk Lingga tergenang", set()),
        # RT and numbered schools, however written
        ("air keruh di RT 05 dan rt.7", {"rt 5", "rt 7"}),
        ("atap SDN 012 bocor, SD 12 diliburkan", {"sd 12"}),
        ("plafon smpn 3 runtuh", {"smp 3"}),
        ("warga mengeluh, tidak ada rincian", set()),
    ],
)
def test_details_a_report_names(text, expected):
    assert details_of(text) == expected


def test_details_differ_only_when_both_name_a_detail_of_one_kind():
    clusterer = Clusterer(ClusteringSettings(area_categories=["banjir"]))

    def differ(a: set[str], b: set[str], category: str = "jalan_jembatan") -> bool:
        return clusterer.details_differ(frozenset(a), frozenset(b), category, category)

    assert differ({"jalan mrpt"}, {"jalan nr"})
    assert differ({"sd 5"}, {"sd 12"})
    assert differ({"jalan mrpt", "rt 3"}, {"jalan mrpt", "rt 9"})  # one street, two spots on it
    assert not differ({"jalan mrpt"}, {"jalan mrpt", "jalan nr"})  # an issue naming both streets
    assert not differ({"jalan mrpt"}, {"rt 3"})  # different kinds say nothing
    assert not differ({"jalan mrpt"}, set())
    # a flood covers several RTs and streets; two numbered schools are still two places
    assert not differ({"rt 3"}, {"rt 9"}, "banjir")
    assert differ({"sd 5"}, {"sd 12"}, "banjir")


def test_two_broken_roads_in_one_desa_in_one_fortnight_are_two_issues(warehouse_file):
    posts = [
        report("1", "Jl. Merpati Putih berlubang besar, motor warga sering jatuh malam hari", 1),
        report("2", "jalan berlubang besar di jln Nuri, motor sering jatuh, mohon ditambal", 3),
        report("3", "lubang jl merpati putih makin lebar setelah hujan", 5),
        # names no street: the place alone decides, as before the rule
        report("4", "sudah seminggu jalan berlubang tidak ada yang menambal", 6),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] != issue["x:2"]
    assert issue["x:3"] == issue["x:1"]
    assert issue["x:4"] in (issue["x:1"], issue["x:2"])


def test_two_schools_in_one_desa_are_two_issues_and_a_school_number_finds_its_own(warehouse_file):
    posts = [
        report("1", "Atap kelas SD 005 Sepaso Timur bocor, murid belajar di teras", 2, "pendidikan"),
        report("2", "atap kelas SDN 012 bocor juga, murid dipulangkan", 4, "pendidikan"),
        report("3", "sd 5 masih bocor, belum ada perbaikan dari dinas", 8, "pendidikan"),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] != issue["x:2"]
    assert issue["x:3"] == issue["x:1"]


def test_a_flood_told_from_two_rts_stays_one_issue(warehouse_file):
    assert "banjir" in clustering_settings().area_categories
    posts = [
        report("1", "banjir masuk rumah di RT 03, air selutut", 10, "banjir"),
        report("2", "RT 07 juga terendam banjir sejak subuh", 10, "banjir"),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] == issue["x:2"]


def test_a_road_problem_at_another_rt_is_another_issue(warehouse_file):
    posts = [
        report("1", "jalan amblas di RT 02, truk tidak bisa lewat", 11),
        report("2", "jalan amblas juga di RT 15, truk tidak bisa lewat", 12),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] != issue["x:2"]


def test_day_by_day_the_details_give_the_issues_of_one_load(warehouse_file, monkeypatch):
    # a later run rebuilds each open issue's details from its reports
    posts = [
        report("1", "Jl. Merpati Putih berlubang besar, motor warga sering jatuh malam hari", 1),
        report("2", "jalan berlubang besar di jln Nuri, motor sering jatuh, mohon ditambal", 2),
        report("3", "jalan berlubang di jalan nuri makin lebar", 3),
        report("4", "lubang jl merpati putih makin lebar setelah hujan", 4),
    ]
    analyzer = GoldAnalyzer(posts)
    for one in posts:
        ingest_lines(lines([one]), analyze=analyzer)
    with warehouse.connect() as con:
        day_by_day = dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    bulk = issues_of(posts)
    assert bulk == day_by_day
    assert bulk["x:3"] == bulk["x:2"] != bulk["x:1"] == bulk["x:4"]


def test_a_report_goes_to_the_issue_that_names_its_detail_before_a_more_alike_one(warehouse_file):
    posts = [
        report("1", "Jl. Merpati Putih RT 02 berlubang, motor warga jatuh", 1),
        report("2", "jalan di jln Nuri amblas separuh, truk tidak bisa lewat sama sekali", 2),
        # worded like the second, but names the first one's RT (and no street, so neither conflicts)
        report("3", "di RT 02 amblas separuh, truk tidak bisa lewat sama sekali", 3),
    ]
    issue = issues_of(posts)
    assert issue["x:1"] != issue["x:2"]
    assert issue["x:3"] == issue["x:1"]

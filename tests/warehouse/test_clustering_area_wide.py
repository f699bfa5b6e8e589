"""A flood spreads over a kecamatan: a report naming only the kecamatan joins the flood issue of one of its
desa (and the other way round) without alike wording (config/clustering.yaml `area_wide_categories`);
a road still needs `weak_place_similarity` of wording."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

DESA = {"kecamatan": "Sangatta Selatan", "desa": "Singa Geweh", "region_code": "64.08.12.1002"}
KECAMATAN = {"kecamatan": "Sangatta Selatan", "desa": None, "region_code": "64.08.12"}
OTHER_KECAMATAN = {"kecamatan": "Sangatta Utara", "desa": None, "region_code": "64.08.04"}

DESA_FLOOD = post(
    "facebook",
    "1",
    "Air sungai meluap ke permukiman Singa Geweh, puluhan rumah di RT 9 terendam sampai lutut",
    "2026-10-13T02:00:00Z",
    gold=dict(DESA, category="banjir"),
)
TOWN_FLOOD = post(
    "instagram",
    "2",
    "Sangatta Selatan tergenang lagi, anak-anak pulang sekolah basah kuyup 😢",
    "2026-10-13T09:00:00Z",
    gold=dict(KECAMATAN, category="banjir"),
)
DESA_ROAD = post(
    "facebook",
    "3",
    "Aspal jalan di depan balai Singa Geweh mengelupas, lubangnya makin lebar tiap hari",
    "2026-10-13T02:00:00Z",
    gold=dict(DESA, category="jalan_jembatan"),
)
TOWN_ROAD = post(
    "x",
    "4",
    "Sangatta Selatan makin parah, pengendara motor banyak yang jatuh malam tadi",
    "2026-10-13T09:00:00Z",
    gold=dict(KECAMATAN, category="jalan_jembatan"),
)


def ingest(posts):
    return ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))


def issue_of(con) -> dict[str, str]:
    return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_a_flood_named_by_its_kecamatan_joins_the_flood_of_one_of_its_desa(warehouse_file):
    ingest([DESA_FLOOD, TOWN_FLOOD])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["instagram:2"] == linked["facebook:1"]


def test_a_desa_flood_joins_the_flood_its_kecamatan_reported_first(warehouse_file):
    earlier = dict(TOWN_FLOOD, created_at="2026-10-12T20:00:00Z")
    ingest([earlier, DESA_FLOOD])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["facebook:1"] == linked["instagram:2"]


def test_a_road_named_by_its_kecamatan_still_needs_alike_wording(warehouse_file):
    ingest([DESA_ROAD, TOWN_ROAD])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["x:4"] != linked["facebook:3"]


def test_a_flood_in_another_kecamatan_stays_apart(warehouse_file):
    elsewhere = dict(TOWN_FLOOD, gold=dict(OTHER_KECAMATAN, category="banjir"))
    ingest([DESA_FLOOD, elsewhere])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["instagram:2"] != linked["facebook:1"]


def test_a_neighbouring_category_at_a_desa_is_not_the_kecamatans_flood(warehouse_file):
    murky_tap = post(
        "whatsapp",
        "5",
        "Air keran di Singa Geweh keluar coklat dan berbau, tidak bisa dipakai mandi",
        "2026-10-13T12:00:00Z",
        gold=dict(DESA, category="air_bersih"),
    )
    ingest([TOWN_FLOOD, murky_tap])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["whatsapp:5"] != linked["instagram:2"]

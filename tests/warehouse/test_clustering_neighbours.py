"""Neighbouring categories at one place: one problem read two ways joins, two problems stay apart."""

from __future__ import annotations

import pytest

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines
from warehouse.settings import ClusteringSettings, ConfigError, clustering_settings

SINGA_GEWEH = {"kecamatan": "Sangatta Selatan", "desa": "Singa Geweh", "region_code": "64.08.12.1002"}


def ingest(posts):
    return ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))


def issue_of(con, post_key):
    return con.execute("SELECT issue_id FROM issue_posts WHERE post_key = ?", [post_key]).fetchone()[0]


def test_a_broken_farm_road_and_a_river_flood_in_one_kelurahan_stay_apart(warehouse_file):
    # Both in Singa Geweh within days: a road (jalan_jembatan) and a flood (banjir), neighbouring categories
    # that share no problem words. Before `distant_neighbour_categories` they became one issue.
    posts = [
        post(
            "facebook",
            "1",
            "Jalan tani di Singa Geweh berlubang sepuluh titik, warga tutup pakai batang pisang",
            "2026-11-01T01:00:00Z",
            gold=dict(SINGA_GEWEH, category="jalan_jembatan"),
        ),
        post(
            "x",
            "2",
            "jalan tani singa geweh makin hancur, motor anak sekolah terperosok tiap pagi",
            "2026-11-01T06:00:00Z",
            gold=dict(SINGA_GEWEH, category="jalan_jembatan"),
        ),
        post(
            "facebook",
            "3",
            "Sungai Sangatta meluap, puluhan rumah di Singa Geweh terendam sejak subuh",
            "2026-11-04T01:00:00Z",
            gold=dict(SINGA_GEWEH, category="banjir"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "facebook:1") == issue_of(con, "x:2")
        assert issue_of(con, "facebook:3") != issue_of(con, "facebook:1")


def test_a_flooded_road_read_as_a_flood_joins_the_road_issue_when_the_wording_agrees(warehouse_file):
    posts = [
        post(
            "facebook",
            "1",
            "Jalan tani Singa Geweh berlubang dan tergenang air, motor terperosok",
            "2026-11-01T01:00:00Z",
            gold=dict(SINGA_GEWEH, category="jalan_jembatan"),
        ),
        post(
            "x",
            "2",
            "jalan tani singa geweh tergenang air lagi, lubang ga kelihatan, motor terperosok",
            "2026-11-02T01:00:00Z",
            gold=dict(SINGA_GEWEH, category="banjir"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "facebook:1") == issue_of(con, "x:2")


def test_distant_neighbours_are_neighbours_that_need_alike_wording():
    settings = clustering_settings()
    road_flood = frozenset({"jalan_jembatan", "banjir"})
    assert road_flood in settings.distant_neighbour_categories
    assert road_flood not in settings.neighbour_categories
    assert "banjir" in settings.neighbours("jalan_jembatan") and "jalan_jembatan" in settings.neighbours("banjir")
    assert settings.neighbour_similarity_of("banjir", "jalan_jembatan") == settings.distant_neighbour_similarity
    assert settings.neighbour_similarity_of("jalan_jembatan", "transportasi") == settings.neighbour_similarity
    assert settings.distant_neighbour_similarity > settings.neighbour_similarity


@pytest.mark.parametrize("value", [[["banjir"]], [["banjir", "banjir"]], "banjir", [["banjir", 3]]])
def test_a_malformed_distant_neighbour_pair_is_refused(value):
    with pytest.raises(ConfigError, match="distant_neighbour_categories"):
        ClusteringSettings.from_mapping({"distant_neighbour_categories": value})

"""Two detailed accounts at one place that share (almost) no words are two problems; terse posts still join
on the place alone (config/clustering.yaml `detailed_account_words`, `detailed_account_similarity`)."""

from __future__ import annotations

import numpy as np

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.clustering import Clusterer, IssueState
from warehouse.ingest import ingest_lines
from warehouse.settings import clustering_settings

SEPASO = {"kecamatan": "Bengalon", "desa": "Sepaso", "region_code": "64.08.09.2001", "category": "jalan_jembatan"}

ROAD_PROJECT = post(
    "facebook",
    "1",
    "Proyek pengaspalan jalan poros penghubung Desa Sepaso menuju pelabuhan rakyat mangkrak sejak awal tahun, "
    "kontraktor menghilang, badan jalan tinggal tanah merah berlubang dan berdebu setiap kemarau panjang.",
    "2026-09-01T02:00:00Z",
    gold=dict(SEPASO),
)
# five days on, the same desa and category, another problem told at length in other words
SUSPENSION_BRIDGE = post(
    "facebook",
    "2",
    "Jembatan gantung di ujung kampung Sepaso putus talinya setelah hujan deras semalam, anak sekolah dan "
    "petani karet kini menyeberang sungai memakai perahu kecil milik nelayan setempat.",
    "2026-09-06T02:00:00Z",
    gold=dict(SEPASO),
)
# the road project again, told at length with some of its words
ROAD_AGAIN = post(
    "x",
    "3",
    "Pengaspalan jalan poros Sepaso ke pelabuhan rakyat mangkrak, kontraktor menghilang sejak awal tahun, "
    "jalan tinggal tanah merah berlubang, debu masuk rumah warga setiap hari, tolong dinas turun.",
    "2026-09-03T02:00:00Z",
    gold=dict(SEPASO),
)
TERSE = post("whatsapp", "4", "makin parah aja, kapan dibetulin pak", "2026-09-02T08:00:00Z", gold=dict(SEPASO))


def ingest(posts, analyzer=None):
    return ingest_lines(lines(posts), analyze=analyzer or GoldAnalyzer(posts))


def issue_of(con) -> dict[str, str]:
    return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_two_detailed_accounts_at_one_desa_sharing_no_words_are_two_issues(warehouse_file):
    ingest([ROAD_PROJECT, SUSPENSION_BRIDGE])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["facebook:1"] != linked["facebook:2"]


def test_a_detailed_account_that_shares_words_joins_and_a_terse_one_joins_on_place(warehouse_file):
    ingest([ROAD_PROJECT, ROAD_AGAIN, TERSE])
    with warehouse.connect() as con:
        linked = issue_of(con)
    assert linked["x:3"] == linked["facebook:1"] == linked["whatsapp:4"]


def test_only_detailed_accounts_are_held_apart():
    settings = clustering_settings()
    enough = settings.detailed_account_words
    assert settings.detailed_account_similarity > 0
    clusterer = Clusterer(settings)
    report = np.arange(64, dtype=np.uint32)  # a wording that shares nothing with the issue's below
    issue = IssueState("ISU-A", "jalan_jembatan", "64.08.09", "64.08.09.2001", None, None, 0.0, 0.0)
    issue.signatures, issue.signature_words = [report + 100], [enough]
    assert clusterer._detailed_apart(issue, report, enough)
    assert not clusterer._detailed_apart(issue, report, enough - 1)  # a terse report: the place decides
    alike = report.copy()
    alike[:16] += 100  # shares a quarter of the issue's wording
    assert not clusterer._detailed_apart(issue, alike, enough)
    # a terse wording of the issue is no account to be held apart from; a detailed one among them is
    issue.signature_words = [enough - 1]
    assert not clusterer._detailed_apart(issue, report, enough)
    issue.signatures, issue.signature_words = [report, report + 100], [enough - 1, enough]
    assert clusterer._detailed_apart(issue, report, enough)


def test_day_by_day_detailed_accounts_cluster_as_in_one_load(warehouse_file, monkeypatch):
    posts = [ROAD_PROJECT, TERSE, ROAD_AGAIN, SUSPENSION_BRIDGE]
    analyzer = GoldAnalyzer(posts)
    for day in posts:  # one post a run: the issue's detail is rebuilt from its reports
        ingest([day], analyzer)
    with warehouse.connect() as con:
        day_by_day = issue_of(con)
    assert day_by_day["facebook:2"] != day_by_day["facebook:1"] == day_by_day["x:3"]
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse_file.with_name("bulk.duckdb")))
    ingest(posts, analyzer)
    with warehouse.connect() as con:
        assert issue_of(con) == day_by_day

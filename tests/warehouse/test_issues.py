"""Copies, reports and issues: what must come together and what must stay apart."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

SWARGA_ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.05.2001",
}
SWARGA_WATER = dict(SWARGA_ROAD, category="air_bersih")
BENGALON_ROAD = {"category": "jalan_jembatan", "kecamatan": "Bengalon", "desa": None, "region_code": "64.08.08"}
KALIORANG_ROAD = {"category": "jalan_jembatan", "kecamatan": "Kaliorang", "desa": None, "region_code": "64.08.16"}


def ingest(posts):
    return ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))


def issue_of(con, post_key):
    row = con.execute("SELECT issue_id, role FROM issue_posts WHERE post_key = ?", [post_key]).fetchone()
    return row


def test_retweet_quote_and_cross_post_join_the_original_issue_as_reach(warehouse_file):
    original = "Jalan poros Swarga Bara amblas lagi, motor warga jatuh tiap malam. Tolong @PemkabKutim"
    posts = [
        post("x", "1", original, "2026-11-20T01:00:00Z", gold=SWARGA_ROAD, metrics={"likes": 50, "shares": 20}),
        post("x", "2", "RT @warga_sgt: " + original, "2026-11-20T02:00:00Z", gold=SWARGA_ROAD),
        post("facebook", "p_3", original.upper() + " 😭😭 https://t.co/abc", "2026-11-20T03:00:00Z", gold=SWARGA_ROAD),
        post(
            "x", "4", "Ini parah banget, kapan diperbaiki?", "2026-11-20T04:00:00Z", shared_from="1", gold=SWARGA_ROAD
        ),
        post(
            "instagram",
            "C5",
            "  jalan poros swarga bara amblas lagi,   motor warga jatuh tiap malam. tolong ",
            "2026-11-20T05:00:00Z",
            gold=SWARGA_ROAD,
        ),
    ]
    counts = ingest(posts)
    assert counts["issues_opened"] == 1
    assert counts["copies_linked"] == 4
    with warehouse.connect() as con:
        roles = dict(con.execute("SELECT post_key, role FROM issue_posts").fetchall())
        issue = con.execute("SELECT post_count, report_count, reach FROM issues").fetchone()
    assert roles == {
        "x:1": "report",
        "x:2": "duplicate",
        "facebook:p_3": "duplicate",
        "x:4": "duplicate",
        "instagram:C5": "duplicate",
    }
    assert issue == (5, 1, 70 + 4)  # likes + shares of the reports' posts, plus one per copy


def test_many_people_about_one_problem_become_one_issue(warehouse_file):
    posts = [
        post("x", "1", "Jalan di Swarga Bara rusak parah, lubangnya dalam", "2026-11-01T01:00:00Z", gold=SWARGA_ROAD),
        post(
            "facebook",
            "2",
            "Pak bupati tolong perbaiki jln dekat masjid swargabara, udh bertahun2",
            "2026-11-03T01:00:00Z",
            gold=SWARGA_ROAD,
        ),
        post(
            "whatsapp",
            "3",
            "Assalamualaikum admin, aspal depan rumah sy di Swarga Bara hancur",
            "2026-11-09T01:00:00Z",
            gold=SWARGA_ROAD,
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*), max(report_count) FROM issues").fetchone() == (1, 3)


def test_a_new_post_joins_the_open_issue_in_a_later_run(warehouse_file):
    first = [post("x", "1", "Jalan di Swarga Bara rusak parah", "2026-11-01T01:00:00Z", gold=SWARGA_ROAD)]
    ingest(first)
    later = [post("x", "2", "Masih belum diperbaiki jalan swarga bara", "2026-11-10T01:00:00Z", gold=SWARGA_ROAD)]
    counts = ingest(later)
    assert counts["issues_opened"] == 0
    with warehouse.connect() as con:
        assert con.execute("SELECT count(DISTINCT issue_id) FROM issue_posts").fetchone()[0] == 1
        assert con.execute("SELECT report_count FROM issues").fetchone()[0] == 2


def test_hard_negatives_stay_apart(warehouse_file):
    text = "Jalan poros rusak parah, truk sawit amblas"
    posts = [
        # the same road named in two kecamatan
        post("x", "1", text + " di Bengalon", "2026-11-01T01:00:00Z", gold=BENGALON_ROAD),
        post("x", "2", text + " di Kaliorang", "2026-11-01T02:00:00Z", gold=KALIORANG_ROAD),
        # two different problems in one desa
        post("x", "3", "Jalan di Swarga Bara rusak", "2026-11-01T03:00:00Z", gold=SWARGA_ROAD),
        post("x", "4", "Air PDAM di Swarga Bara mati tiga hari", "2026-11-01T04:00:00Z", gold=SWARGA_WATER),
        # the same complaint a year apart
        post("x", "5", "Jalan di Swarga Bara rusak lagi", "2025-10-01T03:00:00Z", gold=SWARGA_ROAD),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        issues = {key: issue_of(con, key)[0] for key in ("x:1", "x:2", "x:3", "x:4", "x:5")}
    assert len(set(issues.values())) == 5


def test_different_km_markers_on_one_road_are_different_problems(warehouse_file):
    road = {"category": "jalan_jembatan", "kecamatan": "Sangatta Selatan", "desa": None, "region_code": "64.08.09"}
    posts = [
        post(
            "x", "1", "Poros Sangatta-Bontang km 12 longsor, jalan tinggal separuh", "2026-11-01T01:00:00Z", gold=road
        ),
        post(
            "x", "2", "Poros Sangatta-Bontang km 37 longsor, jalan tinggal separuh", "2026-11-01T02:00:00Z", gold=road
        ),
        post("x", "3", "Km 13 poros Sangatta Bontang longsor makin parah", "2026-11-02T02:00:00Z", gold=road),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:3")[0]
        assert issue_of(con, "x:1")[0] != issue_of(con, "x:2")[0]


def test_posts_within_a_kilometre_join_across_a_desa_boundary(warehouse_file):
    a = {"category": "banjir", "kecamatan": "Sangatta Utara", "desa": "Swarga Bara", "region_code": "64.08.05.2001"}
    b = {"category": "banjir", "kecamatan": "Sangatta Utara", "desa": "Singa Gewe", "region_code": "64.08.05.2002"}
    posts = [
        post(
            "x",
            "1",
            "Banjir setinggi lutut di perbatasan",
            "2026-11-01T01:00:00Z",
            gold=a,
            geo={"lat": 0.5110, "lon": 117.5300},
        ),
        post(
            "x", "2", "Air naik masuk rumah warga", "2026-11-01T02:00:00Z", gold=b, geo={"lat": 0.5150, "lon": 117.5330}
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0]


def test_non_complaints_and_other_regencies_open_no_issue(warehouse_file):
    posts = [
        post("x", "1", "Selamat HUT Kutim ke-27!", "2026-11-01T01:00:00Z", gold={"is_complaint": False}),
        post(
            "x",
            "2",
            "Jalan rusak di Bontang Utara",
            "2026-11-01T02:00:00Z",
            gold={"category": "jalan_jembatan", "in_kutim": False},
        ),
    ]
    counts = ingest(posts)
    assert counts["issues_opened"] == 0
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_a_reply_to_a_reply_joins_in_the_first_run(warehouse_file):
    posts = [
        post("facebook", "p1", "Jalan di Swarga Bara rusak parah", "2026-11-01T01:00:00Z", gold=SWARGA_ROAD),
        post(
            "facebook",
            "p1_c1",
            "betul pak",
            "2026-11-01T02:00:00Z",
            parent_id="facebook:p1",
            gold={"is_complaint": False},
        ),
        post(
            "facebook",
            "p1_c2",
            "setuju sama komentar di atas",
            "2026-11-01T03:00:00Z",
            parent_id="facebook:p1_c1",
            gold={"is_complaint": False},
        ),
    ]
    first = ingest(posts)
    assert first["replies_linked"] == 2
    assert ingest(posts)["replies_linked"] == 0
    with warehouse.connect() as con:
        assert con.execute("SELECT post_count FROM issues").fetchone()[0] == 3


def test_a_shared_town_geotag_does_not_merge_two_kecamatan(warehouse_file):
    sangatta = {"lat": 0.505, "lon": 117.535}  # the town's centre, as a platform's place tag gives it
    fire_a = {"category": "kebakaran", "kecamatan": "Teluk Pandan", "desa": "Kandolo", "region_code": "64.08.13.2004"}
    fire_b = {
        "category": "kebakaran",
        "kecamatan": "Sangatta Utara",
        "desa": "Teluk Lingga",
        "region_code": "64.08.04.1010",
    }
    posts = [
        post("x", "1", "Rumah terbakar di Kandolo", "2026-11-01T01:00:00Z", gold=fire_a, geo=sangatta),
        post("x", "2", "Kebakaran di Teluk Lingga, api besar", "2026-11-01T02:00:00Z", gold=fire_b, geo=sangatta),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] != issue_of(con, "x:2")[0]


def test_regency_level_reports_join_only_for_regency_wide_problems(warehouse_file):
    kutim = {"kecamatan": None, "desa": None, "region_code": "64.08"}
    posts = [
        post(
            "x",
            "1",
            "PLN Sangatta mati lampu lagi, sehari tiga kali padam",
            "2026-11-01T01:00:00Z",
            gold=dict(kutim, category="listrik"),
        ),
        post(
            "x",
            "2",
            "byarpet terus di sgt, kerja remote ga bisa",
            "2026-11-02T01:00:00Z",
            gold=dict(kutim, category="listrik"),
        ),
        post(
            "x",
            "3",
            "Jalan di Kutim banyak lubang, hati-hati",
            "2026-11-01T02:00:00Z",
            gold=dict(kutim, category="jalan_jembatan"),
        ),
        post(
            "x",
            "4",
            "aspal depan rumah amblas, tolong PU",
            "2026-11-02T02:00:00Z",
            gold=dict(kutim, category="jalan_jembatan"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0]  # one regency-wide outage
        assert issue_of(con, "x:3")[0] != issue_of(con, "x:4")[0]  # two roads somewhere in Kutim


def test_an_issue_sits_at_its_place_not_at_a_town_centre_geotag(warehouse_file):
    from nlp.regions import by_code

    kandolo = by_code("64.08.13.2004")
    fire = {"category": "kebakaran", "kecamatan": "Teluk Pandan", "desa": "Kandolo", "region_code": kandolo.code}
    near = {"lat": kandolo.lat + 0.005, "lon": kandolo.lon}  # a precise geotag 0.5 km from the desa's centre
    posts = [
        post(
            "x", "1", "Rumah terbakar di Kandolo", "2026-11-01T01:00:00Z", gold=fire, geo={"lat": 0.505, "lon": 117.535}
        ),  # the platform's place tag: Sangatta's centre
        post("x", "2", "Kebakaran rumah di Kandolo dekat masjid", "2026-11-03T01:00:00Z", gold=fire),
        post("x", "3", "Api besar di Kandolo, rumah warga habis", "2026-11-04T01:00:00Z", gold=fire, geo=near),
    ]
    ingest(posts[:2])
    with warehouse.connect() as con:
        assert con.execute("SELECT lat, lon FROM issues").fetchone() == (kandolo.lat, kandolo.lon)
    ingest(posts[2:])
    with warehouse.connect() as con:
        lat, _ = con.execute("SELECT lat, lon FROM issues").fetchone()
    assert lat != kandolo.lat  # the geotags now average near the fire, within the desa: kept


def test_a_later_run_with_busy_issues_open_places_new_reports(warehouse_file):
    """The day-two crash: open issues with more reports than each keeps as wording (6+) made the wording
    rows' numbering skip, so the next run's clustering failed on any issue but the last by issue_id."""
    places = [SWARGA_ROAD, BENGALON_ROAD, KALIORANG_ROAD]  # three busy issues: some is not the last by id
    day_one = [
        post(
            "x",
            f"d1-{p}-{i}",
            f"Jalan rusak parah di {gold['desa'] or gold['kecamatan']} laporan {i}",
            f"2026-11-01T0{i}:{p}0:00Z",
            gold=gold,
        )
        for p, gold in enumerate(places)
        for i in range(7)
    ]
    ingest(day_one)
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*), min(report_count) FROM issues").fetchone() == (3, 7)
    day_two = [
        post(
            "x",
            f"d2-{p}",
            f"Masih rusak jalan di {gold['desa'] or gold['kecamatan']}, belum diperbaiki",
            f"2026-11-02T01:{p}0:00Z",
            gold=gold,
        )
        for p, gold in enumerate(places)
    ]
    day_two.append(
        post("x", "d2-water", "Air PDAM di Swarga Bara mati tiga hari", "2026-11-02T02:00:00Z", gold=SWARGA_WATER)
    )
    counts = ingest(day_two)
    assert counts["reports_placed"] == 4
    assert counts["issues_opened"] == 1  # the water outage; each road report joins its busy issue
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM issues WHERE report_count = 8").fetchone()[0] == 3
        unplaced = con.execute(
            "SELECT count(*) FROM posts WHERE post_key NOT IN (SELECT post_key FROM issue_posts)"
        ).fetchone()[0]
    assert unplaced == 0


# One desa, one problem, read by the analysis as neighbouring categories or without the desa.
TELUK_LINGGA = {"kecamatan": "Sangatta Utara", "desa": "Teluk Lingga", "region_code": "64.08.04.1010"}
SANGATTA_UTARA_ONLY = {"kecamatan": "Sangatta Utara", "desa": None, "region_code": "64.08.04"}
UNPLACED = {"kecamatan": None, "desa": None, "region_code": None, "in_kutim": False}


def test_a_pothole_read_as_a_traffic_problem_joins_the_road_issue_at_its_desa(warehouse_file):
    posts = [
        post(
            "x",
            "1",
            "Jalan Yos Sudarso Teluk Lingga berlubang besar, tolong ditambal",
            "2026-11-01T01:00:00Z",
            gold=dict(TELUK_LINGGA, category="jalan_jembatan"),
        ),
        post(
            "x",
            "2",
            "motor jatuh lagi di lubang teluk lingga, ngeri lewat malam",
            "2026-11-02T01:00:00Z",
            gold=dict(TELUK_LINGGA, category="transportasi"),
        ),
        post(
            "x",
            "3",
            "Posko Teluk Lingga butuh bantuan selimut",
            "2026-11-02T02:00:00Z",
            gold=dict(TELUK_LINGGA, category="lainnya"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0] == issue_of(con, "x:3")[0]
        assert con.execute("SELECT category FROM issues").fetchall() == [("jalan_jembatan",)]


def test_a_flood_and_a_power_cut_in_one_desa_stay_apart(warehouse_file):
    posts = [
        post(
            "x",
            "1",
            "Banjir di Teluk Lingga, air masuk rumah sepinggang",
            "2026-11-01T01:00:00Z",
            gold=dict(TELUK_LINGGA, category="banjir"),
        ),
        post(
            "x",
            "2",
            "Listrik Teluk Lingga padam dari semalam, PLN belum datang",
            "2026-11-01T05:00:00Z",
            gold=dict(TELUK_LINGGA, category="listrik"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] != issue_of(con, "x:2")[0]


def test_a_report_naming_only_the_kecamatan_joins_the_desa_issue_when_the_wording_agrees(warehouse_file):
    flood = "banjir"
    posts = [
        post(
            "x",
            "1",
            "Banjir Teluk Lingga, air sungai meluap masuk rumah warga Gang Sejati",
            "2026-11-01T01:00:00Z",
            gold=dict(TELUK_LINGGA, category=flood),
        ),
        post(
            "x",
            "2",
            "sungai meluap lagi, gang sejati kaya danau, rumah warga terendam #sangattautara",
            "2026-11-01T04:00:00Z",
            gold=dict(SANGATTA_UTARA_ONLY, category=flood),
        ),
        post(
            "x",
            "3",
            "Drainase pasar tersumbat, parkiran tergenang setiap hujan",
            "2026-11-01T05:00:00Z",
            gold=dict(SANGATTA_UTARA_ONLY, category=flood),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0]
        assert issue_of(con, "x:3")[0] != issue_of(con, "x:1")[0]


def test_a_complaint_without_a_place_joins_on_near_duplicate_wording_and_opens_nothing(warehouse_file):
    report = "Air PDAM di Teluk Lingga mati empat hari, warga beli air galon, Perumdam belum memberi kabar"
    posts = [
        # a forwarded copy that lost its place, sent before the placed report reached us
        post(
            "whatsapp",
            "1",
            "Diteruskan: " + report.replace(" di Teluk Lingga", ""),
            "2026-11-01T00:30:00Z",
            gold=dict(UNPLACED, category="air_bersih"),
        ),
        post("x", "2", report, "2026-11-01T01:00:00Z", gold=dict(TELUK_LINGGA, category="air_bersih")),
        post(
            "x",
            "3",
            "Sampah numpuk di pinggir jalan, bau sekali",
            "2026-11-01T02:00:00Z",
            gold=dict(UNPLACED, category="lingkungan_sampah"),
        ),
    ]
    counts = ingest(posts)
    assert counts["issues_opened"] == 1
    with warehouse.connect() as con:
        assert issue_of(con, "whatsapp:1") == (issue_of(con, "x:2")[0], "report")
        assert issue_of(con, "x:3") is None
    assert ingest([])["reports_placed"] == 0  # looked at again only beside new placed reports


def test_a_complaint_placed_outside_kutim_never_joins_a_kutim_issue(warehouse_file):
    text = "Jalan poros rusak parah, lubang besar di tikungan, truk sawit sering terguling malam hari"
    posts = [
        post("x", "1", text + " #sangkima", "2026-11-01T01:00:00Z"),
        post("x", "2", text + " #bontang", "2026-11-01T02:00:00Z"),
    ]
    road = {"is_complaint": True, "complaint_score": 0.9, "category": "jalan_jembatan", "is_emergency": False}
    analyses = {
        "x:1": dict(road, in_kutim=True, region_code="64.08.12.2003", entities=[]),
        "x:2": dict(
            road,
            in_kutim=False,
            region_code=None,
            entities=[{"text": "bontang", "label": "LUAR_KUTIM", "start": 90, "end": 97, "code": "64.74"}],
        ),
    }
    ingest_lines(lines(posts), analyze=lambda records: [dict(analyses[r["id"]], id=r["id"]) for r in records])
    with warehouse.connect() as con:
        assert issue_of(con, "x:1") is not None
        assert issue_of(con, "x:2") is None


def test_reports_without_wording_words_are_not_alike(warehouse_file):
    kutim_road = {"category": "jalan_jembatan", "kecamatan": None, "desa": None, "region_code": "64.08"}
    posts = [
        post("x", "1", "Tolong dong pak, sudah lama sekali!!", "2026-11-01T01:00:00Z", gold=kutim_road),
        post("x", "2", "Ya ampun, kapan ini?", "2026-11-01T02:00:00Z", gold=kutim_road),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] != issue_of(con, "x:2")[0]


def test_a_desa_named_as_its_kecamatan_and_that_kecamatan_are_one_place(warehouse_file):
    seat = {
        "category": "ketertiban_keamanan",
        "kecamatan": "Sangatta Utara",
        "desa": "Sangatta Utara",
        "region_code": "64.08.04.2001",
    }
    posts = [
        post(
            "x",
            "1",
            "Buaya muncul di dermaga Desa Sangatta Utara, warga takut mandi di sungai",
            "2026-11-01T01:00:00Z",
            gold=seat,
        ),
        post(
            "x",
            "2",
            "Penampakan buaya sore tadi, hati2 yg tinggal di pinggir kali #sangattautara",
            "2026-11-01T05:00:00Z",
            gold=dict(SANGATTA_UTARA_ONLY, category="ketertiban_keamanan"),
        ),
        post(
            "x",
            "3",
            "Begal di Teluk Lingga lagi, motor warga dirampas",
            "2026-11-01T06:00:00Z",
            gold=dict(TELUK_LINGGA, category="ketertiban_keamanan"),
        ),
        post(
            "x",
            "4",
            "Ada maling motor masuk gang semalam, tolong patroli",
            "2026-11-01T07:00:00Z",
            gold=dict(SANGATTA_UTARA_ONLY, category="ketertiban_keamanan"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0]  # no alike wording needed
        assert issue_of(con, "x:4")[0] != issue_of(con, "x:3")[0]  # an ordinary desa still needs it


def test_a_regency_wide_problem_reported_from_a_kecamatan_joins_on_a_little_alike_wording(warehouse_file):
    ktp = {"category": "adminduk"}
    posts = [
        post(
            "x",
            "1",
            "Blanko KTP habis lagi di Disdukcapil, rekam dari Februari belum jadi",
            "2026-11-01T01:00:00Z",
            gold=dict(ktp, kecamatan=None, desa=None, region_code="64.08"),
        ),
        post(
            "x",
            "2",
            "Dari Bengalon jauh2 ke capil, blanko KTP kosong, disuruh pulang",
            "2026-11-02T01:00:00Z",
            gold=dict(ktp, kecamatan="Bengalon", desa=None, region_code="64.08.09"),
        ),
        post(
            "x",
            "3",
            "Akta kelahiran anak saya salah nama, sudah sebulan belum diperbaiki",
            "2026-11-02T02:00:00Z",
            gold=dict(ktp, kecamatan="Bengalon", desa=None, region_code="64.08.09"),
        ),
    ]
    ingest(posts)
    with warehouse.connect() as con:
        assert issue_of(con, "x:1")[0] == issue_of(con, "x:2")[0]
        assert issue_of(con, "x:3")[0] != issue_of(con, "x:1")[0]


def test_a_bucket_emptied_of_expired_issues_takes_the_next_issue():
    import numpy as np

    from warehouse.clustering import COMPACT_BUCKET_AT, SECONDS_PER_DAY, Clusterer
    from warehouse.fingerprint import NUM_PERM
    from warehouse.settings import ClusteringSettings

    clusterer = Clusterer(ClusteringSettings())
    rng = np.random.default_rng(3)

    def report(key: str, day: float):
        signature = rng.integers(0, 2**31, size=NUM_PERM).astype(np.uint32)
        # km markers keep these old issues apart from one another, so each opens its own
        km = frozenset({10 * int(key)}) if day == 0 else frozenset()
        return clusterer.assign(key, day * SECONDS_PER_DAY, "banjir", "64.08.04.1010", None, None, signature, km)

    for i in range(COMPACT_BUCKET_AT + 1):
        assert report(str(i), 0).opened
    late = report("late", 100)  # every issue in the desa's bucket has expired: the bucket is emptied, then reused
    assert late.opened
    assert report("later", 101).issue_id == late.issue_id

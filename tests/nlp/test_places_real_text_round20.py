"""Place classes found on a fresh set of real Kutim news (issue 11, round 20); the sentences are the team's own.

Each test is one class of error: kilometre markers on the Sangatta-Bontang road (Kutim counts them from
Sangatta), a story filed from a kecamatan ("MUARA WAHAU –") naming no other place, the road to a place
("akses jalan menuju X"), a place joined by "maupun"/"dan" to a route point, a village the Kemendagri list
does not have yet written with its Kutim kecamatan, a capitalised typo of a distinctive name anywhere, a
numbered hamlet ("Dusun 2 X"), and a rare name in lower case after "di".
"""

import pytest

from nlp.gazetteer import load
from nlp.places import _misspelt_names
from tests.nlp.helpers import where

SANGATTA_SELATAN = "64.08.12"
TELUK_PANDAN = "64.08.13"
MUARA_WAHAU = "64.08.02"
SANDARAN = "64.08.11"
KALIORANG = "64.08.10"
KALIORANG_DESA = "64.08.10.2001"
TELEN = "64.08.07"
BUSANG = "64.08.06"


@pytest.mark.parametrize(
    ("text", "kec"),
    [
        ("Gorong-gorong ambles di km 7 poros Sangatta-Bontang, antrean kendaraan panjang", SANGATTA_SELATAN),
        ("Longsor tutup jalan di Jalan Poros Sangatta-Bontang kilometer 22, mobil putar balik", SANGATTA_SELATAN),
        ("Jalan poros Sangatta–Bontang km 52 berlubang besar dekat perbatasan Bontang", TELUK_PANDAN),
    ],
)
def test_km_markers_are_counted_from_sangatta(text, kec):
    assert where(text)[:2] == (True, kec)


def test_a_story_filed_from_a_kecamatan_is_about_it():
    assert where("MUARA WAHAU – Hujan sejak Senin membuat sungai meluap dan rumah warga tergenang") == (
        True,
        MUARA_WAHAU,
        None,
    )


def test_the_towns_dateline_alone_still_names_no_kecamatan():
    assert where("SANGATTA – Pemkab Kutim menggelar rapat soal banjir tahunan") == (True, None, None)


def test_a_named_place_beats_the_kecamatan_dateline():
    assert where("BENGALON – Jembatan di Desa Keraitan ambruk diterjang arus")[2] == "64.08.09.2003"


@pytest.mark.parametrize(
    "text",
    [
        "Akses jalan menuju Sandaran rusak berat, mobil logistik tertahan berhari-hari",
        "Jalan darat menuju Sandaran masih tanah, baik dari Tanjung Mangkalihat maupun dari Rantau Pulung",
        "Jalan menuju Sandaran baik dari Tanjung Mangkalihat maupun Rantau Pulung masih putus",
    ],
)
def test_the_road_to_a_place_is_that_places_road(text):
    assert where(text)[:2] == (True, SANDARAN)


def test_going_to_a_place_is_still_a_route():
    assert where("Warga Sangkulirang mau jalan ke Bontang, tapi jalannya rusak di Desa Maloy")[2] == "64.08.05.2015"


def test_a_village_the_list_lacks_written_with_its_kutim_kecamatan_stays_in_kutim():
    assert where("Jalan keluar Desa Lembah Hijau di Muara Wahau terendam banjir setinggi lutut") == (
        True,
        MUARA_WAHAU,
        None,
    )
    assert where("Warga Desa Pinang Raya, Kecamatan Sangatta Selatan, mengungsi karena banjir")[:2] == (
        True,
        SANGATTA_SELATAN,
    )


def test_a_village_elsewhere_with_its_own_kabupaten_is_still_elsewhere():
    assert where("Banjir di Desa Lembah Hijau, Kabupaten Sintang, rendam puluhan rumah")[0] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan tani di Dusun 3 Kliorang berlumpur sepanjang dua kilometer", (True, KALIORANG, KALIORANG_DESA)),
        ("Banjir lagi di Kutim, Kliorang terendam sejak subuh", (True, KALIORANG, None)),
    ],
)
def test_a_capitalised_typo_of_a_distinctive_name_is_that_name(text, expected):
    assert where(text) == expected


def test_typos_anywhere_need_a_capital_another_kutim_name_and_no_everyday_word_or_other_region():
    gaz = load()
    assert where("banjir lagi di Kutim, kliorang terendam sejak subuh")[1] is None  # lower case
    # a proper noun one letter from a Kutim name, in a text naming nothing else of Kutim, is someone else's
    assert where("Perkebunan Kliorang di Sumatra Utara dibuka pada 1890") == (False, None, None)
    # everyday words and other regions' names never count as typos, however close to a Kutim name
    assert _misspelt_names(gaz, ["tinggal", "pengaduan", "sangatta", "samarinda"]) == {}


@pytest.mark.parametrize(
    ("text", "kec"),
    [
        ("jalan rusak parah di telen", TELEN),
        ("warga busang keluhkan listrik padam tiap malam", BUSANG),
    ],
)
def test_a_rare_name_in_lower_case_after_a_locative_counts(text, kec):
    assert where(text) == (True, kec, None)


def test_a_lower_case_name_shared_with_other_regions_still_needs_a_capital():
    assert where("jalan di batu ampar rusak parah") == (False, None, None)


def test_the_officials_village_ranks_below_where_the_problem_is_written():
    assert where("Kepala Desa Sepaso, Ahmad, mengatakan jalan di Desa Keraitan rusak parah")[2] == "64.08.09.2003"
    assert where("Kades Sepaso menyebut banjir sudah merendam Desa Keraitan")[2] == "64.08.09.2003"


def test_the_officials_village_is_the_place_when_nothing_finer_is_named():
    assert where("Kades Keraitan bilang air bersih belum mengalir tiga hari")[2] == "64.08.09.2003"
    # and a Kutim official still says Kutim against a village known only elsewhere
    assert where("Listrik belum menyala di Desa Pengadang, keluh Camat Karangan")[:2] == (True, "64.08.16")


def test_a_typo_of_a_kutim_name_does_not_outweigh_a_region_elsewhere():
    assert where("Kampung Senembah di Deli Serdang kembali terendam banjir")[0] is False


def test_the_road_to_a_town_outside_is_not_that_towns_problem():
    assert where("Jalan menuju Bontang rusak parah, keluh warga Sangatta") == (True, "64.08.04", None)


def test_teluk_lombok_beach_is_in_sangkima():
    assert where("Sampah plastik menumpuk di Pantai Teluk Lombok") == (True, SANGATTA_SELATAN, "64.08.12.2003")


@pytest.mark.parametrize(
    "text",
    [
        "Banjir merendam Desa Keraitan, Kecamatan Sungai Raya, Kabupaten Kubu Raya",
        "Jalan Desa Sepaso Kec. Tanjung Tiram Kab. Batu Bara rusak parah",
    ],
)
def test_a_kutim_village_name_written_with_its_own_kecamatan_elsewhere_is_elsewhere(text):
    # the gap between the names may hold ", Kecamatan " (until round 20 only up to six characters were allowed)
    assert where(text)[0] is False

"""Place classes found on real Kutim news (issue 11, round 6); the sentences are the team's own.

Each test is one class of error: a desa written by the first word of its name, Dayak lung/long and ulu/hulu
spellings, the parent village written "X Induk", a hamlet's (dusun) name read as a misspelt desa, a
village name common elsewhere written with its own kecamatan and kabupaten outside Kutim, and a hazard that
has "reached" ("masuk ke") a village.
"""

import pytest

from nlp import regions
from nlp.gazetteer import frequent_skeletons, key_of, load
from tests.nlp.helpers import where

MUARA_ANCALONG = "64.08.01"
KADUNGAN_JAYA = "64.08.15.2005"
LUNG_MELAH = "64.08.07.2002"
KELINJAU_ULU = "64.08.01.2003"
SEPASO = "64.08.09.2001"


@pytest.mark.parametrize(
    ("text", "kec", "desa"),
    [
        # two desa share the first word and one kecamatan: the word alone names that kecamatan
        ("Warga Kelinjau minta jalan yang tergenang segera ditimbun", MUARA_ANCALONG, None),
        # one desa has this first word: the word alone names that desa
        ("Jembatan kayu di Kadungan patah, motor tidak bisa lewat", "64.08.15", KADUNGAN_JAYA),
    ],
)
def test_first_word_of_a_desa_name_written_alone(text, kec, desa):
    assert where(text) == (True, kec, desa)


def test_first_word_of_a_desa_name_needs_context_in_lower_case():
    assert where("ada kadungan lemak di makanan itu") == (False, None, None)


def test_name_stems_are_not_everyday_words_nor_parts_of_other_names():
    gaz = load()
    assert {"kelinjau", "kadungan"} <= gaz.stems
    assert "pulung" not in gaz.kutim  # also the second word of Rantau Pulung: no stem
    later_words = {word for region in regions.all_regions() for word in key_of(region.name).split(" ")[1:]}
    assert not gaz.stems & set(frequent_skeletons())
    assert not gaz.stems & later_words
    assert all(gaz.kutim[stem].needs_context for stem in gaz.stems)


@pytest.mark.parametrize(
    ("text", "desa"),
    [
        ("Air sungai naik, warga Desa Long Melah mulai mengungsi", LUNG_MELAH),
        ("Listrik padam tiga hari di Desa Lung Melah", LUNG_MELAH),
        ("warga Kelinjau Hulu mengeluh harga gas naik", KELINJAU_ULU),
    ],
)
def test_lung_long_and_ulu_hulu_spellings(text, desa):
    result = where(text)
    assert result[0] and result[2] == desa


def test_parent_village_written_induk_is_that_village():
    assert where("Air sudah sampai di Sepaso Induk, jalan desa tergenang") == (True, "64.08.09", SEPASO)


def test_hazard_that_reached_a_village_places_it_not_a_route():
    # "masuk ke" after a hazard: the village is flooded, not a destination
    assert where("Banjir dari hulu kini masuk ke Desa Sepaso Timur") == (True, "64.08.09", "64.08.09.2006")


def test_a_hamlet_name_is_not_read_as_a_misspelt_desa():
    # "Lingai" is one letter from a run-together form of Teluk Lingga, but a dusun has its own names
    assert where("Rumah warga Dusun Lingai terendam, Kecamatan Telen") == (True, "64.08.07", None)


@pytest.mark.parametrize(
    "text",
    [
        "Warga Desa Suka Maju Kec. Tanjung Tiram Kab. Batu Bara mengeluhkan parit tersumbat",
        "Jalan Desa Telaga, Kecamatan Pagedangan, Kabupaten Tangerang rusak parah",
        "Desa Sidomulyo Kecamatan Gondang Kabupaten Nganjuk kebanjiran",
    ],
)
def test_village_written_with_its_own_kecamatan_or_kabupaten_elsewhere_is_not_kutim(text):
    assert where(text) == (False, None, None)


def test_village_written_with_its_kutim_kecamatan_stays_in_kutim():
    assert where("Warga Desa Suka Maju, Kecamatan Kongbeng mengeluh jalan berlumpur") == (
        True,
        "64.08.08",
        "64.08.08.2003",
    )


def test_alias_of_a_common_village_name_is_shared_like_the_name():
    gaz = load()
    assert gaz.kutim["suka maju"].shared_elsewhere == gaz.kutim["sukamaju"].shared_elsewhere is True


@pytest.mark.parametrize(
    "text",
    [
        "SANGATTA – Warga Gang Kenari RT 07 mengeluhkan parit yang tidak mengalir",
        "Sangatta, kabarkita.id – Warga di Jl Mawar III mengadu soal sampah yang menumpuk",
    ],
)
def test_a_street_under_the_town_dateline_is_in_the_town(text):
    assert where(text) == (True, "64.08.04", None)


def test_a_regency_story_under_the_town_dateline_names_no_kecamatan():
    assert where("SANGATTA – Pemkab akan memperbaiki jalan rusak tahun depan") == (True, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Air di Masabang sudah selutut, warga mulai angkat barang",
        "gang loa mali tergenang lagi habis hujan semalam",
    ],
)
def test_town_neighbourhoods_give_their_kecamatan(text):
    assert where(text) == (True, "64.08.12", None)


def test_a_kecamatan_written_out_beats_the_one_a_landmark_implies():
    assert where("Warga Loa Mali di kawasan Sangatta Utara mengeluh banjir") == (True, "64.08.04", None)


def test_the_kecamatan_written_with_a_desa_says_which_one():
    # Benua Baru is a desa of Muara Bengkal; Sangkulirang has Benua Baru Ilir and Benua Baru Ulu
    assert where("Banjir rendam Desa Benua Baru Kecamatan Sangkulirang") == (True, "64.08.05", None)
    assert where("Jembatan Desa Benua Baru, Kec. Muara Bengkal putus") == (True, "64.08.03", "64.08.03.2005")


def test_a_place_passed_through_is_a_route():
    text = "Perjalanan dari Sangatta menuju Kecamatan Busang sepuluh jam, melewati Kecamatan Muara Wahau"
    assert where(text) == (True, "64.08.06", None)


def test_a_road_one_passes_along_is_still_the_road():
    text = "Warga Sangatta yang tiap hari melewati Jalan Kabo Jaya mengeluh debunya tebal"
    assert where(text) == (True, "64.08.04", "64.08.04.2012")


def test_a_shared_village_name_among_villages_known_only_elsewhere_is_theirs():
    text = "Desa itu berbatasan dengan Desa Wonorejo di selatan, Desa Kebonagung di barat dan Desa Sidodadi di utara"
    assert where(text) == (False, None, None)
    assert where("Banjir rendam Desa Kebon Agung, warga mengungsi") == (True, "64.08.14", "64.08.14.2007")


def test_run_together_name_elsewhere_makes_a_kutim_name_shared():
    assert load().kutim["kebon agung"].shared_elsewhere


def test_a_short_name_spelt_otherwise_than_kutim_needs_an_admin_word():
    assert where("Liburan ke kota di tepi Bay of Islands di Selandia Baru") == (False, None, None)
    assert where("Jalan di Desa Bay rusak parah") == (True, "64.08.16", "64.08.16.2004")


def test_a_neighbourhood_named_on_both_sides_of_the_river_is_kutim_without_a_kecamatan():
    assert where("Air sudah masuk rumah di Gunung Teknik") == (True, None, None)
    assert where("Banjir di Dusun Gunung Teknik, Kecamatan Sangatta Selatan") == (True, "64.08.12", None)


def test_the_head_of_a_village_names_the_village():
    assert where("Kades Sumber Agung bilang sumur bor sudah mengalir") == (True, "64.08.18", "64.08.18.2007")
    assert where("Kades Hartono bilang sumur bor sudah mengalir") == (False, None, None)


def test_a_typo_of_a_two_word_kecamatan_beats_a_one_word_name_elsewhere():
    # "Muara" alone is a kecamatan in North Sumatra; "Muara Bengkan" is one letter from Muara Bengkal
    assert where("Banjir rendam rumah warga di kecamatan Muara Bengkan") == (True, "64.08.03", None)
    assert where("Warga Kecamatan Muara Muntai, Kukar gotong royong perbaiki jalan") == (False, None, None)

"""Where is the problem: gazetteer, aliases, context rules, outside-Kutim detection, routes, datelines."""

import pytest

from tests.nlp.helpers import where


@pytest.mark.parametrize(
    ("text", "kec", "desa"),
    [
        ("jalan rusak di Desa Sepaso Timur, Kecamatan Bengalon", "64.08.09", "64.08.09.2006"),
        ("#SangattaUtara banjir lagi", "64.08.04", None),
        ("air mati di kel. teluk lingga", "64.08.04", "64.08.04.1010"),
        ("warga Singa Gewe keluhkan sampah", "64.08.12", "64.08.12.1002"),
        ("jalan di kongbeng rusak", "64.08.08", None),
        ("lampu jalan mati di swargabara", "64.08.04", "64.08.04.2012"),
        ("warga sangata selatan minta perbaikan jalan", "64.08.12", None),
    ],
)
def test_aliases_typos_and_hashtags_find_the_official_region(text, kec, desa):
    assert where(text) == (True, kec, desa)


def test_kecamatan_name_alone_is_the_kecamatan_and_with_desa_word_the_desa():
    assert where("Kebakaran di Muara Wahau") == (True, "64.08.02", None)
    assert where("Jembatan di Desa Muara Wahau ambruk") == (True, "64.08.02", "64.08.02.2003")


def test_common_word_desa_names_need_context():
    assert where("karangan bunga memenuhi kantor") == (False, None, None)
    assert where("warga mata air mengeluh") == (False, None, None)
    assert where("listrik padam di Desa Mata Air, Kaubun") == (True, "64.08.15", "64.08.15.2007")


def test_other_regencies_are_not_kutim():
    assert where("Jalan rusak di Kelurahan Sempaja, Samarinda") == (False, None, None)
    assert where("Banjir di Sampit, Kotim, rendam ratusan rumah") == (False, None, None)
    assert where("Warga Muara Badak, Kukar, keluhkan air PDAM") == (False, None, None)


def test_desa_name_shared_with_another_regency_follows_that_regency():
    assert where("Banjir melanda Kecamatan Baamang, Kotim, warga Desa Telaga mengungsi")[0] is False


def test_problem_location_beats_route_mention():
    assert where("Perjalanan dari Sangatta ke Bontang, jalan rusak di km 37 masuk wilayah Berau")[0] is False
    assert where("dari Bontang ke Sangatta, jalan longsor di Desa Sangkima") == (True, "64.08.12", "64.08.12.2003")


def test_dateline_city_is_not_the_problem_place():
    assert where("SANGATTA – Warga Desa Sepaso, Kecamatan Bengalon, mengeluhkan jalan") == (
        True,
        "64.08.09",
        "64.08.09.2001",
    )
    assert where("SAMARINDA - Jalan rusak di Desa Sangkima, Kutim, dikeluhkan warga")[0] is True


def test_road_km_marker_gives_the_segment():
    # counted from Sangatta, as Kutim news and the clustering set write them (km 20 is Sangkima); until round
    # 20 the segments were counted from Bontang and this said Teluk Pandan
    assert where("jalan poros sangatta-bontang km 20 longsor")[1] == "64.08.12"
    assert where("jalan poros sangatta-bontang km 45 longsor")[1] == "64.08.13"


def test_landmark_gives_its_region():
    assert where("jalan berlubang di Jl. Kabo Jaya") == (True, "64.08.04", "64.08.04.2012")
    assert where("antrean pasien di RSUD Kudungga")[1] == "64.08.04"


def test_street_names_common_elsewhere_need_kutim_context():
    assert where("Lampu jalan mati di Jalan Yos Sudarso Samarinda")[0] is False


def test_read_also_headlines_do_not_place_the_story():
    text = "Warga Desa Long Bentuk mengeluhkan jalan rusak.\nBaca juga: Banjir rendam Samarinda"
    assert where(text) == (True, "64.08.06", "64.08.06.2001")


def test_dayak_q_and_ilir_hilir_spellings_match():
    assert where("banjir di Desa Juk Ayak")[2] == "64.08.07.2003"
    assert where("jalan rusak di Desa Karangan Ilir")[2] == "64.08.16.2007"


def test_lower_case_word_after_kampung_is_not_a_village_elsewhere():
    assert where("trafo meledak, satu kampung gelap di Kaliorang")[1] == "64.08.10"


def test_one_typo_in_a_distinctive_name_still_matches():
    assert where("jalan rusak di sangkulirng")[1] == "64.08.05"


def test_kutim_hashtags_say_kutim_without_a_kecamatan():
    assert where("banjir lagi nih #infosangatta") == (True, None, None)


def test_bare_town_of_sangatta_is_its_seat_sangatta_utara_without_a_desa():
    assert where("macet parah di simpang tiga Sangatta") == (True, "64.08.04", None)
    assert where("antrean solar di SPBU Sangatta mengular sampai magrib") == (True, "64.08.04", None)


def test_sangatta_only_as_dateline_or_route_gives_no_kecamatan():
    assert where("SANGATTA – Pemkab menggelar rapat koordinasi anggaran tahun depan.")[1] is None
    assert where("sopir travel dari Sangatta mogok di jalan, Kutim banget")[1] is None


def test_kecamatan_name_after_market_word_beats_the_market_landmark():
    assert where("Harga bawang di pasar Sangatta Selatan naik terus, pembeli sepi") == (True, "64.08.12", None)
    assert where("atap los ikan pasar sangata selatan bocor kalau hujan")[1] == "64.08.12"


def test_the_town_market_alone_is_still_the_market_landmark():
    assert where("parkir liar di depan pasar Sangatta bikin macet")[1] == "64.08.04"


def test_home_village_written_with_its_kecamatan_keeps_the_village():
    text = "Seorang pencari madu asal Desa Manubar, Kecamatan Sandaran, belum kembali dari hutan"
    assert where(text) == (True, "64.08.11", "64.08.11.2002")


def test_a_visitor_from_another_city_does_not_move_a_kutim_problem_out():
    assert where("Sopir truk asal Samarinda terjebak longsor di Desa Sangkima")[0] is True


def test_home_village_of_a_missing_fisherman_places_the_event_when_it_is_the_only_place():
    assert where("Seorang nelayan asal Desa Sangkima belum pulang sejak melaut dua hari lalu")[2] == "64.08.12.2003"


def test_regencies_of_other_provinces_are_recognised_without_kabupaten():
    assert where("Warga Desa Suka Damai, Lampung Selatan, keluhkan jalan rusak")[0] is False
    assert where("Jalan rusak di Desa Sukamaju, Banyuwangi") == (False, None, None)


def test_coal_is_not_the_regency_of_batu_bara():
    assert where("debu batu bara masuk rumah warga Desa Sepaso") == (True, "64.08.09", "64.08.09.2001")


def test_a_comparison_is_not_the_problem_place():
    assert where("banjir di Desa Sangkima, parah seperti di Bandung")[0] is True

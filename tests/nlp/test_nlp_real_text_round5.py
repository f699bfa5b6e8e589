"""Round 5 of issue 11 (real Kutim text): classes of place and classification error found on real news
about Kutim's kecamatan, checked with the team's own sentences."""

from tests.nlp.helpers import analyse, where


# --- places -----------------------------------------------------------------------------------------------
def test_towns_in_a_road_name_are_route_points_not_the_place():
    # the flood is in Teluk Pandan (a name other regencies share); Bontang and Samarinda only name the road
    assert where("Air naik lagi di Teluk Pandan, km 6 jalan poros Bontang-Samarinda tergenang") == (
        True,
        "64.08.13",
        None,
    )
    # a road named after outside towns with no Kutim place stays outside
    assert where("jalan poros Samarinda-Bontang berlubang di depan pom bensin")[0] is False


def test_a_misspelt_village_found_only_in_the_national_list_does_not_veto_a_named_kutim_kecamatan():
    # "Pengadang" is a village name elsewhere in Indonesia (and a slip for Pengadan); the camat names Karangan
    text = "Lampu belum menyala di Desa Pengadang dan RT 4, keluh Camat Karangan kemarin."
    assert where(text)[:2] == (True, "64.08.16")


def test_an_outside_place_with_a_code_still_vetoes_a_shared_name():
    # Teluk Pandan is also a kecamatan in Lampung: with Pesawaran named, it is not Kutim
    assert where("Banjir di Teluk Pandan, Kabupaten Pesawaran, rendam puluhan rumah")[0] is False


# --- emergencies told as a depth, people on boats and roofs ------------------------------------------------
def test_water_depth_written_as_a_measure_is_read_in_centimetres():
    from nlp.rules import water_depth_cm

    assert water_depth_cm("banjir di gang kami sudah 60 cm") == 60.0
    assert water_depth_cm("ketinggian air mencapai ±1,2 meter") == 120.0
    assert water_depth_cm("genangan air 20-45 sentimeter di halaman") == 45.0
    assert water_depth_cm("lubang jalan sedalam 40 cm bikin motor jatuh") == 0.0  # no water word: a pothole


def test_deep_water_in_homes_is_an_emergency_and_the_same_depth_on_a_road_alone_is_not():
    homes = analyse("Banjir masuk rumah warga RT 7 Desa Sangkima, air sekitar 70 cm dan terus hujan")
    assert homes["is_complaint"] and homes["category"] == "banjir" and homes["is_emergency"]
    road = analyse("Jalan depan terminal tergenang air 35 cm, motor banyak yang mogok")
    assert road["category"] == "banjir" and not road["is_emergency"]


def test_people_sleeping_on_boats_or_climbing_onto_roofs_is_an_emergency():
    assert analyse("Banjir di Desa Kandolo, warga terpaksa naik ke atap rumah menunggu bantuan")["is_emergency"]
    assert analyse("Air belum turun, warga Desa Jak Luay tidur di perahu sejak semalam")["is_emergency"]


# --- news of the government's response is not a complaint --------------------------------------------------
def test_news_of_the_government_response_is_not_a_complaint():
    text = (
        "BPBD Kutim telah mengerahkan alat berat untuk membersihkan material longsor di Desa Batu Timbau, "
        "dan Dinas Sosial telah menyalurkan bantuan sembako kepada warga."
    )
    assert analyse(text)["is_complaint"] is False


# --- clustering through the NLP: posts about one problem must get the same place and category --------------
def test_a_name_right_before_an_event_word_is_where_it_happens():
    assert where("Astaga, Pulung Sari banjir lagi sejak subuh") == (True, "64.08.14", "64.08.14.2002")


def test_both_ends_of_a_connecting_road_are_the_roads_place():
    text = "Jalan penghubung Pulung Sari ke Margo Mulyo makin hancur, truk sawit tiap hari terjebak"
    assert where(text)[:2] == (True, "64.08.14")


def test_a_place_name_never_runs_across_a_comma():
    # two places listed, not one landmark whose key spans them
    assert where("relawan di sangatta, muara wahau butuh perahu karet sekarang")[:2] == (True, "64.08.02")


def test_the_town_as_the_problem_beats_a_kecamatan_one_only_came_from():
    text = "Blanko KTP di capil Sangatta habis terus, saya sudah tiga kali bolak balik dari Kaliorang"
    assert where(text) == (True, "64.08.04", None)


def test_a_road_named_as_a_landmark_still_counts_as_road_evidence():
    result = analyse("Jalan Kabo Jaya depan SD lubangnya makin dalam, anak sekolah tiap pagi lewat situ")
    assert result["category"] == "jalan_jembatan"


def test_a_damaged_road_is_a_road_complaint_whatever_vehicles_it_stops():
    result = analyse("jalan ke kebun di tepian baru parah bgt, truk sawit ampe nyangkut tiap sore")
    assert result["category"] == "jalan_jembatan"


def test_a_greeting_is_not_a_congratulation_and_komplain_is_a_complaint():
    result = analyse("Selamat pagi, saya mau komplain, petugas loket puskesmas ketus sekali. Mohon dievaluasi")
    assert result["is_complaint"] is True and result["category"] == "kesehatan"


def test_safety_advice_in_a_flood_post_does_not_make_it_a_power_complaint():
    result = analyse("Kampung kami tenggelam lagi, tetangga angkut kasur ke loteng. Jangan lupa matikan listrik ya")
    assert result["is_complaint"] is True and result["category"] == "banjir"


def test_a_misspelt_kutim_road_after_a_street_abbreviation_is_that_road():
    assert where("lubang di jln kbo jaya belum ditambal juga") == (True, "64.08.04", "64.08.04.2012")
    assert where("rumah di jl mawar 3 kebanjiran")[0] is False  # an ordinary street name stays nowhere


def test_villages_still_dark_is_a_power_complaint():
    result = analyse("Desa2 di Telen masih gelap, tolong prioritaskan")
    assert result["is_complaint"] is True and result["category"] == "listrik"


def test_a_desa_persiapan_is_placed_in_the_desa_it_is_split_from():
    assert where("Warga Desa Persiapan Teluk Rawa minta drainase diperbaiki") == (True, "64.08.04", "64.08.04.2001")
    assert where("listrik di Tepian Raya masih numpang") == (True, "64.08.09", "64.08.09.2010")

"""Emergency and category on the pairs that are easy to confuse (acute vs chronic, aftermath, category borders)."""

import pytest

from nlp.normalize import normalize_word
from tests.nlp.helpers import analyse
from tools.datagen import HARD_CASES, HARD_VARIANTS, _split, generate_hard


def test_water_entering_homes_with_people_moved_out_is_a_flood_emergency():
    result = analyse("air udh msk ke dalam rumah warga di Desa Sepaso Barat sepaha, lansia kami ungsikan ke mushola")
    assert result["category"] == "banjir" and result["is_emergency"] is True


def test_a_flood_that_comes_back_every_rainy_season_is_not_an_emergency():
    result = analyse("Tiap musim hujan rumah kami di Desa Pulung Sari tergenang, sudah bertahun-tahun tidak ada solusi")
    assert result["is_complaint"] is True and result["category"] == "banjir"
    assert result["is_emergency"] is False


def test_asking_for_aid_a_week_after_a_flood_is_social_aid_not_an_emergency():
    result = analyse("Sudah seminggu banjir surut, warga Desa Ngayau belum menerima bantuan sembako dari pemkab")
    assert result["category"] == "sosial" and result["is_emergency"] is False


def test_dengue_after_a_flood_is_health():
    result = analyse("Pasca banjir kasus DBD di Desa Mulupan naik, tolong dinkes lakukan fogging")
    assert result["category"] == "kesehatan"


def test_the_road_to_a_school_is_a_road_complaint():
    result = analyse("Jalan menuju sekolah di Desa Long Nah masih tanah, murid susah lewat kalau hujan, mohon dicor")
    assert result["category"] == "jalan_jembatan"


@pytest.mark.parametrize(
    "text",
    [
        "Honor RT di Desa Bumi Sejahtera belum cair empat bulan, kami minta kejelasan",
        "Desa Long Poq Baru tidak ada sinyal sama sekali, mohon dibangun tower BTS",
        "Pupuk subsidi di Desa Kadungan Jaya langka, petani tidak bisa memupuk",
    ],
)
def test_rt_honoraria_signal_and_fertiliser_are_other_government_matters(text):
    assert analyse(text)["category"] == "lainnya"


def test_extortion_at_a_weighbridge_is_public_order_not_a_bridge():
    result = analyse("Sopir dimintai uang tanpa karcis di jembatan timbang Sangatta, itu pungli, mohon ditindak")
    assert result["category"] == "ketertiban_keamanan"


def test_a_fire_put_out_without_victims_is_not_a_complaint():
    result = analyse("Damkar Kutim berhasil memadamkan api di gudang kosong Sangatta, tidak ada korban, sudah aman")
    assert result["is_complaint"] is False and result["is_emergency"] is False


def test_urgency_words_alone_do_not_make_an_emergency():
    result = analyse("mati lampu lagi malam ini di Desa Miau Baru, sekarang udh 3 jam, tolong PLN")
    assert result["category"] == "listrik" and result["is_emergency"] is False


def test_an_urgency_word_beside_an_event_makes_it_an_emergency():
    text = "Barusan beruang masuk permukiman Desa Tepian Indah dan melukai warga yang sedang di kebun"
    result = analyse(text)
    assert result["category"] == "ketertiban_keamanan" and result["is_emergency"] is True


def test_spoken_forms_are_normalised_to_the_lexicon_words():
    assert [normalize_word(w) for w in ("kebakar", "kerendam", "msk", "cepet", "jalanan")] == [
        "terbakar",
        "terendam",
        "masuk",
        "cepat",
        "jalan",
    ]


def test_hard_cases_in_train_and_dev_come_from_separate_templates():
    train, dev = generate_hard("train"), generate_hard("dev")
    assert len(train) == HARD_VARIANTS * len(_split(HARD_CASES, "train"))
    assert len(dev) == HARD_VARIANTS * len(_split(HARD_CASES, "dev"))
    assert len(train) + len(dev) == HARD_VARIANTS * len(HARD_CASES)
    assert not {r["text"] for r in train} & {r["text"] for r in dev}
    assert all(r["category"] is None for r in train + dev if not r["is_complaint"])


def test_a_landslide_cutting_a_road_is_a_landslide_emergency_not_a_road_complaint():
    text = (
        "Longsor di ruas jalan poros Desa Batu Timbau Ulu tadi malam, badan jalan tertimbun dan akses warga "
        "terputus total"
    )
    result = analyse(text)
    assert result["is_emergency"] is True and result["category"] == "bencana_alam"


def test_a_landslide_left_unrepaired_for_a_year_is_a_road_complaint():
    result = analyse("Jalan bekas longsor di Desa Melan sejak tahun lalu belum juga diperbaiki, antre satu jalur")
    assert result["is_emergency"] is False and result["category"] == "jalan_jembatan"


def test_dust_coming_into_homes_is_not_a_flood_emergency():
    result = analyse("Debu batu bara dari jalan hauling masuk ke rumah warga Desa Sepaso, mohon segera ditangani")
    assert result["category"] == "lingkungan_sampah" and result["is_emergency"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Rumah panggung di Desa Sangkima dilahap api menjelang subuh, penghuninya lari lewat jendela",
        "Tanggul jebol, air bah masuk ke permukiman warga Desa Sepaso Selatan",
        "Longboat karam di perairan Sangkulirang, dua penumpang hilang kontak",
        "Seorang pemuda ditikam usai cekcok di warung kopi di Kecamatan Rantau Pulung, korban bersimbah darah",
        "Pengendara motor terlindas truk pengangkut sawit di poros Bengalon, meninggal di lokasi",
        "Anak 6 tahun tercebur ke sungai di Desa Long Mesangat, sampai sore ini masih dicari warga",
        "Petani di Desa Batota diseruduk gajah liar saat menyadap karet, tulang kakinya patah",
        "Warga Desa Tepian Langsat tersambar petir saat berteduh di pondok sawah",
    ],
)
def test_acute_events_in_news_wording_are_emergencies(text):
    result = analyse(text)
    assert result["is_complaint"] is True and result["is_emergency"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Jembatan kayu di Desa Long Lees kerap bergoyang kalau dilewati motor, mohon diperkuat sebelum ambruk",
        "Tiang listrik di depan SD Teluk Lingga miring dan dikhawatirkan roboh, tolong PLN cek",
        "Semoga ada pos pemadam di Kaliorang, kalau kebakaran mobil damkar datang dari jauh sekali",
        "Kios yang hangus Kamis lalu di pasar Bengalon belum dibangun lagi, pedagang jualan di emperan",
    ],
)
def test_worries_and_aftermath_in_the_same_wording_are_not_emergencies(text):
    assert analyse(text)["is_emergency"] is False

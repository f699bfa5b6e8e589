"""Issue 11's classes of error on real text, with the team's own sentences: terse reports, ongoing hazards
against past/planned/fixed ones, category borders in news, and news that is not a complaint."""

import pytest

from tests.nlp.helpers import analyse
from tools.datagen import BORDERS, CHITCHAT, NEWS_NOT_COMPLAINTS, ONGOING_AND_PAST, TERSE_REPORTS, _split


# --- 2. terse reports are complaints; blocked drains, gutters and culverts are floods --------------------
@pytest.mark.parametrize(
    "text, category",
    [
        ("got depan rumah mampet lagi", "banjir"),
        ("selokan gang kenari tersumbat, air ga ngalir", "banjir"),
        ("drainase mampet di simpang pasar", "banjir"),
        ("gorong-gorong tersumbat sampah di RT 5", "banjir"),
        ("jalan komplek tergenang air", "banjir"),
        ("banjir selutut di gang melati", "banjir"),
        ("lampu jalan mati sepanjang gang", "listrik"),
        ("air pdam mampet dari kemarin", "air_bersih"),
        ("jalan depan sekolah berlubang besar", "jalan_jembatan"),
    ],
)
def test_a_terse_report_is_a_complaint_with_its_category(text, category):
    result = analyse(text)
    assert result["is_complaint"] is True, result
    assert result["category"] == category


def test_a_terse_report_of_rising_water_is_an_emergency():
    result = analyse("air makin naik di gang kenanga, udah masuk dapur")
    assert result["is_complaint"] is True and result["category"] == "banjir"
    assert result["is_emergency"] is True


def test_a_terse_government_notice_is_not_a_report():
    assert analyse("Dishub Kutim menggelar uji emisi kendaraan dinas")["is_complaint"] is False


# --- 3. ongoing hazards are emergencies; the same words about the past, a plan or a finished repair not ---
@pytest.mark.parametrize(
    "text",
    [
        "Air terus naik di Desa Sangatta Selatan, sudah sepaha di dalam rumah, warga minta perahu",
        "Pohon besar tumbang melintang di jalan satu-satunya ke Desa Sandaran, mobil tidak bisa lewat sekarang",
        "Api dari gudang merembet ke rumah sebelah di Teluk Lingga, damkar belum datang",
        "Seorang pemancing hanyut di Sungai Bengalon sore ini dan masih dalam pencarian warga",
        "rumah kami kemasukan air sejak subuh, kasur sudah basah semua",
        "Debit Sungai Kelinjau terus meningkat, camat meminta warga bantaran segera evakuasi ke balai desa",
    ],
)
def test_an_ongoing_hazard_is_an_emergency(text):
    result = analyse(text)
    assert result["is_complaint"] is True and result["is_emergency"] is True, result


@pytest.mark.parametrize(
    "text",
    [
        "Dua tahun lalu banjir sepaha merendam Desa Sangatta Selatan, tahun ini tanggul sudah selesai dan aman",
        "Pohon tumbang yang tadi pagi menutup jalan ke Desa Sandaran sudah dipotong petugas, jalan kembali lancar",
        "Pemkab akan membangun pos damkar di Teluk Lingga tahun depan agar kebakaran cepat ditangani",
        "Pencarian pemancing yang hanyut di Sungai Bengalon bulan lalu resmi dihentikan, keluarga sudah mengikhlaskan",
    ],
)
def test_the_same_hazard_in_the_past_planned_or_fixed_is_no_emergency(text):
    assert analyse(text)["is_emergency"] is False


# --- 4. category borders in real news ----------------------------------------------------------------------
def test_a_road_broken_by_a_landslide_months_ago_is_a_road_complaint():
    result = analyse(
        "Jalan ke Desa Muara Bengkal yang amblas karena longsor enam bulan lalu sampai kini belum "
        "diperbaiki, truk sawit terpaksa antre bergantian"
    )
    assert result["category"] == "jalan_jembatan" and result["is_emergency"] is False


def test_a_water_outage_caused_by_a_flood_is_clean_water():
    result = analyse("Pompa intake PDAM terendam banjir, air ledeng di Sangatta Utara tidak mengalir sejak kemarin")
    assert result["category"] == "air_bersih"


def test_rubbish_clogging_a_river_is_waste():
    result = analyse("Sungai di belakang Pasar Sangatta dipenuhi sampah plastik dan kasur bekas, airnya hitam dan bau")
    assert result["category"] == "lingkungan_sampah"


def test_rubbish_blocking_a_drain_with_water_in_homes_is_a_flood():
    result = analyse("Got di gang kami tersumbat sampah, tiap hujan air masuk ke rumah warga")
    assert result["category"] == "banjir"


# --- 5. news that is not a complaint ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # a launch
        "Bupati Kutim meluncurkan aplikasi layanan kependudukan daring di Sangatta, Selasa pagi.",
        # a plan
        "Pemkab Kutim akan membangun jembatan penghubung Desa Kaliorang tahun depan melalui APBD.",
        # a ceremony
        "Upacara Hari Jadi Kutim berlangsung khidmat, wakil bupati bertindak sebagai inspektur upacara.",
        # an official's statement
        "Kepala Dinas PUPR menegaskan seluruh proyek jalan tahun ini ditargetkan rampung sebelum Desember.",
        # a problem reported as fixed
        "Pipa PDAM yang bocor di Sangatta Selatan sudah diperbaiki dan air kembali mengalir sejak pagi.",
    ],
)
def test_news_that_is_not_a_complaint(text):
    result = analyse(text)
    assert result["is_complaint"] is False and result["is_emergency"] is False, result


@pytest.mark.parametrize(
    "text",
    [
        "capek banget pulang kerja, pengen langsung tidur",
        "es kopi susunya enak, tempatnya adem buat ngobrol",
        "deg-degan nunggu pengumuman lolos kerja, doain ya",
    ],
)
def test_ordinary_sentences_without_a_public_problem_are_no_complaint(text):
    assert analyse(text)["is_complaint"] is False


# --- the round-4 training pools are split like every pool --------------------------------------------------
@pytest.mark.parametrize("pool", [TERSE_REPORTS, ONGOING_AND_PAST, BORDERS, NEWS_NOT_COMPLAINTS, CHITCHAT])
def test_round4_pools_give_dev_phrasing_training_never_sees(pool):
    train, dev = _split(pool, "train"), _split(pool, "dev")
    assert train and dev and not set(train) & set(dev)
    assert len(train) + len(dev) == len(pool)

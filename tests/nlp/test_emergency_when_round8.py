"""Round 8 of issue 11: an emergency is a hazard going on NOW. The same acute words about a finished event, last
month, a plan, a year's figures or a problem that comes back with every rain are no emergency; water inside homes
or rising by a measure, and a hazard still spreading, are. Sentences written by the team (none from a real set)."""

import pytest

from nlp.rules import water_in_home
from tests.nlp.helpers import analyse


# --- going on now: water rising or inside homes, people still missing, a fire spreading, a road cut now -----------
@pytest.mark.parametrize(
    "text",
    [
        "air makin naik di perumahan kami, udah selutut masuk rumah",
        "banjir lagi, air udah masuk kamar, barang2 gak sempat diselamatkan",
        "air masih di dalam rumah, belum ada bantuan sama sekali",
        "Hingga pukul 22.00 WITA air masih terus naik dan merendam ratusan rumah warga di Kecamatan Muara Wahau.",
        "Ketinggian air bertambah 30 cm dalam dua jam terakhir di permukiman warga.",
        "warga mulai mengungsi ke masjid, air sudah sepinggang",
        "Banjir sudah tiga hari belum surut, warga masih bertahan di pengungsian",
        "Api masih berkobar dan merembet ke rumah sebelah, damkar belum datang",
        "Sampai berita ini diturunkan, petugas masih berupaya memadamkan api yang terus membesar.",
        "Seorang bocah hanyut terbawa arus sungai sore tadi dan hingga kini belum ditemukan.",
        "Tim SAR masih mencari dua pemancing yang tenggelam di Sungai Bengalon",
        "anak saya hilang sejak tadi pagi, belum pulang, tolong bantu cari",
        "Longsor menutup satu-satunya akses jalan ke desa, kendaraan tidak bisa lewat sampai sekarang",
        "pohon tumbang nutup jalan poros, gak bisa lewat sama sekali",
        "Tanah longsor menimbun badan jalan, akses dari dan ke desa lumpuh total sejak pagi.",
        "Sungai Bengalon meluap dan merendam ratusan rumah warga di dua desa.",
    ],
)
def test_a_hazard_going_on_now_is_an_emergency(text):
    result = analyse(text)
    assert result["is_complaint"], text
    assert result["is_emergency"], text


# --- over: last week, a search that ended, water gone, a repair done, aid handed out, a year's figures, a plan ----
@pytest.mark.parametrize(
    "text",
    [
        "Kebakaran yang menghanguskan lima rumah pekan lalu diduga akibat korsleting listrik.",
        "Banjir tahun lalu merendam ratusan rumah di Sangatta Utara.",
        "Korban hanyut yang dicari sejak Senin akhirnya ditemukan meninggal dunia dan telah dimakamkan.",
        "Banjir sudah surut, warga mulai membersihkan rumah dari lumpur.",
        "Pohon tumbang yang menutup jalan sudah dipotong petugas, jalan kembali lancar.",
        "Jalan yang tertimbun longsor bulan lalu telah diperbaiki dan kini bisa dilalui kembali.",
        "Pemerintah desa membagikan bantuan kepada 300 keluarga yang rumahnya terendam banjir pekan lalu.",
        "Data BPBD mencatat 1.200 rumah terdampak banjir selama Januari.",
        "Rekapitulasi BPBD: selama 2024 terjadi 15 kali longsor dan 30 kali banjir di Kutim.",
        "Pemkab akan membangun tanggul untuk mencegah banjir di Sangatta Selatan tahun depan.",
        "Warga korban kebakaran masih tinggal di rumah kerabat sambil menunggu bantuan.",
        "Jembatan yang putus diterjang banjir tahun 2023 sampai sekarang belum dibangun kembali.",
        "Jasad pemancing yang tenggelam di Sungai Sangatta ditemukan dan sudah diserahkan ke keluarga.",
    ],
)
def test_the_same_words_about_a_finished_past_or_planned_event_are_no_emergency(text):
    assert analyse(text)["is_emergency"] is False, text


def test_a_flood_that_comes_with_every_rain_is_a_complaint_not_an_emergency():
    result = analyse("Got depan gang mampet, tiap hujan air masuk ke rumah warga")
    assert result["is_complaint"] and result["category"] == "banjir"
    assert result["is_emergency"] is False


def test_the_recurring_flood_here_now_is_an_emergency():
    result = analyse("Langganan banjir tiap tahun, sekarang air sudah masuk rumah dan terus naik")
    assert result["is_emergency"] and result["category"] == "banjir"


# --- a road blocked by something that is no disaster -------------------------------------------------------------
def test_a_road_blocked_by_rubbish_is_no_emergency():
    result = analyse("Sampah menumpuk di pinggir pasar sampai jalan tertutup, warga mengeluh baunya")
    assert result["is_complaint"] and result["category"] == "lingkungan_sampah"
    assert result["is_emergency"] is False


def test_prices_that_keep_rising_are_no_hazard():
    result = analyse("Warga mengeluhkan harga sembako di pasar terus naik, minta pemerintah segera turun tangan")
    assert result["is_emergency"] is False


# --- what counts as water inside a home --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("air udah masuk kamar", True),
        ("Banjir masuk ke dalam rumah warga", True),
        ("ketinggian air naik 20 cm sejak subuh", True),
        ("air PDAM tidak masuk ke rumah sejak kemarin", False),
        ("atap bocor, air hujan masuk kamar", False),
        ("air belum masuk rumah, masih di jalan", False),
        ("Luapan sungai menggenangi puluhan rumah di bantaran", True),
        ("Sejak subuh rumah warga RT 03 terendam", True),
        ("gang depan rumah tergenang lagi, motor susah lewat", False),
    ],
)
def test_water_in_a_home_is_flood_water_not_tap_water_or_a_leak(text, inside):
    assert water_in_home(text) is inside


# --- news of an acute event that is over is not a report to act on ---------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Korban hanyut yang dicari sejak Senin akhirnya ditemukan meninggal dunia dan telah dimakamkan.",
        "Jasad pemancing yang tenggelam di Sungai Sangatta ditemukan dan sudah diserahkan ke keluarga.",
        "Data BPBD mencatat 1.200 rumah terdampak banjir selama Januari.",
    ],
)
def test_news_of_an_acute_event_that_is_over_is_not_a_complaint(text):
    assert analyse(text)["is_complaint"] is False, text


def test_a_chronic_problem_framed_as_years_long_is_still_a_complaint():
    result = analyse("udah bertahun-tahun jalan ini rusak parah, tiap hujan jadi kubangan")
    assert result["is_complaint"] and result["category"] == "jalan_jembatan"
    assert result["is_emergency"] is False


# --- an agency or its crew doing the work is news of the response, unless someone asks for it --------------------
@pytest.mark.parametrize(
    "text",
    [
        "Dinas PUPR telah memperbaiki jalan berlubang di Jalan Poros Sangatta-Rantau Pulung.",
        "Puluhan petugas kebersihan mengangkut sampah yang menumpuk di pasar pagi ini",
        "Tim UPT mengeruk saluran air di Gang Melati agar tidak tersumbat lagi",
    ],
)
def test_a_crew_doing_the_work_is_not_a_complaint(text):
    assert analyse(text)["is_complaint"] is False, text


@pytest.mark.parametrize(
    "text",
    [
        "Warga meminta Dinas PUPR segera memperbaiki jalan berlubang di depan pasar",
        "Petugas cuma menambal jalan pakai tanah, seminggu kemudian berlubang lagi, asal-asalan",
        "kapan petugas membersihkan got di gang kami? udah mampet sebulan",
    ],
)
def test_a_crew_asked_for_or_blamed_is_still_a_complaint(text):
    assert analyse(text)["is_complaint"] is True, text


# --- an official's statement is not a complaint unless a resident's voice is in it --------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Menurut Kepala BPBD, ada 12 desa rawan banjir di Kutim yang terus dipantau.",
        "Wabup mengimbau warga tidak membuang sampah ke sungai agar tidak terjadi banjir.",
        "Kadis Kesehatan memastikan stok obat di semua puskesmas aman hingga akhir tahun.",
    ],
)
def test_an_officials_statement_is_not_a_complaint(text):
    assert analyse(text)["is_complaint"] is False, text


def test_an_officials_answer_to_residents_complaint_is_still_a_complaint():
    text = (
        "Camat mengatakan sudah menerima keluhan warga soal jalan rusak di Desa Swarga Bara yang tak kunjung diperbaiki"
    )
    assert analyse(text)["is_complaint"] is True


def test_a_child_found_safe_is_no_emergency():
    assert analyse("Anak yang sempat dilaporkan hilang sudah pulang ke rumah dengan selamat.")["is_emergency"] is False


def test_a_flood_receding_is_no_emergency_unless_water_is_still_in_homes():
    assert analyse("Banjir di perumahan kami mulai surut, warga kembali ke rumah")["is_emergency"] is False
    assert analyse("Air mulai surut di jalan, tapi masih merendam rumah warga setinggi lutut")["is_emergency"] is True


def test_water_in_homes_whenever_it_rains_is_chronic_not_an_emergency():
    result = analyse("Kalau turun hujan air selalu masuk rumah kami setinggi mata kaki, drainase tidak ada")
    assert result["is_complaint"] and result["category"] == "banjir"
    assert result["is_emergency"] is False


def test_a_fallen_tree_during_heavy_rain_is_still_an_emergency():
    result = analyse("Pohon tumbang menimpa pengendara saat hujan deras sore ini, korban terjepit di bawah batang")
    assert result["is_emergency"] is True

"""Issue 11, class 4: category borders in real news. The category is decided over the whole text: what is broken NOW
(a road, a pipe, a power line) against the disaster named only as its cause, and when it happened. Sentences written
by the team in news and chat style (none from a real set), both sides of each border."""

import pytest

from tests.nlp.helpers import analyse


def category(text: str) -> str | None:
    result = analyse(text)
    assert result["is_complaint"], text
    return result["category"]


# --- a road a landslide broke months ago and nobody repairs is the road's problem --------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Sudah empat bulan jalan di Desa Kandolo putus karena longsor, belum ada perbaikan dari Dinas PU.",
        "jalan longsor dari bulan lalu blm dibenerin, motor hrs lewat pinggir tebing",
        "Akibat longsor beberapa bulan silam, jalan menuju kebun warga kini hanya bisa dilalui motor satu per satu.",
        "Titik longsor di KM 20 sudah berbulan-bulan hanya ditutup karung pasir, jalan makin sempit.",
        "Jalan yang longsor di Batu Ampar setahun lalu kini makin parah, separuh badan jalan sudah ambrol ke sungai.",
        "Sejak longsor tahun 2024, setengah badan jalan di Kaubun hilang dan belum ada penanganan.",
    ],
)
def test_a_road_broken_by_a_landslide_long_ago_is_a_road_complaint(text):
    assert category(text) == "jalan_jembatan"


@pytest.mark.parametrize(
    "text",
    [
        "Longsor menutup jalan poros Sangatta-Rantau Pulung pagi ini, kendaraan tidak bisa lewat.",
        "longsor lagi di km 18, tanahnya nutup jalan, hati2 yg mau lewat skrg",
        "Longsor susulan kembali terjadi di lokasi yang sama siang ini, material tanah menutup separuh jalan.",
        "Hujan deras sejak semalam memicu tanah longsor yang menimbun badan jalan di Desa Swarga Bara.",
    ],
)
def test_a_landslide_cutting_a_road_now_stays_a_landslide(text):
    assert category(text) == "bencana_alam"


# --- a water cut the flood caused is a clean-water complaint; a flood in homes stays a flood ----------------------
@pytest.mark.parametrize(
    "text",
    [
        "air ledeng mati gara2 banjir kemarin, sampai sekarang belum nyala juga",
        "Air PDAM di rumah kami bau lumpur sejak banjir minggu lalu, tidak bisa dipakai masak.",
        "Sudah tiga hari air PDAM tidak mengalir sejak banjir merendam intake di Sungai Sangatta.",
        "Banjir sudah surut tapi air di keran masih keruh kecoklatan, PDAM tolong diperhatikan",
    ],
)
def test_a_water_cut_caused_by_a_flood_is_a_clean_water_complaint(text):
    assert category(text) == "air_bersih"


@pytest.mark.parametrize(
    "text",
    [
        "Banjir merendam ratusan rumah di Sangatta Utara, air setinggi pinggang, warga butuh air bersih.",
        "Banjir setinggi lutut masuk ke rumah warga Teluk Lingga sejak subuh, sumur ikut terendam.",
        "Sampah menyumbat drainase dekat tiang listrik, kalau hujan deras air meluap ke jalan",
    ],
)
def test_a_flood_in_homes_or_streets_stays_a_flood(text):
    assert category(text) == "banjir"


# --- rubbish in a drain is a flood problem; rubbish in a river, or at a dump, is a waste problem -----------------
@pytest.mark.parametrize(
    "text",
    [
        "Saluran air di depan rumah dipenuhi sampah dan belum dibersihkan, baunya sampai ke dalam.",
        "saluran air depan gang penuh sampah plastik, pas hujan airnya gak jalan",
        "Saluran pembuangan di pasar tersumbat sampah, air hujan menggenang berhari-hari.",
    ],
)
def test_rubbish_blocking_a_drain_is_a_flood_problem(text):
    assert category(text) == "banjir"


@pytest.mark.parametrize(
    "text",
    [
        "Sampah menumpuk di Sungai Sangatta dan tersangkut di tiang jembatan, warga minta dibersihkan.",
        "warga buang sampah ke sungai terus, airnya hitam dan bau",
        "Tumpukan sampah di TPS dekat saluran air tidak diangkut seminggu, bau busuk menyengat.",
        "Warga RT 12 mengeluhkan orang yang membuang sampah sembarangan ke saluran air di belakang pasar.",
    ],
)
def test_rubbish_in_a_river_at_a_dump_or_being_dumped_is_a_waste_problem(text):
    assert category(text) == "lingkungan_sampah"


# --- a health centre or school struck by a disaster is the disaster's problem; its own shortages are not ----------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Puskesmas Bengalon kebanjiran, pasien terpaksa dipindahkan ke ruangan lain.", "banjir"),
        ("Ruang kelas SDN 003 Kaubun terendam banjir sejak kemarin, siswa diliburkan.", "banjir"),
        ("Puskesmas Kaubun kekurangan obat dan dokter, pasien dirujuk ke Sangatta.", "kesehatan"),
        ("Banyak warga terserang diare setelah banjir, obat di puskesmas habis.", "kesehatan"),
    ],
)
def test_a_facility_struck_by_a_disaster_against_its_own_shortages(text, expected):
    assert category(text) == expected


# --- the victims of a fire or storm, in shelters or waiting for aid, are a social problem ------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Ratusan korban kebakaran di Desa Sepaso masih tinggal di tenda pengungsian karena rumah mereka ludes.",
        "Korban puting beliung di Sandaran masih tinggal di tenda, rumahnya belum diperbaiki.",
        "Korban longsor di Desa Batu Lepoq sudah dua minggu mengungsi dan belum mendapat bantuan logistik.",
    ],
)
def test_victims_waiting_for_shelter_or_aid_are_a_social_problem(text):
    assert category(text) == "sosial"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kebakaran hebat melanda permukiman di Sangatta Utara, api merembet ke rumah tetangga, warga mengungsi.",
            "kebakaran",
        ),
        ("Dua rumah tertimbun longsor tadi malam, satu korban longsor masih dicari tim SAR.", "bencana_alam"),
    ],
)
def test_the_disaster_itself_going_on_keeps_its_category(text, expected):
    assert category(text) == expected


# --- a river bank (tanggul) that gives way is a flood; a mine's waste pond wall is a waste problem -----------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tanggul di Sungai Sangatta jebol, air mulai masuk ke permukiman warga.", "banjir"),
        ("tanggul depan kampung bocor, air sungai rembes ke jalan", "banjir"),
        ("Warga khawatir tanggul kolam limbah tambang retak dan bisa jebol saat hujan.", "lingkungan_sampah"),
    ],
)
def test_a_river_bank_giving_way_against_a_waste_pond(text, expected):
    assert category(text) == expected


# --- a road under water is a flood report, wherever the road leads; potholes hidden by puddles stay the road's ----
@pytest.mark.parametrize(
    "text",
    [
        "Hujan dari subuh, jalan masuk gang kami jadi sungai",
        "jalan menuju pasar tergenang parah, pedagang ngeluh pembeli sepi",
        "Genangan air di underpass tidak surut berjam-jam, lalu lintas macet total.",
        "Hujan sebentar saja jalan depan sekolah langsung tergenang, anak-anak basah kuyup ke kelas.",
    ],
)
def test_a_road_under_water_is_a_flood_report(text):
    assert category(text) == "banjir"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jalan berlubang di depan Pasar Induk tertutup genangan air, sudah banyak pengendara jatuh.",
            "jalan_jembatan",
        ),
        ("Kemacetan panjang di simpang empat setiap jam pulang kantor, lampu lalu lintas sering mati.", "transportasi"),
        ("Atap ruang kelas SDN 005 Bengalon bocor dan plafonnya jebol, siswa belajar di lantai.", "pendidikan"),
    ],
)
def test_potholes_traffic_and_schools_keep_their_own_categories(text, expected):
    assert category(text) == expected


# --- during a flood, a school is a shelter and clean water an evacuees' need; a PLN line or substation is PLN's ----
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Air sudah sedada di perumahan kami dan terus naik, warga mengungsi ke gedung SD terdekat.", "banjir"),
        ("Ratusan pengungsi di posko masih butuh air bersih dan selimut karena banjir belum juga surut.", "banjir"),
        (
            "Trafo PLN di ujung gang meledak dan terbakar malam ini, listrik satu kampung mati, petugas belum datang.",
            "listrik",
        ),
        ("kabel tegangan tinggi putus menjuntai di jalan depan pasar, bahaya bgt, PLN tolong cepat", "listrik"),
        (
            "Tanah di lereng belakang rumah kami terus bergerak sejak hujan semalam, lantai dan dinding mulai retak.",
            "bencana_alam",
        ),
    ],
)
def test_what_a_disaster_report_is_about(text, expected):
    assert category(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pohon besar tumbang menimpa kabel listrik di jalan poros, listrik padam dan jalan tertutup total.",
            "bencana_alam",
        ),
        (
            "Kebakaran melanda gudang di dekat gardu listrik, api cepat membesar dan merembet ke rumah warga.",
            "kebakaran",
        ),
        ("Atap SD 007 bocor dan dindingnya retak, siswa belajar di teras.", "pendidikan"),
        ("Harga sembako di pasar Sangatta terus naik, warga mengeluh tidak sanggup beli.", "lainnya"),
    ],
)
def test_a_fallen_tree_a_spreading_fire_and_a_school_building_keep_their_categories(text, expected):
    assert category(text) == expected

# ruff: noqa: E501  (sentences of sample posts read better unbroken)
"""The words of the bundled sample: written for this project, about Kutim, in the way people post.

Read by `tools.sample_build`, which turns them into each platform's raw payloads under
data/sample/. Every incident is one real-world problem in one place, told by several people;
`emergency` marks those that need a response now. Nothing here is a real person's post.
"""

from __future__ import annotations

# (key, category, kecamatan, desa, emergency, texts)
INCIDENTS: list[tuple[str, str, str, str | None, bool, list[str]]] = [
    (
        "swarga_bara_road",
        "jalan_jembatan",
        "Sangatta Utara",
        "Swarga Bara",
        False,
        [
            "Jalan poros Swarga Bara rusak parah, lubangnya sedalam lutut depan SD 010. Tiap hari anak sekolah lewat sini 😢 @PemkabKutim @pupr_kutim tolong diperbaiki",
            "Sudah 3 bulan jalan di Swarga Bara berlubang, kemarin ada ibu-ibu jatuh dari motor. Kapan diperbaiki pak? #kutim #sangatta",
            "min @PemkabKutim jalan Swarga Bara dekat simpang masjid itu lubangnya makin besar, kalau hujan jadi kolam 🙏",
            "Lewat Swarga Bara tadi pagi ban motor saya pecah gara2 lubang jalan. Mohon Dinas PUPR Kutim turun cek lokasi",
            "Warga Swarga Bara sudah gotong royong timbun lubang pakai batu, tapi truk lewat rusak lagi. Perlu aspal, bukan tambal sulam",
            "JALAN SWARGA BARA RUSAK PARAH!!! tolong pak bupati lihat sendiri 😡😡 #kutaitimur",
            "Jalan rusak di Swarga Bara Sangatta Utara ini bahaya kalau malam, tidak ada lampu dan lubang tidak kelihatan",
            "Kondisi jalan Swarga Bara hari ini, lumpur dan lubang di mana-mana. Anak sekolah sampai harus jalan kaki 📷",
        ],
    ),
    (
        "teluk_lingga_yos",
        "jalan_jembatan",
        "Sangatta Utara",
        "Teluk Lingga",
        False,
        [
            "Jl. Yos Sudarso 2 Teluk Lingga berlubang dari depan pasar sampai simpang. Sudah lapor ke RT tapi belum ada tindakan",
            "Tolong @pupr_kutim jalan Yos Sudarso II Sangatta banyak lubang, mobil pada zig-zag menghindar, rawan tabrakan",
            "Jalan Yos Sudarso 2 rusak lagi padahal baru ditambal bulan lalu. Kualitas pekerjaannya gimana ini?",
            "lubang di yos sudarso 2 depan ruko makin dalam, semalam ada yang jatuh 🤕 #sangatta",
        ],
    ),
    (
        "sepaso_bridge",
        "jalan_jembatan",
        "Bengalon",
        "Sepaso",
        True,
        [
            "DARURAT: jembatan kayu di Desa Sepaso Bengalon ambruk pagi ini, warga tidak bisa menyeberang ke sekolah dan kebun. Mohon BPBD dan PUPR segera 🙏",
            "Jembatan Sepaso putus, motor tidak bisa lewat sama sekali. Anak-anak terpaksa tidak sekolah hari ini #bengalon #kutim",
            "Info: jembatan penghubung RT 05 dan RT 07 Sepaso Bengalon runtuh, untung tidak ada korban. Warga minta jembatan darurat",
            "Sudah lama kami minta jembatan Sepaso diganti beton, sekarang benar-benar ambruk. @PemkabKutim mohon perhatiannya",
        ],
    ),
    (
        "pulung_sari_mud",
        "jalan_jembatan",
        "Rantau Pulung",
        "Pulung Sari",
        False,
        [
            "Jalan poros Pulung Sari Rantau Pulung kayak kubangan kerbau kalau hujan, truk sawit pada terjebak lumpur",
            "Warga Pulung Sari sudah bertahun-tahun minta jalan disemenisasi, tiap musim hujan lumpur setinggi betis",
            "Pak @PemkabKutim tolong jalan Rantau Pulung ke Sangatta, hasil panen warga susah keluar karena jalan berlumpur",
            "Mobil ambulans desa sampai tidak bisa lewat jalan Pulung Sari kemarin, pasien harus ditandu. Ini serius 😔",
        ],
    ),
    (
        "jl_pendidikan_selatan",
        "jalan_jembatan",
        "Sangatta Selatan",
        "Singa Geweh",
        False,
        [
            "Jalan Pendidikan di Singa Geweh Sangatta Selatan rusak, aspal mengelupas dan berlubang depan SMP",
            "Mohon perbaikan Jl. Pendidikan Singa Geweh, tiap pagi macet karena mobil antar anak menghindari lubang",
            "Jalan Pendidikan Sangatta Selatan berlubang besar dekat gerbang sekolah, bahaya buat anak2",
        ],
    ),
    (
        "jl_pendidikan_utara",
        "jalan_jembatan",
        "Sangatta Utara",
        "Teluk Lingga",
        False,
        [
            "Jalan Pendidikan Teluk Lingga Sangatta Utara drainasenya tersumbat, air menggenang dan jalan jadi rusak",
            "Di Jl. Pendidikan Teluk Lingga gorong-gorong ambles, separuh badan jalan sudah turun. Mohon dicek PUPR",
        ],
    ),
    (
        "pdam_teluk_lingga",
        "air_bersih",
        "Sangatta Utara",
        "Teluk Lingga",
        False,
        [
            "Air PDAM mati sudah 4 hari di Teluk Lingga, kami mandi pakai air galon 😭 @pdamkutim tolong infonya",
            "PDAM Tirta Tuah Benua ini gimana, air tidak mengalir sejak Kamis di Gang Sepakat Teluk Lingga. Tagihan tetap jalan",
            "Sudah hari keempat air PDAM tidak keluar di Teluk Lingga. Tidak ada pemberitahuan sama sekali",
            "Ada yang tau kenapa air PDAM mati di Sangatta Utara? Daerah Teluk Lingga kering total dari kemarin",
            "Air mati lagi di Teluk Lingga 😤 anak mau sekolah tidak bisa mandi. Mohon PDAM kirim mobil tangki",
            "Keluhan warga Teluk Lingga: air PDAM mati 4 hari, beli air tandon 150rb sekali isi. Mohon solusi",
            "pdam teluk lingga mati lagi min, kapan normal?? #sangatta",
        ],
    ),
    (
        "pdam_keruh_selatan",
        "air_bersih",
        "Sangatta Selatan",
        "Singa Geweh",
        False,
        [
            "Air PDAM di Singa Geweh keruh kuning dan bau lumpur, tidak bisa dipakai masak. Sudah seminggu begini",
            "Airnya PDAM Sangatta Selatan kok kayak air teh susu 🤢 mohon dicek kualitasnya",
            "Warga Singa Geweh mengeluh air PDAM berwarna coklat, bak mandi sampai berendapan lumpur",
            "Tolong @pdamkutim air di Sangatta Selatan keruh sekali, anak saya gatal-gatal setelah mandi",
        ],
    ),
    (
        "air_kaliorang",
        "air_bersih",
        "Kaliorang",
        "Bukit Makmur",
        False,
        [
            "Warga Bukit Makmur Kaliorang belum pernah dapat sambungan air bersih, masih pakai air hujan dan sumur",
            "Jaringan pipa air bersih di Kaliorang sudah dipasang dari tahun lalu tapi airnya belum pernah mengalir",
            "Musim kemarau warga Bukit Makmur beli air jerigen, pipa PDAM cuma pajangan. Mohon perhatian",
        ],
    ),
    (
        "banjir_sangatta_utara",
        "banjir",
        "Sangatta Utara",
        "Singa Gembara",
        True,
        [
            "BANJIR! Hujan deras sejak subuh, air masuk rumah warga Singa Gembara setinggi paha. Ada lansia butuh evakuasi @bpbdkutim",
            "Banjir lagi di Sangatta Utara, Gang Sepakat dan sekitarnya terendam 70 cm. Mohon perahu karet untuk evakuasi warga",
            "Air sungai Sangatta meluap, rumah di Singa Gembara terendam, barang-barang tidak sempat diselamatkan 😭 #banjirsangatta",
            "Update banjir Singa Gembara: air terus naik, listrik sudah dipadamkan. Warga mengungsi ke masjid",
            "Tolong BPBD Kutim, di RT 12 Singa Gembara ada ibu hamil terjebak banjir, air sudah sepinggang",
            "Banjir setinggi dada di Jl. Sangatta Utara dekat Singa Gembara, mobil tidak bisa lewat #kutim #banjir",
            "Posko banjir Singa Gembara butuh makanan siap saji dan selimut, pengungsi sudah 40 KK",
        ],
    ),
    (
        "banjir_wahau",
        "banjir",
        "Muara Wahau",
        "Wanasari",
        True,
        [
            "Sungai Wahau meluap, Desa Wanasari terendam banjir sejak tadi malam. Warga butuh bantuan logistik",
            "Banjir di Muara Wahau, air masuk rumah sampai 1 meter di Wanasari. Akses jalan terputus",
            "Mohon BPBD Kutim kirim perahu ke Wanasari Muara Wahau, ada warga bertahan di atap rumah 🙏🙏",
            "Banjir Muara Wahau makin parah, sekolah diliburkan dan warga mengungsi ke balai desa",
        ],
    ),
    (
        "genangan_selatan",
        "banjir",
        "Sangatta Selatan",
        "Sangatta Selatan",
        False,
        [
            "Setiap hujan 1 jam saja depan pasar Sangatta Selatan langsung tergenang, drainase tersumbat sampah",
            "Genangan di jalan Sangatta Selatan tidak pernah surut, parit tertutup bangunan ruko. Mohon ditertibkan",
            "Drainase Sangatta Selatan mampet, air meluap ke jalan tiap hujan. Kapan dinormalisasi?",
        ],
    ),
    (
        "pln_bengalon",
        "listrik",
        "Bengalon",
        "Sepaso Timur",
        False,
        [
            "Listrik padam lagi di Sepaso Timur Bengalon, sehari bisa 3 kali mati. Kulkas warga pada rusak @PLN123",
            "PLN Bengalon tolong, mati lampu dari jam 6 sore sampai sekarang belum nyala. Anak-anak mau belajar",
            "Pemadaman listrik tanpa pemberitahuan di Bengalon sudah seminggu tiap malam. UMKM es batu rugi besar",
            "Listrik byar pet di Sepaso Timur 😤 tolong PLN ULP Sangatta jelaskan ke warga",
            "Mati listrik terus di Bengalon, barang elektronik rusak. Siapa yang mau ganti rugi?",
        ],
    ),
    (
        "pju_soekarno_hatta",
        "listrik",
        "Sangatta Utara",
        "Singa Gembara",
        False,
        [
            "Lampu jalan di Jl. Soekarno Hatta Singa Gembara mati semua sepanjang 1 km, gelap gulita dan rawan begal",
            "PJU Jalan Soekarno-Hatta Sangatta sudah 2 bulan mati, mohon Dishub/PUPR ganti lampunya",
            "Malam lewat Soekarno Hatta Sangatta serem, lampu jalan mati semua. Kemarin ada yang kena jambret",
        ],
    ),
    (
        "pln_maloy",
        "listrik",
        "Sangkulirang",
        "Maloy",
        False,
        [
            "Listrik di Desa Maloy Sangkulirang cuma nyala malam hari, siang mati. Kapan 24 jam?",
            "Warga Maloy minta listrik PLN 24 jam, kawasan industri ada tapi desa masih gelap",
        ],
    ),
    (
        "limbah_sungai_sangatta",
        "lingkungan_sampah",
        "Sangatta Utara",
        "Swarga Bara",
        False,
        [
            "Air Sungai Sangatta di Swarga Bara berubah warna jadi oranye, diduga limbah tambang batubara. Ikan banyak mati 🐟",
            "Ikan mati mengapung di Sungai Sangatta, warga Swarga Bara curiga ada limbah tambang yang dibuang. @dlhkutim tolong cek",
            "Sungai dekat Swarga Bara bau dan berminyak sejak 2 hari, warga takut pakai airnya. Mohon DLH Kutim uji sampel",
            "Nelayan sungai di Sangatta Utara mengeluh ikan mati massal setelah hujan, diduga limpasan kolam tambang",
            "Limbah tambang cemari Sungai Sangatta lagi? Warna airnya tidak wajar. Dinas Lingkungan Hidup mohon turun",
        ],
    ),
    (
        "sampah_singa_gembara",
        "lingkungan_sampah",
        "Sangatta Utara",
        "Singa Gembara",
        False,
        [
            "Sampah di TPS Jl. Ilham Maulana Singa Gembara menumpuk sampai ke badan jalan, bau busuk dan banyak lalat",
            "Sudah seminggu sampah tidak diangkut di Singa Gembara, tumpukannya setinggi orang dewasa 🤮 @dlhkutim",
            "TPS Singa Gembara penuh, warga terpaksa bakar sampah. Asapnya masuk rumah, anak batuk-batuk",
            "Mohon truk sampah DLH Kutim rutin angkut di Singa Gembara, sudah jadi sarang tikus",
        ],
    ),
    (
        "limbah_sawit_kaubun",
        "lingkungan_sampah",
        "Kaubun",
        "Bumi Etam",
        False,
        [
            "Limbah pabrik sawit mengalir ke sungai di Bumi Etam Kaubun, air hitam dan bau menyengat",
            "Warga Bumi Etam protes limbah PKS sawit yang mencemari sungai, air tidak bisa dipakai mandi lagi",
            "Sungai Kaubun tercemar limbah sawit, ikan keramba warga mati. Mohon DLH tindak tegas perusahaan",
        ],
    ),
    (
        "kebakaran_teluk_lingga",
        "kebakaran",
        "Sangatta Utara",
        "Teluk Lingga",
        True,
        [
            "KEBAKARAN di Teluk Lingga! 3 rumah terbakar di Gang Mawar, api masih besar. Damkar tolong cepat 🔥🔥",
            "Kebakaran rumah di Teluk Lingga Sangatta Utara, asap hitam terlihat dari jauh. Warga panik, mohon bantuan damkar",
            "Info kebakaran: Gang Mawar Teluk Lingga, 3 unit rumah kayu hangus. Belum ada info korban #kutim",
            "Api sudah padam di Teluk Lingga, 5 KK kehilangan rumah. Mohon bantuan pakaian dan makanan untuk korban kebakaran",
            "Rumah tetangga saya terbakar di Teluk Lingga, hydrant tidak ada air. Damkar datang 30 menit kemudian 😢",
        ],
    ),
    (
        "karhutla_kandolo",
        "kebakaran",
        "Teluk Pandan",
        "Kandolo",
        True,
        [
            "Kebakaran lahan di Kandolo Teluk Pandan makin meluas, asap tebal sampai ke jalan poros Bontang-Sangatta",
            "Karhutla di Teluk Pandan, api dekat permukiman warga Kandolo. Mohon BPBD dan Manggala Agni segera",
            "Asap karhutla Kandolo bikin sesak, jarak pandang di jalan poros tinggal 50 meter. Hati-hati yang lewat",
        ],
    ),
    (
        "rsud_kudungga",
        "kesehatan",
        "Sangatta Utara",
        "Swarga Bara",
        False,
        [
            "Antre di poli RSUD Kudungga dari jam 7 pagi, jam 1 siang belum dipanggil. Pasien lansia sampai pingsan",
            "Obat di apotek RSUD Kudungga kosong lagi, pasien BPJS disuruh beli di luar. Ini gimana @rsudkudungga",
            "Pelayanan IGD RSUD Kudungga lambat, keluarga saya menunggu 3 jam belum ditangani dokter",
            "Pendaftaran online RSUD Kudungga tidak bisa diakses sejak minggu lalu, terpaksa antre manual subuh-subuh",
            "Mohon manajemen RSUD Kudungga Sangatta tambah loket pendaftaran, antrean mengular sampai parkiran",
        ],
    ),
    (
        "puskesmas_ancalong",
        "kesehatan",
        "Muara Ancalong",
        "Kelinjau Ulu",
        False,
        [
            "Puskesmas Muara Ancalong sering tutup siang, dokter jarang ada. Warga Kelinjau Ulu harus ke Sangatta",
            "Tolong Dinkes Kutim, Puskesmas di Muara Ancalong tidak ada dokter sudah sebulan, cuma perawat",
        ],
    ),
    (
        "dbd_selatan",
        "kesehatan",
        "Sangatta Selatan",
        "Sangatta Selatan",
        False,
        [
            "Kasus DBD di Sangatta Selatan naik, di RT kami sudah 4 anak dirawat. Mohon Dinkes lakukan fogging",
            "Anak tetangga meninggal karena DBD di Sangatta Selatan 😢 kami minta fogging dan PSN serentak",
            "Nyamuk banyak sekali di Sangatta Selatan, sudah banyak yang kena demam berdarah. Fogging kapan?",
        ],
    ),
    (
        "sd_kaubun",
        "pendidikan",
        "Kaubun",
        "Bumi Rapak",
        False,
        [
            "Atap SD di Bumi Rapak Kaubun bocor parah, kalau hujan murid belajar sambil pegang payung ☔",
            "Ruang kelas SDN Bumi Rapak hampir roboh, plafon sudah jatuh sebagian. Mohon Disdikbud Kutim segera rehab",
            "Anak-anak SD di Kaubun belajar di ruang kelas rusak, kursi dan meja kurang. Sedih lihatnya",
        ],
    ),
    (
        "guru_sandaran",
        "pendidikan",
        "Sandaran",
        "Manubar",
        False,
        [
            "Guru honorer di Sandaran belum terima insentif 4 bulan. Mereka tetap mengajar di pelosok Manubar",
            "Sekolah di Manubar Sandaran kekurangan guru, satu guru pegang tiga kelas sekaligus",
        ],
    ),
    (
        "ktp_disdukcapil",
        "adminduk",
        "Sangatta Utara",
        None,
        False,
        [
            "Rekam KTP-el di Disdukcapil Kutim disuruh balik minggu depan, katanya blanko habis. Sudah 3 kali bolak-balik",
            "Blanko KTP kosong lagi di Disdukcapil Sangatta, cuma dapat surat keterangan. Mau urus bank jadi susah",
            "Antre di Disdukcapil Kutim dari subuh, nomor antrean habis jam 8. Kenapa tidak pakai antrean online?",
            "KK saya sudah 2 bulan belum jadi di Disdukcapil Kutim, padahal syarat lengkap. Mohon dicek @dukcapilkutim",
        ],
    ),
    (
        "akta_bengkal",
        "adminduk",
        "Muara Bengkal",
        "Muara Bengkal Ilir",
        False,
        [
            "Urus akta kelahiran dari Muara Bengkal harus ke Sangatta, jauh dan mahal. Mohon ada layanan jemput bola",
            "Warga Muara Bengkal Ilir minta pelayanan Disdukcapil keliling, banyak anak belum punya akta",
        ],
    ),
    (
        "bansos_kombeng",
        "sosial",
        "Kombeng",
        "Sukamaju",
        False,
        [
            "BLT Dana Desa di Sukamaju Kombeng tidak tepat sasaran, yang punya mobil dapat, janda tua malah tidak",
            "Bansos sembako di Kombeng belum dibagikan padahal sudah diumumkan bulan lalu. Ke mana barangnya?",
            "Mohon Dinsos Kutim cek data penerima bansos di Sukamaju, banyak warga miskin tidak terdaftar DTKS",
        ],
    ),
    (
        "buaya_kajang",
        "ketertiban_keamanan",
        "Sangatta Utara",
        "Sangatta Utara",
        True,
        [
            "Awas! Buaya muncul di Sungai Sangatta dekat pemukiman Kampung Kajang, warga jangan mandi di sungai 🐊",
            "Buaya sepanjang 3 meter terlihat di tepi Sungai Sangatta, Desa Sangatta Utara. Mohon BKSDA dan Damkar tangkap",
            "Anak-anak sering main di sungai Kajang Sangatta Utara, sekarang ada buaya berkeliaran. Bahaya sekali",
            "Warga Sangatta Utara resah buaya muncul lagi di sungai, kemarin kambing warga diterkam",
        ],
    ),
    (
        "beruang_batu_ampar",
        "ketertiban_keamanan",
        "Batu Ampar",
        "Mawai Indah",
        False,
        [
            "Beruang madu masuk kebun warga di Mawai Indah Batu Ampar, tanaman rusak dan warga takut ke ladang",
            "Warga Batu Ampar minta BKSDA evakuasi beruang yang sering masuk permukiman malam hari",
        ],
    ),
    (
        "balap_liar",
        "ketertiban_keamanan",
        "Sangatta Utara",
        "Teluk Lingga",
        False,
        [
            "Balap liar tiap malam minggu di Jl. APT Pranoto Sangatta, suara knalpot brong sampai jam 3 pagi. Polisi mana?",
            "Mohon Polres Kutim tertibkan balap liar di APT Pranoto, warga tidak bisa tidur dan sudah ada yang tertabrak",
        ],
    ),
    (
        "kecelakaan_poros_bengalon",
        "transportasi",
        "Bengalon",
        "Tepian Langsat",
        True,
        [
            "Kecelakaan truk batubara vs motor di jalan poros Sangatta-Bengalon KM 20 Tepian Langsat, pengendara motor luka parah. Ambulans segera!",
            "Laka lantas di Tepian Langsat Bengalon, 2 korban dibawa ke puskesmas. Jalan macet panjang",
            "Lagi-lagi truk tambang ugal-ugalan di poros Bengalon, tadi pagi tabrak motor warga Tepian Langsat 😡 Dishub mana?",
            "Mohon Dishub dan Polres Kutim atur jam operasional truk batubara di jalan poros Bengalon, sudah banyak korban",
            "Korban kecelakaan di Tepian Langsat butuh darah golongan O, dirawat di RSUD Kudungga. Yang bisa donor mohon bantu",
        ],
    ),
    (
        "parkir_pasar",
        "transportasi",
        "Sangatta Utara",
        "Teluk Lingga",
        False,
        [
            "Parkir liar depan Pasar Induk Sangatta bikin macet, jukir minta 5 ribu tanpa karcis",
            "Tolong Dishub Kutim tertibkan parkir di Pasar Induk Sangatta, mobil parkir dua lapis sampai ke jalan",
        ],
    ),
    (
        "longsor_sangkima",
        "bencana_alam",
        "Sangatta Selatan",
        "Sangkima",
        True,
        [
            "Longsor di jalan poros Sangatta-Bontang dekat Sangkima, separuh jalan tertutup tanah. Kendaraan antre panjang",
            "Tanah longsor tutup jalan Sangkima Sangatta Selatan, mobil tidak bisa lewat. Mohon alat berat segera",
            "Hati-hati yang lewat Sangkima, ada longsor dan jalan amblas. Sudah ada motor yang jatuh",
        ],
    ),
    (
        "abrasi_sandaran",
        "bencana_alam",
        "Sandaran",
        "Tanjung Mangkaliat",
        False,
        [
            "Abrasi pantai di Tanjung Mangkaliat Sandaran makin parah, 3 rumah warga sudah miring ke laut",
            "Warga Tanjung Mangkaliat minta dibangun tanggul pemecah ombak, abrasi sudah makan 20 meter daratan",
        ],
    ),
    (
        "anak_hilang_telen",
        "ketertiban_keamanan",
        "Telen",
        "Long Segar",
        True,
        [
            "Mohon bantuan, anak usia 9 tahun hilang saat mandi di Sungai Telen Desa Long Segar sejak sore tadi. Tim SAR dan BPBD mohon bantu pencarian",
            "Pencarian anak tenggelam di Sungai Telen Long Segar masih berlangsung, warga dan Basarnas menyisir sungai",
        ],
    ),
    (
        "kantor_camat",
        "lainnya",
        "Rantau Pulung",
        "Pulung Sari",
        False,
        [
            "Pelayanan di kantor camat Rantau Pulung lambat, urus surat pindah sudah seminggu belum selesai",
            "Kantor Camat Rantau Pulung sering kosong jam 2 siang, warga datang jauh-jauh tidak dilayani",
        ],
    ),
]

# Places outside Kutim: complaints that belong to another kabupaten/kota (in_kutim false).
OUTSIDE: list[tuple[str, str, list[str]]] = [
    (
        "Bontang",
        "jalan_jembatan",
        [
            "Jalan di Bontang Kuala berlubang dan tergenang, pemkot Bontang tolong perbaiki",
            "Jl. Ahmad Yani Bontang rusak lagi, tiap pagi macet dekat Simpang Ramayana",
        ],
    ),
    (
        "Bontang",
        "banjir",
        [
            "Banjir di Bontang Baru setelah hujan 2 jam, air masuk rumah warga #bontang",
            "Banjir lagi di Kota Bontang, Jl. Imam Bonjol terendam 50 cm",
        ],
    ),
    (
        "Samarinda",
        "banjir",
        [
            "Samarinda banjir lagi, Jl. DI Panjaitan lumpuh total 😩 #samarinda",
            "Simpang Sempaja Samarinda terendam, motor pada mogok. Kapan Samarinda bebas banjir?",
            "Banjir Samarinda di Jl. Pemuda setinggi lutut, warga minta pemkot normalisasi SKM",
        ],
    ),
    (
        "Kutai Kartanegara",
        "air_bersih",
        [
            "PDAM Tenggarong mati sudah 2 hari, warga Kukar kesulitan air bersih",
            "Air PDAM Tenggarong Seberang keruh, mohon Perumdam Tirta Mahakam cek #kukar",
        ],
    ),
    (
        "Berau",
        "listrik",
        [
            "Listrik padam di Tanjung Redeb Berau dari sore, PLN Berau mohon infonya",
            "Pemadaman bergilir di Berau bikin usaha warga rugi, tolong PLN UP3 Berau",
        ],
    ),
    (
        "Kotawaringin Timur",
        "kebakaran",
        [
            "Kebakaran lahan di Sampit Kotim meluas, asap sampai ke kota. #kotim",
            "Karhutla di Kotawaringin Timur, warga Sampit mulai terganggu asap",
        ],
    ),
    (
        "Kutai Barat",
        "jalan_jembatan",
        [
            "Jalan poros Melak-Barong Tongkok Kutai Barat rusak berat, truk terguling kemarin",
        ],
    ),
    (
        "Bontang",
        "kebakaran",
        [
            "Kebakaran di Loktuan Bontang, 2 rumah panggung hangus terbakar",
        ],
    ),
    (
        "Samarinda",
        "jalan_jembatan",
        [
            "Lubang besar di Jl. Juanda Samarinda, sudah dua pengendara jatuh minggu ini",
        ],
    ),
]

# Not complaints: announcements, ceremonies, finished projects, promotions, chit-chat.
NON_COMPLAINTS: list[tuple[str, str]] = [
    (
        "agency",
        "Upacara peringatan Hari Pahlawan 10 November di halaman Kantor Bupati Kutim berlangsung khidmat. Terima kasih para pahlawan 🇮🇩",
    ),
    (
        "agency",
        "Pemkab Kutim menggelar rapat paripurna pembahasan Rancangan APBD Tahun Anggaran 2027 bersama DPRD Kutim",
    ),
    (
        "agency",
        "Peresmian jalan semenisasi Desa Sukamaju Kombeng sepanjang 2 km telah rampung dan bisa digunakan warga",
    ),
    (
        "agency",
        "Jadwal pelayanan Disdukcapil Kutim keliling pekan ini: Senin Bengalon, Rabu Kaliorang, Jumat Sangkulirang. Bawa KK asli",
    ),
    (
        "agency",
        "PDAM Tirta Tuah Benua menginformasikan perbaikan pipa transmisi selesai, distribusi air Sangatta Utara berangsur normal",
    ),
    (
        "agency",
        "BPBD Kutim mengimbau warga di bantaran Sungai Sangatta waspada potensi banjir karena curah hujan tinggi sepekan ke depan",
    ),
    (
        "agency",
        "Dinas Kesehatan Kutim membuka layanan imunisasi anak gratis di seluruh puskesmas mulai Senin",
    ),
    (
        "agency",
        "Pembukaan MTQ tingkat Kabupaten Kutai Timur di Sangatta berlangsung meriah, diikuti 18 kecamatan",
    ),
    (
        "agency",
        "Diskominfo Staper Kutim: layanan pengaduan Omni Channel bisa lewat WhatsApp, Instagram dan Facebook resmi Pemkab",
    ),
    ("agency", "Bupati Kutim menyerahkan bantuan alat tangkap kepada kelompok nelayan Sangkulirang"),
    (
        "agency",
        "Dishub Kutim menggelar uji KIR gratis untuk angkutan pedesaan pekan ini di terminal Sangatta",
    ),
    ("agency", "Rakor penanganan stunting Kabupaten Kutai Timur diikuti seluruh kepala puskesmas dan camat"),
    ("agency", "Pelantikan pejabat administrator dan pengawas di lingkungan Pemkab Kutai Timur hari ini"),
    (
        "agency",
        "DLH Kutim mengajak warga ikut aksi bersih sungai Sangatta hari Minggu pagi, titik kumpul di Taman Bersemi",
    ),
    ("agency", "Satpol PP Kutim melaksanakan apel siaga menjelang akhir tahun di halaman kantor Satpol PP"),
    ("agency", "Polres Kutim gelar Operasi Zebra Mahakam, tertib berlalu lintas demi keselamatan bersama"),
    ("agency", "RSUD Kudungga kini melayani pendaftaran poli lewat aplikasi, unduh di Play Store"),
    ("agency", "Penyaluran BLT Dana Desa tahap IV di Kecamatan Kaubun berjalan lancar dan tertib"),
    ("agency", "Pemkab Kutim raih penghargaan Kabupaten Layak Anak kategori Madya tahun 2026"),
    (
        "agency",
        "Gerakan Pangan Murah digelar Dinas Ketahanan Pangan Kutim di Lapangan Helipad Sangatta, beras mulai 11 ribu/kg",
    ),
    ("agency", "Sosialisasi pencegahan karhutla kepada masyarakat Teluk Pandan oleh BPBD dan Manggala Agni"),
    (
        "agency",
        "PLN ULP Sangatta menginformasikan pemeliharaan jaringan hari Kamis pukul 09.00-14.00 WITA di sebagian Sangatta Utara",
    ),
    ("agency", "Festival Budaya Wehea di Muara Wahau resmi dibuka, pengunjung dari berbagai daerah hadir"),
    ("agency", "Penandatanganan MoU Pemkab Kutim dengan perguruan tinggi untuk beasiswa anak daerah"),
    (
        "agency",
        "Selamat memperingati Hari Kesehatan Nasional ke-62, 12 November 2026. Sehat negeriku, sehat Kutimku",
    ),
    ("citizen", "Alhamdulillah jalan ke kebun di Rantau Pulung sekarang sudah mulus, terima kasih pemkab 🙏"),
    ("citizen", "Sunset di Pantai Teluk Lombok Sangatta cantik banget sore ini 🌅 #kutim #explorekutim"),
    ("citizen", "Dijual rumah type 45 di Sangatta Utara dekat Jl. Pendidikan, SHM, harga nego. DM ya"),
    ("citizen", "Open PO amplang dan kerupuk ikan khas Sangkulirang, kirim ke seluruh Kutim 🐟 #umkmkutim"),
    ("citizen", "Lowongan kerja admin toko di Sangatta Selatan, minimal SMA, kirim CV via WA"),
    ("citizen", "Ada yang tahu jadwal pendaftaran CPNS Kutim tahun ini kapan dibuka?"),
    (
        "citizen",
        "Kuliner malam di Taman Bersemi Sangatta rame banget, nasi kuning sama es pisang ijo mantap 😋",
    ),
    ("citizen", "Selamat hari ulang tahun buat sahabatku di Bengalon, semoga sehat selalu 🎂"),
    ("citizen", "Nonton bareng final sepak bola antar kecamatan di stadion Kudungga malam ini, seru!"),
    ("citizen", "Terima kasih petugas Damkar Kutim yang sigap padamkan api kemarin, kalian luar biasa 👏"),
    ("citizen", "Promo ayam geprek beli 2 gratis 1 khusus hari Jumat di Jl. Yos Sudarso Sangatta 🍗"),
    ("citizen", "Pagi yang cerah di Sangatta, semangat kerja semuanya ☀️"),
    ("citizen", "Info les privat matematika SD-SMP area Sangatta Utara, guru berpengalaman"),
    ("citizen", "Mohon info, jam buka layanan Samsat Sangatta hari Sabtu sampai jam berapa ya?"),
    ("citizen", "Hasil panen sawit bulan ini lumayan, harga TBS di Kaubun naik 🌴"),
]

# Reactions people write when quoting someone else's complaint (quote posts).
QUOTE_REACTIONS = [
    "Betul sekali, di tempat saya juga sama 😤",
    "Ini sudah lama sekali, tolong ditindaklanjuti",
    "Up! Biar dilihat pemkab",
    "Saksi mata, memang parah kondisinya",
    "Bantu viralkan 🙏",
    "Semoga cepat ditangani",
]

# WhatsApp messages sent to the service's own number: short, direct, sometimes with location.
WA_OPENERS = [
    "Selamat pagi admin,",
    "Assalamualaikum min,",
    "Permisi pak,",
    "Halo Kutim Siaga,",
    "Sore min,",
    "",
]
WA_CLOSERS = ["Terima kasih 🙏", "Mohon ditindaklanjuti.", "Tolong dibantu ya min.", "", "Makasih."]

"""The team's labelled examples: posts in the styles of X, Facebook comments, Instagram captions, WhatsApp
messages and local news, over the 14 categories, emergencies and non-complaints.

Deterministic (fixed seed). Every phrase pool is split in two: the training set is written only from one
part, the dev set only from the other, so dev measures phrasing the model has never seen; the dev set
also gets the hand-written `dev_handwritten*.jsonl` and `dev_blind*.jsonl` files. `HARD_CASES` adds the
pairs that are easy to confuse (acute vs chronic, aftermath, category borders), split the same way. Run
`python -m tools.datagen` (from the repository) to rewrite nlp/data/train.jsonl and nlp/data/dev.jsonl;
`siaga train` then retrains nlp/model from them. Tooling: the runtime never imports this module.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nlp import regions

DATA_DIR = Path(__file__).resolve().parent.parent / "nlp" / "data"
SEED = 20261123
N_TRAIN = 2600
N_DEV = 500

# ---------------------------------------------------------------------------------------------------
# Problems per category: (informal core, formal/news core, emergency?). {x} is filled with nothing.
# ---------------------------------------------------------------------------------------------------
PROBLEMS: dict[str, list[tuple[str, str, bool]]] = {
    "jalan_jembatan": [
        ("jalan rusak parah banyak lubang", "jalan rusak parah dan berlubang di sejumlah titik", False),
        (
            "jalannya kayak kubangan kerbau kalo hujan",
            "badan jalan berubah menjadi kubangan lumpur saat hujan",
            False,
        ),
        (
            "aspal udah ngelupas semua, lobang dimana2",
            "aspal mengelupas dan lubang tersebar di sepanjang ruas",
            False,
        ),
        (
            "jembatan kayu udah lapuk, papannya pada bolong",
            "jembatan kayu penghubung antardusun sudah lapuk",
            False,
        ),
        (
            "jalan tanah becek bgt ga bisa lewat motor",
            "jalan tanah berlumpur tidak bisa dilalui kendaraan roda dua",
            False,
        ),
        (
            "jembatan ambruk, anak sekolah ga bisa nyebrang",
            "jembatan penghubung ambruk sehingga warga terisolasi",
            True,
        ),
        (
            "jalan amblas separuh, bahaya bgt malam hari",
            "badan jalan amblas sehingga membahayakan pengendara",
            False,
        ),
        (
            "semenisasi jalan desa retak2 padahal baru setahun",
            "semenisasi jalan desa sudah retak padahal baru dikerjakan",
            False,
        ),
        ("gorong2 jebol jalan jadi putus", "gorong-gorong jebol dan memutus akses jalan", False),
        (
            "jalan poros kayak off road, truk sering terjebak",
            "kondisi jalan poros rusak berat dan truk kerap terjebak",
            False,
        ),
        (
            "lubang besar di tengah jalan blm ditambal2",
            "lubang besar di tengah jalan tak kunjung ditambal",
            False,
        ),
        (
            "jalan tani ke kebun hancur, hasil panen susah diangkut",
            "jalan usaha tani rusak sehingga hasil panen sulit diangkut",
            False,
        ),
        (
            "jembatan gantung miring, talinya udah karatan",
            "jembatan gantung miring dan kabelnya berkarat",
            False,
        ),
        (
            "jalan berdebu parah kalau kemarau, berlubang kalau hujan",
            "jalan berdebu saat kemarau dan berlubang saat musim hujan",
            False,
        ),
    ],
    "banjir": [
        (
            "banjir lagi, air masuk rumah sampai selutut",
            "banjir merendam puluhan rumah warga dengan ketinggian air selutut",
            True,
        ),
        (
            "tiap hujan dikit langsung banjir, drainase mampet",
            "genangan selalu muncul setiap hujan karena drainase tersumbat",
            False,
        ),
        (
            "air sungai meluap, rumah2 terendam, warga ngungsi",
            "sungai meluap dan merendam permukiman, warga mengungsi",
            True,
        ),
        (
            "jalan depan rumah tergenang terus gak surut2",
            "genangan air di jalan lingkungan tidak kunjung surut",
            False,
        ),
        (
            "kebanjiran sepinggang, tolong bantu evakuasi",
            "banjir setinggi pinggang orang dewasa, warga membutuhkan evakuasi",
            True,
        ),
        (
            "parit gak pernah dikeruk jadi banjir tiap hujan",
            "saluran air tidak pernah dinormalisasi sehingga banjir berulang",
            False,
        ),
        (
            "banjir kiriman dari hulu, sekolah diliburkan",
            "banjir kiriman dari hulu merendam sekolah dan rumah warga",
            True,
        ),
        (
            "langganan banjir dari dulu, pemerintah diam aja",
            "kawasan itu langganan banjir sejak bertahun-tahun tanpa penanganan",
            False,
        ),
        (
            "air naik cepet bgt, barang2 gak sempat diselamatkan",
            "air naik dengan cepat dan merendam perabot warga",
            True,
        ),
        (
            "genangan di perumahan udah 3 hari bau",
            "genangan di perumahan bertahan tiga hari dan menimbulkan bau",
            False,
        ),
    ],
    "air_bersih": [
        ("air pdam mati udah 3 hari", "aliran air PDAM terhenti selama tiga hari", False),
        ("air pdam keruh kayak kopi susu", "air PDAM yang mengalir keruh dan berwarna kecoklatan", False),
        (
            "air ngalir cuma tengah malam, itupun kecil",
            "air hanya mengalir pada malam hari dengan debit kecil",
            False,
        ),
        (
            "tagihan air naik tp airnya gak ngalir",
            "tagihan air naik padahal distribusi air tidak lancar",
            False,
        ),
        (
            "pipa pdam bocor dari minggu lalu blm diperbaiki",
            "pipa distribusi PDAM bocor dan belum diperbaiki",
            False,
        ),
        (
            "krisis air bersih, warga beli air tandon",
            "warga mengalami krisis air bersih dan terpaksa membeli air",
            False,
        ),
        ("air bau kaporit parah dan berpasir", "air yang didistribusikan berbau dan mengandung pasir", False),
        (
            "meteran air muter terus padahal air gak keluar",
            "meteran air tetap berputar walau air tidak keluar",
            False,
        ),
        (
            "sumur kering, belum ada jaringan pdam sampai sini",
            "sumur warga mengering dan jaringan PDAM belum menjangkau",
            False,
        ),
        ("air mati total, mau mandi aja susah", "pasokan air bersih terputus total", False),
    ],
    "listrik": [
        (
            "mati lampu lagi, sehari bisa 3 kali",
            "pemadaman listrik terjadi berulang kali dalam sehari",
            False,
        ),
        (
            "listrik byarpet, kulkas sama tv rusak",
            "listrik kerap padam mendadak hingga merusak peralatan elektronik",
            False,
        ),
        (
            "lampu jalan mati semua, gelap gulita rawan begal",
            "lampu penerangan jalan umum padam sehingga jalan gelap",
            False,
        ),
        ("tiang listrik miring mau roboh", "tiang listrik miring dan dikhawatirkan roboh", False),
        (
            "kabel listrik putus kena pohon, masih nyala apinya",
            "kabel listrik putus tertimpa pohon dan memercikkan api",
            True,
        ),
        ("tegangan listrik naik turun, lampu redup", "tegangan listrik tidak stabil dan lampu redup", False),
        ("padam dari pagi gak ada info dari pln", "listrik padam sejak pagi tanpa pemberitahuan PLN", False),
        ("trafo meledak, satu kampung gelap", "trafo meledak sehingga satu kampung tanpa listrik", True),
        ("belum ada listrik pln di kampung kami", "dusun tersebut belum teraliri listrik PLN", False),
        ("pju di tikungan mati berbulan2", "lampu PJU di tikungan padam berbulan-bulan", False),
    ],
    "lingkungan_sampah": [
        (
            "sampah numpuk di pinggir jalan, bau busuk",
            "sampah menumpuk di tepi jalan dan menimbulkan bau busuk",
            False,
        ),
        ("tps penuh gak diangkut seminggu", "sampah di TPS tidak diangkut selama sepekan", False),
        ("sungai tercemar limbah, ikan2 mati", "sungai diduga tercemar limbah hingga ikan mati", False),
        (
            "debu batu bara masuk rumah, anak2 batuk",
            "debu batu bara dari aktivitas hauling masuk ke rumah warga",
            False,
        ),
        (
            "limbah sawit dibuang ke sungai, airnya hitam",
            "limbah pabrik kelapa sawit diduga dibuang ke sungai",
            False,
        ),
        ("lubang bekas tambang dibiarkan menganga", "lubang bekas tambang dibiarkan tanpa reklamasi", False),
        ("bau limbah pabrik nyengat tiap malam", "bau limbah pabrik menyengat setiap malam", False),
        (
            "orang buang sampah sembarangan ke parit",
            "warga membuang sampah sembarangan ke saluran air",
            False,
        ),
        (
            "air sungai berubah warna, diduga limbah tambang",
            "air sungai berubah warna diduga akibat limbah tambang",
            False,
        ),
        (
            "truk sampah jarang lewat, sampah diacak2 anjing",
            "armada pengangkut sampah jarang melintas",
            False,
        ),
    ],
    "kesehatan": [
        (
            "antre di puskesmas dari subuh, dokternya gak ada",
            "pasien antre sejak pagi namun dokter tidak berada di tempat",
            False,
        ),
        (
            "pasien bpjs ditolak rs katanya kamar penuh",
            "pasien BPJS ditolak rumah sakit dengan alasan kamar penuh",
            False,
        ),
        ("obat di puskesmas kosong terus", "stok obat di puskesmas kerap kosong", False),
        (
            "banyak anak kena dbd, belum ada fogging",
            "kasus demam berdarah meningkat dan warga meminta fogging",
            False,
        ),
        (
            "ambulans desa rusak, pasien diangkut pake pickup",
            "ambulans desa rusak sehingga pasien diangkut dengan mobil bak",
            False,
        ),
        (
            "pelayanan igd lambat, pasien kritis nunggu lama",
            "pelayanan IGD lambat padahal pasien dalam kondisi kritis",
            True,
        ),
        (
            "pustu tutup terus, bidannya jarang datang",
            "pustu sering tutup karena tenaga kesehatan jarang hadir",
            False,
        ),
        (
            "warga keracunan massal habis makan di hajatan",
            "puluhan warga keracunan usai menyantap hidangan hajatan",
            True,
        ),
        ("kasus malaria naik di kampung kami", "kasus malaria meningkat di permukiman warga", False),
        (
            "posyandu gak jalan lagi sejak kader berhenti",
            "kegiatan posyandu terhenti karena kekurangan kader",
            False,
        ),
    ],
    "pendidikan": [
        (
            "atap sekolah bocor, murid belajar basah2an",
            "atap ruang kelas bocor sehingga siswa belajar dalam kondisi basah",
            False,
        ),
        ("guru honorer gak digaji 4 bulan", "guru honorer belum menerima honor selama empat bulan", False),
        (
            "ppdb zonasi gak adil, anak saya gak keterima",
            "sistem zonasi PPDB dinilai tidak adil oleh orang tua murid",
            False,
        ),
        (
            "sekolah cuma punya 2 guru buat 6 kelas",
            "sekolah kekurangan guru, hanya dua guru untuk enam kelas",
            False,
        ),
        (
            "ruang kelas rusak, murid belajar di teras",
            "ruang kelas rusak berat sehingga siswa belajar di teras",
            False,
        ),
        ("ada pungutan seragam mahal di sekolah", "orang tua mengeluhkan pungutan seragam yang mahal", False),
        ("anak2 harus nyebrang sungai ke sekolah", "siswa harus menyeberangi sungai untuk ke sekolah", False),
        (
            "meja kursi sekolah rusak, murid duduk di lantai",
            "mebel sekolah rusak sehingga murid duduk di lantai",
            False,
        ),
        ("beasiswa kip gak cair2", "beasiswa KIP tak kunjung dicairkan", False),
        ("paud di desa kami gak punya gedung", "PAUD di desa belum memiliki gedung sendiri", False),
    ],
    "adminduk": [
        ("bikin ktp udah 3 bulan blm jadi", "pembuatan e-KTP belum selesai setelah tiga bulan", False),
        ("blangko ktp habis terus di capil", "blangko e-KTP di Disdukcapil kerap habis", False),
        (
            "urus akta kelahiran ribet bolak balik",
            "pengurusan akta kelahiran berbelit dan warga harus bolak-balik",
            False,
        ),
        (
            "kk salah nama, minta perbaiki susah bgt",
            "perbaikan data kartu keluarga yang salah sulit dilakukan",
            False,
        ),
        (
            "antrean dukcapil panjang, sistem offline",
            "antrean di Disdukcapil mengular karena sistem offline",
            False,
        ),
        ("perekaman ktp gak ada jemput bola ke desa", "perekaman KTP belum menjangkau desa terpencil", False),
        ("surat pindah domisili gak kelar2", "pengurusan surat pindah domisili berlarut-larut", False),
        (
            "nik saya gak terdaftar pas mau daftar bpjs",
            "NIK warga tidak terdaftar saat akan mendaftar BPJS",
            False,
        ),
    ],
    "sosial": [
        (
            "bansos gak tepat sasaran, yg mampu malah dapat",
            "penyaluran bansos dinilai tidak tepat sasaran",
            False,
        ),
        ("pkh udah 3 bulan gak cair", "dana PKH belum cair selama tiga bulan", False),
        (
            "nenek sebatang kara gak pernah dapat bantuan",
            "seorang lansia sebatang kara tidak pernah menerima bantuan",
            False,
        ),
        (
            "rumah tidak layak huni, mau roboh, blm dapat bedah rumah",
            "rumah warga tidak layak huni dan belum tersentuh program bedah rumah",
            False,
        ),
        (
            "nama kami dicoret dari dtks tanpa alasan",
            "warga miskin dicoret dari DTKS tanpa penjelasan",
            False,
        ),
        ("blt dana desa dipotong oknum", "BLT dana desa diduga dipotong oknum", False),
        ("anak yatim gak dapat bantuan sekolah", "anak yatim tidak mendapat bantuan pendidikan", False),
        (
            "odgj berkeliaran gak ada penanganan dinsos",
            "ODGJ berkeliaran tanpa penanganan dinas sosial",
            False,
        ),
    ],
    "kebakaran": [
        (
            "kebakaran rumah skrg, api masih besar, damkar belum datang",
            "kebakaran melanda permukiman warga, api masih berkobar",
            True,
        ),
        (
            "lahan kebun kebakar, asapnya sampai kampung",
            "lahan perkebunan terbakar dan asap menyelimuti permukiman",
            True,
        ),
        ("3 rumah hangus dilalap api tadi malam", "tiga rumah hangus dilalap si jago merah", True),
        ("ruko terbakar, api merembet ke sebelah", "kebakaran ruko merembet ke bangunan di sebelahnya", True),
        (
            "hutan terbakar lagi, titik api banyak",
            "kebakaran hutan dan lahan kembali terjadi dengan sejumlah titik api",
            True,
        ),
        (
            "damkar lama datangnya, rumah udah habis",
            "warga mengeluhkan lambatnya respons pemadam kebakaran",
            False,
        ),
        (
            "hydrant gak ada, kalau kebakaran susah air",
            "permukiman padat tidak memiliki hidran sehingga rawan kebakaran",
            False,
        ),
        ("asap karhutla bikin sesak napas", "asap karhutla menyebabkan warga mengalami sesak napas", False),
        ("kebakaran gudang, asap hitam tebal", "gudang terbakar dan mengepulkan asap hitam tebal", True),
    ],
    "bencana_alam": [
        (
            "longsor nutup jalan, kendaraan gak bisa lewat",
            "tanah longsor menutup badan jalan dan memutus akses",
            True,
        ),
        ("angin puting beliung, atap rumah terbang", "angin puting beliung merusak atap rumah warga", True),
        ("pohon tumbang nimpa rumah warga", "pohon tumbang menimpa rumah warga saat hujan deras", True),
        (
            "abrasi makin parah, rumah di pinggir pantai terancam",
            "abrasi pantai mengancam rumah warga pesisir",
            False,
        ),
        (
            "tebing sungai longsor, rumah2 di pinggir terancam",
            "tebing sungai longsor dan mengancam rumah di bantaran",
            False,
        ),
        (
            "tanah retak2 di belakang rumah, takut longsor",
            "retakan tanah muncul dan warga khawatir terjadi longsor",
            False,
        ),
        (
            "angin kencang, pohon2 tumbang di jalan",
            "angin kencang menumbangkan pohon di sejumlah ruas jalan",
            True,
        ),
        ("erosi sungai makin dekat ke rumah", "erosi tepian sungai semakin mendekati permukiman", False),
    ],
    "ketertiban_keamanan": [
        (
            "marak curanmor, motor ilang di depan rumah",
            "kasus pencurian sepeda motor marak dan meresahkan warga",
            False,
        ),
        ("buaya muncul di sungai, warga takut mandi", "kemunculan buaya di sungai meresahkan warga", False),
        (
            "warga diterkam buaya waktu nyari ikan, belum ketemu",
            "seorang warga diterkam buaya dan hingga kini belum ditemukan",
            True,
        ),
        (
            "balap liar tiap malam minggu, berisik bahaya",
            "aksi balap liar setiap malam minggu meresahkan warga",
            False,
        ),
        (
            "ada yg jual miras terang2an dekat sekolah",
            "peredaran miras di dekat sekolah meresahkan warga",
            False,
        ),
        (
            "begal lagi di jalan sepi, tolong patroli",
            "aksi begal kembali terjadi dan warga meminta patroli",
            False,
        ),
        ("beruang masuk kebun, warga ketakutan", "beruang madu masuk ke kebun warga", False),
        (
            "anak hilang dari kemarin sore, mohon bantu cari",
            "seorang anak dilaporkan hilang sejak kemarin sore",
            True,
        ),
        (
            "pkl jualan di trotoar, jalan jadi sempit",
            "pedagang kaki lima berjualan di trotoar dan mengganggu pejalan kaki",
            False,
        ),
        (
            "peredaran sabu di kampung makin parah",
            "peredaran narkoba jenis sabu di permukiman makin marak",
            False,
        ),
        (
            "tawuran pemuda antar gang, ada yg luka",
            "tawuran antarpemuda pecah dan sejumlah orang terluka",
            True,
        ),
        (
            "sapi lepas berkeliaran di jalan, bahaya pengendara",
            "ternak lepas berkeliaran di jalan dan membahayakan pengendara",
            False,
        ),
    ],
    "transportasi": [
        ("macet parah jam pulang kerja", "kemacetan panjang terjadi setiap jam pulang kerja", False),
        (
            "kecelakaan truk vs motor, korban luka parah",
            "kecelakaan antara truk dan sepeda motor mengakibatkan korban luka berat",
            True,
        ),
        ("parkir liar di bahu jalan bikin macet", "parkir liar di bahu jalan memicu kemacetan", False),
        (
            "lampu merah mati, persimpangan semrawut",
            "lampu lalu lintas di persimpangan padam sehingga arus semrawut",
            False,
        ),
        (
            "truk batu bara ugal2an lewat jalan umum",
            "truk angkutan batu bara melintas di jalan umum dan membahayakan",
            False,
        ),
        (
            "gak ada rambu di tikungan, sering kecelakaan",
            "tikungan tanpa rambu kerap menjadi lokasi kecelakaan",
            False,
        ),
        ("angkutan umum gak ada ke kampung kami", "tidak tersedia angkutan umum menuju kampung", False),
        ("tabrakan beruntun, ada yang meninggal", "kecelakaan beruntun menelan korban jiwa", True),
        (
            "speedboat kelebihan muatan, bahaya",
            "speedboat kerap mengangkut penumpang melebihi kapasitas",
            False,
        ),
        (
            "antrean solar di spbu bikin macet sampai jalan raya",
            "antrean kendaraan di SPBU mengular hingga badan jalan",
            False,
        ),
        (
            "mobil terguling masuk parit, sopir terjepit",
            "sebuah mobil terguling ke parit dan sopir terjepit",
            True,
        ),
    ],
    "lainnya": [
        (
            "sinyal susah bgt di kampung, mau sekolah online gak bisa",
            "warga kesulitan sinyal telekomunikasi",
            False,
        ),
        ("elpiji 3 kg langka, harganya 50 ribu", "gas elpiji 3 kg langka dan harganya melonjak", False),
        (
            "pelayanan kantor desa lambat, pegawainya sering gak ada",
            "pelayanan kantor desa lambat karena perangkat jarang hadir",
            False,
        ),
        (
            "perusahaan gak mau terima tenaga kerja lokal",
            "perusahaan dinilai enggan merekrut tenaga kerja lokal",
            False,
        ),
        (
            "lahan plasma dijanjikan perusahaan gak pernah ada",
            "warga menuntut realisasi kebun plasma yang dijanjikan perusahaan",
            False,
        ),
        (
            "gaji honorer kantor dipotong tanpa alasan",
            "honor pegawai tidak tetap dipotong tanpa penjelasan",
            False,
        ),
        ("ganti rugi lahan belum dibayar", "ganti rugi lahan warga belum dibayarkan", False),
        ("harga sembako di pasar naik terus", "harga kebutuhan pokok di pasar terus naik", False),
        ("izin usaha kecil dipersulit", "pengurusan izin usaha mikro dinilai berbelit", False),
        ("pasar becek dan atapnya bocor", "kondisi pasar becek dan atap los bocor", False),
    ],
}

# Non-complaints: (text, topic-ish hint) — announcements, ceremonies, finished projects, promotions, chat.
NON_COMPLAINTS: list[str] = [
    "Bupati Kutim meresmikan jembatan baru {loc_formal} yang menghubungkan dua desa.",
    "Alhamdulillah jalan {loc} sudah mulus diaspal, terima kasih pemkab 🙏",
    "Pemkab Kutim menggelar upacara peringatan Hari Jadi Kabupaten Kutai Timur {loc_formal}.",
    "Info jadwal pemeliharaan jaringan PLN {loc}: Sabtu pukul 09.00-12.00 WITA, "
    "mohon maaf atas ketidaknyamanannya.",
    "Dijual tanah kavling {loc}, SHM, harga nego. Minat hub admin.",
    "Promo akhir tahun! Diskon 50% semua menu di kafe kami {loc} 🎉",
    "Selamat pagi warga Kutim, semoga hari ini penuh berkah ☀️",
    "Sosialisasi pencegahan DBD digelar Dinkes Kutim {loc_formal}.",
    "Simulasi penanganan kebakaran oleh Damkar Kutim {loc_formal} berjalan lancar.",
    "Apel siaga bencana digelar BPBD Kutim jelang musim hujan.",
    "Disdukcapil Kutim membuka layanan perekaman KTP keliling {loc_formal} mulai pekan depan.",
    "Penyaluran bansos tahap II {loc_formal} berjalan tertib dan lancar.",
    "Tim voli putri Kutim juara di turnamen antarkabupaten, selamat!",
    "Festival budaya Lom Plai digelar meriah {loc_formal}.",
    "PDAM Kutim mengumumkan air kembali normal {loc} setelah perbaikan pipa.",
    "Listrik sudah menyala lagi {loc}, makasih PLN gercep 👍",
    "Pembangunan gedung sekolah baru {loc_formal} telah rampung dan siap digunakan.",
    "Kapolres Kutim menghadiri halal bihalal bersama tokoh masyarakat {loc_formal}.",
    "Ada yang tau warung bakso enak {loc}? rekomendasi dong",
    "Cuaca cerah banget hari ini {loc}, cocok buat jalan2 ke pantai",
    "Open order kue lebaran, bisa COD {loc} ya kak",
    "Pelantikan kepala desa {loc_formal} berlangsung khidmat.",
    "Musrenbang kecamatan {loc_formal} membahas usulan pembangunan tahun depan.",
    "Vaksinasi anak di posyandu {loc} berjalan lancar, terima kasih para kader.",
    "Giveaway! Follow dan tag 3 teman, hadiah voucher belanja di Sangatta 🎁",
    "Pemkab Kutim mengimbau warga menjaga kebersihan lingkungan menjelang musim hujan.",
    "Pelatihan UMKM digelar Disperindag Kutim {loc_formal} diikuti puluhan pelaku usaha.",
    "Bupati meninjau progres peningkatan jalan {loc_formal} yang ditargetkan selesai akhir tahun.",
    "Gotong royong bersihkan parit bersama warga {loc}, mantap kompak 💪",
    "Info loker: dibutuhkan admin toko {loc}, kirim CV ke inbox.",
    "Selamat hari guru untuk semua guru hebat di Kutai Timur 🙏",
    "Peletakan batu pertama pembangunan masjid {loc_formal} dihadiri wakil bupati.",
    "Hasil pertandingan sepak bola antar kampung {loc} kemarin seru banget!",
    "Kegiatan bimtek aparatur desa se-Kutim digelar di Sangatta.",
    "Pengumuman: pendaftaran SPMB SD dan SMP dibuka mulai 1 Juli.",
    "Terima kasih Dinas PUPR, jembatan {loc} sudah selesai diperbaiki dan bagus sekarang.",
    "Kunjungan kerja DPRD Kutim {loc_formal} untuk menyerap aspirasi masyarakat.",
    "Launching program Kutim Sehat digelar di halaman kantor bupati.",
    "wkwk ada yg liat kucing oren nyasar {loc}? punya siapa ya",
    "Pantai rame bgt hari minggu {loc}, seru liburan bareng keluarga",
    "Realisasi program semenisasi jalan desa tahun ini mencapai 90 persen, kata kepala dinas.",
    "Tim SAR gabungan menggelar latihan evakuasi korban banjir di Sangatta.",
    "Harga sawit minggu ini naik, alhamdulillah petani senang",
    "Malam ini ada pasar malam {loc}, ayo ramaikan!",
    "Mohon doanya, besok anak kami ujian di SMP {loc}",
]
# Pure information requests (not complaints): LAPOR! "permintaan informasi".
INFO_REQUESTS: list[str] = [
    "Min, syarat bikin KTP baru apa aja ya?",
    "Mau tanya, jadwal perekaman KTP keliling {loc} kapan ya min?",
    "Numpang tanya, cara daftar BPJS gratis gimana ya?",
    "Apakah pendaftaran beasiswa Kutim sudah dibuka? info dong min",
    "Kapan jadwal pembayaran PBB tahun ini? mohon infonya",
    "Bagaimana cara mengurus akta kelahiran untuk anak yang lahir di rumah?",
    "Mau tanya prosedur pasang sambungan baru PDAM {loc} gimana?",
    "Info dong, kantor Disdukcapil buka hari Sabtu gak?",
]
# Aspirations (LAPOR! "aspirasi"): demands for something new.
ASPIRATIONS: list[tuple[str, str]] = [
    ("Usul pak bupati, {loc} dibangunkan jembatan permanen biar anak sekolah aman", "jalan_jembatan"),
    ("Mohon dibangun puskesmas pembantu {loc}, warga jauh kalau berobat", "kesehatan"),
    ("Aspirasi warga {loc}: minta dibangun SD baru karena sekolah terdekat jauh", "pendidikan"),
    ("Berharap ada penambahan lampu jalan {loc}, malam gelap sekali", "listrik"),
    ("Saran min, perlu dibangun TPS {loc} biar warga gak buang sampah ke sungai", "lingkungan_sampah"),
    ("Usulan warga {loc}: pengadaan jaringan air bersih PDAM", "air_bersih"),
    ("Mohon diadakan angkutan umum ke {loc}, selama ini susah transportasi", "transportasi"),
    ("Semoga ada pos damkar {loc}, kalau kebakaran jauh sekali dari Sangatta", "kebakaran"),
]

# Hard cases: the pairs that are easy to confuse. Acute emergencies against chronic problems, aftermath
# and aid requests days later, warnings and reports; and the category borders (road drainage is a road,
# water in homes is a flood, dengue after a flood is health, the road to a school is a road, RT honoraria,
# signal and fertiliser are "lainnya", extortion is public order). (template, complaint?, category, emergency?)
HARD_CASES: list[tuple[str, bool, str | None, bool]] = [
    ("air mulai masuk rumah {loc}, udah selutut, anak2 sama nenek kami ungsikan ke balai desa", True, "banjir", True),
    ("Banjir merendam permukiman {loc_formal} sejak dini hari, warga mulai dievakuasi ke tempat aman.", True,
     "banjir", True),
    ("air sungai naik terus {loc}, rumah yg di pinggir udah kemasukan air, tolong kirim perahu", True, "banjir",
     True),
    ("tiap hujan deras jalan {loc} tergenang, udah bertahun2 gini terus gak ada solusi", True, "banjir", False),
    ("Warga {loc_formal} mengeluhkan genangan yang selalu muncul setiap musim hujan karena parit dangkal.", True,
     "banjir", False),
    ("parit di gang kami {loc} mampet, air hujan menggenang di halaman berhari2", True, "banjir", False),
    ("saluran di pinggir jalan {loc} ga pernah dibersihin, air luber ke badan jalan, aspal cepat hancur", True,
     "jalan_jembatan", False),
    ("Drainase jalan {loc_formal} tertutup sedimen sehingga badan jalan rusak setiap hujan.", True,
     "jalan_jembatan", False),
    ("udah seminggu banjir surut tapi warga {loc} belum dapat bantuan sembako sama sekali", True, "sosial", False),
    ("Korban kebakaran {loc_formal} pekan lalu masih menumpang di rumah kerabat dan berharap bantuan "
     "perbaikan rumah dari dinsos.", True, "sosial", False),
    ("habis banjir kemarin banyak anak {loc} kena DBD, tolong fogging pak", True, "kesehatan", False),
    ("Pascabanjir, kasus diare dan penyakit kulit meningkat {loc_formal}, puskesmas kekurangan obat.", True,
     "kesehatan", False),
    ("jalan menuju sekolah {loc} masih tanah, murid sama guru susah lewat kalau hujan, mohon dicor", True,
     "jalan_jembatan", False),
    ("Akses jalan ke SD {loc_formal} rusak berat sehingga siswa harus berjalan kaki melewati lumpur.", True,
     "jalan_jembatan", False),
    ("sekolah {loc} cuma punya dua guru buat enam kelas, anak2 sering belajar sendiri", True, "pendidikan",
     False),
    ("honor RT {loc} udah berbulan2 belum cair, kapan dibayar pak", True, "lainnya", False),
    ("Ketua RT {loc_formal} mempertanyakan insentif yang belum dibayarkan sejak awal tahun.", True, "lainnya",
     False),
    ("{loc} gak ada sinyal sama sekali, mohon dibangunkan tower BTS", True, "lainnya", False),
    ("Warga {loc_formal} mengeluhkan jaringan seluler yang hilang timbul dan meminta penambahan BTS.", True,
     "lainnya", False),
    ("pupuk subsidi {loc} langka pas musim tanam, kios kosong terus", True, "lainnya", False),
    ("ada oknum minta uang tanpa kuitansi waktu ngurus surat {loc}, itu pungli kan? mohon ditindak", True,
     "ketertiban_keamanan", False),
    ("Sopir truk mengeluhkan pungutan liar tanpa karcis di pos {loc_formal}.", True, "ketertiban_keamanan",
     False),
    ("truk2 parkir di bahu jalan {loc} bikin macet tiap sore", True, "transportasi", False),
    ("tabrakan motor vs truk {loc} barusan, pengendaranya terkapar di jalan, ambulans tolong cepat", True,
     "transportasi", True),
    ("Kecelakaan lalu lintas {loc_formal} menyebabkan dua orang luka berat dan satu meninggal di tempat.", True,
     "transportasi", True),
    ("api merambat dr semak ke rumah warga {loc}, tolong damkar segera", True, "kebakaran", True),
    ("Sebuah rumah {loc_formal} hangus terbakar dini hari, penghuni berhasil menyelamatkan diri.", True,
     "kebakaran", True),
    ("tanah longsor nutup jalan {loc}, mobil ga bisa lewat sama sekali", True, "bencana_alam", True),
    ("Material longsoran menutup badan jalan {loc_formal} sehingga akses warga terputus.", True, "bencana_alam",
     True),
    ("jalan yg longsor {loc} tahun lalu sampe skrg blm diperbaiki, cuma bisa satu jalur", True,
     "jalan_jembatan", False),
    ("anak kami belum pulang dari kemarin sore {loc}, terakhir main di sungai, mohon bantu cari", True,
     "ketertiban_keamanan", True),
    ("Seorang warga {loc_formal} dilaporkan hilang saat mencari ikan dan hingga kini belum ditemukan.", True,
     "ketertiban_keamanan", True),
    ("buaya sering nongol di sungai dekat rumah {loc}, warga takut, mohon ditangani sebelum ada korban", True,
     "ketertiban_keamanan", False),
    ("Seorang warga {loc_formal} diterkam buaya saat mandi di sungai dan mengalami luka serius.", True,
     "ketertiban_keamanan", True),
    ("BPBD mengimbau warga {loc_formal} waspada banjir dan longsor selama puncak musim hujan.", False, None,
     False),
    ("Damkar berhasil memadamkan api di lahan kosong {loc_formal}, tidak ada korban dan situasi sudah aman.",
     False, None, False),
    ("Pencarian warga yang tenggelam {loc_formal} resmi dihentikan setelah tujuh hari.", False, None, False),
    ("Jumlah kecelakaan lalu lintas di Kutim tahun ini turun dibanding tahun lalu, kata Kasat Lantas.", False,
     None, False),
    ("Pemkab menyalurkan bantuan sembako untuk warga terdampak banjir {loc_formal}.", False, None, False),
    ("Pembayaran insentif RT triwulan ini disalurkan lewat rekening masing-masing mulai pekan depan.", False,
     None, False),
    ("barusan motor sama pikap bertabrakan {loc}, satu orang patah kaki, tolong ambulans", True, "transportasi",
     True),
    ("warga terjebak di atap rumah {loc}, air masih naik, mohon bantuan perahu sekarang", True, "banjir", True),
    ("Tanggul penahan air {loc_formal} jebol dini hari tadi dan air merendam rumah di sekitarnya.", True,
     "banjir", True),
    ("puluhan warga {loc} keracunan habis makan di hajatan, banyak yg muntah dan pingsan", True, "kesehatan",
     True),
    ("ibu hamil {loc} pendarahan, butuh ambulans sekarang juga, jalannya susah dilewati", True, "kesehatan",
     True),
    ("tiang listrik roboh {loc} td malam, kabelnya masih nyetrum di jalan, PLN tolong segera", True, "listrik",
     True),
    ("Seekor beruang masuk permukiman {loc_formal} dan melukai seorang warga yang sedang berkebun.", True,
     "ketertiban_keamanan", True),
    ("puskesmas {loc} kekurangan obat sudah berbulan2, pasien disuruh beli sendiri", True, "kesehatan", False),
    ("tiang listrik {loc} sudah miring bertahun2, takut roboh kena rumah warga", True, "listrik", False),
    ("Dinkes mencatat kasus DBD {loc_formal} naik dibanding tahun lalu dan meminta warga menggalakkan 3M.", False,
     None, False),
    ("Pohon tumbang menutup jalan {loc_formal} pagi tadi, kendaraan tidak bisa melintas dua arah.", True,
     "bencana_alam", True),
    ("Jembatan {loc_formal} yang putus dihantam banjir tahun lalu belum juga dibangun kembali.", True,
     "jalan_jembatan", False),
]
# Variants of every hard case in the data set (each with another place and style).
HARD_VARIANTS = 3

# Round 4 (issue 11: real text): what the first rounds' templates did not teach. (template, complaint?,
# category, emergency?); split train/dev like every pool, `ROUND4_VARIANTS` variants each.
# Terse reports: 2-8 words as typed into WhatsApp groups and X; they are complaints. Blocked drains, gutters
# and culverts are floods.
TERSE_REPORTS: list[tuple[str, bool, str | None, bool]] = [
    ("banjir mulai naik {loc}", True, "banjir", True),
    ("jalan {loc} tergenang lagi", True, "banjir", False),
    ("got mampet {loc}, air ga jalan", True, "banjir", False),
    ("selokan tersumbat {loc}", True, "banjir", False),
    ("drainase jelek {loc}, tiap hujan genangan", True, "banjir", False),
    ("gorong2 mampet {loc}", True, "banjir", False),
    ("air udh semata kaki {loc}", True, "banjir", False),
    ("banjir sebetis {loc}", True, "banjir", False),
    ("saluran air buntu {loc}", True, "banjir", False),
    ("air makin tinggi {loc}", True, "banjir", True),
    ("mati lampu {loc} dari sore", True, "listrik", False),
    ("lampu jalan padam {loc}", True, "listrik", False),
    ("pdam mati lagi {loc}", True, "air_bersih", False),
    ("air keruh kyk kopi {loc}", True, "air_bersih", False),
    ("jalan bolong2 {loc}", True, "jalan_jembatan", False),
    ("jembatan goyang {loc}, ngeri", True, "jalan_jembatan", False),
    ("sampah numpuk {loc}", True, "lingkungan_sampah", False),
    ("asap kebakaran {loc}, api gede", True, "kebakaran", True),
    ("longsor {loc}, jalan ketutup", True, "bencana_alam", True),
    ("macet parah {loc}", True, "transportasi", False),
    ("sinyal ilang {loc}", True, "lainnya", False),
    ("puskesmas tutup {loc}, dokter ga ada", True, "kesehatan", False),
    ("rumah kemasukan air {loc}", True, "banjir", True),
    ("jalan licin berlumpur {loc}", True, "jalan_jembatan", False),
]
# The same event now (an emergency) and over, planned or long ago (not one; often not a complaint at all).
ONGOING_AND_PAST: list[tuple[str, bool, str | None, bool]] = [
    ("air masih terus naik {loc}, sudah masuk kamar, kami belum bisa keluar", True, "banjir", True),
    ("Banjir kembali merendam rumah warga {loc_formal} sejak dini hari, ketinggian air mencapai paha orang "
     "dewasa dan terus bertambah.", True, "banjir", True),
    ("Banjir yang merendam {loc_formal} tahun lalu menjadi pelajaran, kini warga membangun rumah panggung.",
     False, None, False),
    ("banjir {loc} bulan lalu udah surut, sekarang tinggal lumpurnya aja", False, None, False),
    ("api udah nyambar ke rumah sebelah {loc}, tolong damkar cepet", True, "kebakaran", True),
    ("Kebakaran yang menghanguskan lima rumah {loc_formal} pekan lalu masih diselidiki polisi.", False, None,
     False),
    ("pohon tumbang nutup jalan satu2nya {loc} sekarang, mobil ga bisa lewat", True, "bencana_alam", True),
    ("Pohon tumbang yang sempat menutup jalan {loc_formal} berhasil dipotong, arus lalu lintas kembali lancar.",
     False, None, False),
    ("Longsor menutup badan jalan {loc_formal} pagi tadi, kendaraan tertahan di kedua sisi.", True,
     "bencana_alam", True),
    ("Jalan {loc_formal} yang tertutup longsor kemarin sudah bisa dilalui setelah material dibersihkan.",
     False, None, False),
    ("anak tetangga hanyut di sungai {loc} barusan, warga lagi nyisir pinggir sungai", True,
     "ketertiban_keamanan", True),
    ("Korban tenggelam {loc_formal} ditemukan meninggal dan telah dimakamkan keluarga.", False, None, False),
    ("nenek kami belum pulang sejak subuh {loc}, pikun, mohon bantu cari", True, "ketertiban_keamanan", True),
    ("Pemkab akan membangun tanggul di {loc_formal} tahun depan agar banjir tidak terulang.", False, None,
     False),
    ("Rencana normalisasi sungai {loc_formal} masuk usulan musrenbang tahun depan.", False, None, False),
    ("Tanggul yang jebol tahun lalu {loc_formal} sudah diperbaiki dan kini aman.", False, None, False),
]
# Category borders seen in real news. A road broken by a landslide months ago is a road; a water outage
# caused by a flood is clean water; rubbish in a river is waste, unless the water is in homes (flood).
BORDERS: list[tuple[str, bool, str | None, bool]] = [
    ("Jalan {loc_formal} yang ambles akibat longsor beberapa bulan lalu belum juga diperbaiki, kendaraan harus "
     "bergantian melintas.", True, "jalan_jembatan", False),
    ("bekas longsor {loc} dari tahun lalu bikin jalan tinggal setengah, kapan dibenerin", True,
     "jalan_jembatan", False),
    ("Warga {loc_formal} mengeluhkan jalan yang retak dan amblas sejak longsor musim hujan lalu.", True,
     "jalan_jembatan", False),
    ("Air PDAM {loc_formal} tidak mengalir sejak banjir merendam intake, warga terpaksa membeli air.", True,
     "air_bersih", False),
    ("udah 3 hari air pam mati {loc} gara2 banjir kemarin, mandi pake air hujan", True, "air_bersih", False),
    ("Instalasi pengolahan air terendam banjir sehingga pasokan air bersih {loc_formal} terhenti.", True,
     "air_bersih", False),
    ("sungai {loc} penuh sampah plastik, alirannya kehambat dan bau", True, "lingkungan_sampah", False),
    ("Tumpukan sampah menyumbat aliran sungai {loc_formal} dan menimbulkan bau tidak sedap.", True,
     "lingkungan_sampah", False),
    ("sampah nyumbat got {loc}, tiap hujan air masuk rumah", True, "banjir", False),
    ("Saluran air {loc_formal} tersumbat sampah sehingga air meluap ke rumah warga setiap hujan.", True,
     "banjir", False),
    ("drainase {loc} mampet total, halaman sama dapur kerendam tiap hujan deras", True, "banjir", False),
    ("Gorong-gorong {loc_formal} tersumbat lumpur, genangan tidak surut berhari-hari.", True, "banjir", False),
]
# News that is not a complaint: launches, plans, ceremonies, officials' statements, problems already fixed.
NEWS_NOT_COMPLAINTS: list[tuple[str, bool, str | None, bool]] = [
    ("Bupati Kutim meluncurkan program beasiswa mahasiswa berprestasi di Sangatta, Senin.", False, None, False),
    ("Pemkab Kutim akan membangun jalan penghubung {loc_formal} melalui proyek tahun jamak mulai 2027.", False,
     None, False),
    ("Pemerintah menargetkan seluruh desa {loc_formal} teraliri listrik pada akhir tahun depan.", False, None,
     False),
    ("Upacara peringatan Hari Jadi Kutai Timur berlangsung khidmat di halaman kantor bupati.", False, None,
     False),
    ("Wakil bupati memotong tumpeng pada syukuran hari jadi kecamatan {loc_formal}.", False, None, False),
    ("Kepala Dinas PUPR menegaskan anggaran perbaikan drainase {loc_formal} sudah dialokasikan dalam APBD.",
     False, None, False),
    ("Camat {loc_formal} menyampaikan bahwa pendataan warga terdampak sudah dilakukan dan bantuan disiapkan.",
     False, None, False),
    ("Jalan {loc_formal} yang dikeluhkan warga kini sudah diaspal mulus dan bisa dilalui dengan nyaman.", False,
     None, False),
    ("pipa bocor {loc} udah dibenerin petugas pdam, air ngalir lagi, makasih", False, None, False),
    ("Lampu jalan {loc_formal} yang sempat padam kini sudah menyala kembali setelah perbaikan PLN.", False,
     None, False),
    ("DPRD dan Pemkab menyetujui nota kesepakatan proyek multiyears untuk jalan dan jembatan.", False, None,
     False),
    ("Dinas Kesehatan mencanangkan gerakan imunisasi serentak {loc_formal} pekan depan.", False, None, False),
]
# Ordinary sentences with no public problem (chat, food, hobbies): not complaints. Kept free of the words real
# complaints use too (takut, capek, kesal, lambat), which taught the textcat to doubt real complaints.
CHITCHAT: list[tuple[str, bool, str | None, bool]] = [
    ("bakso di warung ujung gang enak bgt, kuahnya gurih", False, None, False),
    ("kopinya mantap, tempatnya nyaman buat nugas", False, None, False),
    ("kangen masakan ibu di kampung", False, None, False),
    ("seru bgt nonton bola bareng temen2 tadi malam", False, None, False),
    ("bingung mau kasih kado apa buat ulang tahun pacar", False, None, False),
    ("sedih rasanya ditinggal sahabat pindah kota", False, None, False),
    ("martabak manis langganan kami tutup, jadi beli roti bakar aja", False, None, False),
    ("semangat ujian besok ya adik2, jangan begadang", False, None, False),
    ("akhirnya kelar juga nonton drama korea sampe episode terakhir", False, None, False),
    ("ada yg mau jogging bareng minggu pagi? kabarin ya", False, None, False),
]
ROUND4_VARIANTS = 2
# Round 6 (issue 11, second real set): a service that stopped told without topic words, an agency at work,
# figurative topic words, reviews, and hazards spreading now.
SERVICE_FAILURES: list[tuple[str, bool, str | None, bool]] = [
    ("udah bayar tiap bulan tapi tetep ga dapet air {loc}, gimana ini", True, "air_bersih", False),
    ("Layanan air di perumahan {loc_formal} terhenti tiga hari tanpa pemberitahuan.", True, "air_bersih", False),
    ("sampah {loc} seminggu ga diangkut, baunya kemana2", True, "lingkungan_sampah", False),
    ("Tumpukan sampah di TPS {loc_formal} belum diangkut sejak pekan lalu.", True, "lingkungan_sampah", False),
    ("petugas loket puskesmas {loc} malah bentak2 pasien, kecewa bgt", True, "kesehatan", False),
    ("Pasien di rumah sakit {loc_formal} mengaku dibentak petugas saat bertanya soal BPJS.", True, "kesehatan",
     False),
    ("lampu jalan {loc} udah dua minggu ga nyala, gelap bgt", True, "listrik", False),
    ("jalan {loc} cuma ditambal sulam, seminggu udah bolong lagi", True, "jalan_jembatan", False),
    ("macet total {loc} dari tadi, ga gerak sama sekali", True, "transportasi", False),
    ("Jalan {loc_formal} sudah setahun tinggal tanah, batu lamanya habis tergerus hujan.", True,
     "jalan_jembatan", False),
]
AGENCY_AT_WORK: list[tuple[str, bool, str | None, bool]] = [
    ("Petugas PLN sedang melakukan perbaikan gardu {loc_formal}, listrik diperkirakan menyala sore ini.", False,
     None, False),
    ("PDAM mengirimkan air bersih dengan mobil tangki ke warga {loc_formal} selama pipa diganti.", False, None,
     False),
    ("Tim kebersihan kelurahan membersihkan selokan {loc_formal} agar air kembali lancar.", False, None, False),
    ("Regu pemadam memastikan api di gudang {loc_formal} bisa dikendalikan dan tidak merembet ke rumah warga.",
     False, None, False),
    ("Operasi pencarian korban di sungai {loc_formal} dihentikan dan dilanjutkan dengan pemantauan.", False,
     None, False),
]
FIGURATIVE: list[tuple[str, bool, str | None, bool]] = [
    ("toko online langgananku lagi diskon, pokoknya banjir promo minggu ini", False, None, False),
    ("komentar netizen di postingan itu mulutnya sampah semua", False, None, False),
    ("adikku cita-citanya jadi pemadam kebakaran, tiap hari main selang air", False, None, False),
    ("alhamdulillah jualan kue lebaran banjir orderan", False, None, False),
    ("akun sampah gitu mending diblokir aja", False, None, False),
]
REVIEWS: list[tuple[str, bool, str | None, bool]] = [
    ("mampir makan malam di rumah makan dekat {loc}, rasa dan harga cukup oke", False, None, False),
    ("nyobain kafe baru pinggir jalan {loc}, parkirnya luas, kopinya enak", False, None, False),
    ("habis kena macet mampir makan siang, sotonya juara", False, None, False),
]
SPREADING_NOW: list[tuple[str, bool, str | None, bool]] = [
    ("air di dalam rumah terus meninggi {loc}, warga minta bantuan tim SAR buat angkut lansia", True, "banjir",
     True),
    ("rumah2 {loc} papan semua nempel, apinya cepat merembet, tolong", True, "kebakaran", True),
    ("Bapak kami pergi dari rumah {loc_formal} sejak kemarin dan belum diketahui keberadaannya.", True,
     "ketertiban_keamanan", True),
    ("asap tinggi bgt dari arah pasar {loc}, orang2 lari ke luar", True, "kebakaran", True),
    ("Banjir di {loc_formal} biasanya cuma semata kaki kalau hujan, hari ini belum ada genangan.", False, None,
     False),
]

GREETINGS = [
    "",
    "",
    "Assalamualaikum min, ",
    "Pagi min, ",
    "Min ",
    "Pak bupati ",
    "Halo @pemkabkutim ",
    "Mohon maaf min, ",
    "Lapor min, ",
    "Permisi admin, ",
    "Kpd Yth. Bapak Bupati, ",
    "Tolong min, ",
]
PLEAS = [
    "",
    "tolong diperhatikan",
    "mohon segera ditindaklanjuti 🙏",
    "kapan diperbaiki?",
    "pemerintah kemana?",
    "sudah lapor berkali2 gak ada respon",
    "tolong dong pak",
    "kami sudah capek",
    "mohon perhatiannya",
    "sampai kapan begini terus?",
    "jangan cuma janji pas kampanye",
    "please lah 😭",
    "gimana ini min??",
    "udah bertahun2 begini",
    "warga resah",
    "dinas terkait tolong turun ke lapangan",
]
EMERGENCY_PLEAS = [
    "tolong segera!!",
    "butuh bantuan sekarang",
    "mohon bantuan evakuasi",
    "darurat min!!",
    "tolong kirim bantuan",
    "segera tim turun 🙏",
    "sekarang masih berlangsung",
]
HASHTAGS = [
    "#kutim",
    "#kutaitimur",
    "#sangatta",
    "#infosangatta",
    "#lapor",
    "#jalanrusak",
    "#kutimhebat",
    "#warga",
    "#viral",
    "#bupatikutim",
    "#sangattainfo",
    "#kaltim",
]
KUTIM_TAGS = ("#kutim", "#kutaitimur", "#sangatta", "#infosangatta", "#sangattainfo", "#bupatikutim")
EMOJI = ["😡", "😭", "🙏", "😤", "⚠️", "🔥", "💧", "😢", "🤦", "👎", ""]
REPORTERS = ["Rudi", "Sari", "Anto", "Dewi", "Hendra", "Maya", "Fikri", "Nur"]
SPEAKERS = [
    ("Pak Ahmad", "warga setempat"),
    ("Ibu Rahma", "ketua RT"),
    ("Samsul", "tokoh pemuda"),
    ("Yusuf", "kepala dusun"),
    ("Bu Linda", "pedagang"),
    ("Herman", "pengendara"),
    ("Rosidah", "ibu rumah tangga"),
    ("Darman", "petani"),
]
DATELINES = [
    "SANGATTA –",
    "Sangatta –",
    "KUTIM –",
    "SANGATTA, {outlet} –",
    "Sangatta (ANTARA) -",
    "KUTAI TIMUR –",
    "SAMARINDA –",
    "BONTANG –",
    "",
]
OUTLETS = ["Kaltimpost", "Tribun", "Katakaltim", "Pranala", "Sapos"]

# Outside places: (phrase, is a Kutim neighbour or not) — complaints there are not in Kutim.
OUTSIDE = [
    "Bontang",
    "Samarinda",
    "Kukar",
    "Tenggarong",
    "Berau",
    "Tanjung Redeb",
    "Kutai Barat",
    "Balikpapan",
    "Sampit, Kotim",
    "Kotawaringin Timur",
    "Muara Badak",
    "Marangkayu",
    "Kelurahan Loktuan, Bontang",
    "Kecamatan Baamang, Kotim",
    "Desa Santan Ilir, Marangkayu",
    "Kabupaten Paser",
    "Kota Samarinda",
    "Sendawar",
    "Talisayan, Berau",
    "Parenggean, Kotim",
    "Kelurahan Sempaja, Samarinda",
    "Kecamatan Sebulu, Kukar",
    "Penajam",
    "Kota Bangun",
    "Kabupaten Berau",
    "Desa Bunga Putih, Marangkayu",
    "Loa Janan",
    "Tanah Grogot",
    "Kota Besi, Kotim",
    "Mentawa Baru Ketapang",
]

LANDMARKS = [
    ("Jalan Poros Sangatta–Bontang km {km}", None),  # filled with segment
    ("jalan Kabo Jaya", "64.08.04.2012"),
    ("depan RSUD Kudungga", "64.08.04"),
    ("Pasar Induk Sangatta", "64.08.04"),
    ("jalan poros Sangatta-Rantau Pulung", "64.08.14"),
    ("poros Bengalon", "64.08.09"),
    ("Bukit Pelangi", "64.08.04"),
    ("Pelabuhan Kenyamukan", "64.08.04"),
    ("Sangatta Baru", "64.08.04"),
    ("Sangatta Lama", "64.08.04"),
]

SLANG_OUT = {
    "tidak": ["gak", "ga", "nggak", "tdk", "gk"],
    "sudah": ["udah", "udh", "sdh"],
    "yang": ["yg"],
    "dengan": ["dgn"],
    "jalan": ["jln", "jl"],
    "belum": ["blm", "belom"],
    "banget": ["bgt"],
    "kemarin": ["kmrn"],
    "sekarang": ["skrg"],
    "tolong": ["tlg"],
    "untuk": ["utk"],
    "karena": ["krn"],
    "sampai": ["sampe"],
    "lagi": ["lg"],
    "parah": ["parahhh", "parah bgt"],
    "rusak": ["rusakkk"],
}


@dataclass
class Place:
    phrase: str
    formal: str
    in_kutim: bool
    kecamatan: str | None
    desa: str | None


def _split(pool: list, part: str) -> list:
    """Train gets three items in four, dev the fourth: dev phrasing is never trained on."""
    if len(pool) < 2:
        return pool
    return [item for i, item in enumerate(pool) if (i % 4 == 3) == (part == "dev")]


def _kutim_place(rng: random.Random, part: str) -> Place:
    villages = regions.villages()
    kind = rng.random()
    if kind < 0.5:
        desa = rng.choice(villages)
        kec = regions.by_code(desa.parent)
        prefix = "Kelurahan" if desa.kind == "kelurahan" else "Desa"
        short = "Kel." if desa.kind == "kelurahan" else rng.choice(["Desa", "Ds.", "desa"])
        forms = [
            (f"di {short} {desa.name}", f"di {prefix} {desa.name}, Kecamatan {kec.name}"),
            (f"di {short} {desa.name} kec. {kec.name}", f"di {prefix} {desa.name}, Kecamatan {kec.name}"),
            (
                f"{short} {desa.name}, {kec.name}",
                f"di {prefix} {desa.name}, Kecamatan {kec.name}, Kutai Timur",
            ),
            (
                f"di {desa.name.lower()} {kec.name.lower()}"
                if desa.name != kec.name
                else f"di desa {desa.name}",
                f"di {prefix} {desa.name}",
            ),
            (f"warga {short.lower()} {desa.name}", f"warga {prefix} {desa.name}, Kecamatan {kec.name}"),
            (
                f"RT 0{rng.randint(1, 9)} {short} {desa.name}",
                f"di RT {rng.randint(1, 30)} {prefix} {desa.name}",
            ),
        ]
        informal, formal = rng.choice(_split(forms, part) if part == "dev" else forms)
        return Place(informal, formal, True, kec.name, desa.name)
    if kind < 0.75:
        kec = rng.choice(regions.kecamatan())
        tag = "#" + kec.name.replace(" ", "")
        forms = [
            (f"di {kec.name}", f"di Kecamatan {kec.name}"),
            (f"di kec. {kec.name.lower()}", f"di Kecamatan {kec.name}, Kutai Timur"),
            (f"{tag}", f"di wilayah Kecamatan {kec.name}"),
            (f"daerah {kec.name}", f"di Kecamatan {kec.name}"),
        ]
        informal, formal = rng.choice(forms)
        return Place(informal, formal, True, kec.name, None)
    if kind < 0.9:
        phrase, code = rng.choice(LANDMARKS)
        if code is None:
            km = rng.randint(5, 55)
            code = "64.08.13" if km <= 30 else "64.08.12"
            phrase = phrase.format(km=km)
        region = regions.by_code(code)
        kec = regions.kecamatan_of(code)
        desa = region.name if region.is_village else None
        return Place(f"di {phrase}", f"di {phrase}", True, kec.name if kec else None, desa)
    return Place("", "", False, None, None)


def _outside_place(rng: random.Random, part: str) -> Place:
    name = rng.choice(OUTSIDE)
    return Place(f"di {name}", f"di {name}", False, None, None)


def _slangify(text: str, rng: random.Random, rate: float, keep: str = "") -> str:
    """Slang, abbreviations and dropped letters; the `keep` phrase (the place) is left as written."""
    if keep and keep in text:
        head, _, tail = text.partition(keep)
        return f"{_slangify(head, rng, rate)}{keep}{_slangify(tail, rng, rate)}"
    words = text.split(" ")
    out = []
    for word in words:
        options = SLANG_OUT.get(word.lower())
        if options and rng.random() < rate:
            out.append(rng.choice(options))
        elif len(word) > 5 and word.isalpha() and word.islower() and rng.random() < rate / 8:
            i = rng.randrange(1, len(word) - 1)
            out.append(word[:i] + word[i + 1 :])  # a dropped letter, as typed in a hurry
        else:
            out.append(word)
    return " ".join(out)


def _complaint_text(rng: random.Random, part: str, category: str, place: Place) -> tuple[str, bool]:
    informal, formal, emergency = rng.choice(_split(PROBLEMS[category], part))
    style = rng.choice(["x", "facebook", "instagram", "whatsapp", "news", "news"])
    plea = rng.choice(EMERGENCY_PLEAS if emergency and rng.random() < 0.6 else _split(PLEAS, part))
    loc = place.phrase
    tags = ""
    if style == "x":
        tags = " ".join(rng.sample(HASHTAGS, rng.randint(0, 2)))
        text = f"{informal} {loc} {plea} {rng.choice(EMOJI)} {tags}"
    elif style == "facebook":
        text = f"{rng.choice(GREETINGS)}{loc} {informal}, {plea}"
    elif style == "instagram":
        tags = " ".join(rng.sample(HASHTAGS, rng.randint(2, 4)))
        pin = f"\n📍{loc.removeprefix('di ')}" if loc else ""
        text = f"{informal.capitalize()} {rng.choice(EMOJI)}{rng.choice(EMOJI)}{pin}\n.\n{tags}"
    elif style == "whatsapp":
        text = f"{rng.choice(GREETINGS)}mau lapor {informal} {loc}. {plea}. Terima kasih"
    else:
        dateline = rng.choice(DATELINES).format(outlet=rng.choice(OUTLETS))
        name, role = rng.choice(SPEAKERS)
        reporter = rng.choice(REPORTERS)
        tail = rng.choice(
            [
                f'"Kami berharap pemerintah segera turun tangan," kata {name}, {role}.',
                f"Menurut {name}, kondisi tersebut sudah dilaporkan ke pemerintah desa "
                "namun belum ada tindak lanjut.",
                f'"Sudah sering kami sampaikan, tapi belum ada perbaikan," ujar {name}.',
                "Warga meminta instansi terkait segera menangani persoalan tersebut.",
            ]
        )
        where = place.formal.removeprefix("di ").removeprefix("warga ")
        text = f"{dateline} Warga {where} mengeluhkan {formal}. {tail}"
        if not place.formal:
            text = f"{dateline} Warga mengeluhkan {formal}. {tail}"
            if dateline.upper().startswith(("SANGATTA", "KUTIM", "KUTAI TIMUR")):
                place.in_kutim = True  # a Kutim dateline and no other place: the story is about Kutim
        if "mengeluhkan" in text and emergency:
            text = f"{dateline} {formal[0].upper()}{formal[1:]} {place.formal}. {tail}"
        text += f" (Penulis: {reporter})" if rng.random() < 0.3 else ""
        return " ".join(text.split()), emergency
    if place.phrase == "" and any(tag in tags.split() for tag in KUTIM_TAGS):
        place.in_kutim = True  # no place written, but the post is tagged as Kutim
    text = _slangify(text, rng, 0.5, keep=loc.removeprefix("di "))
    if rng.random() < 0.1:
        text = text.upper()
    return " ".join(text.replace(" ,", ",").split(" ")).strip(), emergency


KUTIM_WORDS = re.compile(r"kutim|kutai timur|kutaitimur|sangatta|sangata", re.IGNORECASE)


def _record(
    uid: str,
    text: str,
    is_complaint: bool,
    category: str | None,
    emergency: bool,
    place: Place,
    lapor: str | None,
) -> dict:
    if not place.phrase and not place.in_kutim and KUTIM_WORDS.search(text):
        # No place written, but the text names Kutim (hashtag, @pemkabkutim, "Sangatta"), as annotators do.
        place = Place("", "", True, None, None)
    return {
        "id": uid,
        "text": text,
        "is_complaint": is_complaint,
        "category": category if is_complaint else None,
        "is_emergency": emergency and is_complaint,
        "in_kutim": place.in_kutim,
        "kecamatan": place.kecamatan,
        "desa": place.desa,
        "lapor_classification": lapor,
    }


def generate(n: int, part: str, seed: int = SEED) -> list[dict]:
    """`n` labelled examples from the `part` ('train' or 'dev') half of every phrase pool."""
    rng = random.Random(f"{seed}-{part}")
    records = []
    categories = list(PROBLEMS)
    for i in range(n):
        uid = f"{part}-{i:05d}"
        roll = rng.random()
        place = _outside_place(rng, part) if rng.random() < 0.15 else _kutim_place(rng, part)
        if roll < 0.62:
            category = categories[i % len(categories)]
            text, emergency = _complaint_text(rng, part, category, place)
            records.append(_record(uid, text, True, category, emergency, place, "pengaduan"))
        elif roll < 0.68:
            template, category = rng.choice(_split(ASPIRATIONS, part))
            where = place.phrase.replace("di ", "")
            text = _slangify(template.format(loc=where), rng, 0.3, keep=where)
            records.append(_record(uid, text, True, category, False, place, "aspirasi"))
        elif roll < 0.72:
            template = rng.choice(_split(INFO_REQUESTS, part))
            if "{loc" not in template:
                place = Place("", "", "Kutim" in template, None, None)
            text = template.format(loc=place.phrase)
            records.append(
                _record(uid, " ".join(text.split()), False, None, False, place, "permintaan_informasi")
            )
        else:
            template = rng.choice(_split(NON_COMPLAINTS, part))
            if "{loc" not in template:
                in_kutim = any(word in template for word in ("Kutim", "Sangatta", "Kutai Timur"))
                place = Place("", "", in_kutim, None, None)
            text = template.format(loc=place.phrase, loc_formal=place.formal)
            if rng.random() < 0.3:
                text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
            records.append(_record(uid, " ".join(text.split()), False, None, False, place, None))
    return records


def generate_hard(part: str, seed: int = SEED) -> list[dict]:
    """`HARD_VARIANTS` examples of every hard case in the `part` half of the pool."""
    rng = random.Random(f"{seed}-{part}-hard")
    records = []
    for i, (template, is_complaint, category, emergency) in enumerate(_split(HARD_CASES, part)):
        for j in range(HARD_VARIANTS):
            place = _outside_place(rng, part) if rng.random() < 0.1 else _kutim_place(rng, part)
            formal = place.formal.removeprefix("warga ") if "Warga {loc_formal}" in template else place.formal
            text = template.format(loc=place.phrase, loc_formal=formal)
            if "{loc" not in template:
                place = Place("", "", "Kutim" in template, None, None)
            elif rng.random() < 0.4:
                text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
            lapor = "pengaduan" if is_complaint else None
            record = _record(f"{part}-hard-{i:03d}-{j}", " ".join(text.split()), is_complaint, category,
                             emergency, place, lapor)
            records.append(record)
    return records


def generate_round4(part: str, seed: int = SEED) -> list[dict]:
    """`ROUND4_VARIANTS` examples of every round-4 template in the `part` half of each pool."""
    rng = random.Random(f"{seed}-{part}-round4")
    records = []
    pools = (("terse", TERSE_REPORTS), ("now", ONGOING_AND_PAST), ("border", BORDERS),
             ("news", NEWS_NOT_COMPLAINTS), ("chat", CHITCHAT), ("fail", SERVICE_FAILURES),
             ("agency", AGENCY_AT_WORK), ("figure", FIGURATIVE), ("review", REVIEWS), ("spread", SPREADING_NOW))
    for name, pool in pools:
        for i, (template, is_complaint, category, emergency) in enumerate(_split(pool, part)):
            for j in range(ROUND4_VARIANTS):
                place = _outside_place(rng, part) if rng.random() < 0.1 else _kutim_place(rng, part)
                formal = place.formal.removeprefix("warga ")
                if "di {loc_formal}" in template:
                    formal = formal.removeprefix("di ")
                text = template.format(loc=place.phrase, loc_formal=formal)
                if "{loc" not in template:
                    place = Place("", "", "Kutim" in template or "Sangatta" in template, None, None)
                elif name != "news" and rng.random() < 0.4:
                    text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
                if name == "terse" and rng.random() < 0.3:
                    text = text.lower()
                lapor = "pengaduan" if is_complaint else None
                records.append(_record(f"{part}-r4{name}-{i:03d}-{j}", " ".join(text.split()), is_complaint,
                                       category, emergency, place, lapor))
    return records


def load_handwritten() -> list[dict]:
    """The hand-written dev examples (news and posts written to look like real ones)."""
    records = []
    for name in (
        "dev_handwritten.jsonl",
        "dev_blind.jsonl",
        "dev_blind2.jsonl",
        "dev_blind3.jsonl",
        "dev_blind4.jsonl",
        "dev_blind5.jsonl",
        "dev_handwritten2.jsonl",
        "dev_handwritten3.jsonl",
        "dev_handwritten4.jsonl",
        "dev_handwritten5.jsonl",
        "dev_handwritten6.jsonl",
        "dev_handwritten7.jsonl",
        "dev_handwritten8.jsonl",
        "dev_handwritten9.jsonl",
    ):
        path = resources.files("nlp").joinpath("data", name)
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            records.extend(json.loads(line) for line in lines if line.strip())
    return records


def write(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Writes train.jsonl and dev.jsonl; returns their sizes."""
    train = generate(N_TRAIN, "train") + generate_hard("train") + generate_round4("train")
    dev = generate(N_DEV, "dev") + generate_hard("dev") + load_handwritten() + generate_round4("dev")
    for name, records in (("train.jsonl", train), ("dev.jsonl", dev)):
        with open(data_dir / name, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(train), len(dev)


if __name__ == "__main__":
    print(write())

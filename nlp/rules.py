"""Keyword and cue rules over normalised words: category evidence, complaint cues, emergency, LAPOR! type.

The lexicons say what a word is evidence of; the pipeline blends this evidence with the trained text
classifier (see docs/nlp.md for which decides what). Phrases are matched as whole normalised words.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "jalan_jembatan", "banjir", "air_bersih", "listrik", "lingkungan_sampah", "kesehatan", "pendidikan",
    "adminduk", "sosial", "kebakaran", "bencana_alam", "ketertiban_keamanan", "transportasi", "lainnya",
)

# category -> {phrase: weight}
CATEGORY_LEXICON: dict[str, dict[str, float]] = {
    "jalan_jembatan": {
        "jalan rusak": 3, "jalan berlubang": 3, "berlubang": 2, "lubang": 1.5, "aspal": 2, "aspalnya": 2,
        "jembatan": 2.5, "jalan": 1, "jalannya": 1, "semenisasi": 2, "pengaspalan": 2, "becek": 1.5,
        "berlumpur": 1.5, "lumpur": 1, "amblas": 1.5, "ambles": 1.5, "ambruk": 1, "gorong gorong": 2,
        "drainase": 1.5, "parit": 1, "jalan poros": 2, "jalan tani": 2, "jalan desa": 2, "perbaikan jalan": 3,
        "tambal": 1.5, "retak": 1.5, "kubangan": 2, "jalan licin": 1.5, "badan jalan": 2, "ruas jalan": 2,
        "turap": 1.5, "box culvert": 2, "jalan nasional": 2, "jalan provinsi": 2, "jalan kabupaten": 2,
        "rusak parah": 1, "kerusakan jalan": 3, "peningkatan jalan": 2, "jalan berdebu": 1,
    },
    "banjir": {
        "banjir": 3.5, "genangan": 2.5, "tergenang": 2.5, "terendam": 2.5, "merendam": 2.5, "rendam": 2,
        "meluap": 2, "luapan": 2, "air naik": 2, "air pasang": 1.5, "rob": 1.5, "banjir bandang": 2,
        "ketinggian air": 2, "sepinggang": 1.5, "selutut": 1.5, "sepaha": 1.5, "kebanjiran": 3.5,
    },
    "air_bersih": {
        "pdam": 3.5, "air bersih": 3.5, "air keruh": 3, "keruh": 1.5, "air mati": 3, "air tidak mengalir": 3,
        "tidak mengalir": 2, "mengalir": 1, "air ledeng": 3, "krisis air": 3, "pipa": 1.5, "pipa bocor": 2.5,
        "air minum": 2, "meteran air": 2.5, "tagihan air": 2.5, "sumur": 1, "tirta": 2, "air kotor": 1.5,
        "distribusi air": 3, "air berbau": 1.5, "kekurangan air": 2.5, "air macet": 3,
    },
    "listrik": {
        "listrik": 3.5, "pln": 3.5, "padam": 2.5, "pemadaman": 3, "mati lampu": 3.5, "lampu mati": 2.5,
        "lampu jalan": 3, "pju": 3, "penerangan jalan": 3, "tiang listrik": 3, "kabel": 1.5, "token": 2,
        "trafo": 2.5, "travo": 2.5, "gardu": 2, "voltase": 2, "byarpet": 3, "byar pet": 3,
        "gelap gulita": 1.5,
        "lampu": 1, "gelap": 1, "meteran listrik": 2.5, "tegangan": 1.5,
    },
    "lingkungan_sampah": {
        "sampah": 3.5, "tps": 2.5, "tpa": 2.5, "limbah": 3, "pencemaran": 3, "tercemar": 3, "mencemari": 3,
        "polusi": 2.5, "debu": 2, "bau busuk": 2, "bau": 1, "ikan mati": 2.5, "tambang": 1.5,
        "batu bara": 1, "batubara": 1, "sawit": 1, "limbah sawit": 2, "kolam bekas tambang": 2.5,
        "lubang tambang": 2.5, "sungai": 1, "menumpuk": 1.5, "berserakan": 2, "pembuangan": 1.5,
        "kotor": 1, "penebangan liar": 2, "pembalakan": 2, "lingkungan": 1.5, "galian c": 2, "dlh": 2,
        "pencemaran lingkungan": 2, "kerusakan lingkungan": 2.5, "hauling": 1, "bising": 1.5,
    },
    "kesehatan": {
        "rumah_sakit": 3, "rumah sakit": 3, "puskesmas": 3, "pustu": 2.5, "dokter": 2.5, "perawat": 2,
        "bidan": 2, "bpjs": 2.5, "obat": 2, "pasien": 2.5, "dbd": 3, "demam berdarah": 3, "malaria": 3,
        "stunting": 2.5, "diare": 2.5, "ambulans": 2, "ambulan": 2, "posyandu": 2.5, "vaksin": 2,
        "imunisasi": 2, "gizi buruk": 3, "rawat inap": 2.5, "igd": 2.5, "sakit": 1, "kesehatan": 2,
        "faskes": 2.5, "dinkes": 2.5, "tenaga medis": 2.5, "nakes": 2.5, "wabah": 2, "penyakit": 2,
        "berobat": 2, "persalinan": 2, "melahirkan": 1.5, "ispa": 2.5,
    },
    "pendidikan": {
        "sekolah": 3, "guru": 3, "murid": 2.5, "siswa": 2.5, "sd": 1.5, "smp": 1.5, "sma": 1.5, "smk": 1.5,
        "ppdb": 3, "spmb": 3, "zonasi": 2.5, "ruang kelas": 3, "kelas": 1, "seragam": 1.5, "paud": 2.5,
        "tk": 1, "pendidikan": 2, "belajar": 1.5, "mengajar": 2, "beasiswa": 2, "kip": 1.5, "sdn": 2,
        "smpn": 2, "sman": 2, "smkn": 2, "disdik": 3, "disdikbud": 3, "pelajar": 2, "madrasah": 2,
        "atap sekolah": 2, "honorer": 1, "mebel": 1, "buku": 1,
    },
    "adminduk": {
        "ktp": 3.5, "e ktp": 3.5, "kk": 2.5, "kartu keluarga": 3.5, "akta": 3, "akta kelahiran": 3.5,
        "disdukcapil": 3.5, "dukcapil": 3.5, "blangko": 3, "perekaman": 3, "kia": 2, "domisili": 2,
        "surat pindah": 3, "nik": 1.5, "adminduk": 3.5, "kependudukan": 3, "akte": 3, "identitas": 1,
    },
    "sosial": {
        "bansos": 3.5, "bantuan sosial": 3.5, "pkh": 3, "bpnt": 3, "blt": 3, "dtks": 3, "miskin": 2,
        "kemiskinan": 2.5, "sembako": 1.5, "rtlh": 3, "tidak layak huni": 3, "bedah rumah": 3,
        "lansia": 1.5, "terlantar": 2.5, "yatim": 2, "dinsos": 3, "pengemis": 2.5, "gelandangan": 2.5,
        "odgj": 2.5, "bantuan": 1.5, "tidak tepat sasaran": 2.5, "penerima bantuan": 3, "disabilitas": 2,
        "kurang mampu": 2.5, "warga miskin": 2.5, "jompo": 2,
    },
    "kebakaran": {
        "kebakaran": 4, "terbakar": 3.5, "hangus": 3, "api": 2, "karhutla": 4, "damkar": 3.5,
        "pemadam kebakaran": 4, "jago merah": 3.5, "dilalap": 3, "kobaran": 3, "membakar": 2, "bakar": 1.5,
        "asap": 1, "titik api": 3, "hotspot": 2.5, "lahan terbakar": 3.5, "korsleting": 2,
    },
    "bencana_alam": {
        "longsor": 4, "tanah longsor": 4, "puting beliung": 4, "angin kencang": 3, "pohon tumbang": 3,
        "tumbang": 2, "gempa": 4, "abrasi": 3.5, "erosi": 2.5, "tebing": 2, "bpbd": 2, "cuaca ekstrem": 2.5,
        "gelombang tinggi": 2.5, "badai": 3, "angin ribut": 3, "bencana": 2, "pergerakan tanah": 3,
        "tanah bergerak": 3, "retakan tanah": 2.5, "runtuh": 1.5, "atap terbang": 2.5,
    },
    "ketertiban_keamanan": {
        "pencurian": 3.5, "pencuri": 3, "curanmor": 3.5, "begal": 3.5, "perampokan": 3.5, "rampok": 3,
        "narkoba": 3.5, "sabu": 3.5, "judi": 3, "miras": 3, "tawuran": 3.5, "balap liar": 3.5, "preman": 3,
        "pungli": 2.5, "satpol pp": 3, "pkl": 2, "pedagang kaki lima": 2.5, "buaya": 3.5, "beruang": 3,
        "gajah": 2.5, "ular": 2, "orangutan": 2.5, "babi hutan": 2.5, "hewan liar": 3, "satwa liar": 3,
        "meresahkan": 1.5, "keamanan": 2, "ketertiban": 2, "polisi": 1.5, "polres": 2, "polsek": 2.5,
        "hilang": 1.5, "orang hilang": 3, "anjing liar": 3, "keributan": 2.5, "mabuk": 2.5, "penipuan": 2.5,
        "kriminal": 3, "maling": 3, "pembacokan": 3.5, "penganiayaan": 3, "kos kosan": 1, "diterkam": 3,
        "ternak lepas": 2.5, "sapi lepas": 2.5, "pelecehan": 3, "asusila": 3, "ormas": 1.5,
    },
    "transportasi": {
        "macet": 3, "kemacetan": 3, "kecelakaan": 3.5, "tabrakan": 3.5, "parkir": 3, "parkir liar": 3.5,
        "angkot": 3, "angkutan": 2.5, "angkutan umum": 3, "bus": 2, "truk": 2, "odol": 3, "dishub": 3,
        "lampu merah": 3, "traffic light": 3, "lampu lalu lintas": 3.5, "rambu": 3, "lalu lintas": 3,
        "ojek": 2, "kapal": 2, "speedboat": 2.5, "pelabuhan": 2, "bandara": 2, "penerbangan": 2,
        "terbalik": 2, "pengendara": 2, "pemotor": 2.5, "motor": 1, "mobil": 1, "lalin": 3,
        "antrean": 1, "spbu": 2, "angkutan batu bara": 2, "zebra cross": 3, "halte": 2.5, "tertabrak": 3,
        "menabrak": 3, "ditabrak": 3, "laka": 3, "terguling": 2.5,
    },
    "lainnya": {
        "pelayanan": 1.5, "pegawai": 1.5, "asn": 1.5, "kantor desa": 1.5, "perizinan": 2, "izin": 1.5,
        "sinyal": 2.5, "internet": 2, "jaringan": 1.5, "elpiji": 2.5, "lpg": 2.5, "gas": 1, "bbm": 2,
        "solar": 2, "pertalite": 2, "harga": 1.5, "pasar": 1.5, "honorer": 1.5, "gaji": 1.5,
        "sengketa lahan": 2.5, "plasma": 2, "tenaga kerja": 2, "phk": 2, "lowongan": 1, "kantor": 1,
        "pungutan": 1, "tanah": 0.5, "wifi": 2, "rumah ibadah": 2, "masjid": 1, "lapangan": 1,
        "tenaga kerja lokal": 3, "pekerja lokal": 2.5, "upah": 2, "ganti rugi": 2, "kelangkaan": 2,
    },
}

COMPLAINT_CUES: dict[str, float] = {
    "keluh": 2, "mengeluh": 2.5, "mengeluhkan": 2.5, "dikeluhkan": 2.5, "keluhan": 2, "mengadu": 2,
    "aduan": 2, "rusak": 2, "rusak parah": 2.5, "parah": 1.5, "tolong": 1.5, "mohon": 1, "minta": 1,
    "meminta": 1, "kapan": 1, "diperbaiki": 1, "tidak ada": 1, "belum": 1, "tidak pernah": 1.5,
    "dibiarkan": 2, "terbengkalai": 2.5, "mangkrak": 2.5, "protes": 2, "demo": 2, "unjuk rasa": 2,
    "kecewa": 2, "resah": 2, "meresahkan": 2, "bertahun tahun": 1.5, "menahun": 1.5, "bahaya": 1.5,
    "membahayakan": 2, "warga": 0.5, "mati": 1.5, "padam": 1.5, "banjir": 1.5, "terendam": 1.5,
    "macet": 1.5, "kotor": 1, "bau": 1, "keruh": 1.5, "lambat": 1.5, "lama": 0.5, "susah": 1.5,
    "sulit": 1.5, "pungli": 1.5, "tidak mengalir": 2, "antre": 1, "antri": 1, "kebakaran": 1.5,
    "longsor": 1.5, "kecelakaan": 1.5, "tercemar": 2, "hilang": 1, "tidak jelas": 1.5, "jebol": 2,
    "putus": 1.5, "lapor": 1, "laporkan": 1, "perhatian": 1, "tanggapan": 1, "perhatikan": 1.5,
    "pemerintah": 0.5, "kasihan": 1.5, "tidak layak": 2, "ambruk": 2, "roboh": 2, "menumpuk": 1.5,
    "korban": 1.5, "terbakar": 1.5, "dilalap": 1.5, "mengungsi": 1.5, "berlubang": 2, "desak": 1.5,
    "mendesak": 1.5, "menuntut": 2, "tuntut": 2, "sesalkan": 2, "menyesalkan": 2, "keberatan": 1.5,
    "terganggu": 1.5, "mengganggu": 1.5, "tidak berfungsi": 2, "rusak berat": 2, "kurang": 1,
    "kekurangan": 1.5, "langka": 1.5, "mahal": 1, "viral": 0.5, "sampai kapan": 2, "percuma": 1.5,
}
NON_COMPLAINT_CUES: dict[str, float] = {
    "meresmikan": 3, "peresmian": 3, "diresmikan": 3, "menyerahkan": 2, "penyerahan": 2, "launching": 2.5,
    "sosialisasi": 2, "rapat": 1.5, "upacara": 3, "memperingati": 2.5, "peringatan": 1, "apel": 2,
    "rampung": 1.5, "telah selesai": 2, "selesai dibangun": 3, "berhasil": 1.5, "prestasi": 2.5,
    "juara": 2.5, "penghargaan": 2.5, "selamat": 1.5, "promo": 3, "diskon": 3, "dijual": 3, "jual": 2,
    "open order": 3, "ucapan": 2, "hut": 2, "kunjungan kerja": 2, "menghadiri": 2, "terima kasih": 1.5,
    "alhamdulillah": 1, "sudah diperbaiki": 3, "telah diperbaiki": 3, "sudah normal": 2.5,
    "normal kembali": 2.5,
    "kembali normal": 2.5, "menyala lagi": 2, "jadwal pemadaman": 2, "pemeliharaan jaringan": 2,
    "imbauan": 1.5, "mengimbau": 1.5, "pelatihan": 2, "workshop": 2, "seminar": 2, "festival": 2.5,
    "lomba": 2.5, "pelantikan": 3, "dilantik": 3, "bimtek": 2.5, "musrenbang": 2, "mulus": 2,
    "sudah bagus": 2.5, "bagus": 1, "keren": 1.5, "mantap": 1.5, "indah": 1, "wisata": 1.5, "kuliner": 2,
    "resep": 2, "silaturahmi": 2, "syukuran": 2.5, "pernikahan": 2, "ulang tahun": 2, "halal bihalal": 2.5,
    "gotong royong": 1.5, "simulasi": 2.5, "latihan": 1.5, "apresiasi": 2, "mengapresiasi": 2,
    "meninjau": 1.5, "launching program": 2, "dibuka": 1, "gratis": 1, "hadiah": 2, "giveaway": 3,
    "pendaftaran": 1.5, "dibuka pendaftaran": 2.5, "jadwal": 1, "info loker": 3, "loker": 2.5,
    "diserahkan": 2, "menyalurkan": 1.5, "disalurkan": 1.5, "penyaluran": 1.5, "pengecekan": 1,
    "kegiatan": 1, "program": 0.5, "realisasi": 1, "capaian": 2, "target": 1, "menggelar": 1.5,
    "digelar": 1.5, "kick off": 2, "pencanangan": 2.5, "ground breaking": 2.5, "peletakan batu pertama": 3,
}
EMERGENCY_CUES: dict[str, float] = {
    "kebakaran": 3, "terbakar": 3, "dilalap": 3, "hangus": 2.5, "kobaran": 3, "jago merah": 3,
    "korban": 2, "tewas": 3, "meninggal": 2.5, "meninggal dunia": 3, "luka": 2, "luka luka": 2.5,
    "terluka": 2.5, "kritis": 2, "tenggelam": 3, "hanyut": 3, "terseret": 2.5, "hilang": 1.5,
    "orang hilang": 3, "belum ditemukan": 3, "pencarian": 2, "dicari": 1.5, "mengungsi": 3,
    "pengungsi": 2.5, "evakuasi": 3, "dievakuasi": 3, "terjebak": 3, "tertimbun": 3, "menimbun": 2.5,
    "memutus": 2.5, "terputus": 2.5, "putus total": 3, "lumpuh": 2, "lumpuh total": 3, "merendam rumah": 3,
    "rumah terendam": 3, "terendam": 1.5, "setinggi": 1.5, "sepinggang": 2, "sedada": 2.5, "seatap": 3,
    "tolong segera": 2, "darurat": 2.5, "segera": 1, "sekarang": 0.5, "diterkam": 3, "diserang": 2.5,
    "menimpa": 2.5, "roboh": 1.5, "ambruk": 1.5, "kecelakaan": 2, "tabrakan": 2, "tertabrak": 2,
    "terguling": 2, "terbalik": 1.5, "longsor": 2, "puting beliung": 2.5, "banjir bandang": 3,
    "meluap": 1.5, "kritis air": 0, "sedang terjadi": 2, "masih menyala": 3, "api": 1.5, "asap tebal": 2,
    "pingsan": 2, "sesak napas": 1.5, "keracunan": 3, "tersengat listrik": 3, "kesetrum": 3,
    "kabel putus": 2, "tiang roboh": 2.5, "pohon tumbang": 2, "menutup jalan": 2, "menutupi jalan": 2,
    "tidak bisa dilalui": 1.5, "korban jiwa": 3, "dirawat": 1, "mayat": 2.5, "jenazah": 2, "terseret arus": 3,
}
NOT_EMERGENCY_CUES: dict[str, float] = {
    "sosialisasi": 3, "simulasi": 3, "apel siaga": 3, "latihan": 2, "antisipasi": 2, "pencegahan": 2.5,
    "mencegah": 2, "rawan": 1.5, "waspada": 1, "imbauan": 2, "mengimbau": 2, "bertahun tahun": 2.5,
    "menahun": 2.5, "sudah lama": 2, "setiap tahun": 2, "tiap tahun": 2, "langganan": 2, "tahun lalu": 2,
    "bulan lalu": 2, "sejak lama": 2, "berbulan bulan": 2, "peringatan": 1, "pelatihan": 2.5,
    "bantuan": 0.5, "rekonstruksi": 2, "pemulihan": 2, "sudah padam": 2.5, "berhasil dipadamkan": 2,
    "dipadamkan": 1, "santunan": 2, "pasca": 1.5, "usai": 1, "sempat": 0.5, "normalisasi": 2,
    "penanganan": 1, "penanggulangan": 1.5, "data": 1, "tercatat": 1.5, "sepanjang tahun": 2.5,
    "evaluasi": 2, "kasus": 0.5, "vonis": 3, "sidang": 3, "ditangkap": 2, "diamankan": 1.5,
    "tersangka": 2.5, "pelaku": 1, "mitigasi": 2.5, "kesiapsiagaan": 2.5,
}
ASPIRATION_CUES: dict[str, float] = {
    "usul": 3, "usulan": 3, "mengusulkan": 3, "aspirasi": 3, "berharap": 1.5, "harapan": 1.5,
    "semoga": 1, "dibangun": 1.5, "dibangunkan": 2.5, "pembangunan": 1, "perlu dibangun": 3,
    "minta dibangun": 3, "mohon dibangun": 3, "sebaiknya": 2, "saran": 2.5, "mengharapkan": 1.5,
    "diadakan": 2, "ditambah": 2, "penambahan": 2, "pengadaan": 1.5, "perlu": 1, "program baru": 2,
}
INFO_CUES: dict[str, float] = {
    "bagaimana cara": 3, "cara": 1, "info": 1.5, "informasi": 1.5, "tanya": 2.5, "bertanya": 2.5,
    "numpang tanya": 3, "mau tanya": 3, "apakah": 1.5, "kapan": 1, "dimana": 1.5, "berapa": 1.5,
    "syarat": 2.5, "persyaratan": 2.5, "prosedur": 2.5, "jadwal": 1.5, "siapa": 1,
}


@dataclass(slots=True)
class RuleEvidence:
    """What the rules saw in one text."""

    category_scores: dict[str, float]
    complaint: float
    non_complaint: float
    emergency: float
    not_emergency: float
    aspiration: float
    info: float
    question: bool


def ngrams(words: list[str], max_n: int = 3) -> list[str]:
    """All word n-grams up to `max_n`, as space-joined strings."""
    grams = list(words)
    for n in range(2, max_n + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def _score(grams: list[str], lexicon: dict[str, float]) -> float:
    return sum(lexicon.get(g, 0.0) for g in set(grams))


def evidence(words: list[str], raw_text: str) -> RuleEvidence:
    """Rule evidence from normalised words (see nlp.normalize)."""
    grams = ngrams(words)
    unique = set(grams)
    category_scores = {
        category: sum(weight for phrase, weight in lexicon.items() if phrase in unique)
        for category, lexicon in CATEGORY_LEXICON.items()
    }
    return RuleEvidence(
        category_scores=category_scores,
        complaint=_score(grams, COMPLAINT_CUES),
        non_complaint=_score(grams, NON_COMPLAINT_CUES),
        emergency=_score(grams, EMERGENCY_CUES),
        not_emergency=_score(grams, NOT_EMERGENCY_CUES),
        aspiration=_score(grams, ASPIRATION_CUES),
        info=_score(grams, INFO_CUES),
        question="?" in raw_text,
    )

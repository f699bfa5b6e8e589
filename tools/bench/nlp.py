"""Speed figures for `siaga bench`: the full analysis against bare `spacy.blank("id")` tokenisation.

The posts are realistic in length and make-up, written here from the project's own phrases (seeded, no
text copied from elsewhere): 30 to 60 tokens each, news and social-media styles, a Kutim or outside place
in about half of them, and everyday words drawn from wordfreq's Indonesian frequency list in their
natural proportions, so the vocabulary keeps growing as in real text and caches do not flatter the
figures. Everything runs in this process on one core; the bare tokeniser sees the very same posts in the
same run, chunk by chunk in turn. Rates are posts per second of this process's CPU time
(time.process_time), so that other jobs on a shared machine do not count against either side; load
time is wall-clock time.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import resource
import time
from typing import Any

BATCH = 1000
CHUNK = 10_000
MIN_TOKENS, MAX_TOKENS = 31, 59  # spaCy's tokens differ from `_TOKEN`'s by one or two
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACE_BEFORE_MARK = re.compile(r" +(?=[,.?!]|$)")  # where an empty {place} left "sementara , ..."

# Social-media sentences ({place}: where, or nothing; {w}: an everyday word; {n}: a number).
SOCIAL = (
    "min jalan {place} rusak parah lagi, lubangnya makin lebar tiap kali hujan turun",
    "tolong dong pak, air pdam {place} udah 3 hari gak ngalir, warga terpaksa beli air galon",
    "lampu jalan {place} mati semua sejak minggu lalu, malam gelap banget rawan {w}",
    "sampah numpuk {place} baunya sampe ke rumah warga, kapan diangkut min??",
    "barusan banjir lagi {place}, air masuk rumah selutut orang dewasa 😭",
    "anak2 sekolah harus nyebrang sungai pakai rakit karena jembatan {place} putus",
    "listrik padam {n} jam {place}, kulkas warga rusak, pln kok diam aja",
    "got mampet {place} tiap hujan air meluap ke jalan, tolong dibersihkan",
    "kemarin ada kecelakaan {place} gara2 jalan berlubang gak ada rambu sama sekali",
    "gimana caranya urus ktp yang hilang? udah {n} kali bolak balik ke kantor belum jadi",
    "puskesmas {place} sering tutup siang, obat juga sering kosong katanya",
    "sekolah {place} atapnya bocor, murid belajar sambil pindah2 bangku kalau hujan",
    "mau nanya min, jadwal vaksin anak bulan ini di posyandu mana ya",
    "asap kebakaran lahan {place} bikin sesak napas, anak saya batuk terus",
    "pagi ini macet total {place}, truk batu bara mogok di tanjakan",
    "akhirnya jalan {place} diaspal juga, makasih pak, semoga awet",
    "seru banget acara {w} kemarin, makanannya enak dan murah meriah",
    "ada yang tau bengkel motor yang buka hari minggu {place}?",
    "harga cabai naik lagi, ibu2 pada ngeluh di pasar pagi tadi",
    "selamat pagi semua, semoga hari ini lancar rezekinya 🙏",
)
# News sentences.
NEWS = (
    "Warga {place} mengeluhkan kondisi jalan yang rusak dan berlubang sejak awal tahun",
    "Banjir merendam puluhan rumah {place} setelah hujan deras mengguyur sejak sore hari",
    "Kepala desa mengatakan pihaknya sudah mengajukan perbaikan ke dinas terkait sebanyak {n} kali",
    "Pemerintah kabupaten berencana membangun jembatan baru {place} pada tahun anggaran mendatang",
    "Menurut keterangan petugas, api berhasil dipadamkan setelah sekitar {n} jam",
    "Distribusi air bersih {place} terganggu karena pipa utama bocor di beberapa titik",
    "Bupati meresmikan gedung {w} yang dibangun dengan dana sebesar Rp {n} juta",
    "Tim gabungan masih mencari seorang warga yang dilaporkan hanyut di sungai {place}",
    "Petugas kebersihan mengangkut sekitar {n} ton sampah dari tempat pembuangan sementara {place}",
    "Ratusan siswa {place} terpaksa belajar di ruang kelas darurat karena gedung sekolah rusak",
    "Dinas kesehatan mencatat {n} kasus demam berdarah selama bulan ini",
    "Camat mengimbau warga agar tetap waspada terhadap potensi longsor selama musim hujan",
    "Pemadaman listrik bergilir {place} dikeluhkan pelaku usaha kecil dan warga",
    "Kegiatan {w} tersebut dihadiri oleh sejumlah pejabat dan tokoh masyarakat setempat",
    "Jalan poros yang menghubungkan dua kecamatan itu kini sudah bisa dilalui kendaraan",
)
SOCIAL_TAILS = ("", "", "🙏", "😡😡", "#kutim", "#infosangatta", "tolong diperhatikan", "kapan diperbaiki?")


def _places(rng: random.Random) -> list[str]:
    """Place phrases as people and newsrooms write them: desa, kecamatan, landmarks, outside Kutim."""
    from nlp import regions

    phrases = []
    for desa in regions.villages():
        kec = regions.by_code(desa.parent)
        word = "Kelurahan" if desa.kind == "kelurahan" else "Desa"
        phrases += [
            f"di {word} {desa.name}",
            f"di desa {desa.name.lower()}",
            f"di {word} {desa.name} Kecamatan {kec.name}",
            f"warga {desa.name}",
        ]
    for kec in regions.kecamatan():
        phrases += [f"di Kecamatan {kec.name}", f"di kec. {kec.name.lower()}", f"daerah {kec.name}"]
    phrases += [
        f"di {name}"
        for name in (
            "Sangatta",
            "Sangatta Utara",
            "Bontang",
            "Samarinda",
            "Berau",
            "Kutai Kartanegara",
            "Balikpapan",
            "Tenggarong",
        )
    ]
    phrases += ["depan RSUD Kudungga", "di Jalan Poros Sangatta-Bontang km {n}", "di Pasar Induk Sangatta"]
    rng.shuffle(phrases)
    return phrases


def _everyday_words() -> tuple[list[str], list[float]]:
    """wordfreq's 50,000 most frequent Indonesian words with their frequencies (cumulative weights)."""
    import gzip

    import msgpack

    from nlp.gazetteer import FREQUENT_WORDS, _wordfreq_file, frequent_words

    known = frequent_words()
    with gzip.open(_wordfreq_file(), "rb") as infile:
        bands = msgpack.load(infile, raw=False)[1:]  # band i: the words of frequency 10 ** (-i / 100)
    words, weights = [], []
    for band, band_words in enumerate(bands):
        for word in band_words:
            if word in known and len(words) < FREQUENT_WORDS:
                words.append(word)
                weights.append(10 ** (-band / 100))
    return words, list(itertools.accumulate(weights))


def make_posts(n: int, seed: int = 7) -> list[str]:
    """`n` posts of 30 to 60 tokens, news and social styles, a place in about half (see the module doc)."""
    rng = random.Random(seed)
    places = _places(rng)
    words, weights = _everyday_words()
    total = weights[-1]

    def everyday(k: int) -> str:
        return " ".join(words[bisect.bisect(weights, rng.random() * total)] for _ in range(k))

    posts = []
    for i in range(n):
        news = rng.random() < 0.4
        pool = NEWS if news else SOCIAL
        target = rng.randint(MIN_TOKENS, MAX_TOKENS)
        placed = rng.random() < 0.5
        parts: list[str] = []
        tokens = 0
        while tokens < target:
            template, place = rng.choice(pool), ""
            if placed:  # the first sentence says where
                template = rng.choice([t for t in pool if "{place}" in t])
                place, placed = rng.choice(places), False
            sentence = template.format(place=place, w=everyday(1), n=rng.randint(2, 400))
            sentence = sentence.replace("{n}", str(rng.randint(1, 60))).replace("  ", " ")
            sentence = _SPACE_BEFORE_MARK.sub("", sentence)
            # a clause of everyday words, as real texts say more than any template
            sentence += f", {everyday(rng.randint(2, 8))}"
            parts.append(sentence + ("." if news else ""))
            tokens += len(_TOKEN.findall(sentence)) + 1
        text = " ".join(parts) if news else " ".join(parts) + " " + rng.choice(SOCIAL_TAILS)
        kept = _TOKEN.finditer(text)
        cut = next(itertools.islice(kept, target - 1, None), None)  # `target` tokens with the number
        text = text[: cut.start()] if cut else text
        posts.append(text.rstrip(" #") + f" {i}")  # not a "#" cut from its tag
    return posts


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(n: int = 100_000) -> dict[str, Any]:
    """Runs the benchmark on `n` posts and returns the figures."""
    started = time.perf_counter()
    import spacy

    from nlp import analyze, pipeline

    import_s = time.perf_counter() - started
    posts = make_posts(n)
    records = [{"id": i, "text": text} for i, text in enumerate(posts)]

    analyze.reset()
    started = time.perf_counter()
    nlp = pipeline.load()
    load_s = time.perf_counter() - started
    memory_after_load = _peak_mb()

    blank = spacy.blank("id")
    # Bare tokenisation and the full analysis take turns on the same chunks, so that a change in the load
    # of a shared machine during the run weighs on both alike.
    bare_s = full_s = 0.0
    tokens = analysed = 0
    for start in range(0, n, CHUNK):
        chunk = posts[start : start + CHUNK]
        started = time.process_time()
        for doc in blank.pipe(chunk, batch_size=BATCH):
            tokens += len(doc)
        bare_s += time.process_time() - started
        started = time.process_time()
        for offset in range(start, start + len(chunk), BATCH):
            batch = records[offset : min(offset + BATCH, start + CHUNK)]
            analysed += len(analyze.analyze_records(batch, nlp=nlp))
        full_s += time.process_time() - started

    full_rate = analysed / full_s if full_s else 0.0
    bare_rate = n / bare_s if bare_s else 0.0
    return {
        "nlp_posts": n,
        "nlp_mean_chars": round(sum(map(len, posts)) / max(n, 1), 1),
        "nlp_tokens": tokens,
        "nlp_mean_tokens": round(tokens / max(n, 1), 1),
        "nlp_posts_per_s": round(full_rate, 1),
        "nlp_bare_tokenizer_posts_per_s": round(bare_rate, 1),
        "nlp_ratio_to_bare": round(full_rate / bare_rate, 3) if bare_rate else None,
        "nlp_import_s": round(import_s, 3),
        "nlp_model_load_s": round(load_s, 3),
        "nlp_peak_memory_after_load_mb": memory_after_load,
        "nlp_peak_memory_mb": _peak_mb(),
        "nlp_model_version": pipeline.model_version(nlp),
    }

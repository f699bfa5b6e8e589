"""Days of posts after the bundled sample, as production sees them: one normalized-post file a day.

The bundled sample covers the 14 days before 2026-11-23; these days start on 2026-11-23 (UTC), or on the
day the sample is shifted to end before (`first_day`, as `siaga extract replay --relative-to` does).
What a day holds, on purpose:
- new reports about problems the sample already made busy (6+ reports: the flood in Singa Gembara,
  PDAM in Teluk Lingga, the Swarga Bara road, the Sepaso bridge, the hospital in Sangatta Selatan),
  and new problems across categories and kecamatan that become busy over the days;
- two kilometre markers of one road (different problems), a regency-wide problem, emergencies;
- retweets ("RT @x:"), quotes and shares (`shared_from`), the same text cross-posted on X and
  Facebook, a post fetched again the next day with higher figures;
- replies and comments under agency posts (also under the sample's), the same short comment
  ("Setuju, sudah lama begini") in two threads, a complaint written as a comment;
- posts that are not complaints (announcements, ceremonies) and complaints from other regencies.

Deterministic: a fixed seed; the clock only places the days (`ending_yesterday()`, so the loader, which
refuses posts fetched in the future, takes them on any day). Every sentence is written for this project. `python -m
tests.sequence_days OUT_DIR` writes the day files (`day-YYYY-MM-DD.jsonl`), for trying by hand.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from extractors.post import author_hash, validate_post

FIRST_DAY = date(2026, 11, 23)  # the day after the bundled sample ends (extractors.replay.SAMPLE_ANCHOR)
DAYS = 14
SEED = 20261123

# Agency accounts and page posts the sample already holds (comments on them are realistic).
PEMKAB_PAGE = "100064000000101"
SAMPLE_PEMKAB_POST = "facebook:100064000000101_3687390471170170"  # BPBD's flood warning
SAMPLE_X_AGENCY_POST = "x:2124483887986901086"
SAMPLE_WANASARI_POST = "instagram:6246466255266745549"  # a report of the sample's flood in Wanasari (9 Nov)


@dataclass(frozen=True)
class Incident:
    """One real-world problem told by several people over some days."""

    key: str
    place: tuple[str, ...]  # how people name the place
    problems: tuple[str, ...]  # what they say is wrong (the category follows from these words)
    days: tuple[int, ...]  # day offsets with reports
    per_day: int = 1
    emergency: bool = False
    km: dict[int, int] = field(default_factory=dict)  # day offset -> the road's kilometre marker named that day
    platforms: tuple[str, ...] = ("x", "x", "facebook", "instagram", "whatsapp")
    geotag: tuple[float, float] | None = None  # a platform place tag every post of it carries


# Problems the sample already made busy (6+ reports), then new ones.
INCIDENTS: tuple[Incident, ...] = (
    Incident(
        "singa_gembara_flood",
        ("Singa Gembara", "Desa Singa Gembara Sangatta Utara", "Singa Gembara, Sangatta Utara"),
        (
            "banjir lagi, air masuk rumah setinggi lutut",
            "genangan banjir belum surut, warga mengungsi ke masjid",
            "banjir setiap hujan deras, drainase tersumbat sampah",
            "rumah warga kebanjiran sejak subuh, perabot rusak",
        ),
        (0, 1, 2),
        per_day=2,
    ),
    Incident(
        "teluk_lingga_pdam",
        ("Teluk Lingga", "Kelurahan Teluk Lingga", "Teluk Lingga Sangatta Utara"),
        (
            "air PDAM mati lagi, bak mandi kering",
            "air PDAM keruh kecoklatan, tidak bisa dipakai masak",
            "air ledeng tidak mengalir sudah tiga hari",
            "PDAM cuma mengalir tengah malam, itupun kecil sekali",
        ),
        (0, 1, 2, 3, 5),
        per_day=2,
    ),
    Incident(
        "swarga_bara_road",
        ("Swarga Bara", "jalan poros Swarga Bara", "Swarga Bara Sangatta Utara"),
        (
            "jalan berlubang makin dalam, motor sering terjatuh",
            "aspal jalan hancur, lubang besar tergenang air",
            "jalan rusak belum juga diperbaiki, debu tebal kalau kemarau",
            "tambalan jalan sudah lepas lagi, lubang di mana-mana",
        ),
        (0, 1, 3, 4, 6),
    ),
    Incident(
        "sepaso_bridge",
        ("Sepaso", "Desa Sepaso Bengalon", "Sepaso, Kecamatan Bengalon"),
        (
            "jembatan kayu yang ambruk belum diganti, warga menyeberang pakai rakit",
            "jembatan darurat goyang dan papannya lapuk, berbahaya untuk anak sekolah",
            "akses jembatan putus, hasil kebun tidak bisa dibawa keluar",
        ),
        (0, 1, 2, 4),
    ),
    Incident(
        "rsud_sangatta_selatan",
        ("Sangatta Selatan", "RSUD Sangatta Selatan", "Kecamatan Sangatta Selatan"),
        (
            "antrean berobat di rumah sakit panjang sekali, pasien BPJS menunggu seharian",
            "puskesmas kehabisan obat, pasien disuruh beli sendiri di apotek",
            "pelayanan rumah sakit lambat, dokter spesialis jarang ada",
        ),
        (0, 1, 3),
    ),
    Incident(
        "bukit_harapan_pln",
        ("Bukit Harapan", "Desa Bukit Harapan Kaliorang", "Bukit Harapan, Kaliorang"),
        (
            "listrik PLN padam berjam-jam tiap malam",
            "lampu mati terus, kulkas dan TV warga rusak",
            "pemadaman listrik bergilir tanpa pemberitahuan",
            "listrik byar pet sejak seminggu, anak susah belajar",
        ),
        (1, 2, 3, 4, 5, 6, 7, 8),
        per_day=2,
    ),
    Incident(
        "suka_rahmat_waste",
        ("Suka Rahmat", "Desa Suka Rahmat Teluk Pandan", "Suka Rahmat, Teluk Pandan"),
        (
            "sampah menumpuk di TPS pinggir jalan, baunya menyengat",
            "tumpukan sampah tidak diangkut dua minggu, lalat di mana-mana",
            "sampah dibakar warga karena tidak diangkut, asapnya masuk rumah",
        ),
        (2, 3, 4, 6, 8, 9, 10),
    ),
    Incident(
        "margo_mulyo_road",
        ("Margo Mulyo", "Desa Margo Mulyo Rantau Pulung", "Margo Mulyo, Rantau Pulung"),
        (
            "jalan tanah berlumpur, mobil pengangkut sawit terjebak",
            "jalan desa rusak parah, belum pernah disemenisasi",
            "jalan licin dan amblas, anak sekolah jalan kaki lewat kebun",
        ),
        (3, 4, 5, 7, 9, 10, 11, 12),
        per_day=2,
        # Past the first five reports someone names km 5, days later km 14: another stretch of road.
        km={9: 5, 11: 14},
    ),
    Incident(
        "wahau_baru_flood",
        ("Wahau Baru", "Desa Wahau Baru Muara Wahau", "Wahau Baru, Muara Wahau"),
        (
            "banjir besar, air sungai meluap masuk rumah sampai sepinggang, warga butuh perahu",
            "banjir merendam rumah warga, lansia dan anak-anak harus dievakuasi sekarang",
            "air banjir naik cepat, dapur umum dan bantuan perahu dibutuhkan",
        ),
        (5, 6, 7),
        per_day=2,
        emergency=True,
    ),
    Incident(
        "teluk_singkama_fire",
        ("Teluk Singkama", "Teluk Singkama Sangatta Selatan", "Kelurahan Teluk Singkama"),
        (
            "kebakaran rumah, api membesar dan merembet ke rumah tetangga, mohon damkar segera",
            "terjadi kebakaran, tiga rumah hangus terbakar, warga panik",
            "kebakaran hebat barusan, mobil pemadam belum datang",
        ),
        (6,),
        per_day=4,
        emergency=True,
    ),
    Incident(
        "maloy_school",
        ("Maloy", "Desa Maloy Sangkulirang", "Maloy, Sangkulirang"),
        (
            "atap sekolah dasar bocor dan plafon kelas jebol, murid belajar di teras",
            "sekolah kekurangan guru, satu guru mengajar dua kelas",
            "bangku dan meja sekolah rusak, murid duduk di lantai",
        ),
        (4, 6, 8, 10, 11, 13),
    ),
    Incident(
        "ktp_blanko",
        ("Kutim", "Kutai Timur", "Disdukcapil Kutim"),
        (
            "blanko KTP elektronik habis, sudah tiga bulan cuma dapat surat keterangan",
            "urus KTP dan KK di Disdukcapil lama sekali, antre dari subuh",
            "e-KTP belum jadi juga padahal rekam sejak bulan lalu",
        ),
        (7, 8, 9, 11, 13),
        per_day=2,
    ),
    Incident(
        "muara_bengkal_crocodile",
        ("Muara Bengkal Ulu", "Desa Muara Bengkal Ulu", "Muara Bengkal Ulu, Muara Bengkal"),
        (
            "buaya muncul di sungai dekat tempat warga mandi, anak-anak takut",
            "buaya besar terlihat lagi di pinggir sungai, warga minta ditangkap",
        ),
        (8, 9, 10),
    ),
    Incident(
        "bengalon_km12",
        ("jalan poros Sangatta Bengalon km 12", "poros Bengalon KM 12", "km 12 jalan Bengalon"),
        (
            "jalan longsor separuh badan jalan, truk antre panjang",
            "badan jalan retak dan amblas, kendaraan harus bergantian",
        ),
        (9, 10, 11),
    ),
    Incident(
        "bengalon_km37",
        ("jalan poros Sangatta Bengalon km 37", "poros Bengalon KM 37", "km 37 jalan Bengalon"),
        (
            "jalan berlubang besar di tikungan, sudah ada pengendara jatuh",
            "aspal mengelupas dan berlubang, rawan kecelakaan malam hari",
        ),
        (10, 12),
    ),
    Incident(
        "sukamaju_water",
        ("Sukamaju", "Desa Sukamaju Kombeng", "Sukamaju, Kombeng"),
        (
            "sumur bor desa kering, warga beli air galon untuk mandi",
            "air bersih susah, pipa air desa bocor tidak diperbaiki",
        ),
        (10, 11, 12, 13),
    ),
    Incident(
        "mangkaliat_abrasion",
        ("Tanjung Mangkaliat", "Desa Tanjung Mangkaliat Sandaran", "Tanjung Mangkaliat, Sandaran"),
        (
            "abrasi pantai makin parah, dua rumah warga nyaris roboh ke laut",
            "gelombang tinggi mengikis pantai, jalan desa putus",
        ),
        (11, 12, 13),
    ),
    Incident(
        # A new flood where the sample had one 15 days earlier (its thread got a comment yesterday).
        "wanasari_flood_again",
        ("Wanasari", "Desa Wanasari Muara Wahau", "Wanasari, Muara Wahau"),
        (
            "banjir lagi, sungai Wahau meluap dan air masuk rumah warga",
            "air sungai naik lagi, jalan desa tergenang banjir",
        ),
        (1,),
    ),
    Incident(
        # Tagged with the kecamatan's place (its centre, 27 km from this kelurahan), where the sample's
        # hospital issue sits on the map.
        "singa_geweh_puskesmas",
        ("Singa Geweh", "Kelurahan Singa Geweh", "Singa Geweh, Sangatta Selatan"),
        ("puskesmas tutup siang hari, petugas tidak ada, warga sakit pulang tanpa diperiksa",),
        (2,),
        platforms=("instagram",),
        geotag=(0.43416, 117.32544),
    ),
    Incident(
        "sumber_sari_bansos",
        ("Sumber Sari", "Desa Sumber Sari Long Mesangat", "Sumber Sari, Long Mesangat"),
        (
            "bansos sembako tidak merata, warga miskin tidak dapat",
            "bantuan PKH warga tiba-tiba dicoret tanpa penjelasan",
        ),
        (12, 13),
    ),
)

OPENERS = (
    "",
    "",
    "Assalamualaikum min, ",
    "Tolong @PemkabKutim, ",
    "Pak bupati, ",
    "Min, ",
    "Warga mengadu: ",
    "Mohon perhatian, ",
)
WHEN = (
    "hari ini",
    "sejak kemarin",
    "sudah tiga hari",
    "pagi ini",
    "dari minggu lalu",
    "malam ini",
    "sejak subuh",
    "sudah berhari-hari",
)
PLEAS = (
    "Mohon segera ditindaklanjuti 🙏",
    "Kapan ditangani pak?",
    "Tolong dinas terkait turun ke lokasi.",
    "#kutim #kutaitimur",
    "Kami sudah lapor RT tapi belum ada tindakan.",
    "Semoga cepat direspon 🙏🙏",
    "Jangan cuma janji.",
    "",
)

# Not complaints: announcements and ceremonies from agencies, and complaints from other regencies.
ANNOUNCEMENTS = (
    "Pemkab Kutim menggelar upacara peringatan Hari Guru Nasional di halaman kantor bupati, {when}.",
    "Dinas Kesehatan Kutim mengajak warga ikut imunisasi anak di posyandu terdekat, gratis.",
    "Bupati Kutim meresmikan gedung serbaguna baru di Sangatta, acara dihadiri tokoh masyarakat.",
    "Pendaftaran pelatihan kerja gratis dari Disnaker Kutim dibuka sampai akhir bulan, info di kantor kecamatan.",
    "Selamat kepada atlet Kutim yang meraih medali emas di Porprov Kaltim tahun ini 🏅",
    "Jadwal pelayanan Disdukcapil keliling minggu ini: Kaubun dan Kaliorang. Bawa fotokopi KK.",
    "Lomba kebersihan antar RT se-Kecamatan Sangatta Utara resmi dibuka, hadiah menarik menanti.",
)
ELSEWHERE = (
    "Jalan di Bontang Baru berlubang parah, tolong Pemkot Bontang segera perbaiki.",
    "Air PDAM di Samarinda Ulu mati sejak pagi, warga kesulitan air bersih.",
    "Banjir lagi di Tenggarong, Kukar. Drainase tidak berfungsi.",
    "Listrik padam di Tanjung Redeb Berau dari sore, kapan nyala?",
)
# The same words under different threads: short comments people leave everywhere, and an agency's
# canned answer. Look-alikes, not copies: each belongs to the thread it answers.
COMMON_REPLIES = ("Setuju, sudah lama begini", "Betul sekali, tolong cepat ditangani pak")
AGENCY_REPLY = (
    "Terima kasih laporannya, sudah kami teruskan ke dinas terkait.",
    "Baik, tim kami akan mengecek ke lokasi. Terima kasih.",
)
LOOK_ALIKE_REPLIES = COMMON_REPLIES + AGENCY_REPLY
# Other replies are each person's own words.
REPLIES = (
    "di tempat kami juga sama",
    "semoga cepat ditangani",
    "sudah dilaporkan ke dinas belum",
    "kasihan warga di sana",
    "viralkan terus biar didengar",
    "ikut pantau",
    "dari dulu tidak pernah beres",
    "anak saya juga kena imbasnya",
)
REPLY_HEADS = ("", "Wah", "Duh", "Iya", "Astaga")
REPLY_TAILS = ("min", "kak", "pak", "🙏", "bu", "gan", "")
QUOTES = (
    "Ini benar, saya lihat sendiri tadi.",
    "Tolong ditindak, sudah terlalu lama.",
    "Naikkan terus biar pemerintah lihat!",
    "Miris lihatnya 😢",
)
FIRST_NAMES = (
    "Rina",
    "Agus",
    "Siti",
    "Bayu",
    "Dewi",
    "Rahmat",
    "Yuni",
    "Hendra",
    "Lestari",
    "Fajar",
    "Wulan",
    "Irwan",
    "Nur",
    "Taufik",
    "Ayu",
    "Joko",
    "Mega",
    "Andi",
    "Sari",
    "Dimas",
)
LAST_NAMES = (
    "Saputra",
    "Rahayu",
    "Hidayat",
    "Pratiwi",
    "Kurniawan",
    "Lestari",
    "Wijaya",
    "Nugroho",
    "Syahputra",
    "Handayani",
    "Firmansyah",
    "Maharani",
)
# Where people post from (geotags near the place; most posts have none).
GEOTAGS = {
    "suka_rahmat_waste": (0.2935, 117.3550),
    "bukit_harapan_pln": (0.9120, 117.8350),
    "singa_gembara_flood": (0.5575, 117.6040),
}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Writer:
    """Builds one post at a time with ids of its own (none collides with the sample's)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.n = 0
        self.texts: set[str] = set()

    def author(self) -> tuple[str, str]:
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        handle = name.lower().replace(" ", "_") + str(self.rng.randint(1, 99))
        return handle, name

    def post(
        self,
        platform: str,
        text: str,
        created: datetime,
        *,
        handle: str | None = None,
        name: str | None = None,
        parent: str | None = None,
        shared: str | None = None,
        geo: tuple[float, float] | None = None,
        base_id: str | None = None,
        metrics: dict | None = None,
    ) -> dict:
        self.n += 1
        if handle is None:
            handle, name = self.author()
        if base_id is not None:
            post_id = base_id
        elif platform == "x":
            post_id = str(2_130_000_000_000_000_000 + self.n * 7919)
        elif platform == "facebook":
            owner = (
                parent.split("_")[-1]
                if parent
                else PEMKAB_PAGE
                if handle == "pemkabkutim"
                else f"1000770000{self.n % 97:02d}"
            )
            post_id = f"{owner}_{8_100_000_000_000 + self.n * 31}"
        elif platform == "instagram":
            post_id = str(3_100_000_000_000_000_000 + self.n * 613)
        else:
            post_id = f"wamid.HBgNSEQ{self.n:018d}AA=="
        url = {
            "x": f"https://x.com/{handle}/status/{post_id}",
            "facebook": f"https://www.facebook.com/{post_id.replace('_', '/posts/', 1)}",
            "instagram": f"https://www.instagram.com/p/SEQ{self.n:07d}/",
        }.get(platform)
        if metrics is None:
            metrics = (
                {"likes": None, "shares": None, "comments": None, "views": None}
                if platform == "whatsapp"
                else {
                    "likes": self.rng.randint(0, 120),
                    "shares": self.rng.randint(0, 30),
                    "comments": self.rng.randint(0, 15),
                    "views": self.rng.randint(100, 9000) if platform == "x" else None,
                }
            )
        fetched = created.replace(hour=23, minute=59, second=0)
        return validate_post(
            {
                "platform": platform,
                "platform_post_id": post_id,
                "url": url,
                "author_id": author_hash(platform, handle),
                "author_name": name,
                "text": text,
                "created_at": _stamp(created),
                "lang": "id" if platform == "x" else None,
                "parent_id": parent,
                "shared_from": shared,
                "metrics": metrics,
                "geo": {"lat": geo[0], "lon": geo[1]} if geo else None,
                "media": [],
                "source_query": {
                    "x": "#kutim OR @PemkabKutim",
                    "facebook": f"page:{PEMKAB_PAGE}",
                    "instagram": "hashtag:kutim",
                    "whatsapp": "webhook",
                }[platform],
                "fetched_at": _stamp(fetched),
                "raw": {"id": post_id, "text": text, "generated_by": "tests.sequence_days"},
            }
        )

    def fresh(self, text: str) -> bool:
        """Whether no earlier post had these words (case, emoji and punctuation aside: the warehouse
        would take the same words for the same content, a copy); remembers them."""
        words = " ".join(re.findall(r"[^\W_]+", text.lower()))
        if words in self.texts:
            return False
        self.texts.add(words)
        return True

    def reply(self) -> str:
        """A comment in one person's words."""
        for _ in range(500):
            text = " ".join(
                part
                for part in (self.rng.choice(REPLY_HEADS), self.rng.choice(REPLIES), self.rng.choice(REPLY_TAILS))
                if part
            )
            text = text[0].upper() + text[1:]
            if self.fresh(text):
                return text
        raise RuntimeError("ran out of reply wordings")

    def complaint(self, incident: Incident, offset: int = -1) -> str:
        """A report in one person's words; never twice the same text (that would be a copy)."""
        for _ in range(50):
            problem = self.rng.choice(incident.problems)
            place = self.rng.choice(incident.place)
            if offset in incident.km:
                place = f"{place} km {incident.km[offset]}"
            when = self.rng.choice(WHEN)
            shape = self.rng.randrange(3)
            if shape == 0:
                body = f"{problem.capitalize()} di {place} {when}."
            elif shape == 1:
                body = f"{place}: {problem}, {when}."
            else:
                body = f"Di {place} {when} {problem}."
            text = f"{self.rng.choice(OPENERS)}{body} {self.rng.choice(PLEAS)}".strip()
            if self.fresh(text):
                return text
        raise RuntimeError(f"ran out of wordings for {incident.key}")


def _moment(rng: random.Random, day: date) -> datetime:
    """A time in the day (UTC), away from midnight so a copy made hours later stays in the day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=rng.randrange(3600, 14 * 3600))


def ending_yesterday(days: int = DAYS) -> date:
    """The first day of `days` days that end yesterday (UTC). The loader refuses posts fetched in the
    future, so tests run the sample (`siaga extract replay --relative-to` this day) and the days after
    it in the past, whatever the date."""
    return datetime.now(UTC).date() - timedelta(days=days)


def generate_days(days: int = DAYS, seed: int = SEED, first_day: date = FIRST_DAY) -> list[list[dict]]:
    """`days` lists of normalized posts, day 0 being `first_day`; each post is created on its day (UTC).
    The words and ids depend on the seed only, the times also on `first_day`."""
    rng = random.Random(seed)
    w = _Writer(rng)
    out: list[list[dict]] = [[] for _ in range(days)]
    reports_by_day: list[list[dict]] = [[] for _ in range(days)]
    agency_posts: list[str] = [SAMPLE_PEMKAB_POST]
    common_used: dict[str, int] = {}

    for offset in range(days):
        day = first_day + timedelta(days=offset)
        posts = out[offset]
        # An agency post of the day, which people comment under.
        agency = w.post(
            "facebook",
            rng.choice(ANNOUNCEMENTS).format(when="pagi ini"),
            _moment(rng, day),
            handle="pemkabkutim",
            name="Pemerintah Kabupaten Kutai Timur",
        )
        posts.append(agency)
        agency_posts.append(f"facebook:{agency['platform_post_id']}")

        for incident in INCIDENTS:
            if offset not in incident.days:
                continue
            for _ in range(incident.per_day):
                platform = rng.choice(incident.platforms)
                geo = GEOTAGS.get(incident.key) if platform == "instagram" else None
                if geo:  # people stand a few hundred metres apart
                    geo = (round(geo[0] + rng.uniform(-0.003, 0.003), 5), round(geo[1] + rng.uniform(-0.003, 0.003), 5))
                report = w.post(platform, w.complaint(incident, offset), _moment(rng, day), geo=incident.geotag or geo)
                posts.append(report)
                reports_by_day[offset].append(report)

        # A complaint written as a comment under an agency post: a report of its own.
        pick = rng.choice([i for i in INCIDENTS if offset in i.days] or INCIDENTS[:1])
        posts.append(w.post("facebook", w.complaint(pick), _moment(rng, day), parent=agency_posts[-1]))

        # Copies: retweets and quotes of today's X reports, a cross-post to Facebook, an Instagram share.
        for report in reports_by_day[offset]:
            created = datetime.fromisoformat(report["created_at"].replace("Z", "+00:00"))
            later = created + timedelta(minutes=rng.randrange(5, 300))
            key = f"{report['platform']}:{report['platform_post_id']}"
            roll = rng.random()
            if report["platform"] == "x" and roll < 0.45:
                handle = report["url"].split("/")[3]
                posts.append(
                    w.post(
                        "x",
                        f"RT @{handle}: {report['text']}",
                        later,
                        shared=key,
                        metrics={"likes": 0, "shares": 0, "comments": 0, "views": 0},
                    )
                )
            elif report["platform"] == "x" and roll < 0.6:
                posts.append(w.post("x", rng.choice(QUOTES), later, shared=key))
            elif report["platform"] == "x" and roll < 0.7:
                # the same person posts the same words on Facebook (a cross-post: the same content)
                posts.append(
                    w.post(
                        "facebook",
                        report["text"],
                        later,
                        name=report["author_name"],
                        handle=report["url"].split("/")[3],
                    )
                )
            elif report["platform"] == "instagram" and roll < 0.3:
                posts.append(w.post("facebook", f"{rng.choice(QUOTES)}", later, shared=key))
            # Replies under the report; agencies answer some.
            if rng.random() < 0.35:
                parent_platform = report["platform"] if report["platform"] != "whatsapp" else None
                if parent_platform:
                    posts.append(
                        w.post(parent_platform, w.reply(), later + timedelta(minutes=rng.randrange(1, 120)), parent=key)
                    )
            if report["platform"] == "x" and rng.random() < 0.15:
                posts.append(
                    w.post(
                        "x",
                        rng.choice(AGENCY_REPLY),
                        later + timedelta(minutes=30),
                        parent=key,
                        handle="PemkabKutim",
                        name="Pemkab Kutai Timur",
                    )
                )

        # Yesterday's reports answered today (a thread goes on the next day).
        for report in reports_by_day[offset - 1] if offset else ():
            if report["platform"] in ("x", "facebook") and rng.random() < 0.3:
                key = f"{report['platform']}:{report['platform_post_id']}"
                posts.append(w.post(report["platform"], w.reply(), _moment(rng, day), parent=key))

        # The same short comment under two threads (a look-alike, not a copy of anything).
        if offset in (2, 9):
            for text in COMMON_REPLIES:
                thread = reports_by_day[offset][common_used.get(text, 0) % max(1, len(reports_by_day[offset]))]
                common_used[text] = common_used.get(text, 0) + 3
                key = f"{thread['platform']}:{thread['platform_post_id']}"
                platform = thread["platform"] if thread["platform"] != "whatsapp" else "facebook"
                posts.append(w.post(platform, text, _moment(rng, day), parent=key))
        if offset == 0:  # a comment under the sample's flood report from 14 days ago (not a report)
            posts.append(
                w.post(
                    "instagram",
                    "Ikut mendoakan warga Wanasari, semoga sehat semua 🙏",
                    _moment(rng, day),
                    parent=SAMPLE_WANASARI_POST,
                )
            )
        if offset == 1:
            posts.append(w.post("x", COMMON_REPLIES[0], _moment(rng, day), parent=SAMPLE_X_AGENCY_POST))

        # Not complaints, and complaints from elsewhere.
        for _ in range(2):
            posts.append(
                w.post(
                    rng.choice(("x", "instagram")), rng.choice(ANNOUNCEMENTS).format(when="kemarin"), _moment(rng, day)
                )
            )
        if offset % 2 == 0:
            posts.append(w.post(rng.choice(("x", "facebook")), rng.choice(ELSEWHERE), _moment(rng, day)))

    # Fetched again the next day with higher figures (the same post: one row, figures updated).
    for offset in range(1, days):
        for report in reports_by_day[offset - 1][:2]:
            if report["platform"] not in ("x", "facebook"):
                continue
            again = json.loads(json.dumps(report))
            again["metrics"] = {k: (v or 0) + 40 if v is not None else None for k, v in report["metrics"].items()}
            fetched = datetime.fromisoformat(report["fetched_at"].replace("Z", "+00:00")) + timedelta(days=1)
            again["fetched_at"] = _stamp(fetched)
            out[offset].append(again)

    for posts in out:  # a day's file lists posts in the order a fetch returns them: newest first
        posts.sort(key=lambda p: (p["fetched_at"], p["created_at"]), reverse=True)
    return out


def write_days(folder: Path, days: int = DAYS, seed: int = SEED, first_day: date = FIRST_DAY) -> list[Path]:
    """One JSON Lines file per day, `day-YYYY-MM-DD.jsonl`; returns their paths in day order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for offset, posts in enumerate(generate_days(days, seed, first_day)):
        path = folder / f"day-{first_day + timedelta(days=offset)}.jsonl"
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts), encoding="utf-8")
        paths.append(path)
    return paths


def digest(days: list[list[dict]]) -> str:
    """A short fingerprint of generated days (the generator is deterministic: same seed, same digest)."""
    return hashlib.sha256(json.dumps(days, sort_keys=True).encode()).hexdigest()[:16]


if __name__ == "__main__":
    for written in write_days(Path(sys.argv[1] if len(sys.argv) > 1 else "data/staging/days")):
        print(written)

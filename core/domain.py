"""Domain terms, defined once: the categories and their labels, Kutim's clock (WITA), Indonesian month
names, platform names and the limits of a LAPOR! draft. Identifiers are English; values people read are
Indonesian."""

from __future__ import annotations

from datetime import timedelta, timezone

# One main category per complaint (docs/interfaces.md "Categories"); the order is the UI's and the model's.
CATEGORIES: tuple[str, ...] = (
    "jalan_jembatan",
    "banjir",
    "air_bersih",
    "listrik",
    "lingkungan_sampah",
    "kesehatan",
    "pendidikan",
    "adminduk",
    "sosial",
    "kebakaran",
    "bencana_alam",
    "ketertiban_keamanan",
    "transportasi",
    "lainnya",
)

# What people read for a category (the UI, alert messages in lower case); LAPOR!'s own names for them are
# the mapping's (extractors/lapor/mapping.py, KATEGORI_LABELS).
CATEGORY_LABELS: dict[str, str] = {
    "jalan_jembatan": "Jalan dan jembatan",
    "banjir": "Banjir",
    "air_bersih": "Air bersih",
    "listrik": "Listrik",
    "lingkungan_sampah": "Lingkungan dan sampah",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "adminduk": "Administrasi kependudukan",
    "sosial": "Sosial",
    "kebakaran": "Kebakaran",
    "bencana_alam": "Bencana alam",
    "ketertiban_keamanan": "Ketertiban dan keamanan",
    "transportasi": "Transportasi",
    "lainnya": "Lainnya",
}

# Kutim's clock: Waktu Indonesia Tengah, UTC+8, no daylight saving. The warehouse stores UTC; WITA is
# for what people read. `WITA_OFFSET` for naive-UTC arithmetic, `WITA` as a tzinfo.
WITA_OFFSET = timedelta(hours=8)
WITA = timezone(WITA_OFFSET, "WITA")

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_LONG = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

PLATFORM_LABELS: dict[str, str] = {"x": "X", "facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}

# The longest judul of a draft: what a moderator may type (the form's maxlength, docs/panduan-moderator.md)
# and where the generator shortens its title, one value. LAPOR! has no judul field of its own: the mapping
# writes it into `isi` ("Judul: ..."), so nothing longer is needed and nothing shorter is imposed.
JUDUL_MAX = 150

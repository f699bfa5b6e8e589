"""What users read: Indonesian dates in WITA, labels, and masking of personal data."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

WITA = dt.timedelta(hours=8)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

CATEGORY_LABELS = {
    "jalan_jembatan": "Jalan & jembatan",
    "banjir": "Banjir",
    "air_bersih": "Air bersih",
    "listrik": "Listrik",
    "lingkungan_sampah": "Lingkungan & sampah",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "adminduk": "Adminduk",
    "sosial": "Sosial",
    "kebakaran": "Kebakaran",
    "bencana_alam": "Bencana alam",
    "ketertiban_keamanan": "Ketertiban & keamanan",
    "transportasi": "Transportasi",
    "lainnya": "Lainnya",
}
CLASSIFICATION_LABELS = {
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan informasi",
}
STATUS_LABELS = {
    "pending": "Menunggu",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "merged": "Digabung",
    "sending": "Mengirim",
    "submitted": "Terkirim",
    "failed_retryable": "Gagal (diulang)",
    "failed_permanent": "Gagal",
    "exported": "Diekspor",
    "open": "Terbuka",
    "closed": "Selesai",
}
ACTION_LABELS = {
    "edit": "Mengubah",
    "approve": "Menyetujui",
    "reject": "Menolak",
    "merge": "Menggabungkan",
    "unmask": "Membuka data pribadi",
    "submit": "Mengirim ke LAPOR!",
}
PLATFORM_LABELS = {"x": "X", "facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}
ALERT_LABELS = {"spike": "Lonjakan", "viral": "Viral", "emergency": "Darurat"}
HANDOFF_LABELS = {
    "pending": "Belum diteruskan",
    "handed_to_112": "Diteruskan ke 112",
    "dismissed": "Diabaikan",
    None: "Belum diteruskan",
}


def to_wita(value: dt.datetime) -> dt.datetime:
    """Warehouse timestamps are naive UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value + WITA


def tanggal(value: dt.date | dt.datetime | None) -> str:
    """22 Nov 2026 (a datetime is taken as UTC and shown in WITA)."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        value = to_wita(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value: dt.datetime | None) -> str:
    """22 Nov 2026 14:05 WITA."""
    if value is None:
        return "-"
    local = to_wita(value)
    return f"{tanggal(local.date())} {local:%H:%M} WITA"


def angka(value: int | float | None) -> str:
    """12.345 (Indonesian thousands separator)."""
    if value is None:
        return "-"
    return f"{int(value):,}".replace(",", ".")


def mask_text(text: str | None) -> str:
    from nlp import mask_pii

    return mask_pii(text or "")


def mask_name(name: str | None) -> str:
    """Budi Santoso -> B*** S***: enough to tell posts apart, not to identify anyone."""
    if not name:
        return "(tanpa nama)"
    return " ".join(part[0] + "***" for part in re.split(r"\s+", name.strip()) if part)


def safe_link(url: str | None) -> str | None:
    """Only http(s) links are rendered (a post's URL could be javascript:)."""
    if not url:
        return None
    return url if urlparse(url).scheme in ("http", "https") else None

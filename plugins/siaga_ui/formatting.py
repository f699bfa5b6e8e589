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
    "lapor_submitted": "Terkirim ke LAPOR!",
    "lapor_failed": "Gagal dikirim ke LAPOR!",
    "lapor_returned": "Dikembalikan oleh LAPOR!",
    "lapor_exported": "Diekspor untuk admin LAPOR!",
    "lapor_recorded": "Nomor pelacakan LAPOR! dicatat",
}
PLATFORM_LABELS = {"x": "X", "facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp"}
ALERT_LABELS = {"spike": "Lonjakan", "viral": "Viral", "emergency": "Darurat"}
# LAPOR!'s own status codes (extractors/lapor/mapping.py STATUS_ORDER); other wording shows as given.
LAPOR_STATUS_LABELS = {
    "belum_terverifikasi": "Belum terverifikasi",
    "terverifikasi": "Terverifikasi, diteruskan ke instansi",
    "ditindaklanjuti": "Ditindaklanjuti instansi",
    "selesai": "Selesai",
}
# The SLA stages of warehouse.lapor.tickets_with_sla (`tahap`).
LAPOR_STAGE_LABELS = {
    "verifikasi": "Verifikasi admin",
    "tindak_lanjut": "Tindak lanjut instansi",
    "penutupan": "Penutupan",
    "selesai": "Selesai",
}
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


def _parse_iso(value: str) -> dt.date | dt.datetime:
    """The LAPOR! bridge hands dates as ISO text: "2026-11-26" (a WITA day) or a naive-UTC time."""
    return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)


def tanggal(value: dt.date | dt.datetime | str | None) -> str:
    """22 Nov 2026 (a datetime is taken as UTC and shown in WITA)."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = _parse_iso(value)
    if isinstance(value, dt.datetime):
        value = to_wita(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value: dt.datetime | str | None) -> str:
    """22 Nov 2026 14:05 WITA (a bare date shows as its day)."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = _parse_iso(value)
    if not isinstance(value, dt.datetime):
        return tanggal(value)
    local = to_wita(value)
    return f"{tanggal(local.date())} {local:%H:%M} WITA"


def hari_kerja(days_left: int | None) -> str:
    """An SLA clock in words: "sisa 2 hari kerja", "tenggat hari ini", "lewat 3 hari kerja"."""
    if days_left is None:
        return "-"
    if days_left > 0:
        return f"sisa {days_left} hari kerja"
    if days_left == 0:
        return "tenggat hari ini"
    return f"lewat {-days_left} hari kerja"


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

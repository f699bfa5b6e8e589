"""What users read: Indonesian dates in WITA, labels, and masking of personal data."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urlparse

from core.domain import CATEGORY_LABELS, PLATFORM_LABELS  # noqa: F401 (the UI reads them from here)
from core.domain import MONTHS_SHORT as MONTHS
from core.domain import WITA_OFFSET as WITA
from nlp import mask_pii  # light: nlp loads spaCy only when analysing (a CSV masks 30k texts: import once)
from nlp.pii import MIN_DIGITS

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
    "split": "Memisahkan ke isu baru",
    "unmask": "Membuka data pribadi",
    "submit": "Mengirim ke LAPOR!",
    "lapor_submitted": "Terkirim ke LAPOR!",
    "lapor_failed": "Gagal dikirim ke LAPOR!",
    "lapor_returned": "Dikembalikan oleh LAPOR!",
    "lapor_exported": "Diekspor untuk admin LAPOR!",
    "lapor_recorded": "Nomor pelacakan LAPOR! dicatat",
    "handoff_112": "Menandai diteruskan ke 112",
    "handoff_dismissed": "Menandai bukan darurat",
    "reply_edit": "Mengubah balasan ke warga",
    "reply_approve": "Menyetujui balasan ke warga",
    "reply_skip": "Melewati balasan ke warga",
    "reply_sent": "Balasan terkirim ke warga",
    "reply_failed": "Balasan gagal dikirim",
    "reply_uncertain": "Balasan tidak pasti terkirim",
}
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
    "dismissed": "Bukan darurat",
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


def lama(minutes: int | None) -> str:
    """A wait in words: "45 menit", "3 jam 5 menit", "2 hari 4 jam"."""
    if minutes is None:
        return "-"
    days, rest = divmod(int(minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} hari {hours} jam" if hours else f"{days} hari"
    if hours:
        return f"{hours} jam {mins} menit" if mins else f"{hours} jam"
    return f"{mins} menit"


def wita_input(value: dt.datetime | None) -> str:
    """A UTC time as the value of a datetime-local field in WITA ('2026-11-22T12:30')."""
    return to_wita(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def angka(value: int | float | None) -> str:
    """12.345 (Indonesian thousands separator)."""
    if value is None:
        return "-"
    return f"{int(value):,}".replace(",", ".")


# Matches at the start of a text holding at least MIN_DIGITS ASCII digits (one pass, in C).
_ENOUGH_DIGITS = re.compile(rf"(?:[^0-9]*[0-9]){{{MIN_DIGITS}}}")


def mask_text(text: str | None) -> str:
    # An ASCII text with no '@' and fewer than nlp.pii.MIN_DIGITS digits holds nothing to mask (every
    # pattern needs one or the other) and comes back as it is, decided in C rather than per character in
    # Python: a CSV of 20k tickets masks one title per row (issue 17). Anything else goes through mask_pii.
    if text and text.isascii() and "@" not in text and not _ENOUGH_DIGITS.match(text):
        return text
    return mask_pii(text or "")


# An @handle names its author as surely as the masked author name would (`RT @budi_kutim: ...`).
# Not after a word character or '*' (the end of an e-mail address masked by nlp.mask_pii).
_HANDLE = re.compile(r"(?<![\w@*.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")


@lru_cache(maxsize=1)
def agency_handles() -> frozenset[str]:
    """The agencies' own accounts (config/listening.yaml): institutions, not people, so left readable."""
    try:
        from extractors import listening

        agencies = listening.load()["agencies"]
    except Exception:  # no listening config here: every handle is masked
        return frozenset()
    return frozenset(
        str(account["handle"]).lower()
        for agency in agencies
        for account in agency.values()
        if isinstance(account, dict) and account.get("handle")
    )


def mask_handles(text: str | None) -> str:
    """@budi_kutim -> @b***, except the agencies' own handles."""
    keep = agency_handles()
    return _HANDLE.sub(lambda m: m.group(0) if m.group(1).lower() in keep else f"@{m.group(1)[0]}***", text or "")


def mask_people(text: str | None) -> str:
    """Free text written by people (posts, reasons, notes) for reading: personal data and @handles masked."""
    return mask_handles(mask_text(text))


_URL = re.compile(r"https?://[^\s<>\"']+")


def mask_for_humas(text: str | None) -> str:
    """`mask_people`, and every link cut to its site (x.com/...): a post's path names or numbers its author,
    so humas, who must not unmask, never reads one; moderators keep the links."""
    return _URL.sub(lambda m: f"{link_host(m.group(0)) or 'tautan'}/... (tautan disembunyikan)", mask_people(text))


def link_host(url: str | None) -> str | None:
    """Only the site of a post's link (x.com): the path names or numbers its author."""
    if not url:
        return None
    parsed = urlparse(url)
    return parsed.hostname if parsed.scheme in ("http", "https") else None


def opaque_post_key(post_key: str) -> str:
    """x:1861... -> x:3f2a9c01d4e7: tells posts apart without the platform id that leads to the author."""
    import hashlib

    platform, _, _ = post_key.partition(":")
    return f"{platform}:{hashlib.sha256(post_key.encode()).hexdigest()[:12]}"


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

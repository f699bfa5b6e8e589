"""The ONE place that knows LAPOR!'s wire format: draft -> request, answer -> our fields.

Known from public code (docs/interfaces.md, "SP4N-LAPOR! push"): `POST /api/stream/addstream`, an XML
body `<lapor token><pelapor>…</pelapor><laporan rahasia anonim><isi/></laporan></lapor>`, and an
answer whose root has `trackingid` and `transaksiid`. Everything else below is an ASSUMPTION,
marked as such, to be replaced by the agency's real API documentation in this module only:
judul, kategori, lokasi, instansi and tanggal kejadian have no known field and go into `isi`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from core.domain import WITA
from extractors.lapor.models import (
    FollowUp,
    LaporReport,
    LaporValidationError,
    Receipt,
    TicketStatus,
)

# --- Known -----------------------------------------------------------------------------------
PUSH_PATH = "/api/stream/addstream"
PUSH_CONTENT_TYPE = "text/xml; charset=UTF-8"
PUBLIC_TICKET_URL = "https://www.lapor.go.id/pengaduan/{tracking_id}"
PELAPOR_FIELDS = ("email", "telpon", "namadepan", "namabelakang")

# --- Assumed (no public documentation) ---------------------------------------------------------
# Our idempotency key travels as a header and, for a human searching LAPOR!, at the end of isi.
IDEMPOTENCY_HEADER = "X-Idempotency-Key"
# Reconciliation and status: GET with the token in a header (never in a URL, which gets logged).
TOKEN_HEADER = "X-Lapor-Token"
LOOKUP_PATH = "/api/stream/lookup"  # ?ref=<idempotency key> or ?transaksiid=<id>
STATUS_PATH = "/api/stream/status"  # ?trackingid=<id>
MIN_ISI_CHARS = 20  # LAPOR!'s web form refuses very short reports; assumed the API does too

# LAPOR!'s status wording (as shown on its pages) -> our codes. Unknown wording is kept raw and
# treated as "still waiting for verification", so a clock never stops on a word we do not know.
STATUS_CODES = {
    "belum terverifikasi": "belum_terverifikasi",
    "menunggu verifikasi": "belum_terverifikasi",
    "terverifikasi": "terverifikasi",
    "didisposisikan": "terverifikasi",
    "belum ditindaklanjuti": "terverifikasi",
    "proses": "ditindaklanjuti",
    "sedang diproses": "ditindaklanjuti",
    "ditindaklanjuti": "ditindaklanjuti",
    "selesai": "selesai",
    "arsip": "selesai",
    "ditutup": "selesai",
    "ditolak": "ditolak",
}
STATUS_ORDER = ("belum_terverifikasi", "terverifikasi", "ditindaklanjuti", "selesai")

KATEGORI_LABELS = {
    "jalan_jembatan": "Jalan dan Jembatan",
    "banjir": "Banjir",
    "air_bersih": "Air Bersih (PDAM)",
    "listrik": "Listrik dan Penerangan Jalan",
    "lingkungan_sampah": "Lingkungan Hidup dan Sampah",
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "adminduk": "Administrasi Kependudukan",
    "sosial": "Sosial",
    "kebakaran": "Kebakaran",
    "bencana_alam": "Bencana Alam",
    "ketertiban_keamanan": "Ketertiban dan Keamanan",
    "transportasi": "Transportasi",
    "lainnya": "Lainnya",
}
KLASIFIKASI_LABELS = {
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan Informasi",
}


# Personal data that must already be masked in drafts.isi: a last line of defence before it leaves.
_PERSONAL_DATA = {
    "nomor telepon": re.compile(r"(?<!\d)(?:\+?62|0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?!\d)"),
    "NIK": re.compile(r"(?<!\d)\d{16}(?!\d)"),
    "alamat e-mail": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
}


# Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). Posts copied
# from social media sometimes hold them; left in, LAPOR! would refuse the whole report as bad XML.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def personal_data_found(text: str) -> list[str]:
    """The kinds of unmasked personal data in `text` (empty when clean)."""
    return [kind for kind, pattern in _PERSONAL_DATA.items() if pattern.search(text)]


def compose_isi(report: LaporReport) -> str:
    """The report text LAPOR! receives: the draft's isi, then the fields LAPOR!'s push has no place for."""
    lines = [report.isi.strip(), "", f"Judul: {report.judul.strip()}"]
    if report.kategori:
        lines.append(f"Kategori: {KATEGORI_LABELS.get(report.kategori, report.kategori)}")
    if report.klasifikasi:
        lines.append(f"Klasifikasi: {KLASIFIKASI_LABELS.get(report.klasifikasi, report.klasifikasi)}")
    if report.lokasi or report.region_code:
        place = report.lokasi or "-"
        code = f" (kode wilayah Kemendagri {report.region_code})" if report.region_code else ""
        lines.append(f"Lokasi kejadian: {place}{code}, Kabupaten Kutai Timur")
    if report.tanggal_kejadian:
        local = report.tanggal_kejadian.replace(tzinfo=UTC).astimezone(WITA)
        lines.append(f"Tanggal kejadian: {local:%d-%m-%Y} (WITA)")
    if report.instansi:
        lines.append(f"Instansi tujuan: {report.instansi}")
    if report.post_count:
        lines.append(f"Sumber: {report.post_count} unggahan warga di media sosial (Omni Channel Kutim)")
    lines.extend(f"Lampiran: {url}" for url in report.lampiran)
    lines.append(f"Kode referensi Kutim Siaga: {report.idempotency_key}")
    return xml_safe("\n".join(lines))


def check_report(report: LaporReport) -> str:
    """The isi to send, or LaporValidationError with a reason a moderator can act on."""
    if len(report.isi.strip()) < MIN_ISI_CHARS:
        raise LaporValidationError(
            f"Isi laporan terlalu pendek (minimal {MIN_ISI_CHARS} karakter); lengkapi uraian masalahnya."
        )
    # The moderator-written fields only: our own lines (codes, reference key) are not personal data
    # and a key of 16 digits must not read as a NIK.
    written = "\n".join(part or "" for part in (report.judul, report.isi, report.lokasi))
    found = [] if report.personal_data_allowed else personal_data_found(written)
    if found:
        raise LaporValidationError(
            "Isi masih memuat data pribadi yang belum disamarkan (" + ", ".join(found) + "); "
            "samarkan dulu sebelum disetujui lagi."
        )
    return compose_isi(report)


def build_push_body(report: LaporReport, token: str, pelapor: dict | None = None) -> bytes:
    """The addstream XML for one report (pelapor: the service's own contact, not the citizen's)."""
    isi = check_report(report)
    root = ET.Element("lapor", {"token": token})
    pelapor_el = ET.SubElement(root, "pelapor")
    for name in PELAPOR_FIELDS:
        ET.SubElement(pelapor_el, name).text = xml_safe((pelapor or {}).get(name) or "") or None
    laporan = ET.SubElement(
        root, "laporan", {"rahasia": "1" if report.rahasia else "0", "anonim": "1" if report.anonim else "0"}
    )
    ET.SubElement(laporan, "isi").text = isi
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def push_headers(report: LaporReport) -> dict[str, str]:
    return {"Content-Type": PUSH_CONTENT_TYPE, IDEMPOTENCY_HEADER: report.idempotency_key}


# --- Answers -----------------------------------------------------------------------------------
class MalformedAnswer(ValueError):
    """LAPOR!'s answer is not the XML we expect."""


def _parse_xml(body: bytes) -> ET.Element:
    if b"<!DOCTYPE" in body[:2048] or b"<!ENTITY" in body:
        raise MalformedAnswer("the answer declares a DOCTYPE/ENTITY; refused")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise MalformedAnswer(f"the answer is not XML ({exc})") from exc


def _child_text(root: ET.Element, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    for child in root.iter():
        if child.tag.lower() in wanted and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_push_answer(body: bytes) -> Receipt:
    """`trackingid` and `transaksiid` from addstream's answer (MalformedAnswer without a tracking ID)."""
    root = _parse_xml(body)
    tracking_id = _child_text(root, "trackingid")
    if not tracking_id:
        raise MalformedAnswer("the answer has no trackingid")
    return Receipt(tracking_id=tracking_id, transaksi_id=_child_text(root, "transaksiid"))


def parse_error_reason(body: bytes, fallback: str) -> str:
    """The message in an error answer (`message`, `error` or `keterangan`), else `fallback`."""
    try:
        root = _parse_xml(body)
    except MalformedAnswer:
        return fallback
    return _child_text(root, "message", "error", "keterangan", "pesan") or fallback


def parse_lookup_answer(body: bytes) -> Receipt | None:
    """A lookup's answer: the ticket's receipt, or None when LAPOR! holds no report with that key."""
    root = _parse_xml(body)
    if (_child_text(root, "found") or "1") == "0":
        return None
    tracking_id = _child_text(root, "trackingid")
    if not tracking_id:
        return None
    return Receipt(tracking_id=tracking_id, transaksi_id=_child_text(root, "transaksiid"))


def _parse_time(text: str | None) -> datetime | None:
    """LAPOR! dates, assumed ISO 8601 (WITA when no zone is given) -> naive UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=WITA)
    return value.astimezone(UTC).replace(tzinfo=None)


def status_code(raw_status: str) -> str:
    return STATUS_CODES.get(raw_status.strip().lower(), "belum_terverifikasi")


def parse_status_answer(body: bytes, tracking_id: str) -> TicketStatus:
    """A status answer: `status`, optional milestone dates, and `tindaklanjut/item` entries."""
    root = _parse_xml(body)
    raw = _child_text(root, "status")
    if raw is None:
        raise MalformedAnswer("the status answer has no status")
    followups = []
    container = next((el for el in root.iter() if el.tag.lower() == "tindaklanjut"), None)
    if container is not None:
        for seq, item in enumerate(container, start=1):
            followups.append(
                FollowUp(
                    seq=seq,
                    responded_at=_parse_time(_child_text(item, "tanggal")),
                    responder=_child_text(item, "oleh", "instansi"),
                    text=_child_text(item, "isi"),
                )
            )
    return TicketStatus(
        tracking_id=tracking_id,
        status=status_code(raw),
        raw_status=raw,
        verified_at=_parse_time(_child_text(root, "tanggalverifikasi")),
        followed_up_at=_parse_time(_child_text(root, "tanggaltindaklanjut")),
        closed_at=_parse_time(_child_text(root, "tanggalselesai")),
        followups=tuple(followups),
    )


# --- Export batch (hand entry by a LAPOR! admin) ----------------------------------------------
EXPORT_COLUMNS = (
    "kode_referensi",
    "judul",
    "isi",
    "kategori",
    "klasifikasi",
    "lokasi_kejadian",
    "kode_wilayah",
    "tanggal_kejadian",
    "instansi_tujuan",
    "rahasia",
    "anonim",
    "lampiran",
    "draft_id",
)


def export_row(report: LaporReport) -> dict[str, str]:
    """One line of the admin's batch: LAPOR!'s web form fields, in Bahasa Indonesia."""
    isi = check_report(report)
    tanggal = ""
    if report.tanggal_kejadian:
        tanggal = f"{report.tanggal_kejadian.replace(tzinfo=UTC).astimezone(WITA):%Y-%m-%d}"
    return {
        "kode_referensi": report.idempotency_key,
        "judul": report.judul.strip(),
        "isi": isi,
        "kategori": KATEGORI_LABELS.get(report.kategori or "", report.kategori or ""),
        "klasifikasi": KLASIFIKASI_LABELS.get(report.klasifikasi or "", report.klasifikasi or ""),
        "lokasi_kejadian": f"{report.lokasi}, Kabupaten Kutai Timur" if report.lokasi else "",
        "kode_wilayah": report.region_code or "",
        "tanggal_kejadian": tanggal,
        "instansi_tujuan": report.instansi or "",
        "rahasia": "Ya" if report.rahasia else "Tidak",
        "anonim": "Ya" if report.anonim else "Tidak",
        "lampiran": " ".join(report.lampiran),
        "draft_id": report.draft_id,
    }

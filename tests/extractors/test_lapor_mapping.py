"""The one mapping module: drafts to LAPOR!'s XML push, answers back to our fields."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractors.lapor import mapping
from extractors.lapor.models import LaporReport, LaporValidationError, idempotency_key

REPORT = LaporReport(
    draft_id="drf-sangatta-banjir",
    idempotency_key=idempotency_key("drf-sangatta-banjir"),
    judul="Banjir setinggi lutut di Jalan Yos Sudarso & Gang Pelita",
    isi=(
        "Hujan deras sejak subuh membuat Jalan Yos Sudarso di Sangatta Utara tergenang setinggi lutut; "
        "drainase tersumbat <sampah> dan warga minta normalisasi parit."
    ),
    kategori="banjir",
    lokasi="Desa Sangatta Utara, Kecamatan Sangatta Utara",
    region_code="64.08.04.2001",
    instansi="Badan Penanggulangan Bencana Daerah",
    klasifikasi="pengaduan",
    tanggal_kejadian=datetime(2026, 11, 20, 22, 30),  # UTC: 21 November in WITA
    rahasia=True,
    anonim=False,
    post_count=6,
)


def test_push_body_is_the_known_xml_with_everything_else_inside_isi():
    body = mapping.build_push_body(REPORT, "tok&<rahasia>", {"email": "omnichannel@kutaitimurkab.go.id"})
    assert body.startswith(b"<?xml")
    root = ET.fromstring(body)
    assert root.tag == "lapor" and root.get("token") == "tok&<rahasia>"  # escaped, round-trips intact
    assert root.findtext("pelapor/email") == "omnichannel@kutaitimurkab.go.id"
    assert root.find("laporan").attrib == {"rahasia": "1", "anonim": "0"}
    isi = root.findtext("laporan/isi")
    assert isi.startswith("Hujan deras sejak subuh")
    assert "drainase tersumbat <sampah>" in isi
    assert "Judul: Banjir setinggi lutut di Jalan Yos Sudarso & Gang Pelita" in isi
    assert "Kategori: Banjir" in isi and "Klasifikasi: Pengaduan" in isi
    assert "Tanggal kejadian: 21-11-2026 (WITA)" in isi
    assert "Sumber: 6 unggahan warga" in isi
    assert isi.endswith(f"Kode referensi Kutim Siaga: {REPORT.idempotency_key}")
    assert mapping.push_headers(REPORT)[mapping.IDEMPOTENCY_HEADER] == REPORT.idempotency_key


def test_idempotency_key_is_stable_per_draft():
    assert idempotency_key("drf-1") == idempotency_key("drf-1") != idempotency_key("drf-2")
    assert idempotency_key("drf-1").startswith("KS-") and len(idempotency_key("drf-1")) == 19


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hubungi 0812-3456-7890 ya", "nomor telepon"),
        ("WA +6281234567890", "nomor telepon"),
        ("NIK 6408041203900001 hilang", "NIK"),
        ("kirim ke warga.sepaso@gmail.com", "alamat e-mail"),
    ],
)
def test_unmasked_personal_data_is_found(text, kind):
    assert kind in mapping.personal_data_found(text)


def test_masked_personal_data_passes():
    assert mapping.personal_data_found("hubungi 0812****7890, NIK 6408**********01, e-mail w***@g***.com") == []


def test_personal_data_stops_the_report_with_a_reason_for_the_moderator():
    dirty = LaporReport(**{**REPORT.__dict__, "isi": REPORT.isi + " Kontak Bu Sari 081350001234."})
    with pytest.raises(LaporValidationError, match="nomor telepon"):
        mapping.build_push_body(dirty, "tok")
    allowed = LaporReport(**{**dirty.__dict__, "personal_data_allowed": True})
    assert b"081350001234" in mapping.build_push_body(allowed, "tok")


def test_personal_data_in_the_title_is_caught_but_our_own_codes_are_not():
    with pytest.raises(LaporValidationError, match="NIK"):
        mapping.check_report(LaporReport(**{**REPORT.__dict__, "judul": "KTP 6408041203900001 belum jadi"}))
    digits_only_key = LaporReport(**{**REPORT.__dict__, "idempotency_key": "KS-1234567890123456"})
    assert "KS-1234567890123456" in mapping.check_report(digits_only_key)


def test_too_short_isi_is_refused_before_sending():
    with pytest.raises(LaporValidationError, match="terlalu pendek"):
        mapping.check_report(LaporReport(**{**REPORT.__dict__, "isi": "jalan rusak"}))


def test_push_answer_gives_tracking_and_transaksi_id():
    receipt = mapping.parse_push_answer(
        b'<?xml version="1.0"?><response><trackingid> 4708123 </trackingid>'
        b"<transaksiid>TRX9F2A</transaksiid></response>"
    )
    assert (receipt.tracking_id, receipt.transaksi_id) == ("4708123", "TRX9F2A")


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Bad Gateway</body></html>",
        b"<response><status>ok</status></response>",
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><response><trackingid>&a;</trackingid></response>',
    ],
)
def test_answers_without_a_tracking_id_are_malformed(body):
    with pytest.raises(mapping.MalformedAnswer):
        mapping.parse_push_answer(body)


def test_error_reason_is_read_from_the_answer():
    body = b"<response><status>error</status><message>Kategori tidak dikenal</message></response>"
    assert mapping.parse_error_reason(body, "x") == "Kategori tidak dikenal"
    assert mapping.parse_error_reason(b"<html>oops", "cadangan") == "cadangan"


def test_status_answer_maps_wording_dates_and_tindak_lanjut():
    ticket = mapping.parse_status_answer(
        b"<response><trackingid>4708123</trackingid><status>Proses</status>"
        b"<tanggalverifikasi>2026-11-24T09:15:00</tanggalverifikasi><tindaklanjut>"
        b"<item><tanggal>2026-11-25T10:00:00+08:00</tanggal><oleh>BPBD Kutai Timur</oleh>"
        b"<isi>Tim meninjau parit.</isi></item></tindaklanjut></response>",
        "4708123",
    )
    assert (ticket.status, ticket.raw_status) == ("ditindaklanjuti", "Proses")
    assert ticket.verified_at == datetime(2026, 11, 24, 1, 15)  # WITA -> UTC
    assert ticket.followups[0].responder == "BPBD Kutai Timur"
    assert ticket.followups[0].responded_at == datetime(2026, 11, 25, 2, 0)
    assert mapping.status_code("Status Baru Yang Belum Dikenal") == "belum_terverifikasi"


def test_export_row_has_the_form_fields_in_bahasa_indonesia():
    row = mapping.export_row(REPORT)
    assert tuple(row) == mapping.EXPORT_COLUMNS
    assert row["kategori"] == "Banjir" and row["rahasia"] == "Ya" and row["anonim"] == "Tidak"
    assert row["tanggal_kejadian"] == "2026-11-21"
    assert row["lokasi_kejadian"].endswith("Kabupaten Kutai Timur")


@settings(max_examples=150, deadline=None)
@given(judul=st.text(min_size=1, max_size=80), isi=st.text(min_size=20, max_size=400))
def test_any_text_makes_a_well_formed_push_that_keeps_what_xml_can_carry(judul, isi):
    report = LaporReport(**{**REPORT.__dict__, "judul": judul, "isi": isi, "personal_data_allowed": True})
    assume(len(isi.strip()) >= mapping.MIN_ISI_CHARS)
    sent = ET.fromstring(mapping.build_push_body(report, "tok")).findtext("laporan/isi")

    # XML parsers turn line ends into \n; everything else XML 1.0 can carry arrives unchanged.
    def lines(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert lines(mapping.xml_safe(isi.strip())) in lines(sent)


def test_control_characters_from_social_media_do_not_break_the_xml():
    report = LaporReport(**{**REPORT.__dict__, "isi": "Lampu jalan\x0b padam\x00 di Sangatta\ud800 sejak Senin 😀"})
    isi = ET.fromstring(mapping.build_push_body(report, "tok")).findtext("laporan/isi")
    assert isi.startswith("Lampu jalan padam di Sangatta sejak Senin 😀")

"""Drafts: one per issue, in Bahasa Indonesia, masked, and respectful of a moderator's edit."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.drafts import JUDUL_MAX, compose_judul
from warehouse.ingest import ingest_lines

ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.05.2001",
    "opd": "Dinas Pekerjaan Umum dan Penataan Ruang",
}


def ingest(posts):
    return ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))


def draft(con):
    cols = ["draft_id", "status", "judul", "isi", "isi_unmasked", "version", "new_evidence", "opd", "lokasi"]
    row = con.execute(f"SELECT {', '.join(cols)} FROM drafts").fetchone()
    return dict(zip(cols, row, strict=True))


def test_draft_reads_like_a_lapor_ticket_with_personal_data_masked(warehouse_file):
    ingest(
        [
            post(
                "x",
                "1",
                "Jalan Swarga Bara rusak parah. Hubungi saya 0812-3456-7890 atau warga@mail.com",
                "2026-11-20T01:00:00Z",
                gold=ROAD,
                url="https://x.com/w/status/1",
            )
        ]
    )
    with warehouse.connect() as con:
        d = draft(con)
    assert d["judul"] == "Jalan/jembatan rusak di Desa Swarga Bara, Sangatta Utara"
    assert d["status"] == "pending"
    assert "Desa Swarga Bara, Kecamatan Sangatta Utara, Kabupaten Kutai Timur" in d["isi"]
    assert "64.08.05.2001" in d["isi"] and "https://x.com/w/status/1" in d["isi"]
    assert "20 Nov 2026 09.00 WITA" in d["isi"]
    assert "3456" not in d["isi"] and "warga@mail.com" not in d["isi"]
    assert "0812-3456-7890" in d["isi_unmasked"]
    assert d["opd"] == ROAD["opd"]


def test_judul_is_at_most_judul_max_characters():
    judul = compose_judul("ketertiban_keamanan", "Sangatta Utara " * 5, "Swarga Bara " * 5, "64.08.05.2001", True)
    assert len(judul) <= JUDUL_MAX and judul.endswith("…") and judul.startswith("[DARURAT] ")


def test_pending_draft_is_rewritten_when_a_new_post_joins(warehouse_file):
    ingest([post("x", "1", "Jalan Swarga Bara rusak", "2026-11-20T01:00:00Z", gold=ROAD)])
    ingest([post("x", "2", "Aspal swarga bara hancur, tolong", "2026-11-21T01:00:00Z", gold=ROAD)])
    with warehouse.connect() as con:
        d = draft(con)
    assert d["version"] == 2
    assert "2 laporan" in d["isi"]


def test_moderator_edit_is_kept_and_new_evidence_is_added_beside_it(warehouse_file):
    ingest([post("x", "1", "Jalan Swarga Bara rusak", "2026-11-20T01:00:00Z", gold=ROAD)])
    with warehouse.connect(write=True) as con:
        con.execute(
            "UPDATE drafts SET isi = 'Teks moderator', moderator_edited = true, "
            "updated_at = now()::TIMESTAMP - INTERVAL 1 MINUTE"
        )
    ingest(
        [
            post(
                "facebook",
                "2",
                "Aspal swarga bara hancur",
                "2026-11-21T01:00:00Z",
                gold=ROAD,
                url="https://facebook.com/2",
            )
        ]
    )
    with warehouse.connect() as con:
        d = draft(con)
    assert d["isi"] == "Teks moderator"
    assert d["new_evidence"] == "- https://facebook.com/2"

"""Right after a write the Tiket LAPOR! page and lapor.csv show the change, and lapor.csv is byte for byte
what a process that never built it writes."""

from __future__ import annotations

HTML = {"Accept": "text/html"}


def _fresh_csv(client) -> bytes:
    from siaga_ui import pages
    from warehouse import lapor

    lapor._tickets_cache = lapor._summary_cache = lapor._followups_cache = None
    lapor._ticket_memo = {}
    pages._lapor_csv_lines = {}
    return client.get("/siaga/lapor.csv").content


def test_lapor_csv_and_page_after_writes_equal_a_fresh_build(as_moderator, warehouse_path):
    from warehouse import connect

    first = as_moderator.get("/siaga/lapor.csv").content
    assert b"4706512" in first
    writes = [
        "UPDATE drafts SET judul = 'Judul diganti, hubungi 0812-5555-9090', version = version + 1 "
        "WHERE draft_id = 'drf-009'",
        "UPDATE lapor_submissions SET verified_at = TIMESTAMP '2026-11-16 02:00:00', lapor_status = 'terverifikasi' "
        "WHERE draft_id = 'drf-009'",
        "INSERT INTO lapor_followups (tracking_id, seq, responded_at, responder, response_text, observed_at) "
        "VALUES ('4706512', 1, TIMESTAMP '2026-11-17 03:00:00', 'Dinas PUPR', 'Tim \"survei\"; hari Kamis.', "
        "now()::TIMESTAMP)",
    ]
    seen = [first]
    for write in writes:
        with connect(write=True) as con:
            con.execute(write)
        after = as_moderator.get("/siaga/lapor.csv").content
        assert after == _fresh_csv(as_moderator), write
        assert after not in seen, write  # the change shows at once
        seen.append(after)
    text = seen[-1].decode("utf-8")
    assert "Judul diganti" in text and "0812-5555-9090" not in text
    assert '"Tim ""survei""; hari Kamis."' in text
    page = as_moderator.get("/siaga/lapor", headers=HTML).text
    assert "Judul diganti" in page and "Dinas PUPR" in page

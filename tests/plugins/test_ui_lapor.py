"""The LAPOR! bridge as the UI shows it: the tickets page, the humas summary and a returned draft.

Tickets come from the seed (a ticket the bridge sent on 13 Nov 2026 and nobody verified) and from
the bridge itself: drafts approved through the moderation functions, sent by `submit_approved` to
the fake SP4N-LAPOR! on 127.0.0.1, then synced with `sync_statuses`.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.lapor.client import HttpLaporClient, LaporSettings
from extractors.lapor.mapping import WITA
from tests.fakes.fake_lapor import FakeLapor
from tests.plugins.helpers import draft_row
from warehouse import connect, moderation
from warehouse.lapor import SubmitPolicy, submit_approved, sync_statuses

HTML = {"Accept": "text/html"}
TOKEN = "token-uji-ui-lapor"
RETURN_REASON = "Isi laporan kurang jelas: sebutkan lokasi dan waktu kejadian"


def _row_of(html: str, draft_id: str) -> str:
    start = html.rindex("<tr", 0, html.index(f'data-draf="{draft_id}"'))
    return html[start : html.index("</tr>", start)]


def _tracking_id(draft_id: str) -> str:
    with connect() as con:
        return con.execute("SELECT tracking_id FROM lapor_submissions WHERE draft_id = ?", [draft_id]).fetchone()[0]


@pytest.fixture
def lapor():
    with FakeLapor(token=TOKEN) as fake:
        client = HttpLaporClient(LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN))
        yield fake, client


def _approve_and_send(client, *draft_ids: str) -> dict:
    for draft_id in draft_ids:
        moderation.approve(draft_id, actor="moderator", role="moderator")
    return submit_approved(client, SubmitPolicy(backoff_s=0.01))


def test_lapor_page_links_the_tracking_id_and_flags_an_overdue_ticket(as_humas, warehouse_path):
    html = as_humas.get("/siaga/lapor", headers=HTML).text
    row = _row_of(html, "drf-009")
    assert 'href="https://www.lapor.go.id/pengaduan/4706512"' in row
    assert "Terkirim ke LAPOR!" in row and "Belum terverifikasi" in row
    # Sent Fri 13 Nov 11:05 WITA, never verified: 3 working days ended Wed 18 Nov.
    assert "Verifikasi admin" in row and "18 Nov 2026" in row and "terkirim 13 Nov 2026 11:05 WITA" in row
    assert 'class="terlambat"' in row and "LEWAT TENGGAT" in row
    assert "Belum ada tanggapan." in row
    assert "1 lewat tenggat" in html
    audit = as_humas.get("/siaga/audit", headers=HTML).text
    assert "Terkirim ke LAPOR!" in audit and "Nomor LAPOR! 4706512" in audit


def test_a_ticket_sent_by_the_bridge_shows_its_clock_and_the_agencys_follow_up(as_humas, warehouse_path, lapor):
    fake, client = lapor
    counts = _approve_and_send(client, "drf-001", "drf-005")
    assert counts["submitted"] == 2
    road, clinic = _tracking_id("drf-001"), _tracking_id("drf-005")
    answered = datetime.now(WITA).replace(tzinfo=None, microsecond=0).isoformat()
    fake.advance(
        road,
        "Proses",
        tindaklanjut={"tanggal": answered, "oleh": "Dinas PUPR Kutai Timur", "isi": "Lubang ditambal Senin."},
        tanggalverifikasi=answered,
    )
    assert sync_statuses(client)["polled"] == 2

    html = as_humas.get("/siaga/lapor", headers=HTML).text
    road_row, clinic_row = _row_of(html, "drf-001"), _row_of(html, "drf-005")
    assert f'href="https://www.lapor.go.id/pengaduan/{road}"' in road_row
    assert f'href="https://www.lapor.go.id/pengaduan/{clinic}"' in clinic_row
    # Answered today: the closing clock (10 working days) runs; the follow-up is listed.
    assert "<strong>Penutupan</strong>" in road_row and "sisa 10 hari kerja" in road_row
    assert "Dinas PUPR Kutai Timur" in road_row and "Lubang ditambal Senin." in road_row
    assert "Ditindaklanjuti instansi" in road_row
    # Sent today and not verified yet: 3 working days left, not flagged.
    assert "<strong>Verifikasi admin</strong>" in clinic_row and "sisa 3 hari kerja" in clinic_row
    assert "terlambat" not in clinic_row and "LEWAT TENGGAT" not in clinic_row
    # Overdue tickets come first.
    first_row = html.split('<table id="lapor">')[1].split("<tbody>")[1]
    assert first_row.lstrip().startswith('<tr class="terlambat" data-draf="drf-009"')


def test_humas_summary_counts_open_and_overdue_tickets_per_stage(as_humas, warehouse_path, lapor):
    _, client = lapor
    _approve_and_send(client, "drf-005")
    html = as_humas.get("/siaga/viral", headers=HTML).text
    panel = html.split('id="ringkasan-lapor"')[1].split("</section>")[0]
    verification = panel.split('data-tahap="verifikasi"')[1].split("</tr>")[0]
    follow_up = panel.split('data-tahap="tindak_lanjut"')[1].split("</tr>")[0]
    # drf-009 (overdue since 18 Nov) and drf-005 (sent now) wait for verification.
    assert '<td class="num">2</td><td class="num">1</td>' in verification
    assert '<td class="num">0</td><td class="num">0</td>' in follow_up
    assert "1 lewat tenggat" in panel and "4706512" in panel
    assert 'href="/siaga/lapor"' in panel
    assert "Belum bertiket" not in panel  # every hand-over has its ticket


def test_a_draft_returned_by_lapor_shows_the_reason_to_the_moderator(as_moderator, warehouse_path, lapor):
    fake, client = lapor
    fake.fail_next("validation")
    counts = _approve_and_send(client, "drf-006")
    assert counts["returned"] == 1 and len(fake.tickets) == 0
    assert draft_row("drf-006")["status"] == "pending"

    html = as_moderator.get("/siaga/draf/drf-006", headers=HTML).text
    notice = html.split('id="dikembalikan-lapor"')[1].split("</div>")[0]
    assert "dikembalikan oleh SP4N-LAPOR!" in notice and RETURN_REASON in notice
    assert "Simpan &amp; setujui" in notice
    assert "Dikembalikan oleh LAPOR!" in html  # the draft's history names the bridge's act

    tickets = as_moderator.get("/siaga/lapor", headers=HTML).text
    row = _row_of(tickets, "drf-006")
    assert "Dikembalikan ke moderator" in row and RETURN_REASON in row and "belum ada" in row
    summary = as_moderator.get("/siaga/viral", headers=HTML).text
    assert "Belum bertiket: Gagal atau dikembalikan ke moderator 1." in summary
    queue = as_moderator.get("/siaga/antrian", headers=HTML).text
    queue_row = queue.split('data-draft="drf-006"')[1].split("</tr>")[0]
    assert "dikembalikan LAPOR!" in queue_row  # the queue marks it too, so it is not missed


def test_a_draft_never_returned_shows_no_lapor_notice(as_moderator, warehouse_path):
    html = as_moderator.get("/siaga/draf/drf-006", headers=HTML).text
    assert "dikembalikan-lapor" not in html

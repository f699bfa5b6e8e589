"""The Darurat page and the draft page: moderators hand over or dismiss, humas only sees."""

from __future__ import annotations

import re

from tests.plugins.helpers import csrf_from, draft_row
from warehouse import connect

HTML = {"Accept": "text/html"}


def stored(issue_id: str) -> tuple | None:
    with connect() as con:
        return con.execute(
            "SELECT status, reference, handed_at, reason, version FROM emergency_handoffs WHERE issue_id = ?",
            [issue_id],
        ).fetchone()


def row_of(html: str, issue_id: str) -> str:
    return html.split(f'id="darurat-{issue_id}"')[1].split("</tr>")[0]


def test_the_page_sorts_by_waiting_and_counts_today(as_moderator):
    html = as_moderator.get("/siaga/darurat", headers=HTML).text
    assert html.index('id="darurat-isu-002"') < html.index('id="darurat-isu-008"')  # still waiting first
    # The flood's first post was 22 Nov 00:05 UTC and nobody has acted: days of waiting, counting on.
    assert re.search(r"menunggu \d+ hari", row_of(html, "isu-002"))
    assert "setelah menunggu 10 menit" in row_of(html, "isu-008")
    assert '<strong id="jumlah-menunggu">1</strong>' in html
    assert '<strong id="jumlah-diteruskan">0</strong>' in html and '<strong id="jumlah-bukan">0</strong>' in html


def test_humas_sees_the_state_but_no_buttons_and_a_post_is_refused(as_humas):
    html = as_humas.get("/siaga/darurat", headers=HTML).text
    assert "Belum diteruskan" in html and "Diteruskan ke 112" in html
    assert 'class="handoff-form"' not in html and "/tandai" not in html
    assert "Peran Humas hanya dapat melihat" in html
    draft = as_humas.get("/siaga/draf/drf-002", headers=HTML).text
    assert 'id="penerusan-112"' in draft and "/tandai" not in draft
    # The role is checked before anything else: humas is refused whatever the form carries.
    refused = as_humas.post(
        "/siaga/darurat/isu-002/tandai",
        data={"csrf_token": "x", "aksi": "handed_to_112", "referensi": "CC112-1", "version": "0"},
        headers=HTML,
    )
    assert refused.status_code == 403 and stored("isu-002") is None


def test_moderator_hands_over_from_the_darurat_page(as_moderator):
    html = as_moderator.get("/siaga/darurat", headers=HTML).text
    form = {
        "csrf_token": csrf_from(html),
        "aksi": "handed_to_112",
        "referensi": "CC112/0457",
        "waktu": "2026-11-22T09:00",
        "version": "0",
        "kembali": "darurat",
    }
    response = as_moderator.post("/siaga/darurat/isu-002/tandai", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and "hasil=diteruskan" in response.headers["location"]
    status, reference, handed_at, reason, version = stored("isu-002")
    assert (status, reference, reason, version) == ("handed_to_112", "CC112/0457", None, 1)
    assert handed_at.isoformat() == "2026-11-22T01:00:00"  # 09:00 WITA typed, stored in UTC
    page = as_moderator.get(response.headers["location"], headers=HTML).text
    assert "Tercatat: diteruskan ke 112." in page
    row = row_of(page, "isu-002")
    assert "CC112/0457" in row and "22 Nov 2026 09:00 WITA" in row and "setelah menunggu 55 menit" in row
    assert "<summary>Koreksi</summary>" in row  # decided: the forms become a correction
    audit = as_moderator.get("/siaga/audit", headers=HTML).text
    first = audit.split('<table id="audit">')[1].split("</tr>")[1]
    assert "Menandai diteruskan ke 112" in first and "Referensi 112: CC112/0457" in first and "drf-002" in first


def test_dismissing_from_the_draft_page_keeps_the_draft_in_the_queue(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    assert 'id="penerusan-112"' in html and 'id="bukan-isu-002"' in html
    form = {
        "csrf_token": csrf_from(html),
        "aksi": "dismissed",
        "alasan": "Genangan di jalan, tidak masuk rumah",
        "version": "0",
        "kembali": "draf/drf-002",
    }
    response = as_moderator.post("/siaga/darurat/isu-002/tandai", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/siaga/draf/drf-002?hasil=bukan-darurat")
    assert draft_row("drf-002")["status"] == "pending" and draft_row("drf-002")["version"] == 1
    page = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    assert "Bukan darurat" in page and "Genangan di jalan, tidak masuk rumah" in page
    assert "moderator · Menandai bukan darurat: Genangan di jalan" in page
    queue = as_moderator.get("/siaga/api/drafts").json()["items"]
    assert "drf-002" in {d["draft_id"] for d in queue}


def test_a_stale_form_answers_409_and_keeps_what_was_typed(as_moderator):
    html = as_moderator.get("/siaga/darurat", headers=HTML).text
    token = csrf_from(html)
    first = {
        "csrf_token": token,
        "aksi": "dismissed",
        "alasan": "Genangan biasa setelah hujan",
        "version": "0",
        "kembali": "darurat",
    }
    assert as_moderator.post("/siaga/darurat/isu-002/tandai", data=first, headers=HTML).status_code == 200
    second = {
        "csrf_token": token,
        "aksi": "handed_to_112",
        "referensi": "Petugas Rahmat",
        "waktu": "",
        "version": "0",
        "kembali": "darurat",
    }
    response = as_moderator.post("/siaga/darurat/isu-002/tandai", data=second, headers=HTML)
    assert response.status_code == 409
    row = row_of(response.text, "isu-002")
    assert "sudah diubah orang lain" in row and 'value="Petugas Rahmat"' in row
    assert '<input type="hidden" name="version" value="1">' in row  # sending again overwrites, knowingly
    assert stored("isu-002")[0] == "dismissed"


def test_a_missing_reference_or_a_bad_token_writes_nothing(as_moderator):
    html = as_moderator.get("/siaga/darurat", headers=HTML).text
    empty = {"csrf_token": csrf_from(html), "aksi": "handed_to_112", "referensi": " ", "version": "0"}
    response = as_moderator.post("/siaga/darurat/isu-002/tandai", data=empty, headers=HTML)
    assert response.status_code == 422 and "nama petugas" in row_of(response.text, "isu-002")
    forged = dict(empty, csrf_token="1.abc", referensi="CC112-9")
    assert as_moderator.post("/siaga/darurat/isu-002/tandai", data=forged, headers=HTML).status_code == 403
    assert stored("isu-002") is None

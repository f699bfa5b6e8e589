"""The 112 hand-off in headless Chromium against a real Airflow API server: a moderator hands one
emergency over and dismisses another, the audit shows both, humas sees them and cannot act."""

from __future__ import annotations

import pytest

from warehouse import connect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def two_waiting(fresh_warehouse):
    # The seed's flood waits; the detector also flagged a pothole, which a moderator will dismiss.
    with connect(write=True, path=fresh_warehouse) as con:
        con.execute("UPDATE issues SET is_emergency = true WHERE issue_id = 'isu-007'")
    return fresh_warehouse


def test_moderator_hands_one_over_and_dismisses_another_and_the_audit_shows_both(as_user, two_waiting):
    page = as_user("moderator")
    page.go("/siaga/darurat")
    assert page.page.locator("#jumlah-menunggu").inner_text() == "2"
    waiting = page.page.locator("#darurat tbody tr.menunggu").evaluate_all("rows => rows.map(r => r.dataset.issue)")
    assert waiting == ["isu-002", "isu-007"]  # the flood has waited longer than the pothole
    page.shot("20-darurat-menunggu")

    page.page.fill('#teruskan-isu-002 input[name="referensi"]', "CC112/2026/0457 (Bripka Yusuf)")
    page.page.click("#teruskan-isu-002 button")
    page.page.wait_for_url("**hasil=diteruskan**")
    row = page.page.locator("#darurat-isu-002")
    assert "Diteruskan ke 112" in row.inner_text() and "CC112/2026/0457 (Bripka Yusuf)" in row.inner_text()

    page.page.fill('#bukan-isu-007 input[name="alasan"]', "Jalan berlubang, bukan keadaan darurat")
    page.page.click("#bukan-isu-007 button")
    page.page.wait_for_url("**hasil=bukan-darurat**")
    assert "Bukan darurat" in page.page.locator("#darurat-isu-007").inner_text()
    counts = [page.page.locator(f"#jumlah-{k}").inner_text() for k in ("menunggu", "diteruskan", "bukan")]
    assert counts == ["0", "1", "1"]
    page.shot("21-darurat-diputuskan")

    page.page.click("text=Audit")
    page.page.wait_for_url("**/siaga/audit")
    rows = page.page.locator("#audit tbody tr").all_inner_texts()[:2]
    assert "Menandai bukan darurat" in rows[0] and "Jalan berlubang, bukan keadaan darurat" in rows[0]
    assert "drf-007" in rows[0]
    assert "Menandai diteruskan ke 112" in rows[1] and "CC112/2026/0457 (Bripka Yusuf)" in rows[1]
    assert "drf-002" in rows[1] and all("moderator" in r and "WITA" in r for r in rows)
    page.shot("22-audit-penerusan")

    # The dismissed pothole stays a complaint: its draft still waits in the queue.
    page.go("/siaga/draf/drf-007")
    assert page.page.locator("#status").inner_text() == "Menunggu"
    assert "Bukan darurat" in page.page.locator("#penerusan-112").inner_text()
    assert page.problems == []


def test_humas_sees_the_hand_off_but_has_no_buttons(as_user, two_waiting):
    page = as_user("humas")
    page.go("/siaga/darurat")
    assert page.page.locator("#darurat tbody tr").count() == 3
    assert page.page.locator("form.handoff-form").count() == 0
    assert page.page.locator("#darurat-isu-008").inner_text().count("Diteruskan ke 112") == 1
    page.go("/siaga/draf/drf-002")
    assert page.page.locator("#penerusan-112 form").count() == 0
    assert page.problems == []

"""Replies to citizens in headless Chromium against a real Airflow API server: a moderator edits and
approves a reply on the draft page, the Balasan page and the audit show it; humas sees it, no forms."""

from __future__ import annotations

import pytest

from warehouse import connect, replies

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def drafted(fresh_warehouse, monkeypatch):
    """The seed's drf-009 is at SP4N-LAPOR! (4706512): its reply is drafted as the DAG step drafts it."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(fresh_warehouse))
    assert replies.draft_replies(replies.reply_settings())["drafted"] == 1
    [item] = replies.list_replies(status="pending")["items"]
    return item


def test_moderator_edits_and_approves_a_reply_on_the_draft_page(as_user, drafted):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-009")
    card = page.page.locator(f"#balasan-{drafted['id']}")
    assert "Menunggu persetujuan" in card.inner_text() and "4706512" in card.inner_text()
    textarea = card.locator('textarea[name="teks"]')
    assert "https://www.lapor.go.id/pengaduan/4706512" in textarea.input_value()
    page.shot("30-balasan-draf-menunggu")

    edited = (
        "Terima kasih, Bapak/Ibu. Laporan atap SD bocor sudah kami teruskan ke SP4N-LAPOR! "
        "(tiket 4706512): https://www.lapor.go.id/pengaduan/4706512"
    )
    textarea.fill(edited)
    card.locator("button.setujui-balasan").click()
    page.page.wait_for_url("**hasil=balasan-disetujui**")
    card = page.page.locator(f"#balasan-{drafted['id']}")
    assert "Disetujui, menunggu dikirim" in card.inner_text() and edited in card.inner_text()
    assert card.locator("form").count() == 0  # decided: no more buttons
    assert "Balasan disetujui" in page.page.locator("p.notice.ok").inner_text()
    page.shot("31-balasan-draf-disetujui")

    with connect(path=replies_path()) as con:
        row = con.execute("SELECT status, text, decided_by, moderator_edited FROM replies").fetchone()
    assert row == ("approved", edited, "moderator", True)

    page.page.click("nav >> text=Balasan")
    page.page.wait_for_url("**/siaga/balasan")
    assert "Belum ada balasan" in page.page.locator("ul.replies").inner_text()  # nothing waits any more
    page.go("/siaga/balasan?status=approved")
    assert edited in page.page.locator(f"#balasan-{drafted['id']}").inner_text()
    page.go("/siaga/audit")
    rows = page.page.locator("#audit tbody tr").all_inner_texts()[:2]
    assert "Menyetujui balasan ke warga" in rows[0] and "Mengubah balasan ke warga" in rows[1]
    assert page.problems == []


def test_humas_sees_replies_without_forms(as_user, drafted):
    page = as_user("humas")
    page.go("/siaga/balasan")
    card = page.page.locator(f"#balasan-{drafted['id']}")
    assert "4706512" in card.inner_text() and card.locator("form").count() == 0
    page.go("/siaga/draf/drf-009")
    assert page.page.locator("#balasan form").count() == 0
    assert page.problems == []


def replies_path():
    import os

    return os.environ["SIAGA_WAREHOUSE"]

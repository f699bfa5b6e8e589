"""The moderation UI in headless Chromium against a real Airflow API server."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Watched, login

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_moderator_logs_in_through_airflows_login_page(browser, server, fresh_warehouse):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = Watched(context.new_page(), server["base"])
    page.page.goto(server["base"] + "/siaga/antrian?kategori=banjir")
    page.page.wait_for_url("**/auth/login**")
    page.shot("01-login-airflow")
    login(page.page, server, "moderator", target="/siaga/antrian?kategori=banjir")
    assert page.page.locator("h1").inner_text().startswith("Antrian draf")
    assert page.page.locator(".who").inner_text().strip().startswith("Moderator moderator")
    assert page.page.locator("table.queue tbody tr").count() == 1
    assert page.problems == []
    context.close()


def test_filter_the_queue_by_category(as_user):
    page = as_user("moderator")
    page.go("/siaga/antrian")
    assert page.page.locator("table.queue tbody tr").count() == 8
    page.shot("02-antrian")
    page.page.select_option('select[name="kategori"]', "jalan_jembatan")
    page.page.click('#filter button[type="submit"]')
    page.page.wait_for_url("**kategori=jalan_jembatan**")
    titles = page.page.locator("table.queue tbody tr td:nth-child(2) a").all_inner_texts()
    assert sorted(titles) == [
        "Jalan berlubang di Jl. Yos Sudarso, Swarga Bara",
        "Lubang besar di Jl. Yos Sudarso dekat simpang Swarga Bara",
    ]
    assert page.page.locator("#jumlah").inner_text() == "2 draf menunggu"
    page.shot("03-antrian-filter")
    assert page.problems == []


def test_open_edit_and_approve_a_draft(as_user):
    page = as_user("moderator")
    page.go("/siaga/antrian")
    page.page.click("text=Jalan berlubang di Jl. Yos Sudarso, Swarga Bara")
    page.page.wait_for_url("**/siaga/draf/drf-001")
    page.shot("04-draf-detail")
    page.page.fill('input[name="judul"]', "Perbaikan Jl. Yos Sudarso depan SD 005 Swarga Bara")
    page.page.select_option('select[name="region_code"]', "64.08.04")
    page.page.click("#setujui")
    page.page.wait_for_url("**hasil=disetujui")
    assert page.page.locator("#status").inner_text() == "Disetujui"
    assert page.page.locator("h1").inner_text() == "Perbaikan Jl. Yos Sudarso depan SD 005 Swarga Bara"
    history = page.page.locator("ul.history").inner_text()
    assert "moderator · Mengubah" in history and "moderator · Menyetujui" in history
    page.shot("05-draf-disetujui")
    assert page.problems == []


def test_reject_a_draft_with_a_reason_and_see_the_audit_row(as_user):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-006")
    page.page.fill("#alasan", "Sudah ditangani DLH pada 21 Nov 2026")
    page.page.click("#tolak")
    page.page.wait_for_url("**hasil=ditolak")
    assert page.page.locator("#status").inner_text() == "Ditolak"
    assert "Sudah ditangani DLH pada 21 Nov 2026" in page.page.locator(".notice.warn").inner_text()
    page.page.click("text=Audit")
    page.page.wait_for_url("**/siaga/audit")
    first = page.page.locator("#audit tbody tr").first.inner_text()
    assert "moderator" in first and "Menolak" in first and "drf-006" in first
    assert re.search(r"\d{1,2} \w{3} 2026 \d{2}:\d{2} WITA", first)
    page.shot("06-audit")
    assert page.problems == []


def test_bulk_approve_from_the_queue(as_user):
    page = as_user("moderator")
    page.go("/siaga/antrian?darurat=tidak")
    page.page.check('input[value="drf-004:1"]')
    page.page.check('input[value="drf-005:1"]')
    page.page.click("#setujui-massal")
    page.page.wait_for_url("**hasil=setuju:2:0")
    assert "2 draf disetujui." in page.page.locator(".notice.ok").inner_text()
    assert page.page.locator('input[value="drf-004:1"]').count() == 0
    assert page.page.locator("#jumlah").inner_text() == "4 draf menunggu"
    page.shot("07-antrian-massal")
    assert page.problems == []


def test_bulk_reject_needs_a_reason_then_rejects(as_user):
    page = as_user("moderator")
    page.go("/siaga/antrian")
    page.page.check('input[value="drf-006:1"]')
    page.page.click("#tolak-massal")
    assert "Alasan penolakan wajib diisi" in page.page.locator(".notice.err").inner_text()
    assert page.page.locator('input[value="drf-006:1"]').is_checked()  # the selection is kept
    page.page.fill("#alasan-massal", "Laporan ganda, sudah ada tiket")
    page.page.click("#tolak-massal")
    page.page.wait_for_url("**hasil=tolak:1:0")
    assert "1 draf ditolak." in page.page.locator(".notice.ok").inner_text()


def test_humas_sees_the_viral_page_but_cannot_approve(as_user, server):
    page = as_user("humas")
    page.go("/siaga/")
    page.page.wait_for_url("**/siaga/viral")
    assert page.page.locator("svg").count() >= 3
    assert page.page.locator("#viral tbody tr").first.inner_text().startswith("Banjir merendam rumah warga")
    page.shot("08-isu-viral")
    page.go("/siaga/draf/drf-001")
    assert page.page.locator("#setujui").count() == 0 and page.page.locator("#tolak").count() == 0
    assert page.page.locator('input[name="judul"]').is_disabled()
    page.shot("09-draf-humas")
    # Even a crafted POST with the humas session is refused and changes nothing.
    token = page.page.locator('input[name="csrf_token"]').first.get_attribute("value")
    response = page.page.context.request.post(
        server["base"] + "/siaga/draf/drf-001/simpan",
        form={"csrf_token": token, "version": "1", "judul": "X", "aksi": "setujui"},
    )
    assert response.status == 403
    page.page.reload()
    assert page.page.locator("#status").inner_text() == "Menunggu"
    assert page.problems == []


def test_a_script_in_a_post_shows_as_text_and_never_runs(as_user):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-004")
    evidence = page.page.locator(".post-text").all_inner_texts()
    assert "Lampu jalan di Muara Wahau mati semua <script>alert(1)</script> tolong PLN dan Dishub" in evidence
    assert page.dialogs == []
    page.shot("10-draf-script-sebagai-teks")
    assert page.problems == []


def test_unmasking_personal_data_is_confirmed_and_audited(as_user):
    page = as_user("moderator")
    page.go("/siaga/draf/drf-003")
    assert "0812-5555-1234" not in page.page.content()
    page.page.click("#buka-data")
    page.page.wait_for_selector("#data-pribadi")
    assert page.dialogs == ["Buka data pribadi draf ini? Tindakan ini dicatat di audit."]
    assert "0812-5555-1234" in page.page.locator("#data-pribadi").inner_text()
    page.shot("11-data-pribadi-dibuka")
    page.go("/siaga/audit")
    assert "Membuka data pribadi" in page.page.locator("#audit tbody tr").first.inner_text()


def test_emergency_page(as_user):
    page = as_user("humas")
    page.go("/siaga/darurat")
    assert "Diteruskan ke 112" in page.page.locator("#darurat").inner_text()
    page.shot("12-darurat")
    assert page.problems == []


def test_lapor_tickets_sent_by_the_bridge_show_their_clocks_and_a_returned_draft_its_reason(
    as_user, fresh_warehouse, monkeypatch
):
    from datetime import datetime

    from extractors.lapor.client import HttpLaporClient, LaporSettings
    from extractors.lapor.mapping import WITA
    from tests.fakes.fake_lapor import FakeLapor
    from warehouse import connect, moderation
    from warehouse.lapor import SubmitPolicy, submit_approved, sync_statuses

    # The bridge runs here, against the server's warehouse file and a fake SP4N-LAPOR!.
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(fresh_warehouse))
    token = "token-uji-e2e-lapor"
    with FakeLapor(token=token) as fake:
        client = HttpLaporClient(LaporSettings(transport="http", api_base=fake.base_url, token=token))
        policy = SubmitPolicy(backoff_s=0.01)
        moderation.approve("drf-006", actor="moderator", role="moderator")
        fake.fail_next("validation")
        assert submit_approved(client, policy)["returned"] == 1
        for draft_id in ("drf-001", "drf-005"):
            moderation.approve(draft_id, actor="moderator", role="moderator")
        assert submit_approved(client, policy)["submitted"] == 2
        with connect() as con:
            road = con.execute("SELECT tracking_id FROM lapor_submissions WHERE draft_id = 'drf-001'").fetchone()[0]
        answered = datetime.now(WITA).replace(tzinfo=None, microsecond=0).isoformat()
        fake.advance(
            road,
            "Proses",
            tindaklanjut={
                "tanggal": answered,
                "oleh": "Dinas PUPR Kutai Timur",
                "isi": "Lubang di depan SD 005 sudah ditambal; pengaspalan ulang dijadwalkan pekan depan.",
            },
            tanggalverifikasi=answered,
        )
        sync_statuses(client)

    page = as_user("humas")
    page.go("/siaga/lapor")
    table = page.page.locator("#lapor")
    first = table.locator("tbody tr").first
    assert "4706512" in first.inner_text() and "LEWAT TENGGAT" in first.inner_text()
    assert first.locator("a.tracking").get_attribute("href") == "https://www.lapor.go.id/pengaduan/4706512"
    road_row = table.locator('tr[data-draf="drf-001"]')
    assert "Dinas PUPR Kutai Timur" in road_row.inner_text() and "sisa 10 hari kerja" in road_row.inner_text()
    assert "Dikembalikan ke moderator" in table.locator('tr[data-draf="drf-006"]').inner_text()
    page.shot("13-tiket-lapor")
    page.go("/siaga/viral")
    assert "1 lewat tenggat" in page.page.locator("#ringkasan-lapor").inner_text()
    assert page.problems == []

    moderator = as_user("moderator")
    moderator.go("/siaga/draf/drf-006")
    notice = moderator.page.locator("#dikembalikan-lapor").inner_text()
    assert "dikembalikan oleh SP4N-LAPOR!" in notice and "sebutkan lokasi dan waktu kejadian" in notice
    moderator.shot("15-draf-dikembalikan-lapor")
    assert moderator.problems == []


def test_the_json_api_takes_a_bearer_token_from_airflows_auth_endpoint(server, fresh_warehouse):
    import httpx

    def token(username: str) -> str:
        response = httpx.post(
            f"{server['base']}/auth/token",
            json={"username": username, "password": server["passwords"][username]},
        )
        assert response.status_code == 201, response.text
        return response.json()["access_token"]

    with httpx.Client(base_url=server["base"]) as client:
        assert client.get("/siaga/api/drafts").status_code == 401
        assert client.get("/siaga/openapi.json").status_code == 401
        humas = {"Authorization": f"Bearer {token('humas')}"}
        assert client.get("/siaga/api/drafts", headers=humas).json()["total"] == 8
        assert client.post("/siaga/api/drafts/drf-005/approve", headers=humas).status_code == 403
        moderator = {"Authorization": f"Bearer {token('moderator')}"}
        approved = client.post("/siaga/api/drafts/drf-005/approve", headers=moderator, json={"version": 1})
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        assert "/api/drafts/{draft_id}/reject" in client.get("/siaga/openapi.json", headers=humas).json()["paths"]


def test_the_whatsapp_webhook_is_reachable_without_a_login(server):
    import httpx

    response = httpx.post(
        f"{server['base']}/siaga/webhooks/whatsapp",
        content=b'{"object": "whatsapp_business_account"}',
        headers={"X-Hub-Signature-256": "sha256=0000", "Content-Type": "application/json"},
    )
    assert response.status_code in (
        403,
        503,
    )  # refused by signature (or extractor not installed), not by login
    assert "location" not in response.headers


def test_a_busy_warehouse_keeps_the_moderators_form_until_it_can_be_sent(as_user, fresh_warehouse):
    import duckdb

    page = as_user("moderator")
    page.go("/siaga/draf/drf-002")
    page.page.fill('input[name="judul"]', "Banjir Sangkima: evakuasi lansia mendesak")
    ingest = duckdb.connect(str(fresh_warehouse))  # another process holds the warehouse, like the ingest DAG
    try:
        page.page.click("#simpan")
        page.page.wait_for_selector("#sibuk")
        assert "BELUM tersimpan" in page.page.locator("#sibuk").inner_text()
        assert page.page.locator('input[name="judul"]').input_value() == "Banjir Sangkima: evakuasi lansia mendesak"
        page.shot("14-gudang-data-sibuk")
    finally:
        ingest.close()
    page.page.click("#kirim-ulang")
    page.page.wait_for_url("**/siaga/draf/drf-002?hasil=disimpan")
    assert page.page.locator("h1").inner_text().endswith("Banjir Sangkima: evakuasi lansia mendesak")
    assert page.problems == [] or all("503" in p for p in page.problems)


def test_airflows_menu_leads_to_kutim_siaga(as_user):
    page = as_user("moderator")
    page.go("/")
    page.page.wait_for_load_state("networkidle")
    page.page.get_by_role("button", name=re.compile("Browse")).click()
    link = page.page.get_by_role("menuitem", name=re.compile("Kutim Siaga: Moderasi"))
    link.wait_for()
    page.page.wait_for_timeout(500)  # let the menu's opening animation finish for the screenshot
    page.shot("00-menu-airflow")
    with page.page.context.expect_page() as opened:  # Airflow opens external views in a new tab
        link.click()
    siaga = opened.value
    siaga.wait_for_url("**/siaga/antrian")
    assert siaga.locator("h1").inner_text().startswith("Antrian draf")

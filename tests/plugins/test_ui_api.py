"""The JSON API under /siaga/api through FastAPI's TestClient, with real Airflow JWTs."""

from __future__ import annotations

import json

from tests.plugins.helpers import csrf_from, draft_row, events

PII = ("0812-5555-1234", "6408011203900001", "warga.bengalon@gmail.com")


def test_health_needs_no_login(client):
    response = client.get("/siaga/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_api_without_token_answers_401(client):
    response = client.get("/siaga/api/drafts")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_api_with_forged_token_answers_401(client, tokens):
    forged = tokens["moderator"][:-4] + "AAAA"
    response = client.get("/siaga/api/drafts", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_openapi_document_needs_login_and_lists_the_api(client, tokens):
    assert client.get("/siaga/openapi.json").status_code == 401
    response = client.get("/siaga/openapi.json", headers={"Authorization": f"Bearer {tokens['humas']}"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/drafts",
        "/api/drafts/{draft_id}",
        "/api/drafts/{draft_id}/approve",
        "/api/drafts/{draft_id}/reject",
        "/api/issues",
        "/api/alerts",
    } <= set(paths)
    assert "patch" in paths["/api/drafts/{draft_id}"]
    assert not any(path.startswith(("/antrian", "/draf", "/webhooks")) for path in paths)


def test_queue_puts_emergencies_first_then_reach(as_moderator):
    items = as_moderator.get("/siaga/api/drafts").json()["items"]
    assert [i["draft_id"] for i in items[:2]] == ["drf-002", "drf-008"]
    rest = [i["reach"] for i in items[2:]]
    assert rest == sorted(rest, reverse=True)
    assert all(i["status"] == "pending" for i in items)


def test_queue_filters_by_category_with_counts(as_moderator):
    body = as_moderator.get("/siaga/api/drafts", params={"kategori": "jalan_jembatan"}).json()
    assert body["total"] == 2
    assert {i["draft_id"] for i in body["items"]} == {"drf-001", "drf-007"}
    assert body["counts"]["kecamatan"] == {"Sangatta Utara": 2}
    assert body["counts"]["sumber"] == {"x": 2, "facebook": 1}


def test_queue_filters_by_source_platform_and_emergency(as_moderator):
    body = as_moderator.get("/siaga/api/drafts", params={"sumber": "whatsapp"}).json()
    assert {i["draft_id"] for i in body["items"]} == {"drf-003", "drf-005"}
    body = as_moderator.get("/siaga/api/drafts", params={"darurat": "ya"}).json()
    assert {i["draft_id"] for i in body["items"]} == {"drf-002", "drf-008"}


def test_date_filter_uses_wita_days(as_moderator):
    # isu-005's last post is 21 Nov 23:00 UTC = 22 Nov 07:00 WITA: it belongs to 22 Nov.
    on_22 = as_moderator.get("/siaga/api/drafts", params={"dari": "2026-11-22", "sampai": "2026-11-22"}).json()
    assert "drf-005" in {i["draft_id"] for i in on_22["items"]}
    on_21 = as_moderator.get("/siaga/api/drafts", params={"dari": "2026-11-21", "sampai": "2026-11-21"}).json()
    assert {i["draft_id"] for i in on_21["items"]} == {"drf-004", "drf-006"}


def test_draft_detail_masks_personal_data(as_moderator):
    response = as_moderator.get("/siaga/api/drafts/drf-003")
    assert response.status_code == 200
    body = response.json()
    assert "isi_unmasked" not in body
    text = response.text
    for value in PII:
        assert value not in text
    assert any("****" in post["text"] for post in body["evidence"])  # nlp.mask_pii keeps the ends of a number
    whatsapp = next(post for post in body["evidence"] if post["platform"] == "whatsapp")
    assert whatsapp["text"].startswith("Sudah 3 hari air PDAM mati di Sepaso")  # masked, not dropped
    assert body["evidence"][0]["author_name"] in ("B*** S***", "Y***")


def test_unknown_draft_is_404(as_moderator):
    assert as_moderator.get("/siaga/api/drafts/drf-999").status_code == 404


def test_patch_with_current_version_saves_and_is_audited(as_moderator):
    response = as_moderator.patch(
        "/siaga/api/drafts/drf-001",
        json={
            "version": 1,
            "judul": "Jalan berlubang parah di Swarga Bara",
            "region_code": "64.08.04",
            "opd": "Dinas PUPR Kutai Timur",
        },
    )
    assert response.status_code == 200, response.text
    row = draft_row("drf-001")
    assert row["judul"] == "Jalan berlubang parah di Swarga Bara"
    assert row["lokasi"] == "Kec. Sangatta Utara" and row["region_code"] == "64.08.04"
    assert row["version"] == 2 and row["moderator_edited"] is True
    edit = events("drf-001")[-1]
    assert edit["action"] == "edit" and edit["actor"] == "moderator" and edit["role"] == "moderator"
    assert json.loads(edit["detail"])["fields"] == ["judul", "lokasi", "opd", "region_code"]


def test_patch_with_stale_version_is_409_and_changes_nothing(as_moderator):
    assert as_moderator.patch("/siaga/api/drafts/drf-001", json={"version": 1, "judul": "Versi A"}).status_code == 200
    response = as_moderator.patch("/siaga/api/drafts/drf-001", json={"version": 1, "judul": "Versi B"})
    assert response.status_code == 409
    assert response.json()["detail"]["current_version"] == 2
    assert draft_row("drf-001")["judul"] == "Versi A"


def test_patch_refuses_a_location_outside_the_official_list(as_moderator):
    response = as_moderator.patch("/siaga/api/drafts/drf-001", json={"version": 1, "region_code": "64.74.01"})
    assert response.status_code == 422
    assert "wilayah resmi" in response.json()["detail"]["message"]
    assert draft_row("drf-001")["version"] == 1


def test_edited_isi_is_stored_masked(as_moderator):
    response = as_moderator.patch(
        "/siaga/api/drafts/drf-005",
        json={"version": 1, "isi": "Antrean panjang. Hubungi pelapor di 081255551234."},
    )
    assert response.status_code == 200
    assert "081255551234" not in draft_row("drf-005")["isi"]


def test_approve_once_then_the_draft_is_decided(as_moderator):
    response = as_moderator.post("/siaga/api/drafts/drf-004/approve", json={"version": 1})
    assert response.status_code == 200
    row = draft_row("drf-004")
    assert row["status"] == "approved" and row["decided_by"] == "moderator"
    again = as_moderator.post("/siaga/api/drafts/drf-004/approve")
    assert again.status_code == 409
    assert [e["action"] for e in events("drf-004")] == ["approve"]


def test_reject_needs_a_reason_and_records_it(as_moderator):
    assert as_moderator.post("/siaga/api/drafts/drf-006/reject", json={"reason": "  "}).status_code == 422
    assert draft_row("drf-006")["status"] == "pending"
    response = as_moderator.post(
        "/siaga/api/drafts/drf-006/reject", json={"reason": "Sudah ditangani DLH pada 21 Nov", "version": 1}
    )
    assert response.status_code == 200
    row = draft_row("drf-006")
    assert row["status"] == "rejected" and row["reject_reason"] == "Sudah ditangani DLH pada 21 Nov"
    assert json.loads(events("drf-006")[-1]["detail"])["reason"] == "Sudah ditangani DLH pada 21 Nov"


def test_humas_can_read_but_every_action_is_403_and_changes_nothing(as_humas):
    assert as_humas.get("/siaga/api/drafts").status_code == 200
    assert as_humas.get("/siaga/api/drafts/drf-001").status_code == 200
    before = draft_row("drf-001")
    assert as_humas.patch("/siaga/api/drafts/drf-001", json={"version": 1, "judul": "X"}).status_code == 403
    assert as_humas.post("/siaga/api/drafts/drf-001/approve").status_code == 403
    assert as_humas.post("/siaga/api/drafts/drf-001/reject", json={"reason": "tidak relevan"}).status_code == 403
    assert draft_row("drf-001") == before
    assert events("drf-001") == []


def test_user_without_a_mapped_role_is_refused(client, tokens):
    response = client.get("/siaga/api/drafts", headers={"Authorization": f"Bearer {tokens['nobody']}"})
    assert response.status_code == 403
    assert "peran" in response.json()["detail"]


def test_cookie_authenticated_api_write_needs_the_csrf_header(client, tokens):
    client.cookies.set("_token", tokens["moderator"])
    assert client.get("/siaga/api/drafts").status_code == 200
    assert client.post("/siaga/api/drafts/drf-004/approve").status_code == 403
    assert draft_row("drf-004")["status"] == "pending"
    page = client.get("/siaga/antrian", headers={"Accept": "text/html"}).text
    header = {"X-CSRF-Token": csrf_from(page)}
    assert client.post("/siaga/api/drafts/drf-004/approve", headers=header).status_code == 200


def test_issues_and_alerts_endpoints(as_humas):
    issues = as_humas.get("/siaga/api/issues").json()["items"]
    assert issues[0]["issue_id"] == "isu-002" and issues[0]["draft_id"] == "drf-002"
    alerts = as_humas.get("/siaga/api/alerts", params={"kind": "emergency"}).json()["items"]
    assert {a["issue_id"] for a in alerts} == {"isu-002", "isu-008"}


def test_whatsapp_webhook_is_public_and_exempt_from_login_and_csrf(client):
    # No user, no CSRF token: the route answers itself (403 bad signature, or 503 before the
    # WhatsApp extractor is installed), never a login redirect or 401.
    post = client.post(
        "/siaga/webhooks/whatsapp",
        content=b"{}",
        headers={"X-Hub-Signature-256": "sha256=00", "Content-Type": "application/json"},
    )
    assert post.status_code in (403, 503)
    get = client.get(
        "/siaga/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "salah", "hub.challenge": "123"},
        follow_redirects=False,
    )
    assert get.status_code in (403, 503)


def test_openapi_documents_the_airflow_bearer_token(as_humas):
    spec = as_humas.get("/siaga/openapi.json").json()
    assert spec["components"]["securitySchemes"]["AirflowJWT"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Token Airflow dari `POST /auth/token` (atau cookie `_token` setelah masuk).",
    }
    assert spec["paths"]["/api/drafts"]["get"]["security"] == [{"AirflowJWT": []}]


def test_a_null_in_a_patch_leaves_the_flag_alone(as_moderator):
    response = as_moderator.patch("/siaga/api/drafts/drf-001", json={"version": 1, "rahasia": None, "opd": None})
    assert response.status_code == 200
    row = draft_row("drf-001")
    assert row["rahasia"] is True and row["opd"] is None


def test_siaga_root_leads_to_the_users_start_page(as_humas):
    assert as_humas.get("/siaga", follow_redirects=False).headers["location"].endswith("/siaga/")
    response = as_humas.get("/siaga/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/siaga/viral"


def test_each_filters_counts_ignore_its_own_choice_but_honour_the_others(as_moderator):
    body = as_moderator.get("/siaga/api/drafts", params={"kategori": "banjir", "kecamatan": "Sangatta Utara"}).json()
    assert body["total"] == 0
    # Within Sangatta Utara: 2 road drafts and 1 waste draft, whatever category is chosen.
    assert body["counts"]["kategori"] == {"jalan_jembatan": 2, "lingkungan_sampah": 1}
    # Among floods: only Sangatta Selatan, whatever kecamatan is chosen.
    assert body["counts"]["kecamatan"] == {"Sangatta Selatan": 1}
    assert body["counts"]["sumber"] == {}


def test_a_malformed_date_filter_is_a_clear_422(as_moderator):
    response = as_moderator.get("/siaga/api/drafts", params={"dari": "22/11/2026"})
    assert response.status_code == 422
    assert "TTTT-BB-HH" in response.json()["detail"]["message"]
    page = as_moderator.get("/siaga/antrian", params={"dari": "kemarin"}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Tanggal &#39;dari&#39; tidak valid (kemarin)" in page.text and "8 draf menunggu" in page.text

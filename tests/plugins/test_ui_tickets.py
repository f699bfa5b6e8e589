"""GET /siaga/api/tickets and /tickets/{tracking_id}: the LAPOR! hand-overs with their SLA clocks, for both
roles, and a documented 404 for a tracking id nobody issued. Fixture: tests/plugins/data/seed.sql (ticket
4706512, submitted Fri 13 Nov 2026 and never verified, so its verification clock ran out)."""

from __future__ import annotations

import pytest

import warehouse

TICKET_KEYS = {"tracking_id", "draft_id", "state", "stage", "deadline", "working_days_left", "opd", "overdue"}


@pytest.mark.parametrize("role", ["moderator", "humas"])
def test_tickets_list_the_hand_overs_with_stage_and_deadline(client, tokens, role):
    client.headers["Authorization"] = f"Bearer {tokens[role]}"
    response = client.get("/siaga/api/tickets")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["overdue"] == 1
    (ticket,) = body["items"]
    assert set(ticket) >= TICKET_KEYS
    assert ticket["tracking_id"] == "4706512" and ticket["draft_id"] == "drf-009"
    assert ticket["state"] == "submitted" and ticket["stage"] == "verifikasi"
    assert ticket["deadline"] == "2026-11-18"  # three working days after Friday 13 November
    assert ticket["overdue"] is True and ticket["working_days_left"] < 0
    assert ticket["opd"] == "Dinas Pendidikan dan Kebudayaan"
    assert set(ticket["stages"]) == {"verifikasi", "tindak_lanjut", "penutupan"}


def test_tickets_filter_by_state_stage_and_overdue(as_humas):
    assert as_humas.get("/siaga/api/tickets", params={"state": "exported"}).json()["total"] == 0
    assert as_humas.get("/siaga/api/tickets", params={"stage": "verifikasi"}).json()["total"] == 1
    assert as_humas.get("/siaga/api/tickets", params={"overdue": "false"}).json()["total"] == 0
    assert as_humas.get("/siaga/api/tickets", params={"limit": 0}).status_code == 422


def test_a_ticket_not_yet_sent_is_listed_without_a_tracking_id(as_moderator):
    with warehouse.connect(write=True) as con:
        con.execute("UPDATE drafts SET status = 'approved' WHERE draft_id = 'drf-001'")
        con.execute(
            "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, updated_at) "
            "VALUES ('drf-001', 'KS-UJI', 'http', 'approved', '2026-11-22 06:00:00')"
        )
    items = as_moderator.get("/siaga/api/tickets").json()["items"]
    waiting = next(t for t in items if t["draft_id"] == "drf-001")
    assert waiting["tracking_id"] is None and waiting["state"] == "approved" and waiting["stage"] is None


@pytest.mark.parametrize("role", ["moderator", "humas"])
def test_one_ticket_by_its_tracking_id(client, tokens, role):
    client.headers["Authorization"] = f"Bearer {tokens[role]}"
    response = client.get("/siaga/api/tickets/4706512")
    assert response.status_code == 200
    assert response.json()["draft_id"] == "drf-009" and response.json()["lapor_url"].endswith("4706512")


def test_an_unknown_tracking_id_is_a_documented_404(as_humas):
    response = as_humas.get("/siaga/api/tickets/0000000")
    assert response.status_code == 404
    assert "0000000" in response.json()["detail"]["message"]
    document = as_humas.get("/siaga/openapi.json").json()
    responses = document["paths"]["/api/tickets/{tracking_id}"]["get"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
    assert {"401", "403"} <= set(responses)
    assert "message" in document["components"]["schemas"]["ErrorMessage"]["properties"]


def test_tickets_need_a_login(client):
    assert client.get("/siaga/api/tickets").status_code == 401
    assert client.get("/siaga/api/tickets/4706512").status_code == 401

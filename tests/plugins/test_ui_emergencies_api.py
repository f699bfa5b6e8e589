"""The hand-off API: GET /siaga/api/emergencies and POST .../{issue_id}/handoff, roles, versions."""

from __future__ import annotations

import json

from tests.plugins.helpers import csrf_from
from warehouse import connect

HTML = {"Accept": "text/html"}


def handoff_events(issue_id: str) -> list[dict]:
    with connect() as con:
        rows = con.execute(
            "SELECT actor, role, action, detail, draft_id FROM moderation_events "
            "WHERE issue_id = ? AND action LIKE 'handoff%' ORDER BY event_id",
            [issue_id],
        ).fetchall()
    return [{"actor": a, "role": r, "action": x, "detail": json.loads(d), "draft_id": f} for a, r, x, d, f in rows]


def stored(issue_id: str) -> tuple | None:
    with connect() as con:
        return con.execute(
            "SELECT status, reference, reason, version FROM emergency_handoffs WHERE issue_id = ?", [issue_id]
        ).fetchone()


def test_emergencies_list_the_longest_waiting_first_with_their_state(as_humas):
    body = as_humas.get("/siaga/api/emergencies").json()
    items = {i["issue_id"]: i for i in body["items"]}
    assert set(items) == {"isu-002", "isu-008"}
    assert body["items"][0]["issue_id"] == "isu-002"  # still waiting, so on top
    assert items["isu-002"]["handoff_status"] == "pending" and items["isu-002"]["version"] == 0
    assert items["isu-008"]["handoff_status"] == "handed_to_112"  # as its alert recorded it
    # The flood was first seen 22 Nov 00:05 UTC and still waits: at least a week of minutes by now.
    assert items["isu-002"]["waiting_minutes"] > 7 * 24 * 60 - 60
    assert items["isu-008"]["waiting_minutes"] == 10  # 04:00 first post, alert delivered 04:10
    assert body["counts"]["waiting"] == 1 and body["total"] == 2


def test_emergencies_filter_by_state_and_since(as_humas):
    first = as_humas.get("/siaga/api/emergencies", params={"limit": 1}).json()
    assert [i["issue_id"] for i in first["items"]] == ["isu-002"] and first["total"] == 2
    pending = as_humas.get("/siaga/api/emergencies", params={"state": "pending"}).json()
    assert [i["issue_id"] for i in pending["items"]] == ["isu-002"]
    recent = as_humas.get("/siaga/api/emergencies", params={"since": "2026-11-22T05:00:00Z"}).json()
    assert [i["issue_id"] for i in recent["items"]] == ["isu-002"]  # the fire's last post was 04:50
    later = as_humas.get("/siaga/api/emergencies", params={"since": "2026-11-23"}).json()
    assert later["items"] == []
    bad = as_humas.get("/siaga/api/emergencies", params={"since": "kemarin"})
    assert bad.status_code == 422 and "ISO 8601" in bad.json()["detail"]["message"]
    assert as_humas.get("/siaga/api/emergencies", params={"state": "selesai"}).status_code == 422


def test_moderator_hands_one_over_and_the_audit_has_it(as_moderator):
    response = as_moderator.post(
        "/siaga/api/emergencies/isu-002/handoff",
        json={"action": "handed_to_112", "reference": "CC112/2026/0457", "version": 0},
    )
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["handoff_status"] == "handed_to_112" and item["reference"] == "CC112/2026/0457"
    assert item["version"] == 1 and item["decided_by"] == "moderator" and item["handed_at"]
    assert stored("isu-002") == ("handed_to_112", "CC112/2026/0457", None, 1)
    (event,) = handoff_events("isu-002")
    assert event["actor"] == "moderator" and event["action"] == "handoff_112" and event["draft_id"] == "drf-002"
    body = as_moderator.get("/siaga/api/emergencies").json()
    assert body["counts"] == {"waiting": 0, "handed_to_112": 1, "dismissed": 0}


def test_a_stale_version_answers_409_and_changes_nothing(as_moderator):
    first = as_moderator.post(
        "/siaga/api/emergencies/isu-002/handoff",
        json={"action": "dismissed", "reason": "Genangan sudah surut sebelum dilaporkan", "version": 0},
    )
    assert first.status_code == 200
    stale = as_moderator.post(
        "/siaga/api/emergencies/isu-002/handoff",
        json={"action": "handed_to_112", "reference": "Petugas Rahmat", "version": 0},
    )
    assert stale.status_code == 409
    detail = stale.json()["detail"]
    assert detail["current_version"] == 1 and detail["current"]["handoff_status"] == "dismissed"
    assert "versi sekarang 1" in detail["message"]
    assert stored("isu-002") == ("dismissed", None, "Genangan sudah surut sebelum dilaporkan", 1)
    assert len(handoff_events("isu-002")) == 1
    corrected = as_moderator.post(
        "/siaga/api/emergencies/isu-002/handoff",
        json={"action": "handed_to_112", "reference": "Petugas Rahmat", "version": 1},
    )
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    assert [e["detail"]["to"] for e in handoff_events("isu-002")] == ["dismissed", "handed_to_112"]


def test_humas_sees_but_cannot_hand_over(as_humas):
    response = as_humas.post(
        "/siaga/api/emergencies/isu-002/handoff", json={"action": "handed_to_112", "reference": "CC-1"}
    )
    assert response.status_code == 403
    assert "khusus moderator" in response.json()["detail"]
    assert stored("isu-002") is None and handoff_events("isu-002") == []


def test_a_decision_without_its_reference_or_reason_is_refused(as_moderator):
    for body in ({"action": "handed_to_112"}, {"action": "dismissed", "reason": " "}):
        response = as_moderator.post("/siaga/api/emergencies/isu-002/handoff", json=body)
        assert response.status_code == 422
        assert response.json()["detail"]["message"]
    assert as_moderator.post("/siaga/api/emergencies/isu-002/handoff", json={"action": "closed"}).status_code == 422
    missing = as_moderator.post(
        "/siaga/api/emergencies/isu-404/handoff", json={"action": "dismissed", "reason": "Tidak ada isunya"}
    )
    assert missing.status_code == 404
    not_emergency = as_moderator.post(
        "/siaga/api/emergencies/isu-001/handoff", json={"action": "dismissed", "reason": "Jalan berlubang"}
    )
    assert not_emergency.status_code == 404
    assert stored("isu-002") is None


def test_a_cookie_session_needs_the_csrf_header(client, tokens):
    client.cookies.set("_token", tokens["moderator"])
    body = {"action": "handed_to_112", "reference": "CC112-0001"}
    refused = client.post("/siaga/api/emergencies/isu-002/handoff", json=body)
    assert refused.status_code == 403 and stored("isu-002") is None
    token = csrf_from(client.get("/siaga/darurat", headers=HTML).text)
    accepted = client.post("/siaga/api/emergencies/isu-002/handoff", json=body, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 200


def test_openapi_documents_the_emergency_endpoints_and_their_errors(as_humas):
    spec = as_humas.get("/siaga/openapi.json").json()
    listing = spec["paths"]["/api/emergencies"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"state", "since"}
    post = spec["paths"]["/api/emergencies/{issue_id}/handoff"]["post"]
    assert {"200", "401", "403", "404", "409", "422", "503"} <= set(post["responses"])
    conflict = post["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert conflict.endswith("/Refused")
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][body]["properties"]) >= {"action", "reference", "reason", "version"}
    item = spec["components"]["schemas"]["EmergencyItem"]["properties"]
    assert item["handoff_status"]["enum"] == ["pending", "handed_to_112", "dismissed"]

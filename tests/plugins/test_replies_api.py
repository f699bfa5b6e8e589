"""The replies API: GET /siaga/api/replies, POST .../{id}/approve and .../{id}/skip; roles, versions, audit.

The seed's drf-009 is at SP4N-LAPOR! (tracking ID 4706512); drf-001 is given one here. Their replies are
drafted by warehouse.replies as the lapor_submit DAG drafts them.
"""

from __future__ import annotations

import json

import pytest

from tests.plugins.helpers import csrf_from
from warehouse import connect, replies


@pytest.fixture
def drafted(warehouse_path) -> dict[str, dict]:
    with connect(write=True) as con:
        con.execute("UPDATE drafts SET status = 'submitted' WHERE draft_id = 'drf-001'")
        con.execute(
            "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, updated_at) "
            "VALUES ('drf-001', 'KS-TEST-001', 'http', 'submitted', 'LPR-7781', now()::TIMESTAMP)"
        )
    counts = replies.draft_replies(replies.reply_settings())
    assert counts["drafted"] == 3  # drf-009: its Facebook post; drf-001: its two reports, not the retweet
    return {item["in_reply_to"]: item for item in replies.list_replies()["items"]}


def events(reply_id: str) -> list[tuple]:
    with connect() as con:
        rows = con.execute(
            "SELECT actor, role, action, detail FROM moderation_events WHERE detail->>'$.reply_id' = ? "
            "ORDER BY event_id",
            [reply_id],
        ).fetchall()
    return [(a, r, x, json.loads(d)) for a, r, x, d in rows]


def test_pending_replies_list_with_the_contract_fields(as_moderator, drafted):
    body = as_moderator.get("/siaga/api/replies", params={"status": "pending"}).json()
    assert body["total"] == 3 and body["counts"]["pending"] == 3
    for item in body["items"]:
        assert {"id", "draft_id", "platform", "in_reply_to", "text", "status"} <= set(item)
        assert item["status"] == "pending"
        assert item["in_reply_to"].startswith(item["platform"] + ":")
        assert item["tracking_id"] in item["text"]
    assert {i["in_reply_to"] for i in body["items"]} == {
        "facebook:5550005_3005",
        "x:1861000000000000001",
        "facebook:1029384756_2001",
    }
    only = as_moderator.get("/siaga/api/replies", params={"draft_id": "drf-009"}).json()
    assert [i["draft_id"] for i in only["items"]] == ["drf-009"]
    assert as_moderator.get("/siaga/api/replies", params={"status": "sent"}).json()["items"] == []
    assert as_moderator.get("/siaga/api/replies", params={"status": "terkirim"}).status_code == 422


def test_moderator_edits_and_approves_and_the_audit_has_both(as_moderator, drafted):
    item = drafted["x:1861000000000000001"]
    text = "Terima kasih, laporan Anda sudah di SP4N-LAPOR! (tiket LPR-7781)."
    response = as_moderator.post(
        f"/siaga/api/replies/{item['id']}/approve", json={"text": text, "version": item["version"]}
    )
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["status"] == "approved" and saved["text"] == text and saved["version"] > item["version"]
    audited = [(a, x) for a, _, x, _ in events(item["id"])]
    assert audited == [("moderator", "reply_edit"), ("moderator", "reply_approve")]
    pending = as_moderator.get("/siaga/api/replies", params={"status": "pending"}).json()
    assert item["id"] not in {i["id"] for i in pending["items"]}


def test_approve_without_a_body_and_skip_with_a_reason(as_moderator, drafted):
    first, second = drafted["facebook:5550005_3005"], drafted["facebook:1029384756_2001"]
    assert as_moderator.post(f"/siaga/api/replies/{first['id']}/approve").json()["status"] == "approved"
    skipped = as_moderator.post(f"/siaga/api/replies/{second['id']}/skip", json={"reason": "sudah dijawab admin"})
    assert skipped.status_code == 200 and skipped.json()["status"] == "skipped"
    assert skipped.json()["reason"] == "sudah dijawab admin"
    assert events(second["id"])[-1][2:] == (
        "reply_skip",
        {
            "reply_id": second["id"],
            "platform": "facebook",
            "version": second["version"],
            "from": "pending",
            "reason": "sudah dijawab admin",
        },
    )


def test_the_second_of_two_moderators_gets_409_and_nothing_changes(as_moderator, drafted):
    item = drafted["facebook:5550005_3005"]
    won = as_moderator.post(f"/siaga/api/replies/{item['id']}/skip", json={"version": item["version"]})
    lost = as_moderator.post(
        f"/siaga/api/replies/{item['id']}/approve", json={"text": "Teks lain", "version": item["version"]}
    )
    assert won.status_code == 200 and lost.status_code == 409
    detail = lost.json()["detail"]
    assert detail["current_version"] == won.json()["version"] and detail["current"]["status"] == "skipped"
    again = as_moderator.post(f"/siaga/api/replies/{item['id']}/approve")
    assert again.status_code == 409 and "skipped" in again.json()["detail"]["message"]
    assert replies.get_reply(item["id"])["status"] == "skipped"
    assert [x for _, _, x, _ in events(item["id"])] == ["reply_skip"]


def test_humas_sees_replies_but_gets_403_on_actions(as_humas, drafted):
    body = as_humas.get("/siaga/api/replies").json()
    assert body["total"] == 3
    keys = {i["in_reply_to"] for i in body["items"]}
    assert not keys & set(drafted)  # the post ids lead to their authors: humas gets opaque keys
    item = drafted["x:1861000000000000001"]
    for action in ("approve", "skip"):
        response = as_humas.post(f"/siaga/api/replies/{item['id']}/{action}", json={"text": "x"})
        assert response.status_code == 403
    assert replies.get_reply(item["id"])["status"] == "pending" and events(item["id"]) == []


def test_unknown_reply_is_404_and_a_too_long_x_text_is_422(as_moderator, drafted):
    assert as_moderator.post("/siaga/api/replies/rpl-tidak-ada/approve").status_code == 404
    item = drafted["x:1861000000000000001"]
    response = as_moderator.post(f"/siaga/api/replies/{item['id']}/approve", json={"text": "kata " * 80})
    assert response.status_code == 422 and "terlalu panjang" in response.json()["detail"]["message"]
    assert replies.get_reply(item["id"])["status"] == "pending"


def test_the_replies_endpoints_are_in_the_openapi_document(as_humas):
    paths = as_humas.get("/siaga/openapi.json").json()["paths"]
    assert "get" in paths["/api/replies"]
    for action in ("approve", "skip"):
        operation = paths[f"/api/replies/{{reply_id}}/{action}"]["post"]
        assert {"403", "404", "409"} <= set(operation["responses"])
    listed = paths["/api/replies"]["get"]
    assert "status" in {p["name"] for p in listed["parameters"]}


# --- The pages: Balasan and the replies section of the draft page ----------------------------------
HTML = {"Accept": "text/html"}


def test_balasan_page_lists_pending_replies_with_forms_for_moderators_only(as_moderator, drafted):
    html = as_moderator.get("/siaga/balasan", headers=HTML).text
    assert html.count('class="reply-form"') == 3 and "LPR-7781" in html and 'href="/siaga/balasan"' in html


def test_humas_sees_the_pages_without_forms_and_a_posted_form_is_403(as_humas, drafted):
    html = as_humas.get("/siaga/balasan", headers=HTML).text
    assert "reply-form" not in html and html.count('data-reply="') == 3
    draft = as_humas.get("/siaga/draf/drf-001", headers=HTML).text
    assert 'id="balasan"' in draft and "reply-form" not in draft
    item = drafted["x:1861000000000000001"]
    response = as_humas.post(f"/siaga/balasan/{item['id']}/setujui", data={"teks": "x"}, headers=HTML)
    assert response.status_code == 403 and replies.get_reply(item["id"])["status"] == "pending"


def test_moderator_edits_and_approves_from_the_draft_page(as_moderator, drafted):
    item = drafted["x:1861000000000000001"]
    html = as_moderator.get("/siaga/draf/drf-001", headers=HTML).text
    assert html.count('class="reply-form"') == 2  # its two reporting threads
    form = {
        "csrf_token": csrf_from(html),
        "version": str(item["version"]),
        "kembali": "draf/drf-001",
        "teks": "Terima kasih, laporan Anda kini tiket LPR-7781 di SP4N-LAPOR!.",
    }
    response = as_moderator.post(
        f"/siaga/balasan/{item['id']}/setujui", data=form, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/siaga/draf/drf-001?hasil=balasan-disetujui#balasan-{item['id']}"
    saved = replies.get_reply(item["id"])
    assert saved["status"] == "approved" and saved["text"] == form["teks"]
    stale = as_moderator.post(f"/siaga/balasan/{item['id']}/lewati", data=form, headers=HTML)
    assert stale.status_code == 409 and "sudah diubah orang lain" in stale.text
    assert replies.get_reply(item["id"])["status"] == "approved"

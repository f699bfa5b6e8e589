"""Bulk decisions, merge and audited unmask through the JSON API, and the bounds of its parameters."""

from __future__ import annotations

import pytest

from tests.plugins.helpers import csrf_from, draft_row, events

HTML = {"Accept": "text/html"}


def _issue(issue_id: str) -> tuple:
    from warehouse import connect

    with connect() as con:
        return con.execute(
            "SELECT status, merged_into, post_count FROM issues WHERE issue_id = ?", [issue_id]
        ).fetchone()


def test_bulk_approve_decides_each_draft_with_its_own_audit_row(as_moderator):
    body = {"action": "approve", "drafts": [{"draft_id": "drf-004", "version": 1}, {"draft_id": "drf-005"}]}
    response = as_moderator.post("/siaga/api/drafts/bulk", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "action": "approve",
        "done": [{"draft_id": "drf-004"}, {"draft_id": "drf-005"}],
        "skipped": [],
    }
    assert draft_row("drf-004")["status"] == draft_row("drf-005")["status"] == "approved"
    assert [(e["action"], e["actor"]) for e in events("drf-004") + events("drf-005")] == [
        ("approve", "moderator"),
        ("approve", "moderator"),
    ]


def test_bulk_skips_a_stale_version_an_unknown_and_a_decided_draft_and_says_why(as_moderator):
    as_moderator.patch("/siaga/api/drafts/drf-004", json={"version": 1, "opd": "PLN UP3 Berau"})
    as_moderator.post("/siaga/api/drafts/drf-006/approve")
    body = {
        "action": "reject",
        "reason": "Bukan kewenangan pemerintah kabupaten",
        "drafts": [
            {"draft_id": "drf-004", "version": 1},
            {"draft_id": "drf-005", "version": 1},
            {"draft_id": "drf-999"},
            {"draft_id": "drf-006"},
        ],
    }
    result = as_moderator.post("/siaga/api/drafts/bulk", json=body).json()
    assert result["done"] == [{"draft_id": "drf-005"}]
    skipped = {item["draft_id"]: item["reason"] for item in result["skipped"]}
    assert set(skipped) == {"drf-004", "drf-999", "drf-006"}
    assert "versi sekarang 2" in skipped["drf-004"]
    assert "tidak ditemukan" in skipped["drf-999"]
    assert "approved" in skipped["drf-006"]
    assert draft_row("drf-004")["status"] == "pending"
    assert draft_row("drf-005")["status"] == "rejected"
    assert draft_row("drf-005")["reject_reason"] == "Bukan kewenangan pemerintah kabupaten"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"action": "reject", "drafts": [{"draft_id": "drf-004"}]}, "message"),  # no reason
        ({"action": "reject", "reason": "x", "drafts": [{"draft_id": "drf-004"}]}, "message"),
        ({"action": "approve", "drafts": []}, "list"),
        ({"action": "hapus", "drafts": [{"draft_id": "drf-004"}]}, "list"),
    ],
)
def test_a_bulk_request_that_cannot_be_done_is_a_422_and_changes_nothing(as_moderator, body, where):
    response = as_moderator.post("/siaga/api/drafts/bulk", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) if where == "list" else "Alasan" in detail["message"]
    assert draft_row("drf-004")["status"] == "pending" and events("drf-004") == []


def test_merge_folds_the_other_issue_into_the_drafts_issue(as_moderator):
    response = as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-007", "version": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["source_issue"], body["target_issue"], body["target_draft"]) == ("isu-007", "isu-001", "drf-001")
    assert body["draft"]["draft_id"] == "drf-001" and body["draft"]["post_count"] == 4
    assert _issue("isu-007")[:2] == ("merged", "isu-001")
    assert draft_row("drf-007")["status"] == "merged" and draft_row("drf-007")["merged_into"] == "drf-001"
    assert [(e["action"], e["actor"]) for e in events("drf-007")] == [("merge", "moderator")]


def test_merge_with_a_stale_version_is_409_and_moves_nothing(as_moderator):
    as_moderator.patch("/siaga/api/drafts/drf-001", json={"version": 1, "judul": "Jalan berlubang di Sangatta"})
    response = as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-007", "version": 1})
    assert response.status_code == 409
    assert response.json()["detail"]["current_version"] == 2
    assert _issue("isu-007")[0] == "open" and draft_row("drf-007")["status"] == "pending"


def test_merge_refusals_say_what_was_wrong(as_moderator):
    unknown_draft = as_moderator.post("/siaga/api/drafts/drf-999/merge", json={"issue_id": "isu-007"})
    assert unknown_draft.status_code == 404
    itself = as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-001"})
    assert itself.status_code == 422 and "dirinya sendiri" in itself.json()["detail"]["message"]
    unknown_issue = as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-999"})
    assert unknown_issue.status_code == 422 and "isu-999" in unknown_issue.json()["detail"]["message"]
    as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-007"})
    again = as_moderator.post("/siaga/api/drafts/drf-001/merge", json={"issue_id": "isu-007"})
    assert again.status_code == 409 and "merged" in again.json()["detail"]["message"]


def test_unmask_shows_the_personal_data_once_and_audits_it_first(as_moderator):
    masked = as_moderator.get("/siaga/api/drafts/drf-003").json()
    assert "0812-5555-1234" not in str(masked)
    assert events("drf-003") == []
    response = as_moderator.post("/siaga/api/drafts/drf-003/unmask")
    assert response.status_code == 200
    body = response.json()
    assert body["draft_id"] == "drf-003"
    assert "0812-5555-1234" in body["isi"] or any("0812-5555-1234" in p["text"] for p in body["posts"].values())
    assert "Bambang Sutrisno" in {p["author_name"] for p in body["posts"].values()}
    assert [(e["action"], e["actor"]) for e in events("drf-003")] == [("unmask", "moderator")]
    assert "0812-5555-1234" not in str(as_moderator.get("/siaga/api/drafts/drf-003").json())
    assert as_moderator.post("/siaga/api/drafts/drf-999/unmask").status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/siaga/api/drafts/bulk", {"action": "approve", "drafts": [{"draft_id": "drf-004"}]}),
        ("/siaga/api/drafts/drf-001/merge", {"issue_id": "isu-007"}),
        ("/siaga/api/drafts/drf-003/unmask", None),
    ],
)
def test_humas_is_refused_every_new_action_and_nothing_changes(as_humas, path, body):
    before = events()
    response = as_humas.post(path, json=body)
    assert response.status_code == 403
    assert "moderator" in response.json()["detail"]
    assert draft_row("drf-004")["status"] == "pending" and _issue("isu-007")[0] == "open"
    assert events() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/siaga/api/drafts/bulk", {"action": "approve", "drafts": [{"draft_id": "drf-004"}]}),
        ("/siaga/api/drafts/drf-001/merge", {"issue_id": "isu-007"}),
        ("/siaga/api/drafts/drf-003/unmask", None),
    ],
)
def test_a_cookie_session_needs_the_csrf_header_for_the_new_actions(client, tokens, path, body):
    client.cookies.set("_token", tokens["moderator"])
    before = events()
    assert client.post(path, json=body).status_code == 403
    assert events() == before
    header = {"X-CSRF-Token": csrf_from(client.get("/siaga/antrian", headers=HTML).text)}
    assert client.post(path, json=body, headers=header).status_code == 200


def test_the_new_actions_and_their_errors_are_in_the_openapi_document(as_humas):
    paths = as_humas.get("/siaga/openapi.json").json()["paths"]
    for path in ("/api/drafts/bulk", "/api/drafts/{draft_id}/merge", "/api/drafts/{draft_id}/unmask"):
        assert {"401", "403", "503"} <= set(paths[path]["post"]["responses"]), path
    assert {"404", "409", "422"} <= set(paths["/api/drafts/{draft_id}/merge"]["post"]["responses"])
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
            if method != "get":
                assert "409" in operation["responses"] or path.endswith("/unmask"), (method, path)


@pytest.mark.parametrize(
    "params",
    [
        {"dari": "0001-01-01"},
        {"sampai": "9999-12-31"},
        {"dari": "20261122"},
        {"offset": str(2**63)},
        {"offset": "-1"},
        {"limit": "0"},
    ],
)
def test_out_of_range_parameters_are_a_documented_422_not_a_500(as_moderator, params):
    response = as_moderator.get("/siaga/api/drafts", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    if isinstance(detail, list):
        assert detail[0]["loc"] == ["query", next(iter(params))]
    else:
        assert next(iter(params)) in detail["message"]


@pytest.mark.parametrize("path", ["/siaga/api/issues", "/siaga/api/tickets"])
def test_a_huge_offset_elsewhere_is_a_422_too(as_moderator, path):
    response = as_moderator.get(path, params={"offset": "9" * 20})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]


@pytest.mark.parametrize("page", ["/siaga/antrian", "/siaga/audit", "/siaga/lapor"])
def test_a_twenty_digit_page_number_shows_an_empty_last_page_not_a_500(as_moderator, page):
    response = as_moderator.get(page, params={"halaman": "9" * 20}, headers=HTML)
    assert response.status_code == 200


def test_dates_outside_the_range_are_named_on_the_queue_page(as_moderator):
    response = as_moderator.get("/siaga/antrian", params={"dari": "0001-01-01", "sampai": "9999-12-31"}, headers=HTML)
    assert response.status_code == 200
    assert "di luar rentang 1970-01-01 s.d. 2100-12-31" in response.text
    assert "8 draf menunggu" in response.text


@pytest.mark.parametrize(
    "since", ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-10:00", "kemarin"]
)
def test_an_emergency_since_outside_the_range_is_a_422(as_moderator, since):
    response = as_moderator.get("/siaga/api/emergencies", params={"since": since})
    assert response.status_code == 422
    assert "1970-01-01" in response.json()["detail"]["message"]


@pytest.mark.parametrize("handed_at", ["0001-01-01T00:00:00+14:00", "1969-12-31T00:00:00Z"])
def test_a_handoff_time_outside_the_range_is_a_422_and_changes_nothing(as_moderator, handed_at):
    pending = as_moderator.get("/siaga/api/emergencies", params={"state": "pending"}).json()["items"]
    issue_id = pending[0]["issue_id"]
    body = {"action": "handed_to_112", "reference": "CC112-0001", "handed_at": handed_at}
    response = as_moderator.post(f"/siaga/api/emergencies/{issue_id}/handoff", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "handed_at"]
    after = as_moderator.get("/siaga/api/emergencies", params={"state": "pending"}).json()["items"]
    assert issue_id in {item["issue_id"] for item in after}

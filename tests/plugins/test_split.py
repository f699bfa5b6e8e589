"""Split beside merge: moderators move chosen reports of an issue into a new issue with its own draft,
through the API and the draft page; humas cannot; a stale version is refused; every split is audited and
later clustering runs leave the split posts where the moderator put them."""

from __future__ import annotations

import json

from tests.plugins.helpers import csrf_from, draft_row, events

HTML = {"Accept": "text/html"}
SPLIT = "/siaga/api/issues/isu-002/split"
# isu-002 (the flood in Sangkima, drf-002) holds three reports
FLOOD_REPORTS = ("instagram:C9banjirSangkima1", "x:1861000000000000003", "facebook:5550001_3001")


def _issue_posts(issue_id: str) -> set[str]:
    from warehouse import connect

    with connect() as con:
        return {r[0] for r in con.execute("SELECT post_key FROM issue_posts WHERE issue_id = ?", [issue_id]).fetchall()}


def _issue(issue_id: str) -> dict:
    from warehouse import connect

    with connect() as con:
        cur = con.execute("SELECT * FROM issues WHERE issue_id = ?", [issue_id])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def test_a_moderator_splits_reports_into_a_new_issue_with_its_own_draft(as_moderator):
    before = _issue("isu-002")
    response = as_moderator.post(SPLIT, json={"post_ids": ["facebook:5550001_3001"], "version": 1})
    assert response.status_code == 200, response.text
    result = response.json()
    new_issue, new_draft = result["new_issue"], result["new_draft"]
    assert result["moved"] == ["facebook:5550001_3001"] and new_issue != "isu-002"
    assert _issue_posts(new_issue) == {"facebook:5550001_3001"}
    assert _issue_posts("isu-002") == set(FLOOD_REPORTS) - {"facebook:5550001_3001"}
    after, created = _issue("isu-002"), _issue(new_issue)
    assert after["post_count"] == before["post_count"] - 1 and after["report_count"] == before["report_count"] - 1
    assert created["post_count"] == created["report_count"] == 1 and created["status"] == "open"
    assert after["reach"] + created["reach"] == before["reach"]
    assert draft_row(new_draft)["status"] == "pending"
    source = draft_row("drf-002")
    assert source["version"] == 2 and new_issue in source["new_evidence"]
    split = events("drf-002")[0]
    assert split["action"] == "split" and split["actor"] == "moderator"
    detail = json.loads(split["detail"]) if isinstance(split["detail"], str) else split["detail"]
    assert detail["target_issue"] == new_issue and detail["posts"] == ["facebook:5550001_3001"]
    from warehouse import connect

    with connect() as con:
        assert con.execute("SELECT from_issue, to_issue, split_by FROM issue_splits").fetchall() == [
            ("isu-002", new_issue, "moderator")
        ]
        # the queue's Sumber column reads the summaries, which followed the split
        platforms = dict(
            con.execute(
                "SELECT issue_id, list(platform ORDER BY platform) FROM issue_platforms "
                "WHERE issue_id IN ('isu-002', ?) GROUP BY 1",
                [new_issue],
            ).fetchall()
        )
    assert platforms == {"isu-002": ["instagram", "x"], new_issue: ["facebook"]}
    # the new draft is in the queue; its page shows where it came from in the history of the old one
    queue = as_moderator.get("/siaga/api/drafts").json()
    assert new_draft in {d["draft_id"] for d in queue["items"]}


def test_humas_cannot_split_and_nothing_changes(as_humas):
    response = as_humas.post(SPLIT, json={"post_ids": ["facebook:5550001_3001"]})
    assert response.status_code == 403
    assert _issue_posts("isu-002") == set(FLOOD_REPORTS)
    assert not [e for e in events() if e["action"] == "split"]


def test_a_stale_version_is_refused_with_the_current_one(as_moderator):
    draft = as_moderator.get("/siaga/api/drafts/drf-002").json()
    edited = as_moderator.patch(
        "/siaga/api/drafts/drf-002", json={"version": draft["version"], "judul": "Banjir Sangkima"}
    )
    assert edited.status_code == 200
    response = as_moderator.post(SPLIT, json={"post_ids": ["facebook:5550001_3001"], "version": draft["version"]})
    assert response.status_code == 409
    assert response.json()["detail"]["current_version"] == draft["version"] + 1
    assert _issue_posts("isu-002") == set(FLOOD_REPORTS)


def test_a_split_must_leave_a_report_and_take_one_from_this_issue(as_moderator):
    every = as_moderator.post(SPLIT, json={"post_ids": list(FLOOD_REPORTS)})
    assert every.status_code == 422 and "Sisakan minimal satu laporan" in every.json()["detail"]["message"]
    stranger = as_moderator.post(SPLIT, json={"post_ids": ["x:1861000000000000001"]})
    assert stranger.status_code == 422 and "bukan bagian dari isu isu-002" in stranger.json()["detail"]["message"]
    empty = as_moderator.post(SPLIT, json={"post_ids": []})
    assert empty.status_code == 422
    missing = as_moderator.post("/siaga/api/issues/isu-404/split", json={"post_ids": ["x:1"]})
    assert missing.status_code == 404
    assert _issue_posts("isu-002") == set(FLOOD_REPORTS)


def test_the_draft_page_splits_the_ticked_reports(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    assert 'id="form-pisah"' in html and 'value="x:1861000000000000003" form="form-pisah"' in html
    response = as_moderator.post(
        "/siaga/draf/drf-002/pisah",
        data={"csrf_token": csrf_from(html), "version": "1", "unggahan": ["x:1861000000000000003"]},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    new_draft = response.headers["location"].split("/draf/")[1].split("?")[0]
    assert draft_row(new_draft)["issue_id"] != "isu-002"
    page = as_moderator.get(response.headers["location"], headers=HTML).text
    assert "Laporan terpilih dipisah dari isu asalnya" in page
    assert "x:1861000000000000003" not in _issue_posts("isu-002")
    # nothing ticked: the page says what to do and keeps the issue whole
    html = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    refused = as_moderator.post(
        "/siaga/draf/drf-002/pisah", data={"csrf_token": csrf_from(html), "version": "2"}, headers=HTML
    )
    assert refused.status_code == 422 and "Pilih minimal satu unggahan" in refused.text


def test_humas_sees_no_split_form_and_its_post_is_refused(as_humas):
    html = as_humas.get("/siaga/draf/drf-002", headers=HTML).text
    assert 'id="form-pisah"' not in html
    response = as_humas.post(
        "/siaga/draf/drf-002/pisah", data={"unggahan": ["x:1861000000000000003"]}, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 403
    assert _issue_posts("isu-002") == set(FLOOD_REPORTS)

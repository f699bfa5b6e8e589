"""What humas reads: free text people wrote (reject reasons, posts) with phone numbers, NIK and
@handles masked, and no link that names a post's author; moderators keep their link and may unmask."""

from __future__ import annotations

import pytest

from tests.plugins.helpers import csrf_from, draft_row

HTML = {"Accept": "text/html"}
REASON = "Pelapor minta ditelepon di 0813-4444-9876, NIK 6408015507880003, sudah ditangani @camat_sepaso"
SECRETS = ("0813-4444-9876", "6408015507880003", "camat_sepaso")
RETWEET = "RT @budi_kutim: Jl. Yos Sudarso berlubang lagi, lapor @PemkabKutim"
PROFILE_URL = "https://x.com/budi_kutim/status/1861000000000000099"


@pytest.fixture
def rejected_with_personal_data(as_moderator):
    """drf-006 rejected by a moderator whose reason quotes a phone number, a NIK and a handle."""
    response = as_moderator.post("/siaga/api/drafts/drf-006/reject", json={"reason": REASON, "version": 1})
    assert response.status_code == 200
    assert draft_row("drf-006")["reject_reason"] == REASON  # stored as typed, for the audit
    del as_moderator.headers["Authorization"]


@pytest.fixture
def retweet_in_evidence(warehouse_path):
    """A retweet whose text and link name its author, among drf-001's evidence."""
    from warehouse import connect

    with connect(write=True) as con:
        con.execute(
            "INSERT INTO posts (platform, platform_post_id, post_key, url, author_id, author_name, text, "
            "created_at, lang, likes, shares, comments, views, loaded_at, updated_at) VALUES "
            "('x', '1861000000000000099', 'x:1861000000000000099', ?, 'h:9999', 'Budi Santoso', ?, "
            "'2026-11-22 06:00:00', 'id', 1, 0, 0, 10, '2026-11-22 06:05:00', '2026-11-22 06:05:00')",
            [PROFILE_URL, RETWEET],
        )
        con.execute(
            "INSERT INTO issue_posts (post_key, issue_id, role, similarity, linked_at) VALUES "
            "('x:1861000000000000099', 'isu-001', 'duplicate', 1.0, '2026-11-22 06:05:00')"
        )


def test_humas_reads_a_reject_reason_masked_in_the_ui(rejected_with_personal_data, client, tokens):
    client.cookies.set("_token", tokens["humas"])
    for path in ("/siaga/draf/drf-006", "/siaga/audit"):
        html = client.get(path, headers=HTML).text
        assert "Pelapor minta ditelepon di 0813****9876" in html, path
        assert "[NIK disembunyikan]" in html and "@c***" in html
        assert not any(secret in html for secret in SECRETS), path


def test_humas_reads_a_reject_reason_masked_in_the_api(rejected_with_personal_data, as_humas):
    one = as_humas.get("/siaga/api/drafts/drf-006").json()
    listed = as_humas.get("/siaga/api/drafts", params={"status": "rejected"}).json()["items"]
    assert "drf-006" in {d["draft_id"] for d in listed}
    for shown in (one["reject_reason"], next(d for d in listed if d["draft_id"] == "drf-006")["reject_reason"]):
        assert shown.startswith("Pelapor minta ditelepon di 0813****9876, NIK [NIK disembunyikan]")
        assert not any(secret in shown for secret in SECRETS)


def test_humas_sees_no_handle_and_no_author_link_in_the_evidence(retweet_in_evidence, as_humas):
    html = as_humas.get("/siaga/draf/drf-001", headers=HTML).text
    assert "RT @b***: Jl. Yos Sudarso berlubang lagi, lapor @PemkabKutim" in html  # the agency stays
    assert "budi_kutim" not in html and "B*** S***" in html
    assert "x.com (tautan disembunyikan)" in html and "/status/" not in html
    assert "1861000000000000099" not in html and "1029384756" not in html
    body = as_humas.get("/siaga/api/drafts/drf-001").json()
    from siaga_ui.formatting import opaque_post_key

    retweet = next(p for p in body["evidence"] if p["post_key"] == opaque_post_key("x:1861000000000000099"))
    assert retweet["text"] == "RT @b***: Jl. Yos Sudarso berlubang lagi, lapor @PemkabKutim"
    assert retweet["url"] is None and retweet["url_host"] == "x.com"
    assert "budi_kutim" not in str(body)
    assert "1029384756" not in str(body) and "1861000000000000099" not in str(body)  # ids lead to authors


def test_a_moderator_keeps_the_link_and_may_unmask_the_handle(retweet_in_evidence, as_moderator):
    html = as_moderator.get("/siaga/draf/drf-001", headers=HTML).text
    assert "RT @b***: Jl. Yos Sudarso" in html and f'href="{PROFILE_URL}"' in html
    unmasked = as_moderator.post("/siaga/draf/drf-001/buka-data", data={"csrf_token": csrf_from(html)}, headers=HTML)
    assert RETWEET in unmasked.text
    assert as_moderator.get("/siaga/api/drafts/drf-001").json()["evidence"][-1]["url"] is not None


def test_handle_masking_spares_e_mail_addresses_and_agency_accounts():
    from siaga_ui.formatting import mask_people

    assert mask_people("cc warga.bengalon@gmail.com dan @pupr_kutim, @siti.rahma.") == (
        "cc w***@gmail.com dan @pupr_kutim, @s***."
    )


@pytest.fixture
def emergency_alert_with_evidence_link(warehouse_path):
    """An emergency alert whose message quotes its evidence, as warehouse.alerts writes it."""
    from warehouse import connect

    with connect(write=True) as con:
        con.execute(
            "INSERT INTO alerts (alert_id, kind, day, scope, scope_key, issue_id, value, baseline, threshold, "
            "message, handoff_status, delivered_at, created_at) VALUES ('alr-link', 'emergency', '2026-11-22', "
            "'issue', 'isu-001', 'isu-001', 1, 0, 1, ?, 'pending', NULL, '2026-11-22 06:05:00')",
            [f"DARURAT BANJIR di Sangatta Utara. Bukti: {PROFILE_URL}"],
        )


def test_humas_reads_alerts_without_the_evidence_links_that_name_authors(
    emergency_alert_with_evidence_link, client, tokens
):
    for role, sees_link in (("humas", False), ("moderator", True)):
        client.headers["Authorization"] = f"Bearer {tokens[role]}"
        alerts = client.get("/siaga/api/alerts").json()["items"]
        message = next(a["message"] for a in alerts if a["alert_id"] == "alr-link")
        assert ("budi_kutim" in message) is sees_link, role
        assert "x.com" in message, role  # the site stays: humas knows where the evidence is
        del client.headers["Authorization"]
        client.cookies.set("_token", tokens[role])
        html = client.get("/siaga/viral", headers=HTML).text
        assert ("budi_kutim/status" in html) is sees_link, role
        client.cookies.clear()

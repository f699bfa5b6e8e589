"""CSRF: a form's token belongs to one Airflow session (its JWT) and expires; the API's bearer
exemption holds only for a request that really authenticated with a bearer token."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.plugins.helpers import csrf_from, draft_row, events

HTML = {"Accept": "text/html"}


@pytest.fixture
def new_jwt(airflow_env):
    """A fresh login of `moderator`: a new JWT, as Airflow's /auth/token or login page would issue."""
    from airflow.api_fastapi.app import create_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    manager = create_auth_manager()
    return lambda: manager.generate_jwt(SimpleAuthManagerUser(username="moderator", role="user"))


def _reject_form(token: str) -> dict[str, str]:
    return {"csrf_token": token, "version": "1", "alasan": "Sudah ditangani Dinas PUPR"}


def test_an_empty_bearer_header_does_not_skip_the_csrf_check_of_a_cookie_session(client, tokens):
    client.cookies.set("_token", tokens["moderator"])
    for header in ("Bearer ", "Bearer", "bearer  "):
        response = client.post("/siaga/api/drafts/drf-004/approve", headers={"Authorization": header})
        assert response.status_code == 403, header
        assert "CSRF" in response.json()["detail"]
    assert draft_row("drf-004")["status"] == "pending" and events("drf-004") == []
    # The same cookie session with its page's token may act, empty header or not.
    token = csrf_from(client.get("/siaga/antrian", headers=HTML).text)
    response = client.post(
        "/siaga/api/drafts/drf-004/approve", headers={"Authorization": "Bearer ", "X-CSRF-Token": token}
    )
    assert response.status_code == 200
    assert draft_row("drf-004")["status"] == "approved"


def test_a_real_bearer_token_needs_no_csrf_token(client, tokens):
    response = client.post(
        "/siaga/api/drafts/drf-004/approve", headers={"Authorization": f"Bearer {tokens['moderator']}"}
    )
    assert response.status_code == 200


def test_a_form_token_from_before_logout_is_refused_and_a_fresh_one_works(client, new_jwt):
    from airflow.api_fastapi.app import get_auth_manager

    before = new_jwt()
    client.cookies.set("_token", before)
    old_token = csrf_from(client.get("/siaga/draf/drf-006", headers=HTML).text)
    # What Airflow's logout does with the session's JWT. In a thread of its own: the token code calls
    # async_to_sync, which refuses a thread where an event loop runs (as one does after the browser tests).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(get_auth_manager().revoke_token, before).result()
    assert client.get("/siaga/draf/drf-006", headers=HTML, follow_redirects=False).status_code == 303
    client.cookies.set("_token", new_jwt())  # logged in again
    refused = client.post("/siaga/draf/drf-006/tolak", data=_reject_form(old_token), headers=HTML)
    assert refused.status_code == 403 and "token CSRF" in refused.text
    assert draft_row("drf-006")["status"] == "pending" and events("drf-006") == []
    fresh = csrf_from(client.get("/siaga/draf/drf-006", headers=HTML).text)
    assert fresh != old_token
    ok = client.post("/siaga/draf/drf-006/tolak", data=_reject_form(fresh), headers=HTML, follow_redirects=False)
    assert ok.status_code == 303 and draft_row("drf-006")["status"] == "rejected"


def test_a_form_token_from_another_session_of_the_same_user_is_refused(client, new_jwt):
    first, second = new_jwt(), new_jwt()
    client.cookies.set("_token", first)
    token_of_first = csrf_from(client.get("/siaga/draf/drf-006", headers=HTML).text)
    client.cookies.set("_token", second)
    refused = client.post("/siaga/draf/drf-006/tolak", data=_reject_form(token_of_first), headers=HTML)
    assert refused.status_code == 403
    api = client.post("/siaga/api/drafts/drf-004/approve", headers={"X-CSRF-Token": token_of_first})
    assert api.status_code == 403
    assert draft_row("drf-006")["status"] == draft_row("drf-004")["status"] == "pending"


def test_a_form_token_expires(client, new_jwt):
    import time

    from siaga_ui.auth import CSRF_MAX_AGE_S, SiagaUser, csrf_is_valid, csrf_token, session_id

    jwt = new_jwt()
    client.cookies.set("_token", jwt)
    user = SiagaUser(name="moderator", role="moderator", session=session_id(jwt))
    stale = csrf_token(user, now=time.time() - CSRF_MAX_AGE_S - 5)
    assert not csrf_is_valid(user, stale)
    assert csrf_is_valid(user, csrf_token(user, now=time.time() - CSRF_MAX_AGE_S + 60))
    refused = client.post("/siaga/draf/drf-006/tolak", data=_reject_form(stale), headers=HTML)
    assert refused.status_code == 403 and draft_row("drf-006")["status"] == "pending"
    # A token claiming to be issued later than it was does not verify either.
    issued, _, mac = csrf_token(user).partition(".")
    assert not csrf_is_valid(user, f"{int(issued) + 3600}.{mac}")

"""Facebook pages through facebook-sdk over real HTTP against the fake Graph API on 127.0.0.1."""

import json
from datetime import UTC, datetime, timedelta

import facebook
import pytest

from extractors import listening
from extractors.errors import ExtractorAuthError
from extractors.run import run_source
from tests.fakes.fake_graph import TOKEN, FakeGraph, graph_error
from tests.fakes.platform_fake import Reply

NOW = datetime.now(UTC).replace(microsecond=0)
PAGE = "100064000000202"


def post(n: int, text: str = "Kiriman warga: jalan Swarga Bara rusak 😡", **extra) -> dict:
    created = (NOW - timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    return {
        "id": f"{PAGE}_{1000 + n}",
        "message": text,
        "created_time": created,
        "permalink_url": f"https://www.facebook.com/{PAGE}/posts/{1000 + n}",
        "from": {"name": "Info Sangatta", "id": PAGE},
        "shares": {"count": n},
        "reactions": {"data": [], "summary": {"total_count": 10 + n}},
        "comments": {"data": [], "summary": {"total_count": 0}},
        **extra,
    }


@pytest.fixture
def config():
    data = listening.load()
    data["facebook_pages"] = [{"id": PAGE, "name": "Info Sangatta"}]
    data["facebook"] = dict(data["facebook"], page_limit=10, lookback_days=0)
    return data


@pytest.fixture
def fake_graph(monkeypatch):
    fake = FakeGraph({PAGE: [post(n) for n in range(1, 24)]}).start()
    monkeypatch.setenv("SIAGA_GRAPH_API_BASE", fake.url)
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_FACEBOOK", json.dumps({"conn_type": "http", "password": TOKEN}))
    yield fake
    fake.stop()
    facebook.FACEBOOK_GRAPH_URL = "https://graph.facebook.com/"


def run(tmp_path, config, cursors=None, **options):
    out = tmp_path / "fb.jsonl"
    result = run_source("facebook", NOW - timedelta(days=2), NOW, out, cursors, config=config, **options)
    return result, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_page_posts_are_read_over_several_pages_with_the_configured_version(fake_graph, tmp_path, config):
    result, lines = run(tmp_path, config)
    assert [r.path for r in fake_graph.requests] == [f"/v23.0/{PAGE}/posts"] * 3
    assert fake_graph.requests[1].query["after"] and "reactions.summary" in fake_graph.requests[0].query["fields"]
    assert len(lines) == 23 and result.complete and result.api_calls == 3
    assert result.cursors[f"page:{PAGE}"] == max(line["created_at"] for line in lines)
    assert lines[0]["metrics"]["likes"] == 11 and lines[0]["url"].startswith("https://www.facebook.com/")


def test_cursor_of_a_missed_run_widens_the_window(fake_graph, tmp_path, config):
    old = (NOW - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    run(tmp_path, config, cursors={f"page:{PAGE}": old})
    since = int(fake_graph.requests[0].query["since"])
    assert since == int(datetime.fromisoformat(old.replace("Z", "+00:00")).timestamp())


def test_empty_page_keeps_the_previous_cursor(fake_graph, tmp_path, config):
    fake_graph.posts[PAGE] = []
    result, lines = run(tmp_path, config, cursors={f"page:{PAGE}": "2026-11-01T00:00:00Z"})
    assert lines == [] and result.cursors[f"page:{PAGE}"] == "2026-11-01T00:00:00Z"


def test_rate_limit_with_short_regain_time_is_waited_out(fake_graph, tmp_path, config):
    usage = json.dumps({PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 0}]})
    fake_graph.script.append(
        graph_error(32, "Page request limit reached", headers={"x-business-use-case-usage": usage})
    )
    result, lines = run(tmp_path, config)
    assert result.complete and len(lines) == 23


def test_rate_limit_past_the_budget_stops_with_the_cursor_unchanged(fake_graph, tmp_path, config):
    fake_graph.script.extend(
        [
            Reply(
                200,
                {
                    "data": [post(1)],
                    "paging": {"cursors": {"after": "b2Zmc2V0OjE="}, "next": "https://graph.facebook.com/x"},
                },
            ),
            graph_error(4, "Application request limit reached"),
        ]
    )
    result, lines = run(tmp_path, config, cursors={f"page:{PAGE}": "2026-11-01T00:00:00Z"}, budget_s=10)
    assert not result.complete and "rate limit (code 4)" in result.notes[0]
    assert len(lines) == 1  # what was read is kept; the warehouse upserts it again next time
    assert f"page:{PAGE}" not in result.cursors  # the stored cursor stays where it was


def test_expired_token_fails_loudly(fake_graph, tmp_path, config, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_FACEBOOK", json.dumps({"password": "expired"}))
    with pytest.raises(ExtractorAuthError, match="code 190"):
        run(tmp_path, config)


def test_permission_error_skips_that_page_and_goes_on(fake_graph, tmp_path, config):
    config["facebook_pages"] = [{"id": "100064000000999"}, {"id": PAGE}]
    fake_graph.script.append(
        graph_error(10, "Application does not have permission for this action", kind="OAuthException", status=403)
    )
    result, lines = run(tmp_path, config)
    assert not result.complete and "no permission" in result.notes[0] and len(lines) == 23


def test_server_error_then_success_and_a_timeout_are_retried(fake_graph, tmp_path, config):
    fake_graph.script.extend(
        [
            Reply(500, "<html>Sorry, something went wrong</html>", content_type="text/html"),
            Reply(200, {"data": []}, delay_s=1.5),
        ]
    )
    result, lines = run(tmp_path, config, timeout_s=0.5)
    assert result.complete and len(lines) == 23 and len(fake_graph.requests) == 5


def test_malformed_json_is_quarantined(fake_graph, tmp_path, config):
    fake_graph.script.extend([Reply(200, '{"data": [{"id": "1_2", "mess'), Reply(200, '{"data": [')])
    result, lines = run(tmp_path, config, retries=1)
    assert not result.complete and lines[0]["_quarantine"] and "not valid JSON" in lines[0]["reason"]


def test_half_page_of_comments_is_followed(fake_graph, tmp_path, config):
    busy = post(
        2,
        comments={
            "data": [{"id": "1002_1", "message": "Betul, parah 😤", "created_time": "2026-11-22T01:00:00+0000"}],
            "paging": {"cursors": {"after": "b2Zmc2V0OjA="}, "next": "https://graph.facebook.com/n"},
            "summary": {"total_count": 3},
        },
    )
    fake_graph.posts[PAGE] = [busy]
    fake_graph.comments[busy["id"]] = [
        {"id": "1002_2", "message": "Di RT 5 juga", "created_time": "2026-11-22T02:00:00+0000"},
        {"id": "1002_3", "created_time": "2026-11-22T03:00:00+0000"},
    ]
    result, lines = run(tmp_path, config)
    comments = [line for line in lines if line.get("parent_id") == f"facebook:{busy['id']}"]
    assert [c["platform_post_id"] for c in comments] == ["1002_1", "1002_2"]
    assert any(line.get("_quarantine") and "has no message" in line["reason"] for line in lines)
    assert result.posts == 3


def test_post_with_every_optional_field_missing(fake_graph, tmp_path, config):
    fake_graph.posts[PAGE] = [{"id": f"{PAGE}_9", "message": "Air mati lagi di Teluk Lingga 😭🙏"}]
    _, lines = run(tmp_path, config)
    assert lines[0]["text"] == "Air mati lagi di Teluk Lingga 😭🙏" and lines[0]["created_at"] is None
    assert lines[0]["metrics"] == {"likes": None, "shares": None, "comments": None, "views": None}

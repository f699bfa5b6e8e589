"""X through tweepy over real HTTP against the fake X API on 127.0.0.1."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from extractors import listening
from extractors.errors import ExtractorAuthError
from extractors.run import run_source
from tests.fakes.fake_x import TOKEN, FakeX
from tests.fakes.platform_fake import Reply

NOW = datetime.now(UTC).replace(microsecond=0)


def tweet(n: int, text: str = "Jalan Sangatta rusak parah 😡 #kutim", **extra) -> dict:
    created = NOW - timedelta(hours=n, minutes=1)
    ms = int(created.timestamp() * 1000) - 1288834974657
    return {
        "id": str((ms << 22) + n),
        "text": text,
        "author_id": "7",
        "lang": "in",
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 5, "quote_count": 0},
        **extra,
    }


USERS = {"7": {"id": "7", "username": "warga_sgt", "name": "Warga Sangatta"}}


@pytest.fixture
def config():
    data = listening.load()
    data["x"] = dict(data["x"], max_results=10)
    data["hashtags"], data["places"] = ["kutim"], ["Sangatta"]
    data["agencies"] = [{"key": "pemkab", "name": "Pemkab", "x": {"handle": "PemkabKutim"}}]
    return data


@pytest.fixture
def fake_x(monkeypatch):
    fake = FakeX([tweet(n) for n in range(1, 26)], USERS).start()
    monkeypatch.setenv("SIAGA_X_API_BASE", fake.url)
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", json.dumps({"conn_type": "http", "password": TOKEN}))
    yield fake
    fake.stop()


def run(tmp_path, config, cursors=None, **options):
    out = tmp_path / "x.jsonl"
    result = run_source("x", NOW - timedelta(days=2), NOW, out, cursors, config=config, **options)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return result, lines


def test_several_pages_are_read_to_the_end_and_the_cursor_is_the_newest_id(fake_x, tmp_path, config):
    result, lines = run(tmp_path, config)
    searches = [r for r in fake_x.requests if r.path == "/2/tweets/search/recent"]
    hashtag_pages = [r for r in searches if "#kutim" in r.query["query"]]
    assert len(hashtag_pages) == 3 and hashtag_pages[1].query["next_token"]
    assert result.complete and result.api_calls == len(searches)
    newest = max(int(t["id"]) for t in fake_x.tweets)
    assert json.loads(result.cursors["query:hashtags"]) == {"since_id": str(newest)}
    assert {line["platform_post_id"] for line in lines} == {t["id"] for t in fake_x.tweets}
    assert all(r.query["expansions"].startswith("author_id") and "lang:id" in r.query["query"] for r in searches)


def test_next_run_asks_only_for_newer_tweets(fake_x, tmp_path, config):
    first, _ = run(tmp_path, config)
    fake_x.requests.clear()
    fake_x.tweets.append(tweet(0, "Banjir lagi di Sangatta 🌊 #kutim"))
    second, lines = run(tmp_path, config, cursors=first.cursors)
    read_before = [r for r in fake_x.requests if "@PemkabKutim" not in r.query["query"]]
    assert read_before and all("since_id" in r.query and "start_time" not in r.query for r in read_before)
    assert [line["text"] for line in lines if "platform" in line] == ["Banjir lagi di Sangatta 🌊 #kutim"] * 2
    assert (
        int(second.cursors["usage:" + NOW.strftime("%Y-%m")])
        == int(first.cursors["usage:" + NOW.strftime("%Y-%m")]) + 2
    )


def test_empty_result_keeps_the_old_cursor(fake_x, tmp_path, config):
    fake_x.tweets.clear()
    result, lines = run(tmp_path, config, cursors={"query:hashtags": json.dumps({"since_id": "5"})})
    assert lines == [] and result.posts == 0 and result.complete
    assert json.loads(result.cursors["query:hashtags"]) == {"since_id": "5"}
    assert "query:places" not in result.cursors


def test_rate_limit_within_budget_waits_for_the_reset(fake_x, tmp_path, config):
    reset = str(int(time.time()) + 2)
    fake_x.script.append(
        Reply(
            429,
            {"title": "Too Many Requests", "status": 429},
            headers={"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"},
        )
    )
    started = time.monotonic()
    result, lines = run(tmp_path, config, budget_s=30)
    assert result.complete and len({line["platform_post_id"] for line in lines}) == 25
    assert time.monotonic() - started >= 0.9  # waited for the window to reset


def test_rate_limit_past_the_budget_stops_cleanly_where_the_data_ends(fake_x, tmp_path, config):
    far = str(int(time.time()) + 900)
    # The mentions query reads nothing; then X says "wait 15 minutes", longer than the run may wait.
    fake_x.script.extend(
        [
            Reply(200, {"meta": {"result_count": 0}}),
            Reply(429, {"title": "Too Many Requests"}, headers={"x-rate-limit-reset": far}),
        ]
    )
    started = time.monotonic()
    result, lines = run(tmp_path, config, budget_s=5)
    assert time.monotonic() - started < 5
    assert not result.complete and any("rate limit" in note for note in result.notes)
    assert lines == [] and len(fake_x.requests) == 2  # the places query was not tried against the limit
    assert "query:hashtags" not in result.cursors and "query:places" not in result.cursors


def test_stopped_half_way_resumes_the_older_pages_next_run(fake_x, tmp_path, config):
    # mentions: empty; hashtags: page 1 served, then a 429 beyond the budget.
    original = fake_x.handle
    calls = {"n": 0}

    def handle(request):
        calls["n"] += 1
        if calls["n"] == 3:
            return Reply(
                429,
                {"title": "Too Many Requests"},
                headers={"x-rate-limit-reset": str(int(time.time()) + 900)},
            )
        return original(request)

    fake_x.handle = handle
    first, first_lines = run(tmp_path, config, budget_s=5)
    assert not first.complete
    state = json.loads(first.cursors["query:hashtags"])
    assert state["next_token"] and state["newest_id"] and "since_id" not in state
    fake_x.handle = original
    second, second_lines = run(tmp_path, config, cursors=first.cursors)
    got = {line["platform_post_id"] for line in first_lines + second_lines if "#kutim" in line.get("text", "")}
    assert got == {t["id"] for t in fake_x.tweets}  # nothing missed
    assert json.loads(second.cursors["query:hashtags"]) == {"since_id": state["newest_id"]}


def test_expired_token_fails_with_a_clear_message_and_writes_nothing(fake_x, tmp_path, config, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", "http://:expired-token@")
    with pytest.raises(ExtractorAuthError, match="siaga_x"):
        run_source("x", NOW - timedelta(days=1), NOW, tmp_path / "x.jsonl", config=config)
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "x.jsonl.part").exists()


def test_server_error_then_success_is_retried(fake_x, tmp_path, config):
    fake_x.script.append(Reply(500, {"title": "Internal Server Error"}))
    result, lines = run(tmp_path, config)
    assert result.complete and len({line["platform_post_id"] for line in lines}) == 25
    assert fake_x.requests[0].query == fake_x.requests[1].query


def test_timeout_is_retried(fake_x, tmp_path, config):
    fake_x.script.append(Reply(200, {"meta": {"result_count": 0}}, delay_s=1.5))
    result, lines = run(tmp_path, config, timeout_s=0.5)
    assert result.complete and len({line["platform_post_id"] for line in lines}) == 25


def test_malformed_json_is_quarantined_and_the_query_stops(fake_x, tmp_path, config):
    for _ in range(2):
        fake_x.script.append(Reply(200, '{"data": [{"id": "1", "text": "potong'))
    result, lines = run(tmp_path, config, retries=1)
    quarantined = [line for line in lines if line.get("_quarantine")]
    assert len(quarantined) == 1 and "not valid JSON" in quarantined[0]["reason"]
    assert quarantined[0]["raw"].startswith('{"data"')
    assert not result.complete and "query:mentions" not in result.cursors
    assert json.loads(result.cursors["query:hashtags"])["since_id"]  # the other queries went on


def test_half_page_with_partial_errors_is_followed_to_the_next_page(fake_x, tmp_path, config):
    short = {
        "data": [tweet(40, "Air PDAM mati #kutim")],
        "meta": {"result_count": 1, "next_token": "p2", "newest_id": tweet(40)["id"]},
        "includes": {"users": [USERS["7"]]},
        "errors": [{"resource_id": "123", "title": "Not Found Error", "detail": "Could not find tweet"}],
    }
    fake_x.script.extend([Reply(200, {"meta": {"result_count": 0}}), Reply(200, short)])
    result, lines = run(tmp_path, config)
    texts = [line["text"] for line in lines]
    assert "Air PDAM mati #kutim" in texts and any("Not Found Error" in note for note in result.notes)
    assert fake_x.requests[2].query.get("next_token") == "p2"


def test_tweet_with_every_optional_field_missing_and_emoji_text(fake_x, tmp_path, config):
    fake_x.tweets = [{"id": "1900000000000000001", "text": "Listrik padam lagi di Sangatta 😭🙏 #kutim"}]
    _, lines = run(tmp_path, config)
    post = next(line for line in lines if line["platform_post_id"] == "1900000000000000001")
    assert post["text"] == "Listrik padam lagi di Sangatta 😭🙏 #kutim"
    assert post["created_at"] is None and post["author_id"] is None
    assert post["metrics"] == {"likes": None, "shares": None, "comments": None, "views": None}


def test_monthly_cap_stops_before_passing_it(fake_x, tmp_path, config):
    config["x"]["monthly_post_cap"] = 15
    result, _lines = run(tmp_path, config)
    assert not result.complete and any("monthly post cap" in note for note in result.notes)
    assert int(result.cursors["usage:" + NOW.strftime("%Y-%m")]) <= 15


def test_tokens_stay_out_of_debug_logs(fake_x, tmp_path, config, caplog, monkeypatch):
    import logging

    from tests.fakes.fake_graph import FakeGraph

    caplog.set_level(logging.DEBUG)
    run(tmp_path, config)
    with FakeGraph({"1": []}, token="graph-page-token-secret") as graph:
        monkeypatch.setenv("SIAGA_GRAPH_API_BASE", graph.url)
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_FACEBOOK", json.dumps({"password": "graph-page-token-secret"}))
        config["facebook_pages"] = [{"id": "1"}]
        run_source("facebook", NOW - timedelta(days=1), NOW, tmp_path / "fb.jsonl", config=config)
    assert TOKEN not in caplog.text and "graph-page-token-secret" not in caplog.text

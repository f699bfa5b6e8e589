"""Replies to citizens through each platform's client against the loopback fakes (issue 14).

Each test sends through the real client (tweepy, facebook-sdk, requests for the Cloud API) over real
HTTP to a fake on 127.0.0.1 and asserts what the fake received: path, body, the auth scheme.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests

from extractors.replies import (
    OutgoingReply,
    ReplyAuthFailed,
    ReplyError,
    ReplyPoster,
    ReplyRateLimited,
    ReplyRejected,
    ReplyUncertain,
    SentReply,
    poster_for,
)
from extractors.whatsapp import receive_webhook
from tests.fakes import fake_graph, fake_whatsapp, fake_x
from tests.fakes.fake_graph import FakeGraph
from tests.fakes.fake_x import FakeX
from tests.fakes.platform_fake import Write, loopback_only

SECRETS = (
    fake_x.API_KEY,
    fake_x.API_SECRET,
    fake_x.ACCESS_TOKEN,
    fake_x.ACCESS_TOKEN_SECRET,
    fake_x.TOKEN,
    fake_graph.TOKEN,
    fake_whatsapp.ACCESS_TOKEN,
    fake_whatsapp.APP_SECRET,
)
TEXT = (
    "Terima kasih atas laporannya. Laporan sudah kami teruskan ke SP4N-LAPOR! dengan nomor KTM-2611-0042 "
    "dan ditangani Dinas PUPR Kutai Timur."
)
CITIZEN_COMMENT = "17900000000000001"
OUR_MEDIA = "18000000000000001"
SLOW = 1.5  # the fake answers a write this late ...
TIMEOUT = 0.5  # ... and the poster waits this long


@pytest.fixture(autouse=True)
def direct_connections(monkeypatch):
    # No proxy: a request for a real host would go out directly, where the loopback guard refuses it.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def x(monkeypatch):
    fake = FakeX().start()
    monkeypatch.setenv("SIAGA_X_API_BASE", fake.url)
    monkeypatch.setenv(
        "AIRFLOW_CONN_SIAGA_X",
        json.dumps({"conn_type": "http", "password": fake_x.TOKEN, "extra": fake_x.USER_CONTEXT}),
    )
    yield fake
    fake.stop()


@pytest.fixture
def graph(monkeypatch):
    fake = FakeGraph().start()
    fake.add_ig_media(OUR_MEDIA, [{"id": CITIZEN_COMMENT, "text": "Jalan ke Rantau Pulung rusak", "username": "w"}])
    monkeypatch.setenv("SIAGA_GRAPH_API_BASE", fake.url)
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_FACEBOOK", json.dumps({"conn_type": "http", "password": fake_graph.TOKEN}))
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_WHATSAPP", json.dumps(fake_whatsapp.CLOUD_CONNECTION))
    yield fake
    fake.stop()


def tweet_reply(x: FakeX, reply_id: str = "reply-1", text: str = TEXT) -> OutgoingReply:
    return OutgoingReply(reply_id, "x", x.tweets[0]["id"], text)


def fb_reply(graph: FakeGraph, reply_id: str = "reply-2") -> OutgoingReply:
    return OutgoingReply(reply_id, "facebook", next(iter(graph.posts.values()))[0]["id"], TEXT)


def wa_reply(hours_ago: float | None, reply_id: str = "reply-4") -> OutgoingReply:
    last = datetime.now(UTC) - timedelta(hours=hours_ago) if hours_ago is not None else None
    return OutgoingReply(reply_id, "whatsapp", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA", TEXT, "6281234567890", last)


def whatsapp(template: str | None = fake_whatsapp.TEMPLATE[0], timeout: float = 5) -> ReplyPoster:
    return poster_for("whatsapp", whatsapp_template=template, whatsapp_template_language="id", timeout=timeout)


def assert_no_secret(error: BaseException) -> None:
    text = f"{error} {error!r}"
    assert not [s for s in SECRETS if s in text], text


# --- X ------------------------------------------------------------------------------------------
def test_x_reply_is_a_tweet_answering_the_citizen_signed_with_the_user_context(x):
    sent = poster_for("x", timeout=5).send(tweet_reply(x))
    target = x.tweets[0]["id"]
    assert x.writes == [
        Write(
            "POST",
            "/2/tweets",
            {"text": TEXT, "reply": {"in_reply_to_tweet_id": target}},
            "OAuth",
            201,
            sent.platform_reply_id,
        )
    ]
    assert sent.via == "tweet" and x.user_tweets[0]["referenced_tweets"] == [{"type": "replied_to", "id": target}]


def test_x_keys_that_do_not_sign_correctly_are_refused_as_credentials(x, monkeypatch):
    wrong = dict(fake_x.USER_CONTEXT, access_token_secret="not-the-secret-0000")
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", json.dumps({"conn_type": "http", "extra": wrong}))
    with pytest.raises(ReplyAuthFailed, match="siaga_x") as caught:
        poster_for("x", timeout=5).send(tweet_reply(x))
    assert x.user_tweets == [] and x.writes[0].status == 401
    assert "not-the-secret-0000" not in str(caught.value)
    assert_no_secret(caught.value)


def test_x_without_user_context_says_which_keys_are_missing(x, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", json.dumps({"conn_type": "http", "password": fake_x.TOKEN}))
    with pytest.raises(ReplyAuthFailed, match="api_key, api_secret, access_token, access_token_secret"):
        poster_for("x")
    assert x.requests == []


@pytest.mark.parametrize(("daily", "reset_in_s"), [(False, 120), (True, 5000)])
def test_x_rate_limit_gives_the_wait_until_the_exhausted_window_resets(x, daily, reset_in_s):
    x.rate_limit_next_write(reset_in_s=reset_in_s, daily=daily)
    with pytest.raises(ReplyRateLimited) as caught:
        poster_for("x", timeout=5).send(tweet_reply(x))
    assert reset_in_s - 5 <= caught.value.retry_after_seconds <= reset_in_s + 1
    assert x.user_tweets == [] and [w.status for w in x.writes] == [429]
    assert_no_secret(caught.value)


def test_x_timeout_after_the_tweet_was_made_is_uncertain_then_found_and_never_doubled(x):
    x.delay_next_write(SLOW)
    poster = poster_for("x", timeout=TIMEOUT)
    reply = tweet_reply(x)
    with pytest.raises(ReplyUncertain) as caught:
        poster.send(reply)
    assert_no_secret(caught.value)
    made = x.user_tweets[0]["id"]
    found = poster.find_sent(reply)
    assert isinstance(found, SentReply) and (found.platform_reply_id, found.via) == (made, "tweet")
    # A resend anyway: X refuses the duplicate text and the poster answers with the first tweet.
    assert poster.send(reply).platform_reply_id == made
    assert len(x.user_tweets) == 1 and [w.status for w in x.writes] == [201, 403]


def test_x_find_sent_is_none_when_the_account_has_not_answered_that_tweet(x):
    poster = poster_for("x", timeout=5)
    other = OutgoingReply("reply-0", "x", x.tweets[1]["id"], TEXT)
    poster.send(other)  # the same text to another tweet is not our reply to the first one
    assert poster.find_sent(tweet_reply(x)) is None


def test_x_reply_to_a_deleted_tweet_is_rejected_for_good(x):
    reply = tweet_reply(x)
    x.delete_tweet(reply.in_reply_to)
    with pytest.raises(ReplyRejected, match="deleted") as caught:
        poster_for("x", timeout=5).send(reply)
    assert x.user_tweets == []
    assert_no_secret(caught.value)


# --- Facebook -----------------------------------------------------------------------------------
def test_facebook_reply_is_a_comment_by_the_page_with_the_token_in_the_form_body(graph):
    reply = fb_reply(graph)
    sent = poster_for("facebook", timeout=5).send(reply)
    assert graph.writes == [
        Write(
            "POST",
            f"/v23.0/{reply.in_reply_to}/comments",
            {"message": TEXT},
            "access_token",
            200,
            sent.platform_reply_id,
        )
    ]
    request = graph.requests[-1]
    assert b"access_token=" in request.body and sent.via == "fb_comment"
    assert graph.comments[reply.in_reply_to][0]["from"]["id"] == fake_graph.PAGE["id"]


@pytest.mark.parametrize(("code", "minutes", "wait"), [(32, 2, 120.0), (613, 7, 420.0), (4, None, 3600.0)])
def test_facebook_rate_limit_gives_the_regain_time(graph, code, minutes, wait):
    graph.rate_limit_next_write(code=code, regain_minutes=minutes)
    with pytest.raises(ReplyRateLimited, match=f"code {code}") as caught:
        poster_for("facebook", timeout=5).send(fb_reply(graph))
    assert caught.value.retry_after_seconds == wait and graph.comments == {}
    assert_no_secret(caught.value)


def test_facebook_timeout_after_the_comment_was_made_is_uncertain_then_found(graph):
    graph.delay_next_write(SLOW)
    poster = poster_for("facebook", timeout=TIMEOUT)
    reply = fb_reply(graph)
    with pytest.raises(ReplyUncertain) as caught:
        poster.send(reply)
    assert_no_secret(caught.value)
    made = graph.comments[reply.in_reply_to][0]["id"]
    found = poster.find_sent(reply)
    assert found is not None and found.platform_reply_id == made and found.via == "fb_comment"
    lookup = graph.requests[-1]
    assert lookup.path == f"/v23.0/{reply.in_reply_to}/comments" and lookup.query["order"] == "reverse_chronological"


def test_facebook_find_sent_counts_only_the_pages_own_comment(graph):
    reply = fb_reply(graph)
    citizen = {"id": "1_1", "message": TEXT, "from": {"id": "999", "name": "Warga"}}  # a citizen quoting us
    graph.comments[reply.in_reply_to] = [citizen]
    assert poster_for("facebook", timeout=5).find_sent(reply) is None


def test_facebook_reply_to_a_deleted_post_is_rejected(graph):
    reply = fb_reply(graph)
    graph.delete_object(reply.in_reply_to)
    with pytest.raises(ReplyRejected, match="code 100/33") as caught:
        poster_for("facebook", timeout=5).send(reply)
    assert graph.comments == {}
    assert_no_secret(caught.value)


def test_facebook_expired_token_fails_as_credentials_without_the_token(graph, monkeypatch):
    expired = "EAAexpiredPageToken1234"
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_FACEBOOK", json.dumps({"conn_type": "http", "password": expired}))
    with pytest.raises(ReplyAuthFailed, match="code 190") as caught:
        poster_for("facebook", timeout=5).send(fb_reply(graph))
    assert expired not in f"{caught.value!r}"
    assert_no_secret(caught.value)


# --- Instagram ----------------------------------------------------------------------------------
def test_instagram_reply_to_a_comment_uses_the_replies_edge(graph):
    reply = OutgoingReply("reply-3", "instagram", CITIZEN_COMMENT, TEXT)
    sent = poster_for("instagram", timeout=5).send(reply)
    assert graph.writes == [
        Write(
            "POST", f"/v23.0/{CITIZEN_COMMENT}/replies", {"message": TEXT}, "access_token", 200, sent.platform_reply_id
        )
    ]
    assert sent.via == "ig_reply" and graph.ig_replies[CITIZEN_COMMENT][0]["from"]["id"] == fake_graph.IG_ACCOUNT["id"]


def test_instagram_reply_to_a_media_becomes_a_comment_on_it(graph):
    sent = poster_for("instagram", timeout=5).send(OutgoingReply("reply-3", "instagram", OUR_MEDIA, TEXT))
    # The replies edge refuses a media id (nothing is created), then the comment goes on the media.
    assert [(w.path, w.status) for w in graph.writes] == [
        (f"/v23.0/{OUR_MEDIA}/replies", 400),
        (f"/v23.0/{OUR_MEDIA}/comments", 200),
    ]
    assert sent.via == "ig_comment" and graph.ig_media[OUR_MEDIA][-1]["id"] == sent.platform_reply_id


def test_instagram_rate_limit_and_deleted_comment(graph):
    poster = poster_for("instagram", timeout=5)
    reply = OutgoingReply("reply-3", "instagram", CITIZEN_COMMENT, TEXT)
    graph.rate_limit_next_write(code=80002, regain_minutes=3)
    with pytest.raises(ReplyRateLimited) as limited:
        poster.send(reply)
    assert limited.value.retry_after_seconds == 180.0
    graph.delete_object(CITIZEN_COMMENT)
    with pytest.raises(ReplyRejected) as refused:
        poster.send(reply)
    assert graph.ig_replies[CITIZEN_COMMENT] == []
    assert_no_secret(limited.value)
    assert_no_secret(refused.value)


def test_instagram_timeout_after_the_reply_was_made_is_uncertain_then_found(graph):
    graph.delay_next_write(SLOW)
    poster = poster_for("instagram", timeout=TIMEOUT)
    reply = OutgoingReply("reply-3", "instagram", CITIZEN_COMMENT, TEXT)
    with pytest.raises(ReplyUncertain):
        poster.send(reply)
    made = graph.ig_replies[CITIZEN_COMMENT][0]["id"]
    assert poster.find_sent(reply).platform_reply_id == made
    assert poster.find_sent(OutgoingReply("reply-9", "instagram", CITIZEN_COMMENT, "Teks lain")) is None


# --- WhatsApp -----------------------------------------------------------------------------------
def test_whatsapp_inside_24_hours_is_a_text_answering_the_citizens_message(graph):
    reply = wa_reply(hours_ago=3)
    sent = whatsapp().send(reply)
    write = graph.writes[0]
    assert (write.method, write.path, write.auth, write.status) == (
        "POST",
        f"/v23.0/{fake_whatsapp.BUSINESS['phone_number_id']}/messages",
        "Bearer",
        200,
    )
    assert write.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "biz_opaque_callback_data": "reply-4",
        "type": "text",
        "text": {"preview_url": False, "body": TEXT},
        "context": {"message_id": reply.in_reply_to},
    }
    assert sent.via == "wa_text" and sent.platform_reply_id == write.created_id


@pytest.mark.parametrize("hours_ago", [30, None])
def test_whatsapp_outside_24_hours_is_the_configured_template(graph, hours_ago):
    sent = whatsapp().send(wa_reply(hours_ago=hours_ago))
    body = graph.writes[0].body
    assert sent.via == "wa_template" and body["type"] == "template" and "text" not in body
    assert body["template"] == {
        "name": "kutim_tindak_lanjut",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": TEXT}]}],
    }
    assert body["biz_opaque_callback_data"] == "reply-4"


def test_whatsapp_outside_24_hours_without_a_template_is_rejected_before_any_request(graph):
    with pytest.raises(ReplyRejected, match="no template"):
        whatsapp(template=None).send(wa_reply(hours_ago=30))
    assert graph.requests == []


def test_whatsapp_window_closed_by_metas_clock_falls_back_to_the_template(graph):
    graph.whatsapp.inbound["6281234567890"] = datetime.now(UTC) - timedelta(hours=25)
    sent = whatsapp().send(wa_reply(hours_ago=23))  # our record says the window is still open
    assert [(w.body["type"], w.status) for w in graph.writes] == [("text", 400), ("template", 200)]
    assert sent.via == "wa_template" and len(graph.whatsapp.sent) == 1


@pytest.mark.parametrize(("code", "wait"), [(131056, 6.0), (130429, 5.0)])
def test_whatsapp_rate_limit(graph, code, wait):
    graph.whatsapp.rate_limit_next_write(code)
    with pytest.raises(ReplyRateLimited, match=str(code)) as caught:
        whatsapp().send(wa_reply(hours_ago=1))
    assert caught.value.retry_after_seconds == wait and graph.whatsapp.sent == []
    assert_no_secret(caught.value)


def test_whatsapp_unreachable_recipient_and_unknown_template_are_rejected(graph):
    graph.whatsapp.unreachable.add("6281234567890")
    with pytest.raises(ReplyRejected, match="131026"):
        whatsapp().send(wa_reply(hours_ago=1))
    graph.whatsapp.unreachable.clear()
    with pytest.raises(ReplyRejected, match="132001") as caught:
        whatsapp(template="tidak_ada").send(wa_reply(hours_ago=48))
    assert graph.whatsapp.sent == []
    assert_no_secret(caught.value)


def test_whatsapp_timeout_is_uncertain_until_the_status_webhook_shows_the_message(graph):
    graph.delay_next_write(SLOW)
    poster = whatsapp(timeout=TIMEOUT)
    reply = wa_reply(hours_ago=2)
    with pytest.raises(ReplyUncertain):
        poster.send(reply)
    with pytest.raises(ReplyUncertain, match="no status webhook"):
        poster.find_sent(reply)  # the Cloud API cannot list what was sent
    message_id = graph.whatsapp.sent[0]["id"]
    other = fake_whatsapp.status_delivery("wamid.other", "6281234567890", callback_data="reply-5")
    ours = fake_whatsapp.status_delivery(message_id, "6281234567890", "delivered", callback_data="reply-4")
    for body in (other, ours):
        raw = fake_whatsapp.encode(body)
        receive_webhook(raw, fake_whatsapp.sign(raw))
    found = poster.find_sent(reply)
    assert found is not None and found.platform_reply_id == message_id and found.via == "wa_text"


def test_whatsapp_failed_status_is_a_rejection(graph):
    body = fake_whatsapp.status_delivery("wamid.gone", "6281234567890", "failed", callback_data="reply-4")
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = [{"code": 131026, "title": "undeliverable"}]
    raw = fake_whatsapp.encode(body)
    receive_webhook(raw, fake_whatsapp.sign(raw))
    with pytest.raises(ReplyRejected, match="131026"):
        whatsapp().find_sent(wa_reply(hours_ago=2))


def test_whatsapp_refused_token_is_a_credentials_error_without_the_token(graph, monkeypatch):
    connection = json.loads(json.dumps(fake_whatsapp.CLOUD_CONNECTION))
    connection["extra"]["access_token"] = "EAAGwrongWhatsappToken99"
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_WHATSAPP", json.dumps(connection))
    with pytest.raises(ReplyAuthFailed, match="code 190") as caught:
        whatsapp().send(wa_reply(hours_ago=1))
    assert "EAAGwrongWhatsappToken99" not in repr(caught.value)
    assert_no_secret(caught.value)


# --- all platforms ------------------------------------------------------------------------------
def test_every_poster_fits_the_protocol_and_unknown_platforms_are_refused(x, graph):
    for platform in ("x", "facebook", "instagram", "whatsapp"):
        poster = poster_for(platform)
        assert isinstance(poster, ReplyPoster) and poster.platform == platform
    with pytest.raises(ValueError, match="myspace"):
        poster_for("myspace")


def test_a_poster_left_on_the_real_host_is_stopped_by_the_loopback_guard(graph, monkeypatch):
    monkeypatch.delenv("SIAGA_GRAPH_API_BASE")
    with loopback_only() as attempts:
        with pytest.raises(ReplyError) as caught:
            poster_for("facebook", timeout=5).send(fb_reply(graph))
        with pytest.raises(requests.ConnectionError):
            requests.get("http://203.0.113.7/", timeout=1)
    assert type(caught.value) is ReplyError and "nothing was sent" in str(caught.value)
    assert any("graph.facebook.com" in a for a in attempts) and any("203.0.113.7" in a for a in attempts)
    assert_no_secret(caught.value)


def test_a_lookup_whose_url_carries_the_token_fails_without_showing_it(graph):
    poster = poster_for("facebook", timeout=5)
    graph.stop()  # nothing listens any more: requests' error text would hold the URL, token included
    with pytest.raises(ReplyError) as caught:
        poster.find_sent(fb_reply(graph))
    assert "could not connect" in str(caught.value) and caught.value.__cause__ is None
    assert_no_secret(caught.value)

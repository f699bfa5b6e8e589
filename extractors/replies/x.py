"""Replies on X: `POST /2/tweets` through tweepy's `Client.create_tweet` with OAuth 1.0a user context.

Reading uses the app's bearer token (`siaga_x`'s `password`); posting needs the account's user context,
`api_key`, `api_secret`, `access_token`, `access_token_secret` in `siaga_x`'s `extra` (the app needs
"Read and write" permission, and the tokens must be generated after that was set). tweepy has no
base-URL setting: its session is a `RoutedSession` pointed at `SIAGA_X_API_BASE`, as for reading.

X has no idempotency key for a tweet, so an uncertain send is reconciled by reading the account's own
timeline (`find_sent`); X also refuses the same text twice from one account (403 "duplicate content"),
and `send` answers such a refusal by finding the first copy.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import requests
import tweepy

from extractors.credentials import MissingCredentials, get_credentials, require_extra
from extractors.http import RoutedSession, quiet_secret_loggers
from extractors.replies.base import (
    OutgoingReply,
    ReplyAuthFailed,
    ReplyError,
    ReplyRateLimited,
    ReplyRejected,
    ReplyUncertain,
    SentReply,
    scrub,
    transport_error,
)
from extractors.x import CONN_ID, REAL_BASE, api_base

USER_CONTEXT_KEYS = ("api_key", "api_secret", "access_token", "access_token_secret")
TIMELINE_PAGES = 3  # find_sent reads the account's newest 300 tweets at most
DEFAULT_WAIT_S = 900.0  # X's 15-minute window, when a 429 carries no reset header


def _rate_limit_wait(response: requests.Response | None) -> float:
    """Seconds until X lets the account post again: the latest reset among the exhausted limits."""
    if response is None:
        return DEFAULT_WAIT_S
    headers = response.headers
    resets = []
    for prefix in ("x-user-limit-24hour", "x-app-limit-24hour", "x-rate-limit"):
        remaining, reset = headers.get(f"{prefix}-remaining"), headers.get(f"{prefix}-reset")
        if reset and reset.isdigit() and remaining == "0":
            resets.append(int(reset))
    if not resets and (headers.get("x-rate-limit-reset") or "").isdigit():
        resets.append(int(headers["x-rate-limit-reset"]))
    if not resets:
        return DEFAULT_WAIT_S
    return max(1.0, max(resets) - time.time())


def _detail(exc: tweepy.HTTPException) -> str:
    messages = [m for m in exc.api_messages if m]
    try:
        body = exc.response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("detail"):
        messages.append(str(body["detail"]))
    return "; ".join(dict.fromkeys(messages)) or f"HTTP {exc.response.status_code}"


def _parse_time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


class XPoster:
    platform = "x"

    def __init__(self, client: tweepy.Client, session: RoutedSession, secrets: tuple[str, ...]):
        self.client, self.session = client, session
        self._secrets = secrets
        self._account_id: str | None = None

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> XPoster:
        """From `siaga_x`: the user context in `extra` (see the module doc)."""
        try:
            keys = require_extra(get_credentials(CONN_ID), USER_CONTEXT_KEYS, "replies on X (OAuth 1.0a)")
        except MissingCredentials as exc:
            raise ReplyAuthFailed(str(exc)) from None
        quiet_secret_loggers()
        client = tweepy.Client(
            consumer_key=keys["api_key"],
            consumer_secret=keys["api_secret"],
            access_token=keys["access_token"],
            access_token_secret=keys["access_token_secret"],
            return_type=dict,
            wait_on_rate_limit=False,
        )
        session = RoutedSession(REAL_BASE, api_base(), timeout)
        client.session = session  # tweepy's public attribute: every request goes through it
        return cls(client, session, tuple(keys.values()))

    # --- the two calls --------------------------------------------------------------------------
    def send(self, reply: OutgoingReply) -> SentReply:
        what = f"X reply {reply.reply_id} to tweet {reply.in_reply_to}"
        try:
            answer = self.client.create_tweet(text=reply.text, in_reply_to_tweet_id=reply.in_reply_to)
        except tweepy.Forbidden as exc:
            detail = _detail(exc)
            if "duplicate" in detail.lower():
                # The same text is already on the account: a resend after an uncertain first attempt.
                found = self.find_sent(reply)
                if found is not None:
                    return found
                raise self._error(
                    ReplyUncertain,
                    f"{what}: X refused it as a duplicate of an earlier tweet that find_sent cannot see yet; "
                    "look again later before sending",
                ) from None
            raise self._classify(exc, what) from None
        except (tweepy.HTTPException, requests.RequestException, ValueError) as exc:
            raise self._classify(exc, what) from None
        data = (answer or {}).get("data") or {}
        if not data.get("id"):
            raise self._error(ReplyUncertain, f"{what}: X answered without a tweet id; look for it before resending")
        return SentReply(str(data["id"]), datetime.now(UTC), "tweet")

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        """Our tweet answering `in_reply_to` with the same text, among the account's newest tweets."""
        what = f"X lookup of reply {reply.reply_id}"
        try:
            account = self._account(what)
            token = None
            for _ in range(TIMELINE_PAGES):
                params: dict[str, Any] = {
                    "max_results": 100,
                    "tweet_fields": ["referenced_tweets", "created_at"],
                    "user_auth": True,
                }
                if token:
                    params["pagination_token"] = token
                page = self.client.get_users_tweets(account, **params)
                for tweet in page.get("data") or ():
                    replied_to = {
                        str(ref.get("id"))
                        for ref in tweet.get("referenced_tweets") or ()
                        if ref.get("type") == "replied_to"
                    }
                    if str(reply.in_reply_to) in replied_to and _same_text(tweet.get("text"), reply.text):
                        return SentReply(str(tweet["id"]), _parse_time(tweet.get("created_at")), "tweet")
                token = (page.get("meta") or {}).get("next_token")
                if not token:
                    return None
        except (tweepy.HTTPException, requests.RequestException, ValueError) as exc:
            error = self._classify(exc, what)
            if type(error) is ReplyError or isinstance(error, ReplyRejected):
                error = self._error(ReplyUncertain, f"{what}: X could not be asked ({error})")
            raise error from None
        raise self._error(
            ReplyUncertain, f"{what}: not among the account's newest {TIMELINE_PAGES * 100} tweets; check by hand"
        )

    # --- helpers --------------------------------------------------------------------------------
    def _account(self, what: str) -> str:
        if self._account_id is None:
            me = self.client.get_me(user_auth=True)
            account = ((me or {}).get("data") or {}).get("id")
            if not account:
                raise self._error(ReplyUncertain, f"{what}: X did not say which account the tokens belong to")
            self._account_id = str(account)
        return self._account_id

    def _error(self, kind: type[ReplyError], message: str) -> ReplyError:
        return kind(scrub(message, self._secrets))

    def _classify(self, exc: Exception, what: str) -> ReplyError:
        if isinstance(exc, requests.RequestException):
            error = transport_error(exc, what)
            return self._error(type(error), str(error))
        if isinstance(exc, ValueError):  # a body that is not JSON
            return self._error(ReplyUncertain, f"{what}: X answered a body that is not JSON; look before resending")
        if isinstance(exc, tweepy.TooManyRequests):
            wait = _rate_limit_wait(exc.response)
            error = ReplyRateLimited(
                scrub(f"{what}: X rate limit (429); the window resets in {wait:.0f} s", self._secrets), wait
            )
            return error
        if isinstance(exc, tweepy.Unauthorized):
            return self._error(
                ReplyAuthFailed,
                f"{what}: X refused the user-context keys of the Airflow Connection {CONN_ID} (401): "
                "regenerate the access token and secret",
            )
        if isinstance(exc, tweepy.TwitterServerError):
            return self._error(
                ReplyUncertain,
                f"{what}: X answered {exc.response.status_code}; the tweet may exist: look before resending",
            )
        if isinstance(exc, tweepy.Forbidden) and any(
            phrase in _detail(exc).lower() for phrase in ("app permissions", "not permitted to perform")
        ):
            return self._error(
                ReplyAuthFailed,
                f"{what}: the X app of {CONN_ID} may not post (403: {_detail(exc)}): give it Read and write "
                "permission and regenerate the access token",
            )
        if isinstance(exc, tweepy.Forbidden | tweepy.BadRequest | tweepy.NotFound):
            return self._error(
                ReplyRejected,
                f"{what}: X refused it ({exc.response.status_code}: {_detail(exc)}); it will not be sent",
            )
        if isinstance(exc, tweepy.HTTPException):
            return self._error(ReplyError, f"{what}: X answered {exc.response.status_code}; try again later")
        return self._error(ReplyError, f"{what}: {type(exc).__name__}")


def _same_text(posted: Any, ours: str) -> bool:
    # X may shorten links to t.co and trims whitespace; compare the words around the links.
    if not isinstance(posted, str):
        return False
    return _words(posted) == _words(ours)


def _words(text: str) -> list[str]:
    return [w for w in text.split() if not w.startswith(("http://", "https://"))]

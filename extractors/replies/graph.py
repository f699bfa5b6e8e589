"""Replies on Facebook and Instagram through facebook-sdk's `GraphAPI`, as the Page.

Facebook: `put_object(parent_object=<post or comment id>, connection_name="comments", message=...)`
with the page access token of `siaga_facebook` (`password`; permissions `pages_manage_engagement`,
`pages_read_engagement`, `pages_read_user_content`). Instagram (instaloader cannot post): the Instagram
Graph API on the same host and client, `POST /{ig-comment-id}/replies`, or `POST /{ig-media-id}/comments`
when the id is a media of our business account; the token is `siaga_instagram`'s `extra`
`graph_access_token` when set, else the page token of `siaga_facebook` (the Page the Instagram business
account is linked to; permissions `instagram_basic`, `instagram_manage_comments`,
`pages_read_engagement`, `pages_show_list`). The Graph version is the listening config's
`facebook.graph_api_version`; the host is `SIAGA_GRAPH_API_BASE`.

Graph API errors by code: 4, 17, 32, 613, 80001-80014 rate limits (the wait from the
`x-business-use-case-usage` header, else an hour); 190, 102 and OAuth subcodes 458-467 the token
(`ReplyAuthFailed`); 1, 2 and a 5xx without an error object may have posted (`ReplyUncertain`); any
other error object is a refusal of this reply (deleted object 100/33, permission 10 and 200-299,
policy block 368): `ReplyRejected`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import facebook
import requests

from extractors import listening
from extractors.credentials import MissingCredentials, get_credentials
from extractors.facebook import CONN_ID as FACEBOOK_CONN_ID
from extractors.facebook import make_graph
from extractors.http import Policy, RoutedSession
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

log = logging.getLogger(__name__)

INSTAGRAM_CONN_ID = "siaga_instagram"  # as extractors.instagram, without importing instaloader

DEFAULT_VERSION = "v23.0"
RATE_LIMIT_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
AUTH_CODES = {102, 190}
UNCERTAIN_CODES = {1, 2}
DEFAULT_WAIT_S = 3600.0
LOOKUP_PAGES = 5  # find_sent reads at most 5 x 100 comments, newest first


def graph_version() -> str:
    try:
        version = str(listening.load()["facebook"].get("graph_api_version") or DEFAULT_VERSION)
    except Exception:  # a broken listening config must not stop replies; it fails its own checks
        version = DEFAULT_VERSION
    return version if version.startswith("v") else f"v{version}"


def _regain_wait_s(response: requests.Response | None) -> float:
    """Seconds until Graph lets the Page in again, from its usage headers (minutes), else an hour."""
    if response is None:
        return DEFAULT_WAIT_S
    for header in ("x-business-use-case-usage", "x-ad-account-usage", "x-app-usage"):
        try:
            usage = json.loads(response.headers.get(header) or "null")
        except ValueError:
            continue
        entries = (
            [e for v in usage.values() for e in (v if isinstance(v, list) else [v])] if isinstance(usage, dict) else []
        )
        minutes = [e.get("estimated_time_to_regain_access") for e in entries if isinstance(e, dict)]
        minutes = [m for m in minutes if isinstance(m, int | float) and m > 0]
        if minutes:
            return max(minutes) * 60.0
    return DEFAULT_WAIT_S


def _same_text(posted: Any, ours: str) -> bool:
    return isinstance(posted, str) and posted.split() == ours.split()


def _when(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


class _GraphPoster:
    platform = ""
    conn_label = FACEBOOK_CONN_ID

    def __init__(self, graph: facebook.GraphAPI, session: RoutedSession, token: str, account_id: str | None = None):
        self.graph, self.session = graph, session
        self._secrets = (token,)
        self._me: dict[str, Any] | None = None
        if account_id:  # configured: no need to ask /me which account the token speaks for
            self._me = {"instagram_business_account": {"id": account_id}}

    @classmethod
    def _connect(cls, token: str, timeout: float, account_id: str | None = None):
        graph, session = make_graph(token, graph_version(), Policy(timeout_s=timeout))
        return cls(graph, session, token, account_id)

    # --- calls with the error rules of the module doc ------------------------------------------
    def _call(self, what: str, fn, *args, **kwargs) -> Any:
        try:
            return fn(*args, **kwargs)
        except facebook.GraphAPIError as exc:
            raise self._classify(exc, what) from None
        except requests.RequestException as exc:
            error = transport_error(exc, what)
            raise type(error)(scrub(str(error), self._secrets)) from None
        except ValueError:  # requests' JSONDecodeError: a body that is not JSON
            raise self._error(
                ReplyUncertain, f"{what}: the Graph API answered a body that is not JSON; look before resending"
            ) from None

    def _classify(self, exc: facebook.GraphAPIError, what: str) -> ReplyError:
        code = exc.code if isinstance(exc.code, int) else None
        result = exc.result if isinstance(exc.result, dict) else {}
        error = result.get("error") if isinstance(result.get("error"), dict) else {}
        subcode = error.get("error_subcode")
        response = self.session.last_response
        status = response.status_code if response is not None else 0
        message = str(error.get("message") or exc.message or "")[:300]
        if code in RATE_LIMIT_CODES:
            wait = _regain_wait_s(response)
            return ReplyRateLimited(
                scrub(f"{what}: Graph API rate limit (code {code}); wait {wait:.0f} s", self._secrets), wait
            )
        if code in AUTH_CODES or (code is not None and subcode in range(458, 468)):
            return self._error(
                ReplyAuthFailed,
                f"{what}: the Graph API refused the token of the Airflow Connection {self.conn_label} "
                f"(code {code}): renew the page token",
            )
        if code in UNCERTAIN_CODES or (code is None and status >= 500):
            return self._error(
                ReplyUncertain,
                f"{what}: the Graph API failed (code {code}, HTTP {status}); the comment may exist: look "
                "before resending",
            )
        if code is None:
            return self._error(ReplyUncertain, f"{what}: unreadable Graph API answer (HTTP {status})")
        return self._error(
            ReplyRejected, f"{what}: the Graph API refused it (code {code}/{subcode}: {message}); it will not be sent"
        )

    def _error(self, kind: type[ReplyError], message: str) -> ReplyError:
        return kind(scrub(message, self._secrets))

    def _whoami(self, what: str) -> dict[str, Any]:
        if self._me is None:
            self._me = self._call(what, self.graph.get_object, "me", fields="id,name,instagram_business_account")
        return self._me

    def _scan(self, what: str, object_id: str, edge: str, fields: str, mine) -> dict[str, Any] | None:
        """The first item of `object_id/edge`, newest first, for which `mine(item)` holds."""
        after = None
        for _ in range(LOOKUP_PAGES):
            args: dict[str, Any] = {"fields": fields, "limit": 100, "order": "reverse_chronological"}
            if after:
                args["after"] = after
            page = self._call(what, self.graph.get_connections, object_id, edge, **args)
            for item in page.get("data") or ():
                if isinstance(item, dict) and mine(item):
                    return item
            paging = page.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
            if not after:
                return None
        raise self._error(
            ReplyUncertain, f"{what}: not among the newest {LOOKUP_PAGES * 100} items of {edge}; check by hand"
        )


class FacebookPoster(_GraphPoster):
    platform = "facebook"

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> FacebookPoster:
        """The page token in `siaga_facebook`'s `password`."""
        try:
            credentials = get_credentials(FACEBOOK_CONN_ID)
        except MissingCredentials as exc:
            raise ReplyAuthFailed(str(exc)) from None
        if not credentials.password:
            raise ReplyAuthFailed(f"the Airflow Connection {FACEBOOK_CONN_ID} has no page access token in `password`")
        return cls._connect(credentials.password, timeout)

    def send(self, reply: OutgoingReply) -> SentReply:
        what = f"Facebook reply {reply.reply_id} to {reply.in_reply_to}"
        answer = self._call(
            what, self.graph.put_object, parent_object=reply.in_reply_to, connection_name="comments", message=reply.text
        )
        if not isinstance(answer, dict) or not answer.get("id"):
            raise self._error(ReplyUncertain, f"{what}: the Graph API answered without an id; look before resending")
        return SentReply(str(answer["id"]), datetime.now(UTC), "fb_comment")

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        """The Page's comment under `in_reply_to` whose message is ours."""
        what = f"Facebook lookup of reply {reply.reply_id}"
        try:
            page_id = str(self._whoami(what).get("id") or "")
            found = self._scan(
                what,
                reply.in_reply_to,
                "comments",
                "id,message,from,created_time",
                lambda c: str((c.get("from") or {}).get("id")) == page_id and _same_text(c.get("message"), reply.text),
            )
        except ReplyRejected as exc:  # the post is gone or unreadable: it cannot be told whether we are there
            raise self._error(ReplyUncertain, str(exc)) from None
        if found is None:
            return None
        return SentReply(str(found["id"]), _when(found.get("created_time")), "fb_comment")


class InstagramPoster(_GraphPoster):
    platform = "instagram"
    conn_label = f"{INSTAGRAM_CONN_ID} (extra graph_access_token) or {FACEBOOK_CONN_ID}"

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> InstagramPoster:
        """`siaga_instagram`'s `extra.graph_access_token`, else the page token of `siaga_facebook`.

        `extra.instagram_account_id` (the business account's id) spares find_sent asking `/me` for it.
        """
        token = account_id = None
        try:
            extra = get_credentials(INSTAGRAM_CONN_ID).extra or {}
            token, account_id = extra.get("graph_access_token"), extra.get("instagram_account_id")
        except MissingCredentials:
            pass
        if not token:
            try:
                token = get_credentials(FACEBOOK_CONN_ID).password
            except MissingCredentials:
                token = None
        if not token:
            raise ReplyAuthFailed(
                f"no Graph API token for Instagram replies: set `graph_access_token` in the extra of the Airflow "
                f"Connection {INSTAGRAM_CONN_ID}, or the page token in {FACEBOOK_CONN_ID}'s `password`"
            )
        return cls._connect(str(token), timeout, str(account_id) if account_id else None)

    def send(self, reply: OutgoingReply) -> SentReply:
        what = f"Instagram reply {reply.reply_id} to {reply.in_reply_to}"
        try:
            answer = self._call(
                what,
                self.graph.put_object,
                parent_object=reply.in_reply_to,
                connection_name="replies",
                message=reply.text,
            )
            via = "ig_reply"
        except ReplyRejected:
            # Not a comment of ours to answer (error 100): a media of our account takes a comment instead.
            # The refused request created nothing, so this second request cannot double the reply.
            answer = self._call(
                what,
                self.graph.put_object,
                parent_object=reply.in_reply_to,
                connection_name="comments",
                message=reply.text,
            )
            via = "ig_comment"
        if not isinstance(answer, dict) or not answer.get("id"):
            raise self._error(ReplyUncertain, f"{what}: the Graph API answered without an id; look before resending")
        return SentReply(str(answer["id"]), datetime.now(UTC), via)

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        """Our business account's reply (or comment on the media) with our text."""
        what = f"Instagram lookup of reply {reply.reply_id}"
        account = (self._whoami(what).get("instagram_business_account") or {}).get("id")
        if not account:
            raise self._error(
                ReplyAuthFailed,
                f"{what}: the Page of the token has no Instagram business account linked: link it in Meta "
                "Business Suite",
            )

        def mine(item: dict[str, Any]) -> bool:
            return str((item.get("from") or {}).get("id")) == str(account) and _same_text(item.get("text"), reply.text)

        fields = "id,text,timestamp,from,username"
        for edge, via in (("replies", "ig_reply"), ("comments", "ig_comment")):
            try:
                found = self._scan(what, reply.in_reply_to, edge, fields, mine)
            except ReplyRejected:
                continue  # not this kind of object: try the other edge
            if found is None:
                return None
            return SentReply(str(found["id"]), _when(found.get("timestamp")), via)
        raise self._error(
            ReplyUncertain, f"{what}: {reply.in_reply_to} is neither a comment nor a media the account can read"
        )

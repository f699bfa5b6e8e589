"""X (Twitter) recent search through tweepy's `Client.search_recent_tweets` (API v2).

One query per group of the listening config (mentions, hashtags, places; see `listening.x_queries`),
each with its own cursor: `{"since_id": ...}` once a query has been read to the end, or
`{"since_id", "next_token", "newest_id", "start_time", "end_time"}` when a rate limit or bad answers
stopped it half-way, so the next run first finishes those older pages. The month's read count is kept
under the cursor `usage:YYYY-MM` and a run stops before passing `monthly_post_cap`.
tweepy has no base-URL setting: its session is a `RoutedSession` pointed at `SIAGA_X_API_BASE`.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import tweepy

from core.env import setting
from extractors import listening
from extractors.credentials import XHook
from extractors.errors import ExtractorAuthError, SourceStopped
from extractors.http import Budget, Policy, RoutedSession, quiet_secret_loggers
from extractors.normalize.x import iter_page
from extractors.post import iso_utc

log = logging.getLogger(__name__)

REAL_BASE = "https://api.twitter.com"
CONN_ID = XHook.default_conn_name
EXPANSIONS = [
    "author_id",
    "referenced_tweets.id",
    "referenced_tweets.id.author_id",
    "geo.place_id",
    "attachments.media_keys",
]
TWEET_FIELDS = [
    "id",
    "text",
    "author_id",
    "created_at",
    "lang",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "public_metrics",
    "entities",
    "geo",
    "attachments",
    "note_tweet",
]
USER_FIELDS = ["id", "name", "username", "verified", "location"]
PLACE_FIELDS = ["id", "full_name", "country_code", "place_type", "geo"]
MEDIA_FIELDS = ["media_key", "type", "url", "preview_image_url"]
RECENT_SEARCH_DAYS = 7


def api_base() -> str:
    return setting("x_api_base") or REAL_BASE


def make_client(bearer_token: str, policy: Policy) -> tuple[tweepy.Client, RoutedSession]:
    quiet_secret_loggers()
    client = tweepy.Client(bearer_token=bearer_token, return_type=dict, wait_on_rate_limit=False)
    session = RoutedSession(REAL_BASE, api_base(), policy.timeout_s)
    client.session = session  # tweepy's public attribute: every request goes through it
    return client, session


class _Search:
    """One run over the configured queries."""

    def __init__(
        self,
        client,
        session,
        writer,
        policy: Policy,
        budget: Budget,
        result,
        cap: int,
        used: int,
        max_results: int,
    ):
        self.client, self.session, self.writer = client, session, writer
        self.policy, self.budget, self.result = policy, budget, result
        self.cap, self.used, self.max_results = cap, used, max_results

    def call(self, params: dict[str, Any]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return self.client.search_recent_tweets(**params)
            except tweepy.TooManyRequests as exc:
                reset = exc.response.headers.get("x-rate-limit-reset")
                wait = max(0.0, int(reset) - time.time()) if reset and reset.isdigit() else 900.0
                if not self.budget.allows(wait):
                    raise SourceStopped(
                        f"X rate limit: the window resets in {wait:.0f} s, past the run budget", shared=True
                    ) from exc
                log.info("X rate limit: waiting %.0f s for the window to reset", wait)
                time.sleep(wait)
            except tweepy.Unauthorized as exc:
                raise ExtractorAuthError(
                    f"X refused the bearer token of the Airflow Connection {CONN_ID} (401): renew the token"
                ) from exc
            except tweepy.Forbidden as exc:
                raise ExtractorAuthError(
                    f"X does not allow recent search with the token of {CONN_ID} (403): check the app's plan"
                ) from exc
            except (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout, ValueError) as exc:
                # ValueError covers a body that is not JSON (requests' JSONDecodeError).
                if attempt >= self.policy.retries:
                    if isinstance(exc, ValueError) and self.session.last_response is not None:
                        response = self.session.last_response
                        self.writer.add_quarantine(
                            "x",
                            f"X answered a body that is not valid JSON (HTTP {response.status_code})",
                            response.text[:20000],
                        )
                    raise SourceStopped(f"X kept failing after {attempt + 1} attempts: {type(exc).__name__}") from exc
                self.policy.backoff(attempt)
                attempt += 1

    def pages(self, query_key: str, params: dict[str, Any], token: str | None, state: dict[str, Any]) -> str | None:
        """Read pages until the end; returns the newest id seen. Raises SourceStopped with `state` filled."""
        newest = state.get("newest_id")
        while True:
            if self.used + self.max_results > self.cap:
                state.update(next_token=token, newest_id=newest)
                raise SourceStopped(f"monthly post cap {self.cap} reached ({self.used} read this month)", shared=True)
            page_params = dict(params, next_token=token) if token else params
            try:
                page = self.call(page_params)
            except SourceStopped:
                state.update(next_token=token, newest_id=newest)
                raise
            meta = page.get("meta") or {}
            data = page.get("data") or []
            self.used += len(data)
            if newest is None or (meta.get("newest_id") and int(meta["newest_id"]) > int(newest)):
                newest = meta.get("newest_id") or newest
            fetched = iso_utc(datetime.now(UTC))
            for post, error, raw in iter_page(page, query_key, fetched):
                self.writer.add("x", post, error, raw, fetched)
            for problem in page.get("errors") or ():
                # Partial errors (a referenced tweet deleted, ...) do not stop the page.
                self.result.notes.append(f"x {query_key}: {problem.get('title')}: {problem.get('detail')}")
            token = meta.get("next_token")
            log.info("x %s: %d posts on this page, %d read this month", query_key, len(data), self.used)
            if not token:
                return newest


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime, list[str]]:
    now = datetime.now(UTC)
    notes = []
    earliest = now - timedelta(days=RECENT_SEARCH_DAYS) + timedelta(minutes=5)
    if start < earliest:
        notes.append(f"x: recent search reaches back 7 days only; started at {earliest:%Y-%m-%dT%H:%M}Z")
        start = earliest
    end = min(end, now - timedelta(seconds=15))
    return start, end, notes


def _newest(*ids: str | None) -> str | None:
    return max((i for i in ids if i), key=int, default=None)


def _run_query(
    search: _Search, query, base: dict[str, Any], start: datetime, end: datetime, state: dict[str, Any]
) -> dict[str, Any]:
    """Reads one query to its end; returns its new cursor. A SourceStopped carries the cursor to keep."""
    since_id = state.get("since_id")
    if state.get("next_token"):
        # First finish the older pages a previous run could not read, with that run's parameters.
        resume = dict(base, query=query.text, end_time=state["end_time"])
        if since_id:
            resume["since_id"] = since_id
        else:
            resume["start_time"] = state["start_time"]
        progress = dict(state)
        try:
            since_id = _newest(since_id, search.pages(query.key, resume, state["next_token"], progress))
        except SourceStopped as stop:
            stop.state = {k: v for k, v in progress.items() if v}
            raise
    params = dict(base, query=query.text, end_time=_fmt(end))
    if since_id:
        params["since_id"] = since_id
    else:
        params["start_time"] = _fmt(start)
    progress = {"since_id": since_id, "start_time": params.get("start_time"), "end_time": _fmt(end)}
    try:
        since_id = _newest(since_id, search.pages(query.key, params, None, progress))
    except SourceStopped as stop:
        if progress.get("next_token"):
            stop.state = {k: v for k, v in progress.items() if v}
        else:
            stop.state = {"since_id": since_id} if since_id else {}
        raise
    return {"since_id": since_id} if since_id else {}


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def extract(writer, start: datetime, end: datetime, cursors: dict[str, str], result, **options: Any) -> None:
    """Recent search for every configured query in `[start, end)`; fills `result` (see run_source)."""
    config = options.get("config") or listening.load()
    policy = Policy.from_options(options)
    credentials = XHook().get_conn()
    if not credentials.password:
        raise ExtractorAuthError(f"the Airflow Connection {CONN_ID} has no bearer token in `password`")
    client, session = make_client(credentials.password, policy)
    settings = config["x"]
    usage_key = f"usage:{datetime.now(UTC):%Y-%m}"
    search = _Search(
        client,
        session,
        writer,
        policy,
        Budget(policy.budget_s),
        result,
        cap=int(settings.get("monthly_post_cap", 10000)),
        used=int(cursors.get(usage_key, 0)),
        max_results=int(settings.get("max_results", 100)),
    )
    start, end, notes = _window(start, end)
    result.notes.extend(notes)
    if start >= end:
        result.notes.append("x: the window is older than recent search reaches; nothing to read")
        return
    base = {
        "max_results": search.max_results,
        "expansions": EXPANSIONS,
        "tweet_fields": TWEET_FIELDS,
        "user_fields": USER_FIELDS,
        "place_fields": PLACE_FIELDS,
        "media_fields": MEDIA_FIELDS,
    }
    try:
        for query in listening.x_queries(config):
            cursor_key = f"query:{query.key}"
            try:
                state = _run_query(search, query, base, start, end, json.loads(cursors.get(cursor_key) or "{}"))
            except SourceStopped as stop:
                result.complete = False
                result.notes.append(f"x {query.key}: {stop.reason}")
                state = stop.state
                if stop.shared:
                    if state:
                        result.cursors[cursor_key] = json.dumps(state)
                    break  # the same limit applies to the next query
            if state:
                result.cursors[cursor_key] = json.dumps(state)
    finally:
        result.api_calls += session.calls
        result.cursors[usage_key] = str(search.used)
        result.notes.append(f"x: {search.used} of {search.cap} posts read this month")

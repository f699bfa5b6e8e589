"""Facebook public pages through facebook-sdk's `GraphAPI`: posts and their comments.

For each configured page: `GET /{page-id}/posts` with message, created_time, permalink_url, shares,
reactions and comments summaries and the first comments nested, paged by the `after` cursor; posts with
more comments than the first page are followed through `/{post-id}/comments`. Each page has a cursor,
the newest `created_time` read to the end; a run reads from `lookback_days` before its window (new
comments on recent posts) or from the cursor when a run was missed. Graph API errors by code:
4/17/32/613 rate limits (wait within the budget, else stop with the cursor unchanged), 190 expired token
(fail loudly), 10/200-299 permission (skip that page, say so), 1/2 and 5xx transient (retry).
facebook-sdk only accepts versions up to 3.1 in its constructor, so the configured version is set after
construction, and `facebook.FACEBOOK_GRAPH_URL` points at `SIAGA_GRAPH_API_BASE`.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import facebook
import requests

from core.env import setting
from extractors import listening
from extractors.credentials import FacebookHook
from extractors.errors import ExtractorAuthError, SourceStopped
from extractors.http import Budget, Policy, RoutedSession, quiet_secret_loggers
from extractors.normalize.facebook import iter_post_and_comments, normalize_comment
from extractors.post import MalformedPost, iso_utc

log = logging.getLogger(__name__)

REAL_BASE = "https://graph.facebook.com"
CONN_ID = FacebookHook.default_conn_name
COMMENT_FIELDS = "id,message,created_time,from,like_count,comment_count,permalink_url,parent{id}"
POST_FIELDS = (
    "id,message,created_time,permalink_url,from,shares,parent_id,place,"
    "attachments{type,target,media},reactions.summary(total_count).limit(0),"
    f"comments.summary(total_count).limit(25){{{COMMENT_FIELDS}}}"
)
RATE_LIMIT_CODES = {4, 17, 32, 613}
TRANSIENT_CODES = {1, 2}
MAX_COMMENT_PAGES = 20


def api_base() -> str:
    return setting("graph_api_base") or REAL_BASE


def make_graph(access_token: str, version: str, policy: Policy) -> tuple[facebook.GraphAPI, RoutedSession]:
    quiet_secret_loggers()
    base = api_base().rstrip("/")
    facebook.FACEBOOK_GRAPH_URL = base + "/"  # the SDK reads this module setting on every request
    session = RoutedSession(REAL_BASE, base, policy.timeout_s)
    graph = facebook.GraphAPI(access_token=access_token, timeout=policy.timeout_s, session=session)
    graph.version = version if version.startswith("v") else f"v{version}"
    return graph, session


def _regain_wait_s(response: requests.Response | None) -> float:
    """Seconds until Graph lets us in again, from its usage headers (minutes), else one hour."""
    if response is None:
        return 3600.0
    for header in ("x-business-use-case-usage", "x-ad-account-usage"):
        raw = response.headers.get(header)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        entries = (
            [e for v in usage.values() for e in (v if isinstance(v, list) else [v])] if isinstance(usage, dict) else []
        )
        minutes = [e.get("estimated_time_to_regain_access") for e in entries if isinstance(e, dict)]
        minutes = [m for m in minutes if isinstance(m, int | float)]
        if minutes:
            return max(minutes) * 60.0
    return 3600.0


class _Reader:
    def __init__(self, graph, session, writer, policy: Policy, budget: Budget, result):
        self.graph, self.session, self.writer = graph, session, writer
        self.policy, self.budget, self.result = policy, budget, result

    def call(self, object_id: str, edge: str, **args: Any) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return self.graph.get_connections(object_id, edge, **args)
            except facebook.GraphAPIError as exc:
                code = exc.code if isinstance(exc.code, int) else None
                last = self.session.last_response
                status = last.status_code if last is not None else 0
                if code in RATE_LIMIT_CODES:
                    wait = _regain_wait_s(self.session.last_response)
                    if not self.budget.allows(wait):
                        raise SourceStopped(
                            f"Graph API rate limit (code {code}), {wait:.0f} s to wait", shared=True
                        ) from exc
                    log.info("Graph API rate limit (code %s): waiting %.0f s", code, wait)
                    time.sleep(wait)
                    continue
                if code == 190:
                    raise ExtractorAuthError(
                        f"Graph API refused the access token of the Airflow Connection {CONN_ID} "
                        f"(code 190, expired or revoked): renew the page token"
                    ) from exc
                if code == 10 or (code is not None and 200 <= code < 300):
                    raise SourceStopped(f"no permission to read {object_id}/{edge} (code {code})") from exc
                if code in TRANSIENT_CODES or status >= 500:
                    self._retry_or_stop(attempt, exc)
                    attempt += 1
                    continue
                raise SourceStopped(f"Graph API error {code} on {object_id}/{edge}: {exc.message}") from exc
            except (requests.ConnectionError, requests.Timeout, ValueError) as exc:
                self._retry_or_stop(attempt, exc)
                attempt += 1

    def _retry_or_stop(self, attempt: int, exc: BaseException) -> None:
        if attempt < self.policy.retries:
            self.policy.backoff(attempt)
            return
        response = self.session.last_response
        if isinstance(exc, ValueError) and response is not None:
            self.writer.add_quarantine(
                "facebook",
                f"Graph API answered a body that is not valid JSON (HTTP {response.status_code})",
                response.text[:20000],
            )
        raise SourceStopped(f"Graph API kept failing after {attempt + 1} attempts: {type(exc).__name__}") from exc

    def page(self, page_id: str, since: datetime, until: datetime, limit: int) -> str | None:
        """Every post (and comment) of one page in the window; returns the newest created_time read."""
        newest: str | None = None
        after: str | None = None
        source_query = f"page:{page_id}"
        while True:
            args = {
                "fields": POST_FIELDS,
                "since": int(since.timestamp()),
                "until": int(until.timestamp()),
                "limit": limit,
            }
            if after:
                args["after"] = after
            answer = self.call(page_id, "posts", **args)
            fetched = iso_utc(datetime.now(UTC))
            for item in answer.get("data") or ():
                for post, error, raw in iter_post_and_comments(item, source_query, fetched):
                    self.writer.add("facebook", post, error, raw, fetched)
                    if post and post["parent_id"] is None and post["created_at"]:
                        newest = max(newest or "", post["created_at"])
                self._more_comments(item, source_query)
            log.info("facebook %s: %d posts on this page", source_query, len(answer.get("data") or ()))
            paging = answer.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
            if not after:
                return newest

    def _more_comments(self, item: Any, source_query: str) -> None:
        """Comments past the first nested page (a post with many comments)."""
        if not isinstance(item, dict) or not item.get("id"):
            return
        paging = (item.get("comments") or {}).get("paging") or {}
        after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
        for _ in range(MAX_COMMENT_PAGES):
            if not after:
                return
            answer = self.call(item["id"], "comments", fields=COMMENT_FIELDS, limit=100, after=after)
            fetched = iso_utc(datetime.now(UTC))
            for comment in answer.get("data") or ():
                try:
                    self.writer.add_post(normalize_comment(comment, item["id"], source_query, fetched))
                except MalformedPost as exc:
                    self.writer.add_quarantine("facebook", exc.reason, comment, fetched)
            paging = answer.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None


def extract(writer, start: datetime, end: datetime, cursors: dict[str, str], result, **options: Any) -> None:
    """Posts and comments of every configured page in `[start - lookback, end)`; fills `result`."""
    config = options.get("config") or listening.load()
    policy = Policy.from_options(options)
    credentials = FacebookHook().get_conn()
    if not credentials.password:
        raise ExtractorAuthError(f"the Airflow Connection {CONN_ID} has no access token in `password`")
    settings = config["facebook"]
    graph, session = make_graph(credentials.password, str(settings.get("graph_api_version", "v23.0")), policy)
    reader = _Reader(graph, session, writer, policy, Budget(policy.budget_s), result)
    lookback = timedelta(days=float(settings.get("lookback_days", 2)))
    try:
        for page in config["facebook_pages"]:
            page_id = str(page["id"])
            cursor_key = f"page:{page_id}"
            previous = cursors.get(cursor_key)
            since = start - lookback
            if previous:
                since = min(since, datetime.fromisoformat(previous.replace("Z", "+00:00")))
            try:
                newest = reader.page(page_id, since, end, int(settings.get("page_limit", 25)))
            except SourceStopped as stop:
                result.complete = False
                result.notes.append(f"facebook {cursor_key}: {stop.reason}")
                if stop.shared:
                    break
                continue
            best = max(filter(None, [previous, newest]), default=None)
            if best:
                result.cursors[cursor_key] = best
    finally:
        result.api_calls += session.calls

"""Instagram hashtags through instaloader, with a session from the `siaga_instagram` connection.

For each configured hashtag, instaloader's `SectionIterator` reads the "recent" sections of
`explore/tags/{tag}/` page by page (what instaloader itself uses for hashtag posts). The raw media
dicts are normalized directly (`normalize.instagram`), never through `Post` properties: those go to
the network for any field a node lacks, so every stored post is exactly what one planned request
returned. A media without id or caption is quarantined; missing counts stay null.
instaloader hard-codes Instagram's hosts; `_RoutedContext` sends its JSON requests to
`SIAGA_INSTAGRAM_BASE` instead. `PoliteRateController` keeps a minimum interval between requests and
turns a rate-limit wait longer than the run's budget into a clean stop.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from instaloader import (
    AbortDownloadException,
    ConnectionException,
    InstaloaderContext,
    LoginRequiredException,
    RateController,
)
from instaloader.sectioniterator import SectionIterator
from requests.adapters import HTTPAdapter

from extractors import listening
from extractors.credentials import get_credentials
from extractors.errors import ExtractorAuthError, SourceStopped
from extractors.http import Budget, Policy
from extractors.normalize.instagram import normalize_comment, normalize_media
from extractors.post import MalformedPost, iso_utc

log = logging.getLogger(__name__)

REAL_BASE = "https://www.instagram.com"
REAL_HOSTS = ("www.instagram.com", "i.instagram.com")
CONN_ID = "siaga_instagram"


def api_base() -> str:
    return os.environ.get("SIAGA_INSTAGRAM_BASE") or REAL_BASE


class _PlainHTTPAdapter(HTTPAdapter):
    """instaloader always builds https URLs; a loopback fake speaks plain HTTP."""

    def send(self, request, **kwargs):
        request.url = "http://" + request.url.removeprefix("https://")
        return super().send(request, **kwargs)


class _RoutedContext(InstaloaderContext):
    """An InstaloaderContext whose JSON requests go to the configured base instead of Instagram's hosts."""

    def __init__(self, base: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.base = urlsplit(base)
        self.calls = 0
        self.last_response: requests.Response | None = None

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.calls += 1
        self.last_response = response

    def get_json(
        self, path, params, host="www.instagram.com", session=None, response_headers=None, use_post=False
    ):
        session = session or self._session
        if self._remember not in session.hooks["response"]:
            session.hooks["response"].append(self._remember)
        if host in REAL_HOSTS and self.base.netloc not in REAL_HOSTS:
            host = self.base.netloc
            if self.base.scheme == "http":
                session.mount(f"https://{host}/", _PlainHTTPAdapter())
        return super().get_json(path, params, host, session, response_headers, use_post)


class PoliteRateController(RateController):
    """At least `min_interval_s` between requests; waits past the run's budget stop the run instead."""

    def __init__(self, context: InstaloaderContext, min_interval_s: float, budget: Budget):
        super().__init__(context)
        self.min_interval_s = min_interval_s
        self.budget = budget
        self._last = 0.0

    def sleep(self, secs: float) -> None:
        if not self.budget.allows(secs):
            raise SourceStopped(f"Instagram asks to wait {secs:.0f} s, past this run's budget", shared=True)
        time.sleep(secs)

    def wait_before_query(self, query_type: str) -> None:
        gap = self.min_interval_s - (time.monotonic() - self._last)
        if gap > 0:
            self.sleep(gap)
        super().wait_before_query(query_type)
        self._last = time.monotonic()


def make_context(policy: Policy, min_interval_s: float, budget: Budget) -> _RoutedContext:
    credentials = get_credentials(CONN_ID)
    extra = credentials.extra or {}
    cookies = dict(extra.get("cookies") or {})
    if credentials.password:
        cookies.setdefault("sessionid", credentials.password)
    if not cookies.get("sessionid"):
        raise ExtractorAuthError(f"the Airflow Connection {CONN_ID} has no session id (`password`)")
    cookies.setdefault("csrftoken", extra.get("csrftoken") or "")
    cookies.setdefault("ds_user_id", str(extra.get("ds_user_id") or ""))
    context = _RoutedContext(
        api_base(),
        sleep=False,
        quiet=True,
        max_connection_attempts=policy.retries + 1,
        request_timeout=policy.timeout_s,
        rate_controller=lambda ctx: PoliteRateController(ctx, min_interval_s, budget),
    )
    context.load_session(credentials.login or "siaga", cookies)
    return context


def _taken_at(media: dict[str, Any]) -> str | None:
    moment = media.get("taken_at") or media.get("taken_at_timestamp")
    return iso_utc(moment) if isinstance(moment, int | float | str) and str(moment).isdigit() else None


MAX_COMMENT_PAGES = 3


def _read_comments(context: _RoutedContext, media_id: str, source_query: str, writer) -> None:
    """The comments of one media, through the app endpoint instaloader itself falls back to."""
    min_id = None
    for _ in range(MAX_COMMENT_PAGES):
        params = {"can_support_threading": "true", "permalink_enabled": "false"}
        if min_id:
            params["min_id"] = min_id
        try:
            answer = context.get_iphone_json(f"api/v1/media/{media_id}/comments/", params)
        except ConnectionException as exc:  # the media's own post is stored; its comments wait
            log.warning("instagram: comments of %s not read: %s", media_id, exc)
            return
        fetched = iso_utc(datetime.now(UTC))
        for comment in answer.get("comments") or ():
            try:
                writer.add_post(normalize_comment(comment, media_id, source_query, fetched))
            except MalformedPost as exc:
                writer.add_quarantine("instagram", exc.reason, comment, fetched)
        min_id = answer.get("next_min_id")
        if not min_id:
            return


def _read_hashtag(
    context: _RoutedContext,
    tag: str,
    since: str,
    until: str,
    max_pages: int,
    writer,
    comment_budget: list[int],
) -> str | None:
    """Media of one hashtag in the window, newest first; returns the newest taken_at written.

    `comment_budget[0]` is how many more media may have their comments read in this run (one planned
    request each, for media that have comments).
    """
    sections = SectionIterator(
        context, lambda d: d["data"]["recent"], lambda media: media, f"explore/tags/{tag}/"
    )
    newest: str | None = None
    pages_started = 1
    older_in_a_row = 0
    last_page_calls = context.calls
    for media in sections:
        if context.calls != last_page_calls:
            pages_started += 1
            last_page_calls = context.calls
            if pages_started > max_pages:
                break
        fetched = iso_utc(datetime.now(UTC))
        taken = _taken_at(media) if isinstance(media, dict) else None
        if taken is not None and taken >= until:
            continue
        if taken is not None and taken < since:
            older_in_a_row += 1
            if older_in_a_row >= 12:  # a whole grid older than the window: the rest is older still
                break
            continue
        older_in_a_row = 0
        try:
            post = normalize_media(media, f"hashtag:{tag}", fetched)
        except MalformedPost as exc:
            writer.add_quarantine("instagram", exc.reason, media, fetched)
            continue
        writer.add_post(post)
        if post["created_at"]:
            newest = max(newest or "", post["created_at"])
        if comment_budget[0] > 0 and (post["metrics"]["comments"] or 0) > 0:
            comment_budget[0] -= 1
            _read_comments(
                context, str(media.get("pk") or post["platform_post_id"]), f"hashtag:{tag}", writer
            )
            last_page_calls = context.calls  # comment requests are not grid pages
    return newest


def extract(writer, start: datetime, end: datetime, cursors: dict[str, str], result, **options: Any) -> None:
    """Recent media of every configured hashtag in `[start, end)`; fills `result`."""
    config = options.get("config") or listening.load()
    policy = Policy.from_options(options)
    settings = config["instagram"]
    min_interval = float(options.get("min_interval_s", settings.get("min_interval_s", 4.0)))
    context = make_context(policy, min_interval, Budget(policy.budget_s))
    comment_budget = [
        int(settings.get("max_media_with_comments", 20)) if settings.get("fetch_comments") else 0
    ]
    try:
        for tag in config.get("instagram_hashtags") or config["hashtags"]:
            cursor_key = f"hashtag:{tag}"
            previous = cursors.get(cursor_key)
            since = min(filter(None, [iso_utc(start), previous]))
            try:
                newest = _read_hashtag(
                    context,
                    tag,
                    since,
                    iso_utc(end),
                    int(settings.get("max_pages_per_hashtag", 3)),
                    writer,
                    comment_budget,
                )
            except (LoginRequiredException, AbortDownloadException) as exc:
                raise ExtractorAuthError(
                    f"Instagram refused the session of the Airflow Connection {CONN_ID} ({exc}); log in "
                    "again (and clear any checkpoint on the phone), then renew the session id"
                ) from exc
            except SourceStopped as stop:
                result.complete = False
                result.notes.append(f"instagram {cursor_key}: {stop.reason}")
                if stop.shared:
                    break
                continue
            except ConnectionException as exc:
                last = context.last_response
                if last is not None and "json" in (last.headers.get("Content-Type") or "") and last.ok:
                    writer.add_quarantine(
                        "instagram", "Instagram answered a body that is not valid JSON", last.text[:20000]
                    )
                result.complete = False
                result.notes.append(f"instagram {cursor_key}: {exc}")
                continue
            log.info("instagram %s: read, %d requests so far", cursor_key, context.calls)
            best = max(filter(None, [previous, newest]), default=None)
            if best:
                result.cursors[cursor_key] = best
    finally:
        result.api_calls += context.calls
        context.close()

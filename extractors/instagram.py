"""Instagram hashtags through instaloader, with a session from the `siaga_instagram` connection.

For each configured hashtag, instaloader's `SectionIterator` reads the "recent" sections of
`explore/tags/{tag}/` page by page (what instaloader itself uses for hashtag posts); for each configured
profile (the agencies' accounts, whose comments carry complaints), the app feed
`api/v1/feed/user/{id}/` through `InstaloaderContext.get_iphone_json`, the id resolved once by
`api/v1/users/web_profile_info/` and kept in the cursor. Comments of media that have some are read
through `api/v1/media/{id}/comments/`, one planned request each, capped per run. The raw media
dicts are normalized directly (`normalize.instagram`), never through `Post` properties: those go to
the network for any field a node lacks, so every stored post is exactly what one planned request
returned. A media without id or caption is quarantined; missing counts stay null.
instaloader hard-codes Instagram's hosts; `_RoutedContext` sends its JSON requests to
`SIAGA_INSTAGRAM_BASE` instead. `PoliteRateController` keeps a minimum interval between requests and
turns a rate-limit wait longer than the run's budget into a clean stop.
"""

from __future__ import annotations

import json
import logging
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

from core.env import setting
from extractors import listening
from extractors.credentials import InstagramHook
from extractors.errors import ExtractorAuthError, SourceStopped
from extractors.http import Budget, Policy
from extractors.normalize.instagram import normalize_comment, normalize_media
from extractors.post import MalformedPost, iso_utc

log = logging.getLogger(__name__)

REAL_BASE = "https://www.instagram.com"
REAL_HOSTS = ("www.instagram.com", "i.instagram.com")
CONN_ID = InstagramHook.default_conn_name


def api_base() -> str:
    return setting("instagram_base") or REAL_BASE


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

    def get_json(self, path, params, host="www.instagram.com", session=None, response_headers=None, use_post=False):
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
    credentials = InstagramHook().get_conn()
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


class _MediaSink:
    """Takes media of one run: keeps those in the window, reads their comments, tracks the newest."""

    def __init__(self, context: _RoutedContext, writer, comment_budget: int):
        self.context, self.writer = context, writer
        self.comment_budget = comment_budget

    def start(self, source_query: str, since: str, until: str) -> None:
        self.source_query, self.since, self.until = source_query, since, until
        self.newest: str | None = None
        self.older_in_a_row = 0

    def take(self, media: Any) -> bool:
        """Writes one media if it is in the window; False once a whole grid was older (stop reading)."""
        fetched = iso_utc(datetime.now(UTC))
        taken = _taken_at(media) if isinstance(media, dict) else None
        if taken is not None and taken >= self.until:
            return True
        if taken is not None and taken < self.since:
            self.older_in_a_row += 1
            return self.older_in_a_row < 12  # a whole grid older than the window: the rest is older
        self.older_in_a_row = 0
        try:
            post = normalize_media(media, self.source_query, fetched)
        except MalformedPost as exc:
            self.writer.add_quarantine("instagram", exc.reason, media, fetched)
            return True
        self.writer.add_post(post)
        if post["created_at"]:
            self.newest = max(self.newest or "", post["created_at"])
        if self.comment_budget > 0 and (post["metrics"]["comments"] or 0) > 0:
            self.comment_budget -= 1
            media_id = post["platform_post_id"]
            _read_comments(self.context, media_id, self.source_query, self.writer)
        return True


def _read_hashtag(context: _RoutedContext, tag: str, max_pages: int, sink: _MediaSink) -> None:
    """Recent media of one hashtag, newest first, through instaloader's SectionIterator."""
    sections = SectionIterator(context, lambda d: d["data"]["recent"], lambda media: media, f"explore/tags/{tag}/")
    pages = 1
    grid_calls = context.calls
    for media in sections:
        if context.calls != grid_calls:  # the iterator fetched the next grid page
            pages += 1
            if pages > max_pages:
                return
        if not sink.take(media):
            return
        grid_calls = context.calls  # comment requests are not grid pages


def _read_profile(context: _RoutedContext, username: str, user_id: str | None, max_pages: int, sink: _MediaSink) -> str:
    """An account's own posts (and so the complaints written under them), newest first; returns its id."""
    if not user_id:
        data = context.get_json("api/v1/users/web_profile_info/", {"username": username})
        user_id = str(((data.get("data") or {}).get("user") or {}).get("id") or "")
        if not user_id:
            raise SourceStopped(f"Instagram has no profile {username}")
    max_id = None
    for _ in range(max_pages):
        params = {"count": 12}
        if max_id:
            params["max_id"] = max_id
        answer = context.get_iphone_json(f"api/v1/feed/user/{user_id}/", params)
        for media in answer.get("items") or ():
            if not sink.take(media):
                return user_id
        max_id = answer.get("next_max_id")
        if not answer.get("more_available") or not max_id:
            break
    return user_id


def extract(writer, start: datetime, end: datetime, cursors: dict[str, str], result, **options: Any) -> None:
    """Recent media of every configured hashtag and profile in `[start, end)`; fills `result`."""
    config = options.get("config") or listening.load()
    policy = Policy.from_options(options)
    settings = config["instagram"]
    min_interval = float(options.get("min_interval_s", settings.get("min_interval_s", 4.0)))
    context = make_context(policy, min_interval, Budget(policy.budget_s))
    budget = int(settings.get("max_media_with_comments", 20)) if settings.get("fetch_comments") else 0
    sink = _MediaSink(context, writer, budget)
    max_pages = int(settings.get("max_pages_per_hashtag", 3))
    targets = [("hashtag", tag) for tag in config.get("instagram_hashtags") or config["hashtags"]]
    targets += [("profile", name) for name in settings.get("profiles") or ()]
    try:
        for kind, name in targets:
            cursor_key = f"{kind}:{name}"
            previous = (
                json.loads(cursors[cursor_key])
                if kind == "profile" and cursor_key in cursors
                else {"newest": cursors.get(cursor_key)}
            )
            since = min(filter(None, [iso_utc(start), previous.get("newest")]))
            sink.start(cursor_key, since, iso_utc(end))
            try:
                if kind == "hashtag":
                    _read_hashtag(context, name, max_pages, sink)
                else:
                    previous["user_id"] = _read_profile(context, name, previous.get("user_id"), max_pages, sink)
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
            newest = max(filter(None, [previous.get("newest"), sink.newest]), default=None)
            if kind == "profile":
                result.cursors[cursor_key] = json.dumps({"user_id": previous["user_id"], "newest": newest})
            elif newest:
                result.cursors[cursor_key] = newest
    finally:
        result.api_calls += context.calls
        context.close()

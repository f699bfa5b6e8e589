"""The `replay` source: raw payloads recorded earlier (the bundled sample by default), normalized again.

The sample under data/sample/ is what the platforms answered (see data/sample/README.md); replaying
it runs the same normalizers as the live extractors. All sample posts fall in the 14 days before
`SAMPLE_ANCHOR` (2026-11-23); `relative_to` shifts every time by whole days so that the sample ends
the day before that date instead (the daily demo on any day has fresh data).

`SIAGA_REPLAY_EXTRA_DIR` names a folder of normalized-post files (`*.jsonl`, as `siaga extract`
writes them) replayed after the sample, through the same window and shift: days that follow the
sample (tests/sequence_days.py writes fourteen), to run the daily DAG over days in sequence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from core.env import setting
from extractors.normalize import facebook, instagram, whatsapp, whatsapp_chat, x
from extractors.post import MalformedPost, is_quarantine, iso_utc, quarantine_record, validate_post

SAMPLE_ANCHOR = date(2026, 11, 23)
SOURCE = "replay"
CHATS_RECEIVED_AT = "2026-11-22T23:00:00Z"


def sample_dir() -> Path:
    """`SIAGA_SAMPLE_DIR`, else the repository's data/sample/."""
    configured = setting("sample_dir")
    if configured:
        return configured
    return Path(__file__).resolve().parent.parent / "data" / "sample"


def extra_dir() -> Path | None:
    """`SIAGA_REPLAY_EXTRA_DIR`: a folder of normalized-post files replayed after the sample, or None."""
    return setting("replay_extra_dir")


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON or the text of a line that is not JSON)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError:
                yield number, line.rstrip("\n")


Result = tuple[dict[str, Any] | None, MalformedPost | None, Any, str, str | None]  # + source, received_at


def _raw_results(folder: Path) -> Iterator[Result]:
    for _, page in _jsonl(folder / "x" / "search_recent.jsonl"):
        fetched = page.get("fetched_at")
        for post, error, raw in x.iter_page(page.get("response") or {}, page.get("query"), fetched):
            yield post, error, raw, "x", fetched
    for _, page in _jsonl(folder / "facebook" / "page_posts.jsonl"):
        fetched = page.get("fetched_at")
        for item in (page.get("response") or {}).get("data") or ():
            for post, error, raw in facebook.iter_post_and_comments(item, page.get("query"), fetched):
                yield post, error, raw, "facebook", fetched
    for _, page in _jsonl(folder / "instagram" / "media.jsonl"):
        fetched, query = page.get("fetched_at"), page.get("query")
        for item in page.get("items") or ():
            yield from _instagram_item(item, query, fetched)
    for number, delivery in _jsonl(folder / "whatsapp" / "webhooks.jsonl"):
        yield from _whatsapp_delivery(delivery, number)
    for path in sorted((folder / "whatsapp" / "chats").glob("*.txt")):
        name = path.stem.removeprefix("Chat WhatsApp dengan ")
        fetched = CHATS_RECEIVED_AT  # when humas received the export; file times change with every clone
        with path.open(encoding="utf-8") as handle:
            for post, error, raw in whatsapp_chat.iter_chat(handle, name, fetched_at=fetched):
                yield post, error, raw, "whatsapp", fetched


def _extra_results(folder: Path) -> Iterator[Result]:
    """Normalized posts and quarantine lines from the extra folder's files, in name order."""
    for path in sorted(folder.glob("*.jsonl")):
        for number, record in _jsonl(path):
            if isinstance(record, dict) and is_quarantine(record):
                error = MalformedPost(str(record.get("reason") or "quarantined"))
                yield None, error, record.get("raw"), str(record.get("source") or SOURCE), record.get("received_at")
                continue
            try:
                post = validate_post(record)
            except MalformedPost as exc:
                yield None, MalformedPost(f"{path.name} line {number}: {exc.reason}"), record, SOURCE, None
                continue
            yield post, None, record, post["platform"], post["fetched_at"]


def _instagram_item(item: Any, query: str | None, fetched: str | None) -> Iterator[Result]:
    node = (item or {}).get("node") if isinstance(item, dict) else None
    try:
        post = instagram.normalize_media(node, query, fetched)
    except MalformedPost as exc:
        yield None, exc, item, "instagram", fetched
        return
    yield post, None, node, "instagram", fetched
    for comment in item.get("comments") or ():
        try:
            yield (
                instagram.normalize_comment(comment, post["platform_post_id"], query, fetched),
                None,
                comment,
                "instagram",
                fetched,
            )
        except MalformedPost as exc:
            yield None, exc, comment, "instagram", fetched


def _whatsapp_delivery(delivery: Any, number: int) -> Iterator[Result]:
    if not isinstance(delivery, dict):
        yield None, MalformedPost(f"webhooks.jsonl line {number} is not JSON"), delivery, "whatsapp", None
        return
    received, body = delivery.get("received_at"), delivery.get("body")
    if isinstance(body, str):  # recorded as received bytes that were not valid JSON
        try:
            body = json.loads(body)
        except json.JSONDecodeError as exc:
            yield (
                None,
                MalformedPost(f"webhook body is not valid JSON ({exc.msg} at {exc.pos})"),
                delivery["body"],
                "whatsapp",
                received,
            )
            return
    for post, error, raw in whatsapp.iter_webhook(body, "webhook", received):
        yield post, error, raw, "whatsapp", received


def _shift(value: str | None, days: int) -> str | None:
    if value is None or days == 0:
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def iter_sample_records(
    since: datetime | None = None,
    until: datetime | None = None,
    relative_to: date | None = None,
    folder: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """Every recorded post and quarantine line, in file order (then the extra folder's, see above),
    within `[since, until)` when given.

    A post is in the window by `created_at` (by `fetched_at` when the platform gave no time); a
    quarantine line by when it was received. `relative_to` shifts all times by
    `relative_to - SAMPLE_ANCHOR` days (raw payloads stay as recorded, for audit).
    """
    days = (relative_to - SAMPLE_ANCHOR).days if relative_to else 0
    lower = iso_utc(since) if since else None
    upper = iso_utc(until) if until else None
    results = _raw_results(folder or sample_dir())
    extra = extra_dir()
    if extra is not None:
        results = chain(results, _extra_results(extra))
    for post, error, raw, source, received in results:
        if error is not None:
            record = quarantine_record(source, error.reason, raw, _shift(iso_utc(received), days))
            moment = record["received_at"]
        else:
            record = post
            if days:
                record["created_at"] = _shift(record["created_at"], days)
                record["fetched_at"] = _shift(record["fetched_at"], days)
            moment = record["created_at"] or record["fetched_at"]
        if lower and (moment is None or moment < lower):
            continue
        if upper and (moment is None or moment >= upper):
            continue
        yield record


def iter_sample_posts(relative_to: date | None = None, folder: Path | None = None) -> Iterator[dict[str, Any]]:
    """Every bundled sample post, normalized (quarantined items left out)."""
    for record in iter_sample_records(relative_to=relative_to, folder=folder):
        if not is_quarantine(record):
            yield record

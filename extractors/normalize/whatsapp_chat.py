"""Exported WhatsApp chats (.txt, "Ekspor chat" on a phone) to normalized posts.

Humas staff receive these from complaint groups. Lines look like
`23/11/26 08.15 - Budi: jalan rusak` (Android, Indonesian), `11/23/26, 8:15 AM - Budi: ...` is not
supported (day first is assumed, as Indonesian phones write), and `[23/11/26 08.15.23] Budi: ...` (iOS).
A line without that prefix continues the message above. Times are local: WITA (UTC+8) unless told.
System lines (encryption notice, joins, leaves) are not posts and are counted as skipped.
Ids are a hash of chat name, time, sender and text, so importing the same export twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from core.domain import WITA
from extractors.post import MalformedPost, author_hash, validate_post

PLATFORM = "whatsapp"
LINE = re.compile(
    r"^\u200e?\[?(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{2,4}),? "
    r"(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?:[.:](?P<second>\d{2}))?\]?(?: -)? "
    r"(?P<rest>.*)$"
)
SENDER = re.compile(r"^(?P<name>[^:]{1,80}): (?P<text>.*)$", re.S)
PHONE_LIKE = re.compile(r"^\u202a?\+?[\d\s\-()\u202c]{8,}$")
MEDIA_OMITTED = ("<Media tidak disertakan>", "<Media omitted>", "gambar dihilangkan", "image omitted")


@dataclass(slots=True)
class ChatLine:
    when: datetime
    sender: str | None  # None for system lines
    text: str
    line_no: int


def parse_lines(lines: Iterable[str], tz: timezone = WITA) -> Iterator[ChatLine | MalformedPost]:
    """Messages of an export (continuation lines joined); a MalformedPost for an impossible date."""
    current: ChatLine | None = None
    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.rstrip("\r\n")
        match = LINE.match(line)
        if not match:
            if current is not None:
                current.text += "\n" + line
            continue  # text before the first message: nothing to attach it to
        if current is not None:
            yield current
        year = int(match["year"])
        year = year + 2000 if year < 100 else year
        try:
            when = datetime(
                year,
                int(match["month"]),
                int(match["day"]),
                int(match["hour"]),
                int(match["minute"]),
                int(match["second"] or 0),
                tzinfo=tz,
            )
        except ValueError:
            current = None
            yield MalformedPost(f"line {number}: impossible date or time: {line[:60]!r}")
            continue
        rest = match["rest"]
        sender_match = SENDER.match(rest)
        if sender_match:
            current = ChatLine(when, sender_match["name"].strip(), sender_match["text"], number)
        else:
            current = ChatLine(when, None, rest, number)
    if current is not None:
        yield current


def message_id(chat_name: str, line: ChatLine, occurrence: int) -> str:
    digest = hashlib.sha1(
        f"{chat_name}|{line.when.isoformat()}|{line.sender}|{line.text}|{occurrence}".encode()
    ).hexdigest()
    return f"chat-{digest[:24]}"


def iter_chat(
    lines: Iterable[str], chat_name: str, fetched_at: str | None = None, tz: timezone = WITA
) -> Iterator[tuple[dict[str, Any] | None, MalformedPost | None, Any]]:
    """(post, None, raw) or (None, error, raw) per message; system lines yield nothing."""
    seen: dict[tuple[str, str | None, str], int] = {}
    source_query = f"chat:{chat_name}"
    for line in parse_lines(lines, tz):
        if isinstance(line, MalformedPost):
            yield None, MalformedPost(f"{chat_name} {line.reason}"), {"chat": chat_name, "error": line.reason}
            continue
        if line.sender is None:
            continue
        key = (line.when.isoformat(), line.sender, line.text)
        occurrence = seen[key] = seen.get(key, 0) + 1
        raw = {
            "chat": chat_name,
            "line": line.line_no,
            "time": line.when.isoformat(),
            "sender": line.sender,
            "text": line.text,
        }
        text = line.text
        for marker in MEDIA_OMITTED:
            text = text.replace(marker, "")
        try:
            yield (
                validate_post(
                    {
                        "platform": PLATFORM,
                        "platform_post_id": message_id(chat_name, line, occurrence),
                        "author_id": author_hash(PLATFORM, line.sender),
                        # A sender saved under no name shows as a phone number: never store that in clear.
                        "author_name": None if PHONE_LIKE.match(line.sender) else line.sender,
                        "text": text.strip(),
                        "created_at": line.when,
                        "source_query": source_query,
                        "fetched_at": fetched_at,
                        "raw": raw,
                    }
                ),
                None,
                raw,
            )
        except MalformedPost as exc:
            yield None, MalformedPost(f"{chat_name} line {line.line_no}: {exc.reason}"), raw

"""WhatsApp: the service's own Business number (Cloud API webhook) and exported chat files.

The web route `/siaga/webhooks/whatsapp` (mounted by the UI plugin) calls `verify_subscription` for
Meta's GET handshake and `receive_webhook` for each POST. A POST is checked against
`X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret, the `password` of the
`siaga_whatsapp` connection) and then appended at once, unparsed beyond counting, to an append-only
inbox: `SIAGA_WHATSAPP_INBOX/YYYY-MM-DD.jsonl` (default ./data/inbox/whatsapp/), one line per delivery,
under a file lock and fsync'ed, so the answer to Meta never waits on anything that can fail later.
`extract` reads the deliveries received in a window, normalizes their messages, drops repeats of a
message id (Meta redelivers when an answer was late) and quarantines what cannot be read.

Meta's deliveries are small (a few KiB); a body larger than `max_body_bytes()` (1 MiB, or
`SIAGA_WHATSAPP_MAX_BODY_BYTES`) is refused before its signature is checked, so a forged giant POST
costs no more memory than the cap. A signed delivery of an unexpected shape is still stored and
answered 200 (an error would only make Meta send it again); `extract` quarantines the parts it
cannot read, with the reason, and goes on with the rest: one bad delivery never stops WhatsApp intake.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.env import setting
from extractors.credentials import MissingCredentials, WhatsAppHook
from extractors.normalize.whatsapp import iter_webhook
from extractors.normalize.whatsapp_chat import iter_chat
from extractors.post import MalformedPost, iso_utc

CONN_ID = WhatsAppHook.default_conn_name
SIGNATURE_PREFIX = "sha256="
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class InvalidSignature(ValueError):
    """The POST was not signed with our app secret: answer 401/403 and keep nothing."""


class BodyTooLarge(ValueError):
    """The POST is larger than any delivery Meta sends: answer 413 and keep nothing."""


def max_body_bytes() -> int:
    """The largest webhook body accepted: `SIAGA_WHATSAPP_MAX_BODY_BYTES`, default 1 MiB."""
    return setting("whatsapp_max_body_bytes")  # SettingsError when not a positive whole number


def inbox_dir() -> Path:
    return setting("whatsapp_inbox")


def verify_subscription(mode: str | None, token: str | None, challenge: str | None) -> str | None:
    """Meta's GET handshake: the challenge to echo for `subscribe` with our verify token, else None."""
    expected = (WhatsAppHook().get_conn().extra or {}).get("verify_token")
    if mode != "subscribe" or not expected or not token or challenge is None:
        return None
    return challenge if hmac.compare_digest(str(token), str(expected)) else None


def check_signature(body: bytes, signature_header: str | None, app_secret: str) -> None:
    if not signature_header or not signature_header.startswith(SIGNATURE_PREFIX):
        raise InvalidSignature("missing X-Hub-Signature-256 header")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature_header[len(SIGNATURE_PREFIX) :].strip().lower(), expected):
        raise InvalidSignature("X-Hub-Signature-256 does not match the body")


def _count_messages(parsed: Any) -> int:
    """Messages in a delivery, for the answer to Meta; parts of an unexpected shape count 0."""

    def items(container: Any, key: str) -> list:
        value = container.get(key) if isinstance(container, dict) else None
        return value if isinstance(value, list) else []

    return sum(
        len(items(change.get("value") if isinstance(change, dict) else None, "messages"))
        for entry in items(parsed, "entry")
        for change in items(entry, "changes")
    )


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # several API server workers may append at once
        try:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def receive_webhook(body: bytes, signature_header: str | None) -> int:
    """Checks the signature, lands the delivery in the inbox; returns how many messages it carried.

    Raises `BodyTooLarge` past `max_body_bytes()` and `InvalidSignature` for a missing or forged
    signature (nothing is written). A signed body of any shape is kept (see the module doc).
    """
    if len(body) > max_body_bytes():
        raise BodyTooLarge(f"webhook body of {len(body)} bytes is over the {max_body_bytes()}-byte limit")
    secret = WhatsAppHook().get_conn().password
    if not secret:
        raise MissingCredentials(f"the Airflow Connection {CONN_ID} has no app secret in `password`")
    check_signature(body, signature_header, secret)
    now = datetime.now(UTC)
    text = body.decode("utf-8", errors="replace")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text  # kept as received; the extractor quarantines it with the reason
    record = {"received_at": iso_utc(now), "sha256": hashlib.sha256(body).hexdigest(), "body": parsed}
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    if not _is_utf8(line):  # "\ud800" in the JSON parses to a lone surrogate: keep it escaped
        line = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
    _append(inbox_dir() / f"{now:%Y-%m-%d}.jsonl", line)
    return _count_messages(parsed)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _inbox_lines(start: datetime, end: datetime) -> Iterator[tuple[Path, int, str]]:
    day: date = start.date()
    while day <= end.date():
        path = inbox_dir() / f"{day:%Y-%m-%d}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield path, number, line
        day += timedelta(days=1)


def extract(writer, start: datetime, end: datetime, cursors: dict[str, str], result, **options: Any) -> None:
    """Messages received in `[start, end)`, plus every message of the exported chats in `options["chats"]`."""
    lower, upper = iso_utc(start), iso_utc(end)
    seen: set[str] = set()
    newest = cursors.get("inbox")
    for path, number, line in _inbox_lines(start, end):
        where = f"{path.name} line {number}"
        try:
            delivery = json.loads(line)
        except ValueError:
            writer.add_quarantine("whatsapp", f"{where} is not JSON (a cut-off write)", line)
            continue
        received = delivery.get("received_at") if isinstance(delivery, dict) else None
        if not isinstance(received, str):
            writer.add_quarantine("whatsapp", f"{where} is not an inbox record (no received_at)", line)
            continue
        if not lower <= received < upper:
            continue
        newest = max(newest or "", received)
        body = delivery.get("body")
        if isinstance(body, str):
            writer.add_quarantine("whatsapp", "webhook body is not valid JSON", body, received)
            continue
        try:
            _extract_delivery(writer, body, received, seen)
        except Exception as exc:  # one unreadable delivery must not stop the source
            writer.add_quarantine(
                "whatsapp",
                f"{where}: delivery could not be read ({type(exc).__name__}: {exc})",
                _writable(body),
                received,
            )
    for chat in options.get("chats") or ():
        path = Path(chat)
        name = path.stem.removeprefix("Chat WhatsApp dengan ").removeprefix("WhatsApp Chat with ")
        fetched = iso_utc(datetime.now(UTC))
        with path.open(encoding="utf-8") as handle:
            for post, error, raw in iter_chat(handle, name, fetched_at=fetched):
                writer.add("whatsapp", post, error, raw, fetched)
    if newest:
        result.cursors["inbox"] = newest


def _extract_delivery(writer, body: Any, received: str, seen: set[str]) -> None:
    # Read the whole delivery before writing any of it: a delivery that fails half-way is quarantined whole
    # by the caller, and must not also leave its first messages among the posts.
    items = list(iter_webhook(body, "webhook", received))
    for post, error, raw in items:
        if post is not None:
            if post["platform_post_id"] in seen:
                continue  # a redelivery of a message already written in this run
            if not _is_utf8(json.dumps(post, ensure_ascii=False)):
                error = MalformedPost("message holds invalid Unicode (a lone surrogate)")
                post, raw = None, _writable(raw)
            else:
                seen.add(post["platform_post_id"])
        writer.add("whatsapp", post, error, raw, received)


def _writable(raw: Any) -> Any:
    """`raw` as it can go into a UTF-8 staging line: itself, or its ASCII-escaped JSON text."""
    text = json.dumps(raw, ensure_ascii=False)
    return raw if _is_utf8(text) else json.dumps(raw, ensure_ascii=True)

"""The records and errors every reply poster shares (see the package doc for what each error asks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

import requests
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

PLATFORMS = ("x", "facebook", "instagram", "whatsapp")


@dataclass(frozen=True)
class OutgoingReply:
    """One reply to send. `in_reply_to` is the platform's own id of what is answered (no "platform:")."""

    reply_id: str  # our stable id; sent as a correlation marker where the platform allows (WhatsApp)
    platform: str  # "x" | "facebook" | "instagram" | "whatsapp"
    # tweet id; FB post or comment id; IG comment id (or media id: a comment on the media);
    # WhatsApp: the inbound message id (sent as the context of a text reply)
    in_reply_to: str
    text: str
    recipient: str | None = None  # WhatsApp: the sender's wa_id (phone number) to write to
    last_inbound_at: datetime | None = None  # WhatsApp: when that sender last wrote (24-hour window)


@dataclass(frozen=True)
class SentReply:
    platform_reply_id: str  # tweet id, Graph comment id, WhatsApp message id (wamid)
    sent_at: datetime  # UTC
    via: str  # "tweet" | "fb_comment" | "ig_reply" | "ig_comment" | "wa_text" | "wa_template"


class ReplyError(Exception):
    """A reply was not sent. Itself: it did not reach the platform or was refused for now; retry later.

    Messages say what went wrong and what to do, and never contain a token.
    """


class ReplyRateLimited(ReplyError):
    """The platform asks to wait: `retry_after_seconds` before the next attempt."""

    def __init__(self, message: str, retry_after_seconds: float):
        super().__init__(message)
        self.retry_after_seconds = float(retry_after_seconds)


class ReplyUncertain(ReplyError):
    """The request may have reached the platform (read timeout, dropped after sending, 5xx).

    Reconcile with `find_sent` before any resend.
    """


class ReplyRejected(ReplyError):
    """A permanent refusal (post deleted, no permission, recipient unreachable, no template): never retry."""


class ReplyAuthFailed(ReplyError):
    """The Airflow Connection is missing, incomplete, or its token was refused: nothing was sent.

    Not the reply's fault: fix the Connection, then send again; the other replies of this platform
    will fail the same way, so a run stops sending on this platform.
    """


def scrub(message: str, secrets: tuple[str, ...]) -> str:
    """`message` with every secret value replaced by "***" (a platform may echo what it was sent)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "***")
    return message


def transport_error(exc: requests.RequestException, what: str) -> ReplyError:
    """A request that failed below HTTP: never connected (nothing sent) or maybe delivered (uncertain).

    The message carries the exception's type only: requests puts the URL in its text, and the Graph
    API's URLs carry the access token.
    """
    if isinstance(exc, requests.ConnectTimeout) or _never_connected(exc):
        return ReplyError(f"{what}: could not connect ({type(exc).__name__}); nothing was sent, try again later")
    return ReplyUncertain(
        f"{what}: no answer ({type(exc).__name__}); the platform may have received it: "
        "look for it (find_sent) before sending again"
    )


def _never_connected(exc: BaseException) -> bool:
    seen = 0
    current: object = exc
    while current is not None and seen < 6:
        if isinstance(current, NewConnectionError | ConnectTimeoutError | NameResolutionError):
            return True
        args = getattr(current, "args", ())
        current = getattr(current, "reason", None) or (args[0] if args and isinstance(args[0], BaseException) else None)
        seen += 1
    return False


@runtime_checkable
class ReplyPoster(Protocol):
    platform: str

    def send(self, reply: OutgoingReply) -> SentReply:
        """One attempt; raises `ReplyRateLimited`, `ReplyUncertain`, `ReplyRejected` or `ReplyError`."""
        ...

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        """After `ReplyUncertain`: our reply on the platform, or None when it is not there (safe to resend).

        Raises `ReplyUncertain` when the platform cannot tell (yet), `ReplyRejected` when the platform
        reports our reply failed for good (WhatsApp's "failed" status), `ReplyRateLimited`,
        `ReplyAuthFailed` or `ReplyError` when the lookup itself failed.
        """
        ...

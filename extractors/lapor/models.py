"""Records and errors that cross between the LAPOR! bridge and the warehouse.

Kept free of HTTP and DuckDB imports so the warehouse's state machine, the CLI and the DAG can
name them cheaply.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LaporReport:
    """One approved draft, as the bridge sends it (isi is the masked text unless the draft says so)."""

    draft_id: str
    idempotency_key: str
    judul: str
    isi: str
    kategori: str | None = None
    lokasi: str | None = None
    region_code: str | None = None
    instansi: str | None = None
    klasifikasi: str | None = None
    tanggal_kejadian: datetime | None = None
    rahasia: bool = True
    anonim: bool = True
    is_emergency: bool = False
    post_count: int | None = None
    lampiran: tuple[str, ...] = ()
    # True only when a moderator decided the request may carry unmasked personal data.
    personal_data_allowed: bool = False


@dataclass(frozen=True)
class Receipt:
    """LAPOR!'s acknowledgement of a report (or, for the export transport, of a batch line)."""

    tracking_id: str | None
    transaksi_id: str | None
    export_batch: str | None = None


@dataclass(frozen=True)
class FollowUp:
    """One tindak lanjut entry on a ticket."""

    seq: int
    responded_at: datetime | None  # LAPOR!'s `tanggal`
    responder: str | None  # `oleh` / `instansi`
    text: str | None  # `isi`


@dataclass(frozen=True)
class TicketStatus:
    """A ticket's state at LAPOR!, in our status codes (see mapping.STATUS_CODES)."""

    tracking_id: str
    status: str
    raw_status: str
    verified_at: datetime | None = None
    followed_up_at: datetime | None = None
    closed_at: datetime | None = None
    followups: tuple[FollowUp, ...] = field(default_factory=tuple)


def idempotency_key(draft_id: str) -> str:
    """The draft's key at LAPOR!: stable, so a retry or a restarted run asks about the same one."""
    return "KS-" + hashlib.sha256(draft_id.encode("utf-8")).hexdigest()[:16].upper()


class LaporError(RuntimeError):
    """Base of the bridge's errors; the message is safe to log (never carries the token)."""


class LaporRetryableError(LaporError):
    """LAPOR! failed (5xx, 429, refused connection): nothing was created, try again later."""

    def __init__(self, message: str, retry_after_s: float | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class LaporOutcomeUnknown(LaporRetryableError):
    """The request left but no usable answer came back (timeout, unreadable answer).

    LAPOR! may hold a ticket already: ask it (lookup) before sending again.
    """


class LaporValidationError(LaporError):
    """LAPOR! (or our own pre-flight check) refused the report's content: the moderator must edit it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LaporAuthError(LaporError):
    """The token was refused (401/403): fix the `siaga_lapor` connection; no draft is at fault."""


class LaporLookupUnavailable(LaporError):
    """The transport cannot tell whether a report arrived: an uncertain one needs a human check."""

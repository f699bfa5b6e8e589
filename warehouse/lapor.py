"""Approved drafts reach SP4N-LAPOR! exactly once: the hand-over state machine and the SLA views.

States of `lapor_submissions.state` (drafts.status mirrors them once a draft is approved):

    approved --claim--> sending --answer--> submitted (tracking ID)
                           |  \\--5xx/timeout--> failed_retryable --due--> sending ...
                           |   \\--too many tries / uncertain and no lookup--> failed_permanent
                           \\--validation error--> failed_permanent, draft back to 'pending'
    approved --export batch--> sending --files written--> exported --admin records ID--> submitted

The rule that makes it exactly once: a row is marked 'sending' and COMMITTED before the request
leaves, and no connection is held while it is out. Whenever a row was sent before (a retry, a
timeout, a run that died while 'sending'), LAPOR! is asked by the draft's idempotency key first;
only a "no such report" answer lets the request go again.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from extractors.lapor import mapping, sla
from extractors.lapor.models import (
    LaporAuthError,
    LaporLookupUnavailable,
    LaporOutcomeUnknown,
    LaporReport,
    LaporRetryableError,
    LaporValidationError,
    Receipt,
    TicketStatus,
    idempotency_key,
)
from warehouse import summaries
from warehouse.db import connect, warehouse_path

if TYPE_CHECKING:
    from extractors.lapor.client import ExportLaporClient, LaporClient

log = logging.getLogger(__name__)

ACTOR = "lapor_bridge"  # who the audit trail names for the bridge's own decisions
SYNC_WRITE_BATCH = 100  # status answers stored per write transaction


@dataclass(frozen=True)
class SubmitPolicy:
    attempts_per_run: int = 3  # tries of one draft within one run, with backoff between them
    max_attempts: int = 8  # over all runs; then failed_permanent for a human to look at
    backoff_s: float = 2.0  # first pause within a run; doubles, with jitter
    backoff_cap_s: float = 30.0
    retry_base_s: float = 300.0  # across runs: next_attempt_at = now + base * 2^(attempts-1)
    retry_cap_s: float = 6 * 3600.0
    stale_sending_s: float = 600.0  # a 'sending' row older than this was left by a run that died
    outage_after: int = 2  # this many drafts in a row ending failed_retryable: LAPOR! is down, stop the run


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _event(con, draft_id: str, action: str, detail: dict, now: datetime) -> None:
    con.execute(
        "INSERT INTO moderation_events (draft_id, issue_id, actor, role, action, detail, occurred_at) "
        "SELECT draft_id, issue_id, ?, 'system', ?, ?, ? FROM drafts WHERE draft_id = ?",
        [ACTOR, action, json.dumps(detail, ensure_ascii=False), now, draft_id],
    )


def _set_draft_status(con, draft_id: str, status: str, now: datetime) -> None:
    # version is the UI's optimistic lock: a moderator's stale edit must not land on a sent draft.
    con.execute(
        "UPDATE drafts SET status = ?, updated_at = ?, version = version + 1 WHERE draft_id = ? AND status <> ?",
        [status, now, draft_id, status],
    )
    summaries.refresh_queue(con, draft_ids=[draft_id])  # the moderation queue's copy of the status


# --- Queue ---------------------------------------------------------------------------------------
def enqueue_approved(now: datetime | None = None) -> int:
    """Give every approved draft a submission row in state 'approved' (re-arming a returned one).

    Idempotent: a draft already queued or sent is left alone.
    """
    now = now or _now()
    with connect(write=True) as con:
        fresh = con.execute(
            "SELECT d.draft_id FROM drafts d LEFT JOIN lapor_submissions s USING (draft_id) "
            "WHERE d.status = 'approved' AND s.draft_id IS NULL ORDER BY d.decided_at NULLS LAST, d.draft_id"
        ).fetchall()
        for (draft_id,) in fresh:
            con.execute(
                "INSERT INTO lapor_submissions "
                "(draft_id, idempotency_key, transport, state, attempts, updated_at) "
                "VALUES (?, ?, 'http', 'approved', 0, ?)",
                [draft_id, idempotency_key(draft_id), now],
            )
        # Approved again after a validation return or a permanent failure: a new round, same key,
        # and `uncertain` kept so an earlier unanswered request is still asked about first.
        rearmed = con.execute(
            "UPDATE lapor_submissions s SET state = 'approved', attempts = 0, last_error = NULL, "
            "next_attempt_at = NULL, updated_at = ? FROM drafts d "
            "WHERE d.draft_id = s.draft_id AND d.status = 'approved' AND s.state = 'failed_permanent' "
            "RETURNING s.draft_id",
            [now],
        ).fetchall()
        for (draft_id,) in rearmed:
            con.execute("UPDATE drafts SET lapor_return_reason = NULL WHERE draft_id = ?", [draft_id])
            summaries.refresh_queue(con, draft_ids=[draft_id])
        # Taken back by a moderator before anything left: the queue entry goes, nothing is lost.
        con.execute(
            "DELETE FROM lapor_submissions s USING drafts d WHERE d.draft_id = s.draft_id "
            "AND s.state = 'approved' AND d.status <> 'approved' AND s.tracking_id IS NULL "
            "AND NOT coalesce(s.uncertain, false)"
        )
    return len(fresh) + len(rearmed)


def _due_draft_ids(transport: str, now: datetime, policy: SubmitPolicy) -> list[str]:
    stale_before = now - timedelta(seconds=policy.stale_sending_s)
    with connect() as con:
        rows = con.execute(
            "SELECT draft_id FROM lapor_submissions WHERE "
            "state = 'approved' "
            "OR (state = 'failed_retryable' AND transport = ? "
            "    AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) "
            "OR (state = 'sending' AND transport = ? AND updated_at <= ?) "
            "ORDER BY updated_at, draft_id",
            [transport, now, transport, stale_before],
        ).fetchall()
    return [row[0] for row in rows]


@dataclass(frozen=True)
class _Claim:
    report: LaporReport
    attempts: int
    reconcile: bool  # LAPOR! must be asked before sending
    uncertain: bool
    transaksi_id: str | None


def _load_report(con, draft_id: str, key: str) -> LaporReport:
    row = con.execute(
        "SELECT d.judul, d.isi, d.isi_unmasked, d.kategori, d.lokasi, d.region_code, d.opd, d.klasifikasi, "
        "d.rahasia, d.anonim, d.is_emergency, coalesce(d.lapor_send_unmasked, false), i.first_seen, "
        "coalesce(nullif(i.report_count, 0), i.post_count) "
        "FROM drafts d LEFT JOIN issues i USING (issue_id) WHERE d.draft_id = ?",
        [draft_id],
    ).fetchone()
    (
        judul,
        isi,
        isi_unmasked,
        kategori,
        lokasi,
        region_code,
        opd,
        klasifikasi,
        rahasia,
        anonim,
        is_emergency,
        send_unmasked,
        first_seen,
        post_count,
    ) = row
    unmasked = bool(send_unmasked and isi_unmasked)
    return LaporReport(
        draft_id=draft_id,
        idempotency_key=key,
        judul=judul,
        isi=isi_unmasked if unmasked else isi,
        kategori=kategori,
        lokasi=lokasi,
        region_code=region_code,
        instansi=opd,
        klasifikasi=klasifikasi,
        tanggal_kejadian=first_seen,
        rahasia=bool(rahasia),
        anonim=bool(anonim),
        is_emergency=bool(is_emergency),
        post_count=post_count,
        personal_data_allowed=unmasked,
    )


def _claim(draft_id: str, transport: str, now: datetime, policy: SubmitPolicy, in_run: bool) -> _Claim | None:
    """Mark the row 'sending' and commit, so a crash from here on leaves a row that says so."""
    stale_before = now - timedelta(seconds=policy.stale_sending_s)
    with connect(write=True) as con:
        row = con.execute(
            "SELECT s.state, s.transport, s.attempts, coalesce(s.uncertain, false), s.next_attempt_at, "
            "s.updated_at, s.idempotency_key, s.transaksi_id, d.status "
            "FROM lapor_submissions s JOIN drafts d USING (draft_id) WHERE draft_id = ?",
            [draft_id],
        ).fetchone()
        if row is None:
            return None
        state, row_transport, attempts, uncertain, next_at, updated_at, key, transaksi_id, draft_status = row
        if draft_status != state:
            return None  # a moderator took the draft back (e.g. rejected it) after it was queued
        if state == "approved":
            pass
        elif state == "failed_retryable" and row_transport == transport:
            if not in_run and next_at is not None and next_at > now:
                return None
        elif state == "sending" and row_transport == transport and updated_at <= stale_before:
            uncertain = True  # the run that marked it died while the request may have been out
        else:
            return None
        attempts += 1
        con.execute(
            "UPDATE lapor_submissions SET state = 'sending', transport = ?, attempts = ?, uncertain = ?, "
            "sent_at = ?, updated_at = ? WHERE draft_id = ?",
            [transport, attempts, uncertain, now, now, draft_id],
        )
        _set_draft_status(con, draft_id, "sending", now)
        report = _load_report(con, draft_id, key)
    return _Claim(report, attempts, reconcile=attempts > 1 or uncertain, uncertain=uncertain, transaksi_id=transaksi_id)


def _mark_submitted(draft_id: str, receipt: Receipt, now: datetime, how: str) -> None:
    with connect(write=True) as con:
        con.execute(
            "UPDATE lapor_submissions SET state = 'submitted', tracking_id = ?, transaksi_id = ?, "
            "submitted_at = ?, uncertain = false, last_error = NULL, next_attempt_at = NULL, "
            "lapor_status = 'belum_terverifikasi', updated_at = ? WHERE draft_id = ?",
            [receipt.tracking_id, receipt.transaksi_id, now, now, draft_id],
        )
        con.execute(
            "INSERT INTO lapor_status_history VALUES (?, 'belum_terverifikasi', ?, ?) ON CONFLICT DO NOTHING",
            [receipt.tracking_id, json.dumps({"sumber": how}), now],
        )
        _set_draft_status(con, draft_id, "submitted", now)
        _event(
            con,
            draft_id,
            "lapor_submitted",
            {"tracking_id": receipt.tracking_id, "transaksi_id": receipt.transaksi_id, "via": how},
            now,
        )


def _mark_failed(
    draft_id: str,
    error: str,
    now: datetime,
    policy: SubmitPolicy,
    attempts: int,
    uncertain: bool,
    retry_after_s: float | None = None,
    permanent: bool = False,
    retry_next_run: bool = False,
) -> str:
    state = "failed_permanent" if permanent or attempts >= policy.max_attempts else "failed_retryable"
    delay = min(policy.retry_base_s * 2 ** max(attempts - 1, 0), policy.retry_cap_s)
    next_at = now + timedelta(seconds=max(delay, retry_after_s or 0)) if state == "failed_retryable" else None
    if retry_next_run and state == "failed_retryable":
        next_at = None
    with connect(write=True) as con:
        con.execute(
            "UPDATE lapor_submissions SET state = ?, last_error = ?, attempts = ?, "
            "uncertain = (coalesce(uncertain, false) OR ?), next_attempt_at = ?, updated_at = ? "
            "WHERE draft_id = ?",
            [state, error, attempts, uncertain, next_at, now, draft_id],
        )
        _set_draft_status(con, draft_id, state, now)
        if state == "failed_permanent":
            _event(con, draft_id, "lapor_failed", {"reason": error, "attempts": attempts}, now)
    return state


def _return_to_moderator(draft_id: str, reason: str, now: datetime) -> None:
    """A validation error is the draft's content: it goes back to the moderator with the reason."""
    with connect(write=True) as con:
        con.execute(
            "UPDATE lapor_submissions SET state = 'failed_permanent', last_error = ?, "
            "next_attempt_at = NULL, updated_at = ? WHERE draft_id = ?",
            [reason, now, draft_id],
        )
        con.execute(
            "UPDATE drafts SET status = 'pending', lapor_return_reason = ?, updated_at = ?, "
            "version = version + 1 WHERE draft_id = ?",
            [reason, now, draft_id],
        )
        summaries.refresh_queue(con, draft_ids=[draft_id])  # back in the moderation queue
        _event(con, draft_id, "lapor_returned", {"reason": reason}, now)


# --- Sending ---------------------------------------------------------------------------------------
def _pause(policy: SubmitPolicy, try_no: int, sleep: Callable[[float], None]) -> None:
    delay = min(policy.backoff_s * 2 ** (try_no - 1), policy.backoff_cap_s)
    sleep(delay * (0.5 + random.random() / 2))


def submit_one(
    client: LaporClient,
    draft_id: str,
    policy: SubmitPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Drive one draft through the state machine; returns what happened (a count key).

    Raises LaporAuthError (after recording it) so a run stops instead of failing every draft.
    """
    policy = policy or SubmitPolicy()
    for try_no in range(1, policy.attempts_per_run + 1):
        claim = _claim(draft_id, client.transport, _now(), policy, in_run=try_no > 1)
        if claim is None:
            return "skipped"
        key = claim.report.idempotency_key
        try:
            if claim.reconcile:
                try:
                    found = client.lookup(key, claim.transaksi_id)
                except LaporLookupUnavailable as exc:
                    if claim.uncertain:
                        _mark_failed(
                            draft_id,
                            f"Hasil pengiriman sebelumnya tidak pasti dan LAPOR! tidak bisa ditanya ({exc}). "
                            f"Periksa di LAPOR! laporan dengan kode referensi {key} "
                            "sebelum menyetujui ulang.",
                            _now(),
                            policy,
                            claim.attempts,
                            uncertain=True,
                            permanent=True,
                        )
                        return "needs_check"
                    found = None
                if found is not None:
                    _mark_submitted(draft_id, found, _now(), how="reconciled")
                    log.info("lapor: %s was already at LAPOR! as %s (reconciled)", key, found.tracking_id)
                    return "reconciled"
            receipt = client.submit(claim.report)
        except LaporValidationError as exc:
            _return_to_moderator(draft_id, exc.reason, _now())
            log.info("lapor: %s returned to the moderator: %s", draft_id, exc.reason)
            return "returned"
        except LaporAuthError as exc:
            # Not the draft's fault and not an attempt: keep the count, retry on the next run.
            _mark_failed(draft_id, str(exc), _now(), policy, claim.attempts - 1, uncertain=False, retry_next_run=True)
            raise
        except LaporRetryableError as exc:
            uncertain = isinstance(exc, LaporOutcomeUnknown)
            state = _mark_failed(
                draft_id, str(exc), _now(), policy, claim.attempts, uncertain, retry_after_s=exc.retry_after_s
            )
            log.warning("lapor: %s attempt %d failed (%s): %s", key, claim.attempts, state, exc)
            if state == "failed_permanent":
                return "failed_permanent"
            if try_no < policy.attempts_per_run:
                _pause(policy, try_no, sleep)
            continue
        _mark_submitted(draft_id, receipt, _now(), how="sent")
        return "submitted"
    return "failed_retryable"


def submit_approved(
    client: LaporClient,
    policy: SubmitPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict:
    """Send every approved or due draft through `client` (the http transport); returns counts.

    Safe to run again at any time: submitted drafts are never sent twice.
    """
    policy = policy or SubmitPolicy()
    if client.transport == "export":
        return export_approved(client)
    counts: dict = {"queued": enqueue_approved()}
    failing = 0
    for draft_id in _due_draft_ids(client.transport, _now(), policy):
        try:
            outcome = submit_one(client, draft_id, policy, sleep)
        except LaporAuthError as exc:
            counts["auth_error"] = str(exc)
            break
        counts[outcome] = counts.get(outcome, 0) + 1
        failing = failing + 1 if outcome == "failed_retryable" else 0
        if failing >= policy.outage_after:
            # An outage: the rest would each burn their tries and timeouts. They stay queued, untouched.
            counts["stopped"] = f"LAPOR! failed for {failing} drafts in a row; the rest wait for the next run"
            log.warning("lapor: %s", counts["stopped"])
            break
    return counts


# --- Export --------------------------------------------------------------------------------------
def export_approved(client: ExportLaporClient, now: datetime | None = None) -> dict:
    """Write one batch (CSV + JSON) of every approved draft for a LAPOR! admin; mark them exported."""
    now = now or _now()
    counts = {"queued": enqueue_approved(now), "exported": 0, "reconciled": 0, "returned": 0}
    batch_id = client.new_batch_id()
    with connect(write=True) as con:
        # A batch left 'sending' by a run that died: its file is the proof of what was written.
        left = con.execute(
            "SELECT draft_id, idempotency_key FROM lapor_submissions WHERE state = 'sending' AND transport = 'export'"
        ).fetchall()
    for draft_id, key in left:
        found = client.lookup(key)
        with connect(write=True) as con:
            if found is not None:
                _mark_exported(con, draft_id, found.export_batch, now)
                counts["reconciled"] += 1
            else:  # never written: back in the queue for this batch
                con.execute("UPDATE lapor_submissions SET state = 'approved' WHERE draft_id = ?", [draft_id])
                _set_draft_status(con, draft_id, "approved", now)
    with connect(write=True) as con:
        claimed = con.execute(
            "UPDATE lapor_submissions SET state = 'sending', transport = 'export', export_batch = ?, "
            "attempts = attempts + 1, sent_at = ?, updated_at = ? "
            "WHERE state = 'approved' AND NOT coalesce(uncertain, false) "
            "AND draft_id IN (SELECT draft_id FROM drafts WHERE status = 'approved') "
            "RETURNING draft_id, idempotency_key",
            [batch_id, now, now],
        ).fetchall()
        reports = []
        for draft_id, key in sorted(claimed):
            _set_draft_status(con, draft_id, "sending", now)
            reports.append(_load_report(con, draft_id, key))
    good = []
    for report in reports:
        try:
            mapping.export_row(report)
            good.append(report)
        except LaporValidationError as exc:
            _return_to_moderator(report.draft_id, exc.reason, now)
            counts["returned"] += 1
    if good:
        batch = client.write_batch(batch_id, good)
        counts["batch_csv"] = str(batch.csv_path)
        counts["batch_json"] = str(batch.json_path)
        with connect(write=True) as con:
            for report in good:
                _mark_exported(con, report.draft_id, batch_id, now)
        counts["exported"] = len(good)
    return counts


def _mark_exported(con, draft_id: str, batch_id: str, now: datetime) -> None:
    con.execute(
        "UPDATE lapor_submissions SET state = 'exported', export_batch = ?, updated_at = ? WHERE draft_id = ?",
        [batch_id, now, draft_id],
    )
    _set_draft_status(con, draft_id, "exported", now)
    _event(con, draft_id, "lapor_exported", {"batch": batch_id}, now)


def record_tracking_id(reference: str, tracking_id: str, actor: str, now: datetime | None = None) -> str:
    """An admin entered an exported draft by hand: store LAPOR!'s tracking ID and start its clocks.

    `reference` is the batch's kode_referensi (idempotency key) or the draft ID; returns the draft ID.
    """
    now = now or _now()
    tracking_id = tracking_id.strip()
    if not tracking_id:
        raise ValueError("the tracking ID is empty")
    with connect(write=True) as con:
        row = con.execute(
            "SELECT draft_id, state, tracking_id FROM lapor_submissions WHERE idempotency_key = ? OR draft_id = ?",
            [reference, reference],
        ).fetchone()
        if row is None:
            raise LookupError(f"no LAPOR! submission with reference {reference!r}")
        draft_id, state, existing = row
        if state == "submitted":
            if existing == tracking_id:
                return draft_id
            raise ValueError(f"draft {draft_id} already has tracking ID {existing}; not replaced")
        if state != "exported":
            raise ValueError(f"draft {draft_id} is {state}, not exported: its tracking ID comes from the API")
        con.execute(
            "UPDATE lapor_submissions SET state = 'submitted', tracking_id = ?, submitted_at = ?, "
            "lapor_status = 'belum_terverifikasi', updated_at = ? WHERE draft_id = ?",
            [tracking_id, now, now, draft_id],
        )
        con.execute(
            "INSERT INTO lapor_status_history VALUES (?, 'belum_terverifikasi', ?, ?) ON CONFLICT DO NOTHING",
            [tracking_id, json.dumps({"sumber": "manual", "oleh": actor}), now],
        )
        _set_draft_status(con, draft_id, "submitted", now)
        _event(con, draft_id, "lapor_recorded", {"tracking_id": tracking_id, "by": actor}, now)
    return draft_id


# --- Status sync ---------------------------------------------------------------------------------
def sync_statuses(client: LaporClient, now: datetime | None = None) -> dict:
    """Ask LAPOR! about every open ticket; store status changes, milestones and tindak lanjut."""
    counts: dict = {"polled": 0, "changed": 0, "errors": 0}
    with connect() as con:
        open_tickets = con.execute(
            "SELECT draft_id, tracking_id, lapor_status FROM lapor_submissions "
            "WHERE state = 'submitted' AND tracking_id IS NOT NULL AND closed_at IS NULL "
            "ORDER BY submitted_at"
        ).fetchall()
    now = now or _now()
    answered: list[tuple[str, TicketStatus]] = []
    for draft_id, tracking_id, previous in open_tickets:
        try:
            ticket = client.status(tracking_id)
        except LaporLookupUnavailable as exc:
            counts["unavailable"] = str(exc)
            break
        except LaporAuthError as exc:
            counts["auth_error"] = str(exc)
            break
        except LaporRetryableError as exc:
            log.warning("lapor: status of %s failed: %s", tracking_id, exc)
            counts["errors"] += 1
            continue
        answered.append((draft_id, ticket))
        counts["polled"] += 1
        counts["changed"] += int(ticket.status != previous)
        if len(answered) >= SYNC_WRITE_BATCH:
            _store_statuses(answered, now)
            answered = []
    _store_statuses(answered, now)
    return counts


def _store_statuses(answered: list[tuple[str, TicketStatus]], now: datetime) -> None:
    # Written in batches, not per ticket: the HTTP calls happen outside any connection, and a
    # run that dies loses only answers it can ask for again.
    if not answered:
        return
    with connect(write=True) as con:
        for draft_id, ticket in answered:
            _store_status(con, draft_id, ticket, now)


def _store_status(con, draft_id: str, ticket: TicketStatus, now: datetime) -> None:
    reached = mapping.STATUS_ORDER.index(ticket.status) if ticket.status in mapping.STATUS_ORDER else 3
    first_response = next((f.responded_at for f in ticket.followups if f.responded_at), None)
    verified_at = ticket.verified_at or (now if reached >= 1 else None)
    followed_up_at = ticket.followed_up_at or first_response or (now if reached >= 2 else None)
    closed_at = ticket.closed_at or (now if reached >= 3 else None)
    con.execute(
        "UPDATE lapor_submissions SET lapor_status = ?, verified_at = coalesce(verified_at, ?), "
        "followed_up_at = coalesce(followed_up_at, ?), closed_at = coalesce(closed_at, ?), "
        "last_polled_at = ?, updated_at = ? WHERE draft_id = ?",
        [ticket.status, verified_at, followed_up_at, closed_at, now, now, draft_id],
    )
    con.execute(
        "INSERT INTO lapor_status_history VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [ticket.tracking_id, ticket.status, json.dumps({"status_lapor": ticket.raw_status}), now],
    )
    for item in ticket.followups:
        con.execute(
            "INSERT INTO lapor_followups VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tracking_id, seq) "
            "DO UPDATE SET responded_at = excluded.responded_at, responder = excluded.responder, "
            "response_text = excluded.response_text",
            [ticket.tracking_id, item.seq, item.responded_at, item.responder, item.text, now],
        )


# --- What the UI and the humas summary read --------------------------------------------------------
STATE_LABELS = {
    "approved": "Menunggu dikirim",
    "sending": "Sedang dikirim",
    "submitted": "Terkirim ke LAPOR!",
    "failed_retryable": "Gagal, akan dicoba lagi",
    "failed_permanent": "Gagal, perlu diperiksa",
    "exported": "Diekspor, menunggu dimasukkan admin",
}


# The Tiket LAPOR! page, the tickets API, the humas summary and the monev report list every ticket with its
# clocks (tens of thousands in a province's year); between two writes the answer is the same. It is kept
# per process under the day (which moves the clocks) and a fingerprint of exactly the columns it reads.
_TICKETS_FINGERPRINT = """
SELECT (SELECT (count(*), bit_xor(hash(draft_id, state, idempotency_key, tracking_id, lapor_status, attempts,
                last_error, export_batch, submitted_at, verified_at, followed_up_at, closed_at)))
        FROM lapor_submissions),
       -- any change of a draft moves its updated_at or version (joining drafts would cost more than this)
       (SELECT (count(*), max(updated_at), sum(version), count(lapor_return_reason)) FROM drafts),
       (SELECT (count(*), bit_xor(hash(tracking_id, seq, responded_at, responder, response_text))) FROM lapor_followups)
"""
_tickets_cache: tuple[tuple, list[dict]] | None = None
_tickets_lock = threading.Lock()


def tickets_with_sla(today: date | None = None) -> list[dict]:
    """Every LAPOR! hand-over with its SLA clocks, overdue first (the "Tiket LAPOR!" page).

    Each dict: draft_id, issue_id, judul, kategori, lokasi, opd, draft_status, state, state_label,
    reference (the idempotency key), tracking_id, lapor_url, lapor_status, attempts, last_error,
    return_reason, export_batch, submitted_at, stage (current stage), deadline (its due date),
    working_days_left (negative when late), overdue (now), ever_overdue,
    stages (the three clocks), followups (list of responses: seq, responded_at, responder, text).
    The dicts are shared with later calls until the data or the day changes: read them, do not change them.
    """
    global _tickets_cache
    today = today or sla.local_date(_now())
    with connect() as con:
        key = (str(warehouse_path()), today, *con.execute(_TICKETS_FINGERPRINT).fetchone())
        with _tickets_lock:
            if _tickets_cache is not None and _tickets_cache[0] == key:
                return list(_tickets_cache[1])
        cursor = con.execute(
            "SELECT s.draft_id, d.issue_id, d.judul, d.kategori, d.lokasi, d.opd, d.status AS draft_status, "
            "s.state, s.idempotency_key AS reference, s.tracking_id, s.lapor_status, s.attempts, "
            "s.last_error, d.lapor_return_reason AS return_reason, s.export_batch, s.submitted_at, "
            "s.verified_at, s.followed_up_at, s.closed_at "
            "FROM lapor_submissions s JOIN drafts d USING (draft_id) "
            "ORDER BY s.submitted_at NULLS LAST, s.draft_id"
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        followups = con.execute(
            "SELECT tracking_id, seq, responded_at, responder, response_text FROM lapor_followups "
            "ORDER BY tracking_id, seq"
        ).fetchall()
    by_ticket: dict[str, list[dict]] = {}
    for tracking_id, seq, responded_at, responder, text in followups:
        by_ticket.setdefault(tracking_id, []).append(
            {
                "seq": seq,
                "responded_at": responded_at.isoformat() if responded_at else None,
                "responder": responder,
                "text": text,
            }
        )
    no_clock = {
        "stage": None,
        "deadline": None,
        "working_days_left": None,
        "overdue": False,
        "ever_overdue": False,
        "stages": {},
    }
    tickets = []
    for row in rows:
        milestones = {k: row.pop(k) for k in ("verified_at", "followed_up_at", "closed_at")}
        milestones["submitted_at"] = row["submitted_at"]
        returned = row["draft_status"] == "pending" and row["return_reason"] is not None
        tracking_id = row["tracking_id"]
        tickets.append(
            {
                **row,
                "state_label": "Dikembalikan ke moderator"
                if returned
                else STATE_LABELS.get(row["state"], row["state"]),
                "lapor_url": mapping.PUBLIC_TICKET_URL.format(tracking_id=tracking_id) if tracking_id else None,
                "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None,
                **(sla.ticket_clocks(milestones, today) if row["state"] == "submitted" else no_clock),
                "followups": by_ticket.get(tracking_id, []) if tracking_id else [],
            }
        )
    tickets.sort(key=lambda t: (not t["overdue"], t["working_days_left"] is None, t["working_days_left"] or 0))
    with _tickets_lock:
        _tickets_cache = (key, tickets)
    return list(tickets)


def sla_summary(today: date | None = None) -> dict:
    """Counts for the humas summary: tickets per state, open tickets per stage, and overdue ones (shared
    between calls while the tickets are unchanged, like `tickets_with_sla`)."""
    global _summary_cache
    tickets = tickets_with_sla(today)
    key = _tickets_cache[0] if _tickets_cache is not None else None
    if _summary_cache is not None and key is not None and _summary_cache[0] == key:
        return _summary_cache[1]
    summary = _summarise(tickets)
    _summary_cache = (key, summary)
    return summary


_summary_cache: tuple[tuple, dict] | None = None


def _summarise(tickets: list[dict]) -> dict:
    per_state: dict[str, int] = {}
    per_stage: dict[str, dict[str, int]] = {}
    for ticket in tickets:
        per_state[ticket["state"]] = per_state.get(ticket["state"], 0) + 1
        if ticket["stage"] and ticket["stage"] != "selesai":
            stage = per_stage.setdefault(ticket["stage"], {"open": 0, "overdue": 0})
            stage["open"] += 1
            stage["overdue"] += int(ticket["overdue"])
    return {
        "per_state": per_state,
        "per_stage": per_stage,
        "overdue": [
            {k: t[k] for k in ("draft_id", "judul", "tracking_id", "opd", "stage", "deadline", "working_days_left")}
            for t in tickets
            if t["overdue"]
        ],
    }

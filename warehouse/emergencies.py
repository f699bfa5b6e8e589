"""The 112 hand-off of emergency issues: the one writer of their hand-off state.

An emergency issue waits ('pending') until a moderator marks it handed to the 112 call centre
(with the call-centre reference or the officer who took it, and the time) or not an emergency
(with a reason). Either can be corrected later; every change is a new version (optimistic locking
like drafts) and a `moderation_events` row in the same transaction (who, when, what, from what).

A dismissed emergency stays a complaint: its issue and draft are left as they are, and the
decision is kept as a labelled example for evaluating the emergency detector (`export_handoffs`).
`alerts.handoff_status` follows every decision, so the alert side reads the same state.

Error messages are shown to moderators as they are, so they are in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb

from warehouse.moderation import (
    WITA,
    DraftNotFound,
    InvalidChange,
    VersionConflict,
    _connect,
    _event,
    _now,
    _rows,
)

STATES = ("pending", "handed_to_112", "dismissed")
ACTIONS = ("handed_to_112", "dismissed")
AUDIT_ACTIONS = {"handed_to_112": "handoff_112", "dismissed": "handoff_dismissed"}
REFERENCE_MAX = 200
REASON_MAX = 1000
# A hand-over time a little ahead of the server clock is a clock difference, not the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


class EmergencyNotFound(DraftNotFound):
    """No emergency issue with that id (a DraftNotFound, so pages and the API answer 404)."""


_SELECT = """
SELECT i.issue_id, i.category, i.kecamatan, i.desa, i.region_code, i.first_seen, i.last_seen,
       i.created_at AS issue_created_at, i.post_count, i.report_count, i.reach, i.status AS issue_status,
       i.is_emergency, d.draft_id, d.judul, d.lokasi, d.status AS draft_status,
       h.status AS decided_status, h.reference, h.handed_at, h.reason, h.decided_by, h.decided_role,
       h.decided_at, h.first_decided_at, coalesce(h.corrections, 0) AS corrections,
       coalesce(h.version, 0) AS version,
       a.handoff_status AS alert_handoff_status, a.delivered_at, a.created_at AS alerted_at,
       a.message AS alert_message
FROM issues i
LEFT JOIN drafts d ON d.issue_id = i.issue_id
LEFT JOIN emergency_handoffs h ON h.issue_id = i.issue_id
LEFT JOIN (SELECT * FROM alerts WHERE kind = 'emergency'
           QUALIFY row_number() OVER (PARTITION BY issue_id ORDER BY created_at DESC) = 1) a
       ON a.issue_id = i.issue_id
WHERE (i.is_emergency OR h.issue_id IS NOT NULL) AND i.status <> 'merged'
"""


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _item(row: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """A row as the UI and the API show it: its state, and how long it waited (or has waited)."""
    status = row.pop("decided_status") or row["alert_handoff_status"]
    row["handoff_status"] = status if status in STATES else "pending"
    started = row["first_seen"] or row["alerted_at"] or row["issue_created_at"]
    if row["handoff_status"] == "pending":
        stopped = now
    elif row["handoff_status"] == "handed_to_112":
        stopped = row["handed_at"] or row["first_decided_at"] or row["delivered_at"] or row["alerted_at"]
    else:
        stopped = row["first_decided_at"] or row["alerted_at"]
    row["waiting_minutes"] = max(0, int((stopped - started).total_seconds() // 60)) if started and stopped else None
    row["waiting"] = row["handoff_status"] == "pending"
    return row


def _sort_key(item: dict[str, Any]) -> tuple:
    # The longest waiting first; decided ones after them, the longest they waited first.
    return (not item["waiting"], -(item["waiting_minutes"] or 0), item["issue_id"])


def list_emergencies(
    state: str | None = None,
    since: dt.datetime | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Emergency issues with their hand-off state, the longest waiting first.

    `state` keeps one hand-off state; `since` (UTC) keeps those with a post or a decision at or
    after it.
    """
    if state is not None and state not in STATES:
        raise InvalidChange(f"Status '{state}' tidak dikenal; pilih salah satu: {', '.join(STATES)}.")
    now = _utc_naive(now) if now else _now()
    with _connect() as con:
        items = [_item(row, now) for row in _rows(con.execute(_SELECT))]
    if state:
        items = [i for i in items if i["handoff_status"] == state]
    if since is not None:
        since = _utc_naive(since)
        items = [
            i
            for i in items
            if (i["last_seen"] and i["last_seen"] >= since) or (i["decided_at"] and i["decided_at"] >= since)
        ]
    items.sort(key=_sort_key)
    return items[:limit] if limit else items


def get_emergency(issue_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
    with _connect() as con:
        return _current(con, issue_id, _utc_naive(now) if now else _now())


def _current(con: duckdb.DuckDBPyConnection, issue_id: str, now: dt.datetime) -> dict[str, Any]:
    found = _rows(con.execute(f"{_SELECT} AND i.issue_id = ?", [issue_id]))
    if not found:
        raise EmergencyNotFound(f"Kejadian darurat untuk isu {issue_id} tidak ditemukan.")
    return _item(found[0], now)


def today_counts(items: Iterable[dict[str, Any]], now: dt.datetime | None = None) -> dict[str, int]:
    """Waiting now, and handed over / dismissed today (the WITA calendar day)."""
    now = _utc_naive(now) if now else _now()
    start = dt.datetime.combine((now + WITA).date(), dt.time()) - WITA
    counts = {"waiting": 0, "handed_to_112": 0, "dismissed": 0}
    for item in items:
        if item["waiting"]:
            counts["waiting"] += 1
            continue
        # Handed over: when 112 took it; dismissed: when it was marked (the latest correction counts).
        moment = item["handed_at"] if item["handoff_status"] == "handed_to_112" else None
        moment = moment or item["decided_at"]
        if moment is not None and start <= moment < start + dt.timedelta(days=1):
            counts[item["handoff_status"]] += 1
    return counts


def handoff_states(con: duckdb.DuckDBPyConnection, issue_ids: Iterable[str]) -> dict[str, str]:
    """Issue id to its hand-off state, inside the caller's connection (for the alert side: an
    emergency that is no longer waiting is not escalated)."""
    ids = list(issue_ids)
    if not ids:
        return {}
    rows = con.execute(
        "SELECT issue_id, status FROM emergency_handoffs WHERE issue_id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    decided = dict(rows)
    return {issue_id: decided.get(issue_id, "pending") for issue_id in ids}


def _clean_reference(reference: str | None) -> str:
    reference = " ".join((reference or "").split())
    if len(reference) < 2:
        raise InvalidChange("Isi nomor referensi call center 112 atau nama petugas yang menerima (minimal 2 karakter).")
    if len(reference) > REFERENCE_MAX:
        raise InvalidChange(f"Referensi terlalu panjang (maksimal {REFERENCE_MAX} karakter).")
    return reference


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidChange("Alasan 'Bukan darurat' wajib diisi (minimal 5 karakter).")
    if len(reason) > REASON_MAX:
        raise InvalidChange(f"Alasan terlalu panjang (maksimal {REASON_MAX} karakter).")
    return reason


def mark(
    issue_id: str,
    action: str,
    *,
    actor: str,
    role: str,
    version: int | None = None,
    reference: str | None = None,
    reason: str | None = None,
    handed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Mark an emergency handed to 112 or not an emergency, or correct an earlier mark.

    `version` is what the moderator saw (0 while it waits): a newer one raises VersionConflict and
    writes nothing. The same decision sent again (no `version`) writes nothing. Returns the item.
    """
    if action not in ACTIONS:
        raise InvalidChange(f"Tindakan '{action}' tidak dikenal; pilih handed_to_112 atau dismissed.")
    now = _utc_naive(now) if now else _now()
    if action == "handed_to_112":
        reference, reason = _clean_reference(reference), None
        if handed_at is not None:
            handed_at = _utc_naive(handed_at)
            if handed_at > now + CLOCK_SKEW:
                raise InvalidChange("Waktu diteruskan ke 112 tidak boleh di masa depan.")
    else:
        reason, reference, handed_at = _clean_reason(reason), None, None
    with _connect(write=True) as con:
        current = _current(con, issue_id, now)
        if version is not None and int(version) != current["version"]:
            raise VersionConflict(
                f"Kejadian darurat isu {issue_id} sudah diubah orang lain sejak Anda membukanya "
                f"(versi Anda {version}, versi sekarang {current['version']}). Periksa lalu simpan lagi.",
                current,
            )
        previous = current["handoff_status"]
        if action == "handed_to_112":
            if handed_at is None:  # a correction of the reference alone keeps the recorded time
                handed_at = current["handed_at"] if previous == "handed_to_112" and current["handed_at"] else now
            started = current["first_seen"]
            if started and handed_at < started - CLOCK_SKEW:
                raise InvalidChange("Waktu diteruskan ke 112 tidak boleh sebelum laporan pertama.")
        unchanged = previous == action and (
            (current["reference"], current["handed_at"]) == (reference, handed_at)
            if action == "handed_to_112"
            else current["reason"] == reason
        )
        if unchanged and current["decided_by"] is not None:
            return current
        correction = previous != "pending"
        con.execute(
            """INSERT INTO emergency_handoffs (issue_id, status, reference, handed_at, reason, decided_by,
                                               decided_role, decided_at, first_decided_at, corrections, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)
               ON CONFLICT (issue_id) DO UPDATE SET
                   status = excluded.status, reference = excluded.reference, handed_at = excluded.handed_at,
                   reason = excluded.reason, decided_by = excluded.decided_by,
                   decided_role = excluded.decided_role, decided_at = excluded.decided_at,
                   corrections = emergency_handoffs.corrections + 1,
                   version = emergency_handoffs.version + 1""",
            [issue_id, action, reference, handed_at, reason, actor, role, now, now],
        )
        # The alert side reads the same state (alerts.handoff_status has no other writer after insert).
        con.execute(
            "UPDATE alerts SET handoff_status = ? WHERE issue_id = ? AND kind = 'emergency'", [action, issue_id]
        )
        detail: dict[str, Any] = {"from": previous, "to": action, "correction": correction}
        if action == "handed_to_112":
            detail.update(reference=reference, handed_at=handed_at.isoformat())
        else:
            detail["reason"] = reason
        _event(
            con,
            draft_id=current["draft_id"],
            issue_id=issue_id,
            actor=actor,
            role=role,
            action=AUDIT_ACTIONS[action],
            detail=detail,
        )
        return _current(con, issue_id, now)


def handoff_events(issue_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """The audited hand-off decisions of one issue, newest first."""
    import json

    with _connect() as con:
        rows = _rows(
            con.execute(
                "SELECT * FROM moderation_events WHERE issue_id = ? AND action IN (?, ?) "
                "ORDER BY occurred_at DESC, event_id DESC LIMIT ?",
                [issue_id, *AUDIT_ACTIONS.values(), limit],
            )
        )
    for row in rows:
        row["detail"] = json.loads(row["detail"]) if isinstance(row["detail"], str) else (row["detail"] or {})
    return rows


EXPORT_FIELDS = (
    "issue_id",
    "label",
    "handoff_status",
    "reference",
    "handed_at",
    "reason",
    "decided_by",
    "decided_at",
    "corrections",
    "category",
    "kecamatan",
    "desa",
    "region_code",
    "first_seen",
    "last_seen",
    "post_count",
    "draft_id",
    "draft_status",
    "posts",
    "texts",
)


def export_handoffs() -> Iterator[dict[str, Any]]:
    """Every decided emergency as a labelled example for the emergency detector: `label` is
    'emergency' (handed to 112) or 'not_emergency' (dismissed), with the issue's posts and their
    reports' texts (phone numbers, NIK and e-mail masked)."""
    from nlp import mask_pii

    with _connect() as con:
        rows = _rows(
            con.execute(
                """
                SELECT h.issue_id, h.status AS handoff_status, h.reference, h.handed_at, h.reason,
                       h.decided_by, h.decided_at, h.first_decided_at, h.corrections, i.category, i.kecamatan, i.desa,
                       i.region_code, i.first_seen, i.last_seen, i.post_count, d.draft_id,
                       d.status AS draft_status,
                       list(ip.post_key ORDER BY ip.post_key) FILTER (WHERE ip.post_key IS NOT NULL) AS posts,
                       list(p.text ORDER BY p.created_at NULLS LAST, p.post_key)
                           FILTER (WHERE ip.role = 'report' AND p.text IS NOT NULL) AS texts
                FROM emergency_handoffs h JOIN issues i ON i.issue_id = h.issue_id
                LEFT JOIN drafts d ON d.issue_id = h.issue_id
                LEFT JOIN issue_posts ip ON ip.issue_id = h.issue_id
                LEFT JOIN posts p ON p.post_key = ip.post_key
                GROUP BY ALL ORDER BY h.first_decided_at, h.issue_id
                """
            )
        )
    for row in rows:
        row["label"] = "emergency" if row["handoff_status"] == "handed_to_112" else "not_emergency"
        row["posts"] = row["posts"] or []
        row["texts"] = [mask_pii(text) for text in row["texts"] or []]
        for name in ("handed_at", "decided_at", "first_seen", "last_seen"):
            row[name] = row[name].isoformat() if row[name] else None
        yield {name: row[name] for name in EXPORT_FIELDS}

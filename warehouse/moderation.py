"""Moderation: the queries and decisions the UI needs on drafts, issues, posts and the audit.

Every decision (edit, approve, reject, merge, unmask) is written to `moderation_events` in
the same transaction as the change itself, so the audit can never miss one. Edits use
optimistic locking on `drafts.version`: a moderator saves only what they saw.

Error messages here are shown to moderators as they are, so they are in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

from core.domain import CATEGORIES, JUDUL_MAX  # the 14 categories and the judul limit, defined once
from core.domain import WITA_OFFSET as WITA
from warehouse import summaries
from warehouse.db import WarehouseBusy, connect, default_wait_s

# How long the UI's requests wait for a busy warehouse; None: the warehouse default.
_wait_s: float | None = None

CLASSIFICATIONS = ("pengaduan", "aspirasi", "permintaan_informasi")
EDITABLE_FIELDS = ("judul", "isi", "kategori", "region_code", "opd", "klasifikasi", "rahasia", "anonim")


class ModerationError(Exception):
    """A refused moderation action; the message is for the moderator (Bahasa Indonesia)."""


class DraftNotFound(ModerationError):
    pass


class IssueNotFound(DraftNotFound):
    pass


class VersionConflict(ModerationError):
    """The draft changed since the moderator opened it; `current` is what it is now."""

    def __init__(self, message: str, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


class AlreadyDecided(ModerationError):
    pass


class InvalidChange(ModerationError):
    pass


@dataclass
class DraftFilters:
    """Queue filters; dates are WITA calendar days (inclusive) on the issue's last activity."""

    status: str = "pending"
    kategori: str | None = None
    kecamatan: str | None = None
    opd: str | None = None
    darurat: bool | None = None
    sumber: str | None = None
    dari: dt.date | None = None
    sampai: dt.date | None = None
    cari: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The conditions over `draft_queue q` (migration 016: every column here is in that one table)."""
        clauses, params = ["q.status = ?"], [self.status]
        if self.kategori:
            clauses.append("q.kategori = ?")
            params.append(self.kategori)
        if self.kecamatan:
            clauses.append("q.kecamatan = ?")
            params.append(self.kecamatan)
        if self.opd:
            clauses.append("q.opd = ?")
            params.append(self.opd)
        if self.darurat is not None:
            clauses.append("q.is_emergency = ?")
            params.append(self.darurat)
        if self.sumber:
            clauses.append("list_contains(string_split(q.platforms, ','), ?)")  # 'facebook,x'
            params.append(self.sumber)
        if self.dari:
            clauses.append("q.last_seen >= ?")
            params.append(dt.datetime.combine(self.dari, dt.time()) - WITA)
        if self.sampai:
            clauses.append("q.last_seen < ?")
            params.append(dt.datetime.combine(self.sampai + dt.timedelta(days=1), dt.time()) - WITA)
        if self.cari:
            clauses.append("q.draft_id IN (SELECT draft_id FROM drafts WHERE judul ILIKE ? OR isi ILIKE ?)")
            params.extend([f"%{self.cari}%"] * 2)
        return " AND ".join(clauses), params


@dataclass
class DraftPage:
    items: list[dict[str, Any]]
    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def set_wait_s(seconds: float | None) -> None:
    """Bound the wait for the warehouse lock in this process (the UI waits less than a DAG task)."""
    global _wait_s
    _wait_s = seconds


# DuckDB refuses a read-only and a read-write connection to one file in the same process, and
# the UI serves requests on threads: its warehouse work takes turns (bounded like the file lock).
_process_lock = threading.RLock()


@contextmanager
def exclusive() -> Iterator[None]:
    """Take this process's turn at the warehouse, for code that opens it by itself."""
    wait_s = default_wait_s() if _wait_s is None else _wait_s
    if not _process_lock.acquire(timeout=wait_s):
        raise WarehouseBusy(f"the warehouse was busy with other requests of this server for {wait_s:.0f} s")
    try:
        yield
    finally:
        _process_lock.release()


@contextmanager
def _guarded(write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    wait_s = default_wait_s() if _wait_s is None else _wait_s
    with exclusive(), connect(write=write, wait_s=wait_s) as con:
        yield con


# A read connection held for a whole page (see `reading`); opening DuckDB costs more than the queries.
_held: ContextVar[duckdb.DuckDBPyConnection | None] = ContextVar("siaga_held_connection", default=None)


@contextmanager
def reading() -> Iterator[duckdb.DuckDBPyConnection]:
    """One short read connection shared by every read inside the block (one page's queries)."""
    held = _held.get()
    if held is not None:
        yield held
        return
    with _guarded(write=False) as con:
        token = _held.set(con)
        try:
            yield con
        finally:
            _held.reset(token)


def _connect(write: bool = False):
    held = _held.get()
    if held is not None:
        if write:
            raise RuntimeError("a write inside moderation.reading(): decide first, then read")
        return nullcontext(held)
    return _guarded(write)


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# The queue reads draft_queue alone (migration 016): its order, its filters and its rows' columns, with no
# join of drafts and issues per page view.
_QUEUE_SELECT = "SELECT q.* EXCLUDE (platforms), q.platforms AS sources FROM draft_queue q"
_QUEUE_ORDER = "q.is_emergency DESC, q.reach DESC, q.last_seen DESC NULLS LAST, q.draft_id"


def list_drafts(
    filters: DraftFilters | None = None, limit: int = 50, offset: int = 0, with_counts: bool = True
) -> DraftPage:
    """Drafts matching the filters, most urgent first (emergency, then reach, then recency)."""
    filters = filters or DraftFilters()
    where, params = filters.where()
    with _connect() as con:
        items = _rows(
            con.execute(
                f"{_QUEUE_SELECT} WHERE {where} ORDER BY {_QUEUE_ORDER} LIMIT ? OFFSET ?", [*params, limit, offset]
            )
        )
        for item in items:  # issue_summary.platforms: 'facebook,x'
            item["sources"] = item["sources"].split(",") if item["sources"] else []
        if with_counts:
            counts = _facet_counts(con, filters)
            total = counts.pop("total")["all"]
        else:
            total = con.execute(f"SELECT count(*) FROM draft_queue q WHERE {where}", params).fetchone()[0]
            counts = {}
    return DraftPage(items=items, total=total, counts=counts)


def export_drafts(filters: DraftFilters | None = None, limit: int = 50_000) -> list[dict[str, Any]]:
    """The queue as a download: the drafts matching the filters in the queue's order, with the columns the
    CSV shows, in one query."""
    filters = filters or DraftFilters()
    where, params = filters.where()
    with _connect() as con:
        items = _rows(
            con.execute(
                "SELECT q.draft_id, q.judul, q.kategori, q.lokasi, q.opd, q.is_emergency, q.kecamatan, "
                f"q.report_count, q.reach, q.last_seen, q.platforms AS sources FROM draft_queue q WHERE {where} "
                f"ORDER BY {_QUEUE_ORDER} LIMIT ?",
                [*params, limit],
            )
        )
    for item in items:
        item["sources"] = item["sources"].split(",") if item["sources"] else []
    return items


_FACETS = {
    "kategori": "q.kategori",
    "kecamatan": "q.kecamatan",
    "opd": "q.opd",
    "darurat": "CASE WHEN q.is_emergency THEN 'ya' ELSE 'tidak' END",
}


def _facet_counts(con: duckdb.DuckDBPyConnection, filters: DraftFilters) -> dict[str, dict[str, int]]:
    """Per filter, how many drafts each of its values would give with the OTHER filters applied
    (so a chosen category still shows what the other categories hold), plus the total.

    Facets whose own filter is not set share the page's conditions: they are counted in one pass over
    draft_queue (GROUPING SETS), so the queue reads that one table a few times, not six."""
    by_where: dict[tuple[str, tuple], list[str]] = {}
    for name in ("total", *_FACETS):
        where, params = (filters if name == "total" else replace(filters, **{name: None})).where()
        by_where.setdefault((where, tuple(params)), []).append(name)
    counts: dict[str, dict[str, int]] = {}
    for (where, params), names in by_where.items():
        exprs = [_FACETS[name] for name in names if name != "total"]
        sets = ", ".join([*(f"({expr})" for expr in exprs), "()"])
        flags = ", ".join(f"grouping({expr})" for expr in exprs) or "0"
        columns = ", ".join(exprs) or "NULL"
        rows = con.execute(
            f"SELECT [{flags}] AS g, [{columns}] AS k, count(*) AS n FROM draft_queue q WHERE {where} "
            f"GROUP BY GROUPING SETS ({sets}) ORDER BY n DESC, k",
            list(params),
        ).fetchall()
        facet_names = [name for name in names if name != "total"]
        for name in names:
            counts.setdefault(name, {})
        for flags_row, keys, n in rows:
            grouped = [j for j, flag in enumerate(flags_row) if flag == 0] if facet_names else []
            if not grouped:  # the empty set: the total
                if "total" in names:
                    counts["total"]["all"] = n
                continue
            name, key = facet_names[grouped[0]], keys[grouped[0]]
            if key is not None:
                counts[name][key] = n
    counts.setdefault("total", {}).setdefault("all", 0)
    where, params = replace(filters, sumber=None).where()
    # drafts per set of platforms (a few dozen sets), then per platform the warehouse holds
    known = [r[0] for r in con.execute("SELECT DISTINCT platform FROM post_counts ORDER BY 1").fetchall()]
    per_platform: dict[str, int] = {}
    if known:
        for platforms, n in con.execute(
            f"SELECT q.platforms, count(*) FROM draft_queue q WHERE {where} GROUP BY 1", params
        ).fetchall():
            for platform in set(platforms.split(",")) if platforms else ():
                per_platform[platform] = per_platform.get(platform, 0) + n
        per_platform = {p: per_platform[p] for p in known if per_platform.get(p)}
    counts["sumber"] = dict(sorted(per_platform.items(), key=lambda kv: (-kv[1], kv[0])))
    return {"total": counts.pop("total"), **{name: counts[name] for name in _FACETS}, "sumber": counts["sumber"]}


def opd_options() -> list[str]:
    """The OPDs drafts name (the draft page's choice), from drafts: the table that page reads anyway."""
    with _connect() as con:
        return [
            r[0] for r in con.execute("SELECT DISTINCT opd FROM drafts WHERE opd IS NOT NULL ORDER BY 1").fetchall()
        ]


def filter_options() -> dict[str, list[str]]:
    """Values the queue filters can take, from what is in the warehouse."""
    with _connect() as con:
        opds = [
            r[0]
            for r in con.execute("SELECT DISTINCT opd FROM draft_queue WHERE opd IS NOT NULL ORDER BY opd").fetchall()
        ]
        # platforms of posts in issues (what the sumber filter can find), from the day counts, not posts
        sources = [r[0] for r in con.execute("SELECT DISTINCT platform FROM post_counts ORDER BY 1").fetchall()]
    return {"opd": opds, "sumber": sources}


# An issue's evidence posts. posts is reached through its one-column index on post_key (migration 015):
# DuckDB never uses the composite primary key for this join, and without it every draft view scans posts.
EVIDENCE_SQL = (
    "SELECT p.post_key, p.platform, p.url, p.author_id, p.author_name, p.text, p.created_at, "
    "coalesce(p.likes, 0) AS likes, coalesce(p.shares, 0) AS shares, "
    "coalesce(p.comments, 0) AS comments, p.views, ip.role "
    "FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key WHERE ip.issue_id = ? "
    "ORDER BY ip.role DESC, p.created_at NULLS LAST, p.post_key LIMIT ?"
)


def get_draft(draft_id: str, evidence_limit: int = 50) -> dict[str, Any]:
    """One draft with its issue, its evidence posts (masked by the caller) and nearby open issues."""
    with _connect() as con:
        found = _rows(
            con.execute(
                "SELECT d.*, i.category AS issue_category, i.kecamatan, i.desa, i.lat, i.lon, i.post_count, "
                "i.report_count, i.reach, i.first_seen, i.last_seen, i.status AS issue_status "
                "FROM drafts d JOIN issues i ON i.issue_id = d.issue_id WHERE d.draft_id = ?",
                [draft_id],
            )
        )
        if not found:
            raise DraftNotFound(f"Draf {draft_id} tidak ditemukan.")
        draft = found[0]
        draft["evidence"] = _rows(con.execute(EVIDENCE_SQL, [draft["issue_id"], evidence_limit]))
        draft["nearby"] = _nearby_issues(con, draft)
    return draft


def _nearby_issues(con: duckdb.DuckDBPyConnection, draft: dict[str, Any], limit: int = 5) -> list[dict]:
    """Other open issues of the same category in the same kecamatan (or within ~10 km)."""
    # The five issues first, then their drafts (one per issue) by the drafts' issue_id key: joining
    # first hashed every draft per page view (~20 ms -> ~7 ms at 100k issues).
    return _rows(
        con.execute(
            "WITH near AS (SELECT i.issue_id, i.kecamatan, i.desa, i.post_count, i.reach, i.last_seen "
            "FROM issues i WHERE i.status = 'open' AND i.issue_id <> ? AND i.category IS NOT DISTINCT FROM ? "
            "AND (i.kecamatan = ? OR (i.lat IS NOT NULL AND ? IS NOT NULL "
            "     AND abs(i.lat - ?) < 0.09 AND abs(i.lon - ?) < 0.09)) "
            "ORDER BY i.last_seen DESC NULLS LAST, i.issue_id LIMIT ?) "
            "SELECT n.issue_id, d.draft_id, d.judul, d.status AS draft_status, n.kecamatan, n.desa, "
            "n.post_count, n.reach, n.last_seen FROM near n LEFT JOIN drafts d ON d.issue_id = n.issue_id "
            "ORDER BY n.last_seen DESC NULLS LAST, n.issue_id",
            [
                draft["issue_id"],
                draft["issue_category"],
                draft["kecamatan"],
                draft["lat"],
                draft["lat"],
                draft["lon"],
                limit,
            ],
        )
    )


def _event(
    con: duckdb.DuckDBPyConnection,
    *,
    draft_id: str | None,
    issue_id: str | None,
    actor: str,
    role: str,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    con.execute(
        "INSERT INTO moderation_events (draft_id, issue_id, actor, role, action, detail, occurred_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [draft_id, issue_id, actor, role, action, json.dumps(detail or {}, ensure_ascii=False), _now()],
    )


def _current(con: duckdb.DuckDBPyConnection, draft_id: str) -> dict[str, Any]:
    found = _rows(con.execute("SELECT * FROM drafts WHERE draft_id = ?", [draft_id]))
    if not found:
        raise DraftNotFound(f"Draf {draft_id} tidak ditemukan.")
    return found[0]


def _check_open(row: dict[str, Any], version: int | None) -> None:
    if row["status"] != "pending":
        who = f" oleh {row['decided_by']}" if row.get("decided_by") else ""
        raise AlreadyDecided(f"Draf {row['draft_id']} sudah berstatus '{row['status']}'{who}; tidak dapat diubah lagi.")
    if version is not None and int(version) != row["version"]:
        raise VersionConflict(
            f"Draf {row['draft_id']} sudah diubah orang lain sejak Anda membukanya "
            f"(versi Anda {version}, versi sekarang {row['version']}). Periksa perubahan lalu simpan lagi.",
            row,
        )


def validate_changes(changes: Mapping[str, Any], regions: Mapping[str, str]) -> dict[str, Any]:
    """Clean and check edited fields; `regions` maps official region code to its display name."""
    from nlp import mask_pii

    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidChange(f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("rahasia", "anonim"):
            clean[name] = bool(value)
            continue
        value = (value or "").strip() if isinstance(value, str) or value is None else value
        if name == "judul":
            if not value:
                raise InvalidChange("Judul tidak boleh kosong.")
            if len(value) > JUDUL_MAX:
                raise InvalidChange(f"Judul paling panjang {JUDUL_MAX} karakter.")
            clean[name] = mask_pii(value)
        elif name == "isi":
            if not value:
                raise InvalidChange("Isi laporan tidak boleh kosong.")
            clean[name] = mask_pii(value)  # the isi column only ever holds masked text
        elif name == "kategori":
            if value not in CATEGORIES:
                raise InvalidChange(f"Kategori '{value}' tidak dikenal.")
            clean[name] = value
        elif name == "klasifikasi":
            if value not in CLASSIFICATIONS:
                raise InvalidChange(f"Klasifikasi '{value}' tidak dikenal.")
            clean[name] = value
        elif name == "region_code":
            if value not in regions:
                raise InvalidChange("Lokasi harus dipilih dari daftar wilayah resmi Kutai Timur.")
            clean["region_code"] = value
            clean["lokasi"] = regions[value]
        elif name == "opd":
            clean[name] = value or None
    return clean


def update_draft(
    draft_id: str,
    version: int,
    changes: Mapping[str, Any],
    *,
    actor: str,
    role: str,
    regions: Mapping[str, str],
    approve: bool = False,
) -> dict[str, Any]:
    """Save a moderator's edit (and optionally approve in the same step) if `version` is current."""
    clean = validate_changes(changes, regions)
    with _connect(write=True) as con:
        row = _current(con, draft_id)
        _check_open(row, version)
        changed = {k: v for k, v in clean.items() if row.get(k) != v}
        now = _now()
        if changed:
            sets = ", ".join(f"{name} = ?" for name in changed)
            con.execute(
                f"UPDATE drafts SET {sets}, moderator_edited = true, version = version + 1, updated_at = ? "
                "WHERE draft_id = ?",
                [*changed.values(), now, draft_id],
            )
            _event(
                con,
                draft_id=draft_id,
                issue_id=row["issue_id"],
                actor=actor,
                role=role,
                action="edit",
                detail={"fields": sorted(changed), "from_version": row["version"]},
            )
            if "opd" in changed:
                summaries.refresh(con, [row["issue_id"]])  # the issue's posts now count under this OPD
            else:
                summaries.refresh_queue(con, draft_ids=[draft_id])  # the queue shows what was saved
        if approve:
            _decide(con, row, "approve", actor=actor, role=role, now=now)
        return _current(con, draft_id)


def _decide(
    con: duckdb.DuckDBPyConnection,
    row: dict[str, Any],
    action: str,
    *,
    actor: str,
    role: str,
    now: dt.datetime,
    reason: str | None = None,
    bulk: bool = False,
) -> None:
    status = {"approve": "approved", "reject": "rejected"}[action]
    con.execute(
        "UPDATE drafts SET status = ?, reject_reason = ?, decided_by = ?, decided_at = ?, "
        "version = version + 1, updated_at = ? WHERE draft_id = ?",
        [status, reason, actor, now, now, row["draft_id"]],
    )
    summaries.refresh_queue(con, draft_ids=[row["draft_id"]])  # it leaves the pending queue now
    detail: dict[str, Any] = {"version": row["version"]}
    if reason:
        detail["reason"] = reason
    if bulk:
        detail["bulk"] = True
    _event(
        con,
        draft_id=row["draft_id"],
        issue_id=row["issue_id"],
        actor=actor,
        role=role,
        action=action,
        detail=detail,
    )


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidChange("Alasan penolakan wajib diisi (minimal 5 karakter).")
    return reason[:1000]


def approve(draft_id: str, *, actor: str, role: str, version: int | None = None) -> dict[str, Any]:
    """Approve a pending draft: it becomes a ticket the LAPOR! bridge will send."""
    with _connect(write=True) as con:
        row = _current(con, draft_id)
        _check_open(row, version)
        _decide(con, row, "approve", actor=actor, role=role, now=_now())
        return _current(con, draft_id)


def reject(draft_id: str, reason: str, *, actor: str, role: str, version: int | None = None) -> dict[str, Any]:
    """Reject a pending draft with the moderator's reason."""
    reason = _clean_reason(reason)
    with _connect(write=True) as con:
        row = _current(con, draft_id)
        _check_open(row, version)
        _decide(con, row, "reject", actor=actor, role=role, now=_now(), reason=reason)
        return _current(con, draft_id)


def bulk_decide(
    selection: Iterable[tuple[str, int | None]],
    action: str,
    *,
    actor: str,
    role: str,
    reason: str | None = None,
) -> dict[str, list[dict[str, str]]]:
    """Approve or reject many drafts in one transaction; each `(draft_id, version)` seen by the moderator.

    Drafts that changed or were decided meanwhile are skipped and reported, the rest are decided.
    """
    if action not in ("approve", "reject"):
        raise InvalidChange(f"Tindakan '{action}' tidak dikenal.")
    selection = list(selection)
    if not selection:
        raise InvalidChange("Pilih minimal satu draf.")
    if action == "reject":
        reason = _clean_reason(reason)
    done: list[dict[str, str]] = []
    skipped: list[dict[str, str]] = []
    with _connect(write=True) as con:
        now = _now()
        for draft_id, version in selection:
            try:
                row = _current(con, draft_id)
                _check_open(row, version)
            except ModerationError as exc:
                skipped.append({"draft_id": draft_id, "reason": str(exc)})
                continue
            _decide(con, row, action, actor=actor, role=role, now=now, reason=reason, bulk=True)
            done.append({"draft_id": draft_id})
    return {"done": done, "skipped": skipped}


def merge_issues(source_issue_id: str, target_issue_id: str, *, actor: str, role: str) -> dict[str, Any]:
    """Fold one open issue into another: its posts, counts and draft follow the target."""
    if source_issue_id == target_issue_id:
        raise InvalidChange("Isu tidak dapat digabung dengan dirinya sendiri.")
    with _connect(write=True) as con:
        issues = {
            r["issue_id"]: r
            for r in _rows(
                con.execute(
                    "SELECT i.*, d.draft_id, d.status AS draft_status FROM issues i "
                    "LEFT JOIN drafts d ON d.issue_id = i.issue_id WHERE i.issue_id IN (?, ?)",
                    [source_issue_id, target_issue_id],
                )
            )
        }
        for issue_id in (source_issue_id, target_issue_id):
            if issue_id not in issues:
                raise InvalidChange(f"Isu {issue_id} tidak ditemukan.")
            if issues[issue_id]["status"] != "open":
                raise AlreadyDecided(f"Isu {issue_id} sudah berstatus '{issues[issue_id]['status']}'.")
        source, target = issues[source_issue_id], issues[target_issue_id]
        if target["draft_status"] not in (None, "pending"):
            raise AlreadyDecided(
                f"Draf isu {target_issue_id} sudah berstatus '{target['draft_status']}'; "
                "gabungkan ke draf yang masih menunggu."
            )
        if source["draft_status"] not in (None, "pending"):
            raise AlreadyDecided(
                f"Draf isu {source_issue_id} sudah berstatus '{source['draft_status']}'; tidak dapat digabung."
            )
        now = _now()
        con.execute("UPDATE issue_posts SET issue_id = ? WHERE issue_id = ?", [target_issue_id, source_issue_id])
        con.execute(
            "UPDATE issues SET post_count = post_count + ?, report_count = report_count + ?, "
            "reach = reach + ?, first_seen = least(first_seen, ?), last_seen = greatest(last_seen, ?), "
            "is_emergency = is_emergency OR ?, updated_at = ? WHERE issue_id = ?",
            [
                source["post_count"],
                source["report_count"],
                source["reach"],
                source["first_seen"],
                source["last_seen"],
                source["is_emergency"],
                now,
                target_issue_id,
            ],
        )
        con.execute(
            "UPDATE issues SET status = 'merged', merged_into = ?, updated_at = ? WHERE issue_id = ?",
            [target_issue_id, now, source_issue_id],
        )
        if source["draft_id"]:
            con.execute(
                "UPDATE drafts SET status = 'merged', merged_into = ?, decided_by = ?, decided_at = ?, "
                "version = version + 1, updated_at = ? WHERE draft_id = ?",
                [target["draft_id"], actor, now, now, source["draft_id"]],
            )
        if target["draft_id"]:
            note = f"Digabung dari isu {source_issue_id} ({source['post_count']} unggahan)."
            con.execute(
                "UPDATE drafts SET new_evidence = concat_ws(' ', new_evidence, ?), updated_at = ? WHERE draft_id = ?",
                [note, now, target["draft_id"]],
            )
        summaries.refresh(con, [source_issue_id, target_issue_id])
        detail = {"source_issue": source_issue_id, "target_issue": target_issue_id}
        _event(
            con,
            draft_id=source["draft_id"],
            issue_id=source_issue_id,
            actor=actor,
            role=role,
            action="merge",
            detail=detail,
        )
        return {
            "source_issue": source_issue_id,
            "target_issue": target_issue_id,
            "target_draft": target["draft_id"],
        }


# A post's parent as a post_key (parent_id is 'platform:id' or a bare id of the same platform).
_PARENT_KEY = "CASE WHEN p.parent_id LIKE '%:%' THEN p.parent_id ELSE p.platform || ':' || p.parent_id END"


def split_issue(
    issue_id: str, post_keys: Iterable[str], *, actor: str, role: str, version: int | None = None
) -> dict[str, Any]:
    """Move chosen posts of an open issue into a new issue with its own draft: the opposite of a merge.

    The chosen reports take their copies and replies with them. The issue keeps at least one report, the
    new one gets at least one; `version` is the issue's draft version the moderator saw. Figures, drafts
    and summaries of both issues change in this one transaction, with one audit row ('split') and the
    moved posts recorded in `issue_splits`, so clustering keeps them apart from the issue they left.
    """
    from warehouse.clustering import issue_id_for
    from warehouse.drafts import refresh_drafts
    from warehouse.issues import _refresh_issue_figures

    chosen = sorted({key.strip() for key in post_keys if isinstance(key, str) and key.strip()})
    if not chosen:
        raise InvalidChange("Pilih minimal satu unggahan untuk dipisahkan ke isu baru.")
    with _connect(write=True) as con:
        found = _rows(
            con.execute(
                "SELECT i.*, d.draft_id, d.status AS draft_status, d.version AS draft_version FROM issues i "
                "LEFT JOIN drafts d ON d.issue_id = i.issue_id WHERE i.issue_id = ?",
                [issue_id],
            )
        )
        if not found:
            raise IssueNotFound(f"Isu {issue_id} tidak ditemukan.")
        source = found[0]
        if source["status"] != "open":
            raise AlreadyDecided(f"Isu {issue_id} sudah berstatus '{source['status']}'.")
        if source["draft_status"] not in (None, "pending"):
            raise AlreadyDecided(
                f"Draf isu {issue_id} sudah berstatus '{source['draft_status']}'; unggahannya tidak dapat dipisah."
            )
        if version is not None and source["draft_id"] and int(version) != source["draft_version"]:
            raise VersionConflict(
                f"Draf {source['draft_id']} sudah diubah orang lain sejak Anda membukanya (versi Anda {version}, "
                f"versi sekarang {source['draft_version']}). Periksa perubahan lalu pisahkan lagi.",
                _current(con, source["draft_id"]),
            )
        linked = dict(con.execute("SELECT post_key, role FROM issue_posts WHERE issue_id = ?", [issue_id]).fetchall())
        strangers = [key for key in chosen if key not in linked]
        if strangers:
            raise InvalidChange(f"Unggahan {', '.join(strangers[:5])} bukan bagian dari isu {issue_id}.")
        moved = set(chosen)
        while True:  # copies and replies follow the posts they copy or answer (chains are short)
            followers = {
                row[0]
                for row in con.execute(
                    f"SELECT ip.post_key FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key "
                    f"WHERE ip.issue_id = ? AND ip.role <> 'report' AND NOT list_contains(?, ip.post_key) "
                    f"AND (list_contains(?, p.canonical_key) OR list_contains(?, {_PARENT_KEY}))",
                    [issue_id, sorted(moved), sorted(moved), sorted(moved)],
                ).fetchall()
            }
            if not followers:
                break
            moved |= followers
        moved_reports = sorted(key for key in moved if linked[key] == "report")
        if not moved_reports:
            raise InvalidChange("Pilih minimal satu laporan (bukan salinan atau balasan) untuk isu baru.")
        if len(moved_reports) == sum(1 for r in linked.values() if r == "report"):
            raise InvalidChange(
                f"Sisakan minimal satu laporan di isu {issue_id}; yang dipilih adalah semua laporannya."
            )
        keys = sorted(moved)
        new_issue = issue_id_for(f"split:{issue_id}:{moved_reports[0]}")
        now = _now()
        gone = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE ip.role = 'report'), "
            "coalesce(sum(coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0)), 0) "
            "+ count(*) FILTER (WHERE ip.role <> 'report') "
            "FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key WHERE list_contains(?, ip.post_key)",
            [keys],
        ).fetchone()
        con.execute(
            "UPDATE issue_posts SET issue_id = ?, linked_at = now()::TIMESTAMP WHERE list_contains(?, post_key)",
            [new_issue, keys],
        )
        # The issue left behind: its counts as a merge changes them (its place and category stay), its
        # time span from the posts it keeps.
        con.execute(
            "UPDATE issues SET post_count = post_count - ?, report_count = report_count - ?, reach = reach - ?, "
            "first_seen = span.first_seen, last_seen = span.last_seen, updated_at = ? "
            "FROM (SELECT min(coalesce(p.created_at, p.fetched_at)) AS first_seen, "
            "      max(coalesce(p.created_at, p.fetched_at)) AS last_seen "
            "      FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key WHERE ip.issue_id = ?) AS span "
            "WHERE issues.issue_id = ?",
            [gone[0], gone[1], gone[2], now, issue_id, issue_id],
        )
        # The new issue: its figures, place and draft as the clustering run makes them for a new issue.
        touched = _refresh_issue_figures(con)
        refresh_drafts(con, [new_issue])  # the issue left behind keeps its draft's text, as a merge's target
        new_draft = con.execute("SELECT draft_id FROM drafts WHERE issue_id = ?", [new_issue]).fetchone()[0]
        if source["draft_id"]:
            note = f"Dipisah ke isu {new_issue} ({len(keys)} unggahan)."
            con.execute(
                "UPDATE drafts SET new_evidence = concat_ws(' ', new_evidence, ?), version = version + 1, "
                "updated_at = ? WHERE draft_id = ?",
                [note, now, source["draft_id"]],
            )
        con.executemany(
            "INSERT INTO issue_splits VALUES (?, ?, ?, ?, ?) ON CONFLICT (post_key, from_issue) DO UPDATE SET "
            "to_issue = excluded.to_issue, split_by = excluded.split_by, split_at = excluded.split_at",
            [(key, issue_id, new_issue, actor, now) for key in keys],
        )
        summaries.refresh(con, {*touched, issue_id, new_issue})
        _event(
            con,
            draft_id=source["draft_id"],
            issue_id=issue_id,
            actor=actor,
            role=role,
            action="split",
            detail={
                "source_issue": issue_id,
                "target_issue": new_issue,
                "target_draft": new_draft,
                "posts": keys,
                "version": source["draft_version"],
            },
        )
        return {
            "source_issue": issue_id,
            "source_draft": source["draft_id"],
            "new_issue": new_issue,
            "new_draft": new_draft,
            "moved": keys,
        }


def kept_apart(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Issue id to the issues a moderator split from it (and back): pairs clustering must not join again."""
    apart: dict[str, set[str]] = {}
    for source, target in con.execute("SELECT DISTINCT from_issue, to_issue FROM issue_splits").fetchall():
        apart.setdefault(source, set()).add(target)
        apart.setdefault(target, set()).add(source)
    return apart


def unmask(draft_id: str, *, actor: str, role: str) -> dict[str, Any]:
    """The draft's personal data, unmasked for this moderator once; the act is audited first."""
    with _connect(write=True) as con:
        row = _current(con, draft_id)
        _event(con, draft_id=draft_id, issue_id=row["issue_id"], actor=actor, role=role, action="unmask")
        posts = _rows(
            con.execute(
                "SELECT p.post_key, p.author_name, p.text FROM issue_posts ip JOIN posts p "
                "ON p.post_key = ip.post_key WHERE ip.issue_id = ?",
                [row["issue_id"]],
            )
        )
    return {"isi": row["isi_unmasked"] or row["isi"], "posts": {p["post_key"]: p for p in posts}}


def audit_events(
    limit: int = 100,
    offset: int = 0,
    draft_id: str | None = None,
    actor: str | None = None,
    with_total: bool = True,
) -> tuple[list[dict[str, Any]], int | None]:
    """Moderation events, newest first, with the total count (None when not asked for)."""
    clauses, params = ["true"], []
    if draft_id:
        clauses.append("draft_id = ?")
        params.append(draft_id)
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    where = " AND ".join(clauses)
    with _connect() as con:
        rows = _rows(
            con.execute(
                f"SELECT * FROM moderation_events WHERE {where} ORDER BY occurred_at DESC, event_id DESC "
                "LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        )
        total = (
            con.execute(f"SELECT count(*) FROM moderation_events WHERE {where}", params).fetchone()[0]
            if with_total
            else None
        )
    for row in rows:
        row["detail"] = json.loads(row["detail"]) if isinstance(row["detail"], str) else (row["detail"] or {})
    return rows, total


def list_issues(status: str = "open", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Issues with their draft, largest reach first."""
    with _connect() as con:
        return _rows(
            con.execute(
                "SELECT i.issue_id, i.category, i.kecamatan, i.desa, i.region_code, i.is_emergency, "
                "i.first_seen, i.last_seen, i.post_count, i.report_count, i.reach, i.status, i.merged_into, "
                "d.draft_id, d.status AS draft_status "
                "FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id "
                "WHERE i.status = ? ORDER BY i.reach DESC, i.issue_id LIMIT ? OFFSET ?",
                [status, limit, offset],
            )
        )

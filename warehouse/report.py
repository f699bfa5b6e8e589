"""The monthly monev report's figures: one WITA calendar month from the warehouse, beside the month before.

What counts in a month (the XLSX's "Definisi" sheet says the same to its readers):
- a post counts in the month of its time: `created_at`, else when it was fetched, else when it was loaded;
- an issue, its draft, the draft's LAPOR! ticket and an emergency count in the month the issue was first
  seen (its first post): the month's complaints and what became of them by the time of the report.
So the months of a warehouse add up to `siaga stats` (posts, issues, drafts per status, emergencies).

Read-only; `monthly_figures` returns plain JSON-able data that the writers (`warehouse.report_writers`),
`siaga report monev`, the DAG `monev_report` and `GET /siaga/api/reports/monev` share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from core.domain import MONTHS_LONG as BULAN
from core.domain import WITA_OFFSET
from extractors.lapor import sla
from extractors.lapor.mapping import KATEGORI_LABELS
from warehouse.db import connect

REGENCY = "Kabupaten Kutai Timur"
MONTH_PATTERN = r"^[12][0-9]{3}-(0[1-9]|1[0-2])$"  # what `--month` and `?month=` accept
UNKNOWN_KECAMATAN = "(tidak diketahui)"
UNKNOWN_OPD = "(belum ditentukan)"
NO_CATEGORY = "(tanpa kategori)"

# drafts.status grouped as moderators decided: every state after approval counts as approved.
DECISION_OF_STATUS = {
    "pending": "waiting",
    "approved": "approved",
    "sending": "approved",
    "submitted": "approved",
    "failed_retryable": "approved",
    "failed_permanent": "approved",
    "exported": "approved",
    "rejected": "rejected",
    "merged": "merged",
}
DECISIONS = ("approved", "rejected", "merged", "waiting")
POST_TIME = "coalesce(p.created_at, p.fetched_at, p.loaded_at)"
ISSUE_TIME = "coalesce(i.first_seen, i.created_at)"
TOP_ISSUES = 10


class BadMonth(ValueError):
    """A month that is not YYYY-MM; the message says what to give."""


def parse_month(text: str | dt.date) -> dt.date:
    """The first day of the month `YYYY-MM` (a date is taken as its month)."""
    if isinstance(text, dt.date):
        return text.replace(day=1)
    if not isinstance(text, str) or not re.match(MONTH_PATTERN, text.strip()):
        raise BadMonth(f"month {text!r} is not YYYY-MM (e.g. 2026-11)")
    year, month = text.strip().split("-")
    return dt.date(int(year), int(month), 1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def month_label(first: dt.date) -> str:
    return f"{BULAN[first.month - 1]} {first.year}"


def current_month(now: dt.datetime | None = None) -> dt.date:
    """The month it is now in Kutim (WITA)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return (now + WITA_OFFSET).date().replace(day=1)


def month_before(moment: dt.datetime) -> dt.date:
    """The month before the WITA day of `moment` (a run on 1 December reports November)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return previous_month(current_month(moment))


def _bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a WITA month as naive UTC, the warehouse's clock."""
    start = dt.datetime.combine(first, dt.time()) - WITA_OFFSET
    return start, dt.datetime.combine(next_month(first), dt.time()) - WITA_OFFSET


def _wita(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in WITA with its offset, for people and for JSON alike."""
    return (moment + WITA_OFFSET).isoformat(timespec="seconds") + "+08:00" if moment else None


def _rows(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _change(current: int | float | None, previous: int | float | None) -> int | float | None:
    if current is None or previous is None:
        return None
    return current - previous


# -- the two periods' figures -------------------------------------------------------------------------
# The month and the month before are read together, one pass per table: posts once (both months' days and
# platforms), issues with their drafts once (every count, grouped four ways, with GROUPING SETS), then the
# month's ten top issues and its emergencies from issues alone, and the tickets' months. Measured at 1M
# posts / 100k issues (issue 17): the former per-month temporary table and eight queries over it, twice,
# took ~150 ms of the report's ~330 ms; this reads issues and drafts once (~30 ms).
APPROVED = tuple(s for s, d in DECISION_OF_STATUS.items() if d == "approved")
_APPROVED_SQL = "[" + ", ".join(f"'{s}'" for s in APPROVED) + "]"
_GROUP_COLUMNS = (
    ("category", f"coalesce(i.category, '{NO_CATEGORY}')"),
    ("kecamatan", f"coalesce(i.kecamatan, '{UNKNOWN_KECAMATAN}')"),
    ("opd", f"coalesce(d.opd, '{UNKNOWN_OPD}')"),
    ("status", "d.status"),
)


def _in_months(expr: str) -> str:
    """`expr` within [$start, $end), the two months' bounds (named parameters of every query below)."""
    return f"{expr} >= $start AND {expr} < $end"


def _empty_period() -> dict[str, Any]:
    return {
        "platforms": {},
        "daily": {},
        "issues": 0,
        "emergencies": 0,
        "reach": 0,
        "drafts_by_status": {},
        "median_s": None,
        "grouped": {key: [] for key, _ in _GROUP_COLUMNS if key != "status"},
    }


def _periods(con, first: dt.date, before: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures of the month (`first`) and of the month before, read in one pass over each table."""
    start, middle = _bounds(before)
    end = _bounds(first)[1]
    bounds = {"start": start, "middle": middle, "end": end}
    cur, prev = _empty_period(), _empty_period()
    # posts: both months' days and platforms in one scan
    day_of = f"CAST({POST_TIME} + INTERVAL 8 HOUR AS DATE)"
    for day, platform, n in con.execute(
        f"SELECT {day_of}, p.platform, count(*) FROM posts p WHERE {_in_months(POST_TIME)} GROUP BY 1, 2",
        {"start": start, "end": end},
    ).fetchall():
        period = cur if day >= first else prev
        period["platforms"][platform] = period["platforms"].get(platform, 0) + n
        period["daily"][day] = period["daily"].get(day, 0) + n
    for period in (cur, prev):
        period["platforms"] = dict(sorted(period["platforms"].items()))
    # issues and their drafts: every count, per period, grouped four ways and in total
    keys = ", ".join(expr for _, expr in _GROUP_COLUMNS)
    sets = ", ".join([*(f"(period, {expr})" for _, expr in _GROUP_COLUMNS), "(period)"])
    rows = con.execute(
        f"""
        SELECT {ISSUE_TIME} < $middle AS period, grouping({keys}) AS g, {keys}, count(*) AS issues,
               count(*) FILTER (WHERE i.is_emergency AND i.status <> 'merged') AS emergencies,
               count(d.draft_id) AS drafts,
               count(*) FILTER (WHERE list_contains({_APPROVED_SQL}, d.status)) AS approved,
               count(*) FILTER (WHERE d.status = 'rejected') AS rejected,
               count(*) FILTER (WHERE d.status = 'pending') AS waiting,
               coalesce(sum(i.post_count), 0) AS posts, coalesce(sum(i.reach), 0) AS reach,
               -- approval time: the first 'approve' in the audit trail (decided_at is overwritten later)
               median(epoch(coalesce(e.approved_at, d.decided_at) - {ISSUE_TIME}))
                   FILTER (WHERE list_contains({_APPROVED_SQL}, d.status)) AS median_s
        FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id
        LEFT JOIN (SELECT draft_id, min(occurred_at) AS approved_at FROM moderation_events
                   WHERE action = 'approve' GROUP BY 1) e ON e.draft_id = d.draft_id
        WHERE {_in_months(ISSUE_TIME)}
        GROUP BY GROUPING SETS ({sets})
        """,
        bounds,
    ).fetchall()
    n_keys = len(_GROUP_COLUMNS)
    for row in rows:
        period = prev if row[0] else cur
        grouping, values = row[1], row[2 : 2 + n_keys]
        issues, emergencies, drafts, approved, rejected, waiting, posts, reach, median_s = row[2 + n_keys :]
        if grouping == (1 << n_keys) - 1:  # the period's total
            period.update(issues=issues, emergencies=emergencies, reach=int(reach), median_s=median_s)
            continue
        # grouping() sets a bit per column left out, the first column's the highest: the one kept is 0
        index = next(j for j in range(n_keys) if not grouping & (1 << (n_keys - 1 - j)))
        name, key = _GROUP_COLUMNS[index][0], values[index]
        if name == "status":
            if key is not None:  # issues without a draft have no status
                period["drafts_by_status"][key] = drafts
            continue
        period["grouped"][name].append(
            {
                "key": key,
                "issues": issues,
                "emergencies": emergencies,
                "drafts": drafts,
                "approved": approved,
                "rejected": rejected,
                "waiting": waiting,
                "posts": posts,
                "reach": reach,
            }
        )
    for period in (cur, prev):
        period["drafts_by_status"] = dict(sorted(period["drafts_by_status"].items()))
        for group in period["grouped"].values():
            group.sort(key=lambda r: (-r["issues"], r["key"]))
        decisions = dict.fromkeys(DECISIONS, 0)
        for status, n in period["drafts_by_status"].items():
            decisions[DECISION_OF_STATUS.get(status, "waiting")] += n
        period["decisions"] = decisions
        period["drafts"] = sum(period["drafts_by_status"].values())
        period["posts"] = sum(period["platforms"].values())
        period["median_hours_to_approval"] = (
            round(period["median_s"] / 3600, 1) if period["median_s"] is not None else None
        )
    month = {"start": middle, "end": end}
    cur["top"] = _top_issues(con, month)
    cur["emergency_rows"] = _emergencies(con, month)
    # which of the two months' drafts went to LAPOR! (the tickets' figures come from their SLA clocks)
    cur["ticket_drafts"], prev["ticket_drafts"] = set(), set()
    for draft_id, earlier in con.execute(
        f"SELECT s.draft_id, {ISSUE_TIME} < $middle FROM lapor_submissions s "
        "JOIN drafts d ON d.draft_id = s.draft_id JOIN issues i ON i.issue_id = d.issue_id "
        f"WHERE {_in_months(ISSUE_TIME)}",
        bounds,
    ).fetchall():
        (prev if earlier else cur)["ticket_drafts"].add(draft_id)
    return cur, prev


def _top_issues(con, month: dict[str, dt.datetime]) -> list[dict[str, Any]]:
    # the ten issues first (issues alone), then their drafts: no join of every issue with its draft
    return _rows(
        con.execute(
            f"""
            WITH top AS (
                SELECT i.issue_id, coalesce(i.category, '{NO_CATEGORY}') AS category,
                       coalesce(i.kecamatan, '{UNKNOWN_KECAMATAN}') AS kecamatan, i.desa, i.is_emergency,
                       i.post_count, i.report_count, i.reach, {ISSUE_TIME} AS first_seen
                FROM issues i WHERE {_in_months(ISSUE_TIME)} AND i.status <> 'merged'
                ORDER BY i.reach DESC, i.post_count DESC, i.issue_id LIMIT {TOP_ISSUES})
            SELECT t.issue_id, d.judul, t.category, t.kecamatan, t.desa, coalesce(d.opd, '{UNKNOWN_OPD}') AS opd,
                   t.is_emergency, t.post_count, t.report_count, t.reach, t.first_seen, d.draft_id,
                   d.status AS draft_status
            FROM top t LEFT JOIN drafts d ON d.issue_id = t.issue_id
            ORDER BY t.reach DESC, t.post_count DESC, t.issue_id
            """,
            month,
        )
    )


def _emergencies(con, month: dict[str, dt.datetime]) -> list[dict[str, Any]]:
    # The hand-off decision lives in emergency_handoffs (warehouse/emergencies.py); an older alert row's
    # handoff_status counts when no decision is recorded, as on the Darurat page.
    return _rows(
        con.execute(
            f"""
            WITH r AS (
                SELECT i.issue_id, coalesce(i.category, '{NO_CATEGORY}') AS category,
                       coalesce(i.kecamatan, '{UNKNOWN_KECAMATAN}') AS kecamatan, i.desa,
                       {ISSUE_TIME} AS first_seen
                FROM issues i WHERE i.is_emergency AND i.status <> 'merged' AND {_in_months(ISSUE_TIME)})
            SELECT r.issue_id, d.judul, r.category, r.kecamatan, r.desa,
                   r.first_seen, a.created_at AS alert_at, a.delivered_at,
                   coalesce(h.status, a.handoff_status, 'pending') AS handoff_status,
                   CASE WHEN coalesce(h.status, a.handoff_status) = 'handed_to_112'
                        THEN coalesce(h.handed_at, h.first_decided_at, a.delivered_at, a.created_at)
                   END AS handoff_at
            FROM r LEFT JOIN drafts d ON d.issue_id = r.issue_id
            LEFT JOIN (SELECT * FROM alerts WHERE kind = 'emergency'
                       QUALIFY row_number() OVER (PARTITION BY issue_id ORDER BY created_at DESC) = 1) a
                   ON a.issue_id = r.issue_id
            LEFT JOIN emergency_handoffs h ON h.issue_id = r.issue_id
            ORDER BY r.first_seen, r.issue_id
            """,
            month,
        )
    )


# -- LAPOR! tickets ------------------------------------------------------------------------------------
def _tickets(draft_ids: set[str], today: dt.date | None) -> dict[str, Any]:
    """The month's tickets by state and stage, and per OPD the share that met each deadline."""
    from warehouse.lapor import STATE_LABELS, tickets_with_sla

    # Tickets that count alike are counted once: a month holds ~13k tickets at 1M posts but a few dozen
    # kinds (state, stage, OPD, how each clock stands), so the per-OPD arithmetic runs per kind.
    kinds: Counter[tuple] = Counter()
    for ticket in tickets_with_sla(today):
        if ticket["draft_id"] in draft_ids:
            clocks = ticket.get("stages") or {}
            outcomes = tuple(_outcome(clocks.get(name)) for name in STAGE_NAMES)
            kinds[(ticket["state"], ticket["stage"] or "-", bool(ticket["overdue"]), ticket["opd"], outcomes)] += 1
    by_state: dict[str, int] = {}
    by_stage: dict[str, dict[str, int]] = {}
    per_opd: dict[str, dict[str, Any]] = {}
    total = _sla_row("Semua OPD")
    for (state, stage, overdue, opd, outcomes), n in kinds.items():
        by_state[state] = by_state.get(state, 0) + n
        counts = by_stage.setdefault(stage, {"tickets": 0, "overdue": 0})
        counts["tickets"] += n
        counts["overdue"] += n if overdue else 0
        opd = opd or UNKNOWN_OPD
        row = per_opd.get(opd) or per_opd.setdefault(opd, _sla_row(opd))
        for target in (row, total):
            target["tickets"] += n
            for name, outcome in zip(STAGE_NAMES, outcomes, strict=True):
                if outcome is not None:
                    target[f"{name}_{outcome}"] += n
    for row in [*per_opd.values(), total]:
        for name in STAGE_NAMES:
            decided = row[f"{name}_met"] + row[f"{name}_late"]
            row[f"{name}_share"] = round(row[f"{name}_met"] / decided, 3) if decided else None
    return {
        "total": sum(kinds.values()),
        "by_state": [
            {"state": state, "label": STATE_LABELS.get(state, state), "tickets": n}
            for state, n in sorted(by_state.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_stage": [{"stage": stage, **counts} for stage, counts in sorted(by_stage.items())],
        "sla_per_opd": sorted(per_opd.values(), key=lambda r: (-r["tickets"], r["opd"])),
        "sla_total": total,
        "deadlines": {name: days for name, days, _start, _end in sla.STAGES},
    }


STAGE_NAMES = tuple(name for name, _days, _start, _end in sla.STAGES)


def _outcome(clock: dict | None) -> str | None:
    """How a stage's clock stands: None (not started), 'late', 'met' or 'running'."""
    if not clock or not clock.get("started"):
        return None
    if clock.get("overdue"):
        return "late"
    return "met" if clock.get("done") else "running"


def _sla_row(opd: str) -> dict[str, Any]:
    row: dict[str, Any] = {"opd": opd, "tickets": 0}
    for name, _days, _start, _end in sla.STAGES:
        row.update({f"{name}_met": 0, f"{name}_late": 0, f"{name}_running": 0, f"{name}_share": None})
    return row


# -- the whole report ----------------------------------------------------------------------------------
def monthly_figures(
    month: str | dt.date, today: dt.date | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The month's figures beside the month before, as plain data (see the module's definitions).

    `today` is the WITA day the LAPOR! clocks are read on (default: today); `now` stamps the report.
    """
    first = parse_month(month)
    before = previous_month(first)
    with connect() as con:
        cur, prev = _periods(con, first, before)
    tickets = _tickets(cur["ticket_drafts"], today)
    prev_tickets = len(prev["ticket_drafts"])  # every LAPOR! hand-over is a ticket: the count is enough
    start, end = _bounds(first)
    totals = {
        key: {"month": cur_value, "previous": prev_value, "change": _change(cur_value, prev_value)}
        for key, cur_value, prev_value in (
            ("posts", cur["posts"], prev["posts"]),
            ("issues", cur["issues"], prev["issues"]),
            ("emergencies", cur["emergencies"], prev["emergencies"]),
            ("reach", cur["reach"], prev["reach"]),
            ("drafts", cur["drafts"], prev["drafts"]),
            *((name, cur["decisions"][name], prev["decisions"][name]) for name in DECISIONS),
            ("median_hours_to_approval", cur["median_hours_to_approval"], prev["median_hours_to_approval"]),
            ("tickets", tickets["total"], prev_tickets),
        )
    }
    figures = {
        "regency": REGENCY,
        "month": first.strftime("%Y-%m"),
        "month_label": month_label(first),
        "previous_month": before.strftime("%Y-%m"),
        "previous_month_label": month_label(before),
        "period": {"start": _wita(start), "end": _wita(end), "timezone": "WITA"},
        "generated_at": _wita(now or dt.datetime.now(dt.UTC).replace(tzinfo=None)),
        "has_data": bool(cur["posts"] or cur["issues"]),
        "totals": totals,
        "posts_per_platform": _compare(
            [{"platform": p, "posts": n} for p, n in cur["platforms"].items()],
            prev["platforms"],
            "platform",
            "posts",
        ),
        "daily_posts": _days(first, cur["daily"]),
        "by_category": _compare(
            _renamed(cur["grouped"]["category"], "category"),
            {r["key"]: r["issues"] for r in prev["grouped"]["category"]},
            "category",
            "issues",
        ),
        "by_kecamatan": _compare(
            _renamed(cur["grouped"]["kecamatan"], "kecamatan"),
            {r["key"]: r["issues"] for r in prev["grouped"]["kecamatan"]},
            "kecamatan",
            "issues",
        ),
        "by_opd": _compare(
            _renamed(cur["grouped"]["opd"], "opd"),
            {r["key"]: r["issues"] for r in prev["grouped"]["opd"]},
            "opd",
            "issues",
        ),
        "drafts": {
            "by_status": cur["drafts_by_status"],
            **cur["decisions"],
            "median_hours_to_approval": cur["median_hours_to_approval"],
        },
        "tickets": tickets,
        "emergencies": _emergency_summary(cur["emergency_rows"]),
        "top_issues": [
            {**row, "category_label": _category_label(row["category"]), "first_seen": _wita(row["first_seen"])}
            for row in cur["top"]
        ],
    }
    for row in figures["by_category"]:
        row["label"] = _category_label(row["category"])
    figures["summary"] = summary_text(figures)
    return figures


def _category_label(category: str | None) -> str:
    return KATEGORI_LABELS.get(category or "", category or NO_CATEGORY)


def _renamed(rows: list[dict], key: str) -> list[dict]:
    return [{key: row["key"], **{k: v for k, v in row.items() if k != "key"}} for row in rows]


def _compare(rows: list[dict], previous: dict[str, int], key: str, measure: str) -> list[dict]:
    """Rows of this month with last month's figure beside them; a key seen only last month gets a 0 row."""
    seen = {row[key] for row in rows}
    out = [{**row, "previous": previous.get(row[key], 0)} for row in rows]
    out += [{key: name, measure: 0, "previous": n} for name, n in sorted(previous.items()) if name not in seen]
    for row in out:
        row["change"] = row[measure] - row["previous"]
    return out


def _days(first: dt.date, counts: dict[dt.date, int]) -> list[dict]:
    days = (next_month(first) - first).days
    return [
        {"day": (first + dt.timedelta(days=n)).isoformat(), "posts": counts.get(first + dt.timedelta(days=n), 0)}
        for n in range(days)
    ]


def _minutes(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _emergency_summary(rows: list[dict]) -> dict[str, Any]:
    items = []
    for row in rows:
        alerted = row["delivered_at"] or row["alert_at"]
        items.append(
            {
                "issue_id": row["issue_id"],
                "judul": row["judul"],
                "category": row["category"],
                "category_label": _category_label(row["category"]),
                "kecamatan": row["kecamatan"],
                "desa": row["desa"],
                "first_seen": _wita(row["first_seen"]),
                "alerted_at": _wita(alerted),
                "minutes_to_alert": _minutes(row["first_seen"], alerted),
                "handoff_status": row["handoff_status"],
                "handoff_at": _wita(row["handoff_at"]),
                "minutes_to_handoff": _minutes(row["first_seen"], row["handoff_at"]),
            }
        )
    alert_minutes = sorted(m for m in (i["minutes_to_alert"] for i in items) if m is not None)
    handoff_minutes = sorted(m for m in (i["minutes_to_handoff"] for i in items) if m is not None)
    status = [i["handoff_status"] for i in items]
    return {
        "total": len(items),
        "handed_to_112": status.count("handed_to_112"),
        "dismissed": status.count("dismissed"),
        "pending": status.count("pending"),
        "no_alert": sum(i["alerted_at"] is None for i in items),  # waiting or not, no alert was raised
        "median_minutes_to_alert": _median(alert_minutes),
        "median_minutes_to_handoff": _median(handoff_minutes),
        "items": items,
    }


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else round((values[mid - 1] + values[mid]) / 2, 1)


# -- the summary paragraph -----------------------------------------------------------------------------
def _angka(value: float | int) -> str:
    """A number as Indonesians write it: 1.250 and 2,5."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{int(value):,}".replace(",", ".")


def _trend(change: int, previous_label: str) -> str:
    if change > 0:
        return f"naik {_angka(change)} dari {previous_label}"
    if change < 0:
        return f"turun {_angka(-change)} dari {previous_label}"
    return f"sama dengan {previous_label}"


def summary_text(figures: dict[str, Any]) -> str:
    """A short paragraph in Bahasa Indonesia, written from the figures alone."""
    month, before = figures["month_label"], figures["previous_month_label"]
    totals = figures["totals"]
    if not figures["has_data"]:
        return (
            f"Tidak ada data untuk {month}: belum ada unggahan warga, isu, maupun draf LAPOR! yang tercatat "
            f"di gudang data Kutim Siaga untuk periode ini ({before}: {_angka(totals['posts']['previous'])} "
            "unggahan)."
        )
    posts = totals["posts"]
    platforms = [r for r in figures["posts_per_platform"] if r["posts"]]
    parts = [
        f"Pada {month}, Kutim Siaga mencatat {_angka(posts['month'])} unggahan warga dari "
        f"{len(platforms)} platform ({_trend(posts['change'], before)})."
    ]
    issues = totals["issues"]
    top_category = next((r for r in figures["by_category"] if r["issues"]), None)
    top_kecamatan = next(
        (r for r in figures["by_kecamatan"] if r["issues"] and r["kecamatan"] != UNKNOWN_KECAMATAN), None
    )
    sentence = f"Unggahan itu membentuk {_angka(issues['month'])} isu baru ({_trend(issues['change'], before)})"
    if top_category:
        sentence += f", terbanyak kategori {top_category['label']} ({_angka(top_category['issues'])} isu)"
    if top_kecamatan:
        sentence += f" dan terbanyak di Kecamatan {top_kecamatan['kecamatan']} ({_angka(top_kecamatan['issues'])} isu)"
    parts.append(sentence + f"; {_angka(totals['emergencies']['month'])} di antaranya darurat.")
    drafts = figures["drafts"]
    sentence = (
        f"Dari {_angka(totals['drafts']['month'])} draf laporan SP4N-LAPOR!, {_angka(drafts['approved'])} "
        f"disetujui, {_angka(drafts['rejected'])} ditolak, {_angka(drafts['merged'])} digabung dan "
        f"{_angka(drafts['waiting'])} masih menunggu moderasi"
    )
    if drafts["median_hours_to_approval"] is not None:
        sentence += (
            f"; median waktu dari unggahan pertama sampai disetujui {_angka(drafts['median_hours_to_approval'])} jam"
        )
    parts.append(sentence + ".")
    tickets = figures["tickets"]
    if tickets["total"]:
        share = tickets["sla_total"]["verifikasi_share"]
        sentence = f"Sebanyak {_angka(tickets['total'])} draf telah diteruskan ke SP4N-LAPOR!"
        if share is not None:
            sentence += f"; {_angka(round(share * 100, 1))} % tiket diverifikasi dalam batas 3 hari kerja"
        parts.append(sentence + ".")
    else:
        parts.append("Belum ada draf bulan ini yang diteruskan ke SP4N-LAPOR!.")
    emergencies = figures["emergencies"]
    if emergencies["total"]:
        sentence = (
            f"Dari {_angka(emergencies['total'])} kejadian darurat, {_angka(emergencies['handed_to_112'])} "
            f"telah diserahkan ke 112 dan {_angka(emergencies['pending'])} belum"
        )
        if emergencies["median_minutes_to_alert"] is not None:
            sentence += (
                f"; median waktu dari unggahan pertama sampai peringatan "
                f"{_angka(emergencies['median_minutes_to_alert'])} menit"
            )
        parts.append(sentence + ".")
    return " ".join(parts)

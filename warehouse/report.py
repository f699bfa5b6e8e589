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


# -- one period's figures -------------------------------------------------------------------------------
def _issue_cohort(con, start: dt.datetime, end: dt.datetime) -> None:
    """A temporary table of the period's issues with their draft, so every table reads the same set (a
    table, not a view: the report reads it a dozen times, and a view would join issues and drafts each time)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE report_issues AS
        SELECT i.issue_id, i.category, coalesce(i.kecamatan, '{UNKNOWN_KECAMATAN}') AS kecamatan, i.desa,
               i.is_emergency, i.status AS issue_status, i.post_count, i.report_count, i.reach,
               {ISSUE_TIME} AS first_seen, d.draft_id, d.judul, d.status AS draft_status,
               coalesce(d.opd, '{UNKNOWN_OPD}') AS opd, d.decided_at
        FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id
        WHERE {ISSUE_TIME} >= TIMESTAMP '{start.isoformat(sep=" ")}'
          AND {ISSUE_TIME} < TIMESTAMP '{end.isoformat(sep=" ")}'
        """
    )


def _period(con, first: dt.date) -> dict[str, Any]:
    start, end = _bounds(first)
    # one pass over the month's posts gives both the platforms and the days
    per_day_platform = con.execute(
        f"SELECT CAST({POST_TIME} + INTERVAL 8 HOUR AS DATE) AS day, p.platform, count(*) FROM posts p "
        f"WHERE {POST_TIME} >= ? AND {POST_TIME} < ? GROUP BY 1, 2",
        [start, end],
    ).fetchall()
    platforms: dict[str, int] = {}
    daily_counts: dict[dt.date, int] = {}
    for day, platform, n in per_day_platform:
        platforms[platform] = platforms.get(platform, 0) + n
        daily_counts[day] = daily_counts.get(day, 0) + n
    platforms = dict(sorted(platforms.items()))
    _issue_cohort(con, start, end)
    one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
    issues, emergencies, reach = one(
        "SELECT count(*), count(*) FILTER (WHERE is_emergency AND issue_status <> 'merged'), "
        "coalesce(sum(reach), 0) FROM report_issues"
    )
    by_status = dict(
        con.execute(
            "SELECT draft_status, count(*) FROM report_issues WHERE draft_id IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    decisions = dict.fromkeys(DECISIONS, 0)
    for status, n in by_status.items():
        decisions[DECISION_OF_STATUS.get(status, "waiting")] += n
    approved_statuses = [s for s, d in DECISION_OF_STATUS.items() if d == "approved"]
    # Approval time: the first 'approve' in the audit trail (decided_at is overwritten by later steps).
    median_s = con.execute(
        """
        SELECT median(epoch(coalesce(e.approved_at, r.decided_at) - r.first_seen))
        FROM report_issues r
        LEFT JOIN (SELECT draft_id, min(occurred_at) AS approved_at FROM moderation_events
                   WHERE action = 'approve' GROUP BY 1) e ON e.draft_id = r.draft_id
        WHERE list_contains(?, r.draft_status)
        """,
        [approved_statuses],
    ).fetchone()
    grouped = {
        key: _rows(
            con.execute(
                f"""
                SELECT {column} AS key, count(*) AS issues,
                       count(*) FILTER (WHERE is_emergency AND issue_status <> 'merged') AS emergencies,
                       count(draft_id) AS drafts,
                       count(*) FILTER (WHERE list_contains(?, draft_status)) AS approved,
                       count(*) FILTER (WHERE draft_status = 'rejected') AS rejected,
                       count(*) FILTER (WHERE draft_status = 'pending') AS waiting,
                       coalesce(sum(post_count), 0) AS posts, coalesce(sum(reach), 0) AS reach
                FROM report_issues GROUP BY 1 ORDER BY issues DESC, key
                """,
                [approved_statuses],
            )
        )
        for key, column in (
            ("category", f"coalesce(category, '{NO_CATEGORY}')"),
            ("kecamatan", "kecamatan"),
            ("opd", "opd"),
        )
    }
    top = _rows(
        con.execute(
            f"""
            SELECT issue_id, judul, coalesce(category, '{NO_CATEGORY}') AS category, kecamatan, desa, opd,
                   is_emergency, post_count, report_count, reach, first_seen, draft_id, draft_status
            FROM report_issues WHERE issue_status <> 'merged'
            ORDER BY reach DESC, post_count DESC, issue_id LIMIT {TOP_ISSUES}
            """
        )
    )
    emergency_rows = _emergencies(con)
    daily = sorted(daily_counts.items())
    draft_ids = [
        row[0] for row in con.execute("SELECT draft_id FROM report_issues WHERE draft_id IS NOT NULL").fetchall()
    ]
    return {
        "posts": sum(platforms.values()),
        "platforms": platforms,
        "issues": issues,
        "emergencies": emergencies,
        "reach": int(reach),
        "drafts": sum(by_status.values()),
        "drafts_by_status": by_status,
        "decisions": decisions,
        "median_hours_to_approval": round(median_s[0] / 3600, 1) if median_s[0] is not None else None,
        "grouped": grouped,
        "top": top,
        "emergency_rows": emergency_rows,
        "daily": {day: n for day, n in daily},
        "draft_ids": draft_ids,
    }


def _emergencies(con) -> list[dict[str, Any]]:
    # The hand-off decision lives in emergency_handoffs (warehouse/emergencies.py); an older alert row's
    # handoff_status counts when no decision is recorded, as on the Darurat page.
    return _rows(
        con.execute(
            f"""
            SELECT r.issue_id, r.judul, coalesce(r.category, '{NO_CATEGORY}') AS category, r.kecamatan, r.desa,
                   r.first_seen, a.created_at AS alert_at, a.delivered_at,
                   coalesce(h.status, a.handoff_status, 'pending') AS handoff_status,
                   CASE WHEN coalesce(h.status, a.handoff_status) = 'handed_to_112'
                        THEN coalesce(h.handed_at, h.first_decided_at, a.delivered_at, a.created_at)
                   END AS handoff_at
            FROM report_issues r
            LEFT JOIN (SELECT * FROM alerts WHERE kind = 'emergency'
                       QUALIFY row_number() OVER (PARTITION BY issue_id ORDER BY created_at DESC) = 1) a
                   ON a.issue_id = r.issue_id
            LEFT JOIN emergency_handoffs h ON h.issue_id = r.issue_id
            WHERE r.is_emergency AND r.issue_status <> 'merged'
            ORDER BY r.first_seen, r.issue_id
            """
        )
    )


# -- LAPOR! tickets ------------------------------------------------------------------------------------
def _tickets(draft_ids: set[str], today: dt.date | None) -> dict[str, Any]:
    """The month's tickets by state and stage, and per OPD the share that met each deadline."""
    from warehouse.lapor import STATE_LABELS, tickets_with_sla

    tickets = [t for t in tickets_with_sla(today) if t["draft_id"] in draft_ids]
    by_state: dict[str, int] = {}
    by_stage: dict[str, dict[str, int]] = {}
    per_opd: dict[str, dict[str, Any]] = {}
    total = _sla_row("Semua OPD")
    for ticket in tickets:
        by_state[ticket["state"]] = by_state.get(ticket["state"], 0) + 1
        stage = ticket["stage"] or "-"
        counts = by_stage.setdefault(stage, {"tickets": 0, "overdue": 0})
        counts["tickets"] += 1
        counts["overdue"] += int(bool(ticket["overdue"]))
        opd = ticket["opd"] or UNKNOWN_OPD
        row = per_opd.get(opd) or per_opd.setdefault(opd, _sla_row(opd))
        for target in (row, total):
            target["tickets"] += 1
            for name, _days, _start, _end in sla.STAGES:
                clock = (ticket.get("stages") or {}).get(name) or {}
                if not clock.get("started"):
                    continue
                if clock.get("overdue"):
                    target[f"{name}_late"] += 1
                elif clock.get("done"):
                    target[f"{name}_met"] += 1
                else:
                    target[f"{name}_running"] += 1
    for row in [*per_opd.values(), total]:
        for name, _days, _start, _end in sla.STAGES:
            decided = row[f"{name}_met"] + row[f"{name}_late"]
            row[f"{name}_share"] = round(row[f"{name}_met"] / decided, 3) if decided else None
    return {
        "total": len(tickets),
        "by_state": [
            {"state": state, "label": STATE_LABELS.get(state, state), "tickets": n}
            for state, n in sorted(by_state.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_stage": [{"stage": stage, **counts} for stage, counts in sorted(by_stage.items())],
        "sla_per_opd": sorted(per_opd.values(), key=lambda r: (-r["tickets"], r["opd"])),
        "sla_total": total,
        "deadlines": {name: days for name, days, _start, _end in sla.STAGES},
    }


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
        cur = _period(con, first)
        prev = _period(con, before)
    tickets = _tickets(set(cur["draft_ids"]), today)
    prev_tickets = _tickets(set(prev["draft_ids"]), today)["total"]
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

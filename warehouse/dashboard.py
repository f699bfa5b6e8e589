"""What humas staff watch: viral issues, daily trends, kecamatan breakdown, alerts and emergencies.
Read-only queries; "now" is the newest post of an issue unless given, so the sample data and
a backfill show meaningful windows. They read the summary tables (migration 013, written by
`warehouse.summaries` with the data they summarise), never posts: a page view costs the same at 1M posts
as at 10,000. LAPOR! tickets and their SLA clocks are the bridge's
(`warehouse.lapor.tickets_with_sla`, `sla_summary`), not repeated here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from warehouse.moderation import WITA, _connect, _rows

ENGAGEMENT = "coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) + 1"
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DashboardFilters:
    """What the Isu viral page narrows to. Dates are WITA calendar days, both inclusive; None is 'all'.
    `sumber` is the platform: on charts over posts it counts that platform's posts only."""

    dari: dt.date | None = None
    sampai: dt.date | None = None
    kategori: str | None = None
    kecamatan: str | None = None
    opd: str | None = None
    sumber: str | None = None

    def start(self) -> dt.datetime | None:
        return None if self.dari is None else dt.datetime.combine(self.dari, dt.time()) - WITA

    def end(self) -> dt.datetime | None:
        """The first instant after `sampai` (exclusive bound), as naive UTC like the warehouse."""
        if self.sampai is None:
            return None
        return dt.datetime.combine(self.sampai, dt.time()) + dt.timedelta(days=1) - WITA

    def issue_where(self) -> tuple[str, list[Any]]:
        """Issue-level conditions on `i` (issues) and `d` (its draft, LEFT JOINed)."""
        clauses, params = ["TRUE"], []
        for column, value in (("i.category", self.kategori), ("i.kecamatan", self.kecamatan), ("d.opd", self.opd)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses), params


NO_FILTERS = DashboardFilters()


def _ref(con, as_of: dt.datetime | None, filters: DashboardFilters) -> dt.datetime:
    """The page's 'now': the newest post, or the end of the chosen period when that is earlier."""
    ref = _as_of(con, as_of)
    end = filters.end()
    return min(ref, end - dt.timedelta(microseconds=1)) if end is not None else ref


def _as_of(con, as_of: dt.datetime | None) -> dt.datetime:
    if as_of is not None:
        return as_of
    newest = con.execute("SELECT max(last_post) FROM issue_summary").fetchone()[0]
    return newest or dt.datetime.now(dt.UTC).replace(tzinfo=None)


def viral_issues(
    limit: int = 20,
    window_hours: int = 24,
    as_of: dt.datetime | None = None,
    filters: DashboardFilters = NO_FILTERS,
) -> dict[str, Any]:
    """Open issues whose engagement grew most in the last window against the window before.

    Engagement of a post is likes + shares + comments + 1 (the post itself counts). The windows are whole
    hours (issue_hours): the last `window_hours` hours up to and including the hour of 'now', against as
    many hours before. With a period, the window ends at the period's end and counts no post from before
    its start.
    """
    issue_where, issue_params = filters.issue_where()
    with _connect() as con:
        ref = _ref(con, as_of, filters)
        last_hour = ref.replace(minute=0, second=0, microsecond=0)
        window = dt.timedelta(hours=window_hours)
        hour_where, hour_params = "", []
        if filters.start() is not None:
            hour_where += " AND h.hour >= ?"
            hour_params.append(filters.start())
        if filters.sumber:
            hour_where += " AND h.platform = ?"
            hour_params.append(filters.sumber)
        split = last_hour - window  # hours after this are the recent window
        rows = _rows(
            con.execute(
                f"""
            WITH eng AS (
                SELECT h.issue_id,
                       coalesce(sum(h.engagement) FILTER (WHERE h.hour > ?), 0) AS recent,
                       coalesce(sum(h.engagement) FILTER (WHERE h.hour <= ?), 0) AS previous,
                       coalesce(sum(h.posts) FILTER (WHERE h.hour > ?), 0) AS recent_posts
                FROM issue_hours h
                WHERE h.hour > ? AND h.hour <= ?{hour_where}
                GROUP BY h.issue_id
            ),
            -- the page's 20 first, joining only what the filters need; then their columns
            top AS (
                SELECT eng.*, eng.recent - eng.previous AS growth
                FROM eng JOIN issues i ON i.issue_id = eng.issue_id
                {"LEFT JOIN drafts d ON d.issue_id = i.issue_id" if filters.opd else ""}
                WHERE i.status = 'open' AND {issue_where}
                ORDER BY growth DESC, recent DESC, eng.issue_id
                LIMIT ?
            )
            SELECT i.issue_id, i.category, i.kecamatan, i.desa, i.is_emergency, i.post_count, i.reach,
                   i.last_seen, d.draft_id, d.judul, d.status AS draft_status,
                   top.recent, top.previous, top.recent_posts, top.growth
            FROM top JOIN issues i ON i.issue_id = top.issue_id
            LEFT JOIN drafts d ON d.issue_id = i.issue_id
            ORDER BY top.growth DESC, top.recent DESC, i.issue_id
            """,
                [split, split, split, split - window, last_hour, *hour_params, *issue_params, limit],
            )
        )
    return {"as_of": ref, "window_hours": window_hours, "issues": rows}


def daily_trend(
    days: int = 14, as_of: dt.datetime | None = None, filters: DashboardFilters = NO_FILTERS
) -> dict[str, Any]:
    """Posts per WITA day per issue category over the last `days` days, or over the chosen period
    (post_counts: day x category x kecamatan x OPD x platform)."""
    with _connect() as con:
        ref = _ref(con, as_of, filters)
        last_day = filters.sampai or (ref + WITA).date()
        first_day = filters.dari or last_day - dt.timedelta(days=days - 1)
        days = (last_day - first_day).days + 1
        clauses, params = ["day >= ?", "day <= ?"], [first_day, min(last_day, (ref + WITA).date())]
        for column, value in (
            ("category", filters.kategori),
            ("kecamatan", filters.kecamatan),
            ("opd", filters.opd),
            ("platform", filters.sumber),
        ):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        rows = con.execute(
            "SELECT day, CASE WHEN category = '' THEN 'lainnya' ELSE category END AS cat, sum(posts) AS n "
            f"FROM post_counts WHERE {' AND '.join(clauses)} GROUP BY ALL",
            params,
        ).fetchall()
    day_list = [first_day + dt.timedelta(days=n) for n in range(days)]
    series: dict[str, list[int]] = {}
    index = {day: n for n, day in enumerate(day_list)}
    for day, cat, n in rows:
        if day in index:
            series.setdefault(cat, [0] * days)[index[day]] = n
    ordered = dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))
    return {"days": day_list, "series": ordered}


def kecamatan_breakdown(
    days: int = 30, as_of: dt.datetime | None = None, filters: DashboardFilters = NO_FILTERS
) -> dict[str, Any]:
    """Per kecamatan: open issues, posts and emergencies active in the last `days` days (or the
    period); `dari`/`sampai` are the WITA days the figures cover, for links to the queue."""
    issue_where, params = filters.issue_where()
    with _connect() as con:
        ref = _ref(con, as_of, filters)
        start = filters.start() or ref - dt.timedelta(days=days)
        if filters.sumber:
            issue_where += " AND i.issue_id IN (SELECT issue_id FROM issue_platforms WHERE platform = ?)"
            params.append(filters.sumber)
        rows = _rows(
            con.execute(
                "SELECT i.kecamatan, count(*) AS issues, sum(i.post_count) AS posts, sum(i.reach) AS reach, "
                "count(*) FILTER (WHERE i.is_emergency) AS emergencies "
                "FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id "
                f"WHERE i.status = 'open' AND i.kecamatan IS NOT NULL AND i.last_seen > ? AND i.last_seen <= ? "
                f"AND {issue_where} GROUP BY i.kecamatan ORDER BY posts DESC, i.kecamatan",
                [start, ref, *params],
            )
        )
    dari = filters.dari or (start + WITA).date()
    sampai = filters.sampai or (ref + WITA).date()
    covered = (sampai - dari).days + 1 if filters.dari else days
    return {"as_of": ref, "days": covered, "dari": dari, "sampai": sampai, "rows": rows}


def alerts(limit: int = 50, kind: str | None = None) -> list[dict[str, Any]]:
    """Spike, viral and emergency alerts, newest first."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    with _connect() as con:
        rows = _rows(
            con.execute(f"SELECT * FROM alerts {where} ORDER BY day DESC, created_at DESC LIMIT ?", [*params, limit])
        )
    for row in rows:
        row["detail"] = json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]
    return rows


def emergencies(limit: int = 100) -> list[dict[str, Any]]:
    """Emergency issues: what, where, when, and whether they were handed to 112."""
    with _connect() as con:
        return _rows(
            con.execute(
                """
            SELECT i.issue_id, i.category, i.kecamatan, i.desa, i.first_seen, i.last_seen, i.post_count,
                   i.reach, i.status, d.draft_id, d.judul, d.lokasi, d.status AS draft_status,
                   a.handoff_status, a.delivered_at, a.message AS alert_message
            FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id
            LEFT JOIN (SELECT * FROM alerts WHERE kind = 'emergency'
                       QUALIFY row_number() OVER (PARTITION BY issue_id ORDER BY created_at DESC) = 1) a
                   ON a.issue_id = i.issue_id
            WHERE i.is_emergency AND i.status <> 'merged'
            ORDER BY i.last_seen DESC NULLS LAST LIMIT ?
            """,
                [limit],
            )
        )

"""What humas staff watch: viral issues, daily trends, kecamatan breakdown, alerts and emergencies.
Read-only queries; "now" is the newest post in the warehouse unless given, so the sample data and
a backfill show meaningful windows. LAPOR! tickets and their SLA clocks are the bridge's
(`warehouse.lapor.tickets_with_sla`, `sla_summary`), not repeated here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from warehouse.moderation import _connect, _rows

ENGAGEMENT = "coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) + 1"


def _as_of(con, as_of: dt.datetime | None) -> dt.datetime:
    if as_of is not None:
        return as_of
    newest = con.execute("SELECT max(created_at) FROM posts").fetchone()[0]
    return newest or dt.datetime.now(dt.UTC).replace(tzinfo=None)


def viral_issues(limit: int = 20, window_hours: int = 24, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Open issues whose engagement grew most in the last window against the window before.

    Engagement of a post is likes + shares + comments + 1 (the post itself counts).
    """
    with _connect() as con:
        ref = _as_of(con, as_of)
        window = dt.timedelta(hours=window_hours)
        rows = _rows(
            con.execute(
                f"""
            WITH eng AS (
                SELECT ip.issue_id,
                       sum(CASE WHEN p.created_at > ? THEN {ENGAGEMENT} ELSE 0 END) AS recent,
                       sum(CASE WHEN p.created_at <= ? THEN {ENGAGEMENT} ELSE 0 END) AS previous,
                       count(*) FILTER (WHERE p.created_at > ?) AS recent_posts
                FROM posts p JOIN issue_posts ip ON ip.post_key = p.post_key
                WHERE p.created_at > ? AND p.created_at <= ?
                GROUP BY ip.issue_id
            )
            SELECT i.issue_id, i.category, i.kecamatan, i.desa, i.is_emergency, i.post_count, i.reach,
                   i.last_seen, d.draft_id, d.judul, d.status AS draft_status,
                   eng.recent, eng.previous, eng.recent_posts, eng.recent - eng.previous AS growth
            FROM eng JOIN issues i ON i.issue_id = eng.issue_id
            LEFT JOIN drafts d ON d.issue_id = i.issue_id
            WHERE i.status = 'open'
            ORDER BY growth DESC, eng.recent DESC, i.issue_id
            LIMIT ?
            """,
                [ref - window, ref - window, ref - window, ref - 2 * window, ref, limit],
            )
        )
    return {"as_of": ref, "window_hours": window_hours, "issues": rows}


def daily_trend(days: int = 14, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Posts per WITA day per issue category over the last `days` days."""
    with _connect() as con:
        ref = _as_of(con, as_of)
        last_day = (ref + dt.timedelta(hours=8)).date()
        first_day = last_day - dt.timedelta(days=days - 1)
        start = dt.datetime.combine(first_day, dt.time()) - dt.timedelta(hours=8)
        rows = con.execute(
            """
            SELECT CAST(p.created_at + INTERVAL 8 HOUR AS DATE) AS day,
                   coalesce(i.category, 'lainnya') AS cat, count(*) AS n
            FROM posts p JOIN issue_posts ip ON ip.post_key = p.post_key
            JOIN issues i ON i.issue_id = ip.issue_id
            WHERE p.created_at >= ? AND p.created_at <= ?
            GROUP BY ALL
            """,
            [start, ref],
        ).fetchall()
    day_list = [first_day + dt.timedelta(days=n) for n in range(days)]
    series: dict[str, list[int]] = {}
    index = {day: n for n, day in enumerate(day_list)}
    for day, cat, n in rows:
        series.setdefault(cat, [0] * days)[index[day]] = n
    ordered = dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))
    return {"days": day_list, "series": ordered}


def kecamatan_breakdown(days: int = 30, as_of: dt.datetime | None = None) -> dict[str, Any]:
    """Per kecamatan: open issues, posts and emergencies active in the last `days` days."""
    with _connect() as con:
        ref = _as_of(con, as_of)
        rows = _rows(
            con.execute(
                "SELECT kecamatan, count(*) AS issues, sum(post_count) AS posts, sum(reach) AS reach, "
                "count(*) FILTER (WHERE is_emergency) AS emergencies FROM issues "
                "WHERE status = 'open' AND kecamatan IS NOT NULL AND last_seen > ? "
                "GROUP BY kecamatan ORDER BY posts DESC, kecamatan",
                [ref - dt.timedelta(days=days)],
            )
        )
    return {"as_of": ref, "days": days, "rows": rows}


def alerts(limit: int = 50, kind: str | None = None) -> list[dict[str, Any]]:
    """Spike, viral and emergency alerts, newest first."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    with _connect() as con:
        rows = _rows(
            con.execute(
                f"SELECT * FROM alerts {where} ORDER BY day DESC, created_at DESC LIMIT ?", [*params, limit]
            )
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

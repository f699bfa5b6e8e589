"""What the warehouse holds, as plain data (`siaga stats`, `siaga export issues`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from warehouse.db import connect


def stats() -> dict:
    """The warehouse's counts: posts, issues, drafts per status, quarantine, posts per source."""
    with connect() as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "posts": one("SELECT count(*) FROM posts"),
            "issues": one("SELECT count(*) FROM issues"),
            "drafts": dict(con.execute("SELECT status, count(*) FROM drafts GROUP BY 1 ORDER BY 1").fetchall()),
            "quarantine": one("SELECT count(*) FROM quarantine"),
            "sources": dict(con.execute("SELECT platform, count(*) FROM posts GROUP BY 1 ORDER BY 1").fetchall()),
            "reports": one("SELECT count(*) FROM issue_posts WHERE role = 'report'"),
            "copies": one("SELECT count(*) FROM posts WHERE canonical_key <> post_key"),
            "analyzed": one("SELECT count(DISTINCT post_key) FROM post_analysis"),
            "complaints": one("SELECT count(DISTINCT post_key) FROM post_analysis WHERE is_complaint"),
            "emergencies": one("SELECT count(*) FROM issues WHERE is_emergency"),
            "alerts": dict(con.execute("SELECT kind, count(*) FROM alerts GROUP BY 1 ORDER BY 1").fetchall()),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def export_issues() -> Iterator[dict]:
    """One object per issue with every post linked to it (copies and reposts included)."""
    with connect() as con:
        rows = con.execute(
            """
            SELECT i.issue_id, list(ip.post_key ORDER BY ip.post_key), i.category, i.kecamatan, i.desa,
                   i.region_code, i.first_seen, i.last_seen, i.post_count, i.reach, i.status, d.draft_id,
                   i.is_emergency, i.report_count
            FROM issues i JOIN issue_posts ip USING (issue_id) LEFT JOIN drafts d USING (issue_id)
            GROUP BY ALL ORDER BY i.first_seen, i.issue_id
            """
        ).fetchall()
    for (
        issue_id,
        posts,
        category,
        kecamatan,
        desa,
        code,
        first,
        last,
        count,
        reach,
        status,
        draft_id,
        emergency,
        reports,
    ) in rows:
        yield {
            "issue_id": issue_id,
            "posts": posts,
            "category": category,
            "kecamatan": kecamatan,
            "desa": desa,
            "region_code": code,
            "first_seen": _iso(first),
            "last_seen": _iso(last),
            "post_count": count,
            "report_count": reports,
            "reach": reach,
            "status": status,
            "draft_id": draft_id,
            "is_emergency": emergency,
        }


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)

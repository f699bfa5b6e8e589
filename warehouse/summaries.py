"""The summary tables the pages read instead of posts (migration 013): `issue_summary` (per issue),
`issue_platforms` (an issue's platforms), `issue_hours` (per issue, UTC hour and platform) and
`post_counts` (per WITA day x category x kecamatan x OPD x platform); and `draft_queue` (migration 016: per
draft, what the moderation queue sorts and filters on).

This module is their one writer. Every writer of what they summarise (the clustering run after it links
posts and refreshes issue figures and drafts, a moderator's edit of a draft's OPD, merge, split) calls
`refresh(con, issue_ids)` inside its own transaction, so the summaries change with the data or not at all.
`rebuild(con)` recounts everything from posts and issue_posts: the migration's backfill does the same, and
the tests compare `refresh` after any sequence of writes with it. A write that changes only a draft (a
moderator's decision or edit, the LAPOR! bridge's status) calls `refresh_queue(con, draft_ids=...)`.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

SUMMARY_TABLES = ("issue_summary", "issue_platforms", "issue_hours", "post_counts")  # migration 013
QUEUE_TABLE = "draft_queue"  # migration 016
ENGAGEMENT = "coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) + 1"


def _hours_sql(where: str) -> str:
    return f"""
        SELECT ip.issue_id, date_trunc('hour', p.created_at), p.platform, count(*), sum({ENGAGEMENT})
        FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key
        WHERE p.created_at IS NOT NULL AND {where}
        GROUP BY ALL
    """


def _summary_sql(where: str) -> str:
    return f"""
        SELECT i.issue_id, coalesce(i.category, ''), coalesce(i.kecamatan, ''), coalesce(d.opd, ''),
               coalesce(x.platforms, ''), coalesce(x.posts, 0), coalesce(x.engagement, 0), x.first_post,
               x.last_post
        FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id
        LEFT JOIN (
            SELECT ip.issue_id, string_agg(DISTINCT p.platform, ',' ORDER BY p.platform) AS platforms,
                   count(*) AS posts, sum({ENGAGEMENT}) AS engagement,
                   min(p.created_at) AS first_post, max(p.created_at) AS last_post
            FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key
            WHERE {where.replace("i.issue_id", "ip.issue_id")}
            GROUP BY ip.issue_id
        ) x ON x.issue_id = i.issue_id
        WHERE {where}
    """


def _platforms_sql(where: str) -> str:
    return f"""
        SELECT DISTINCT ip.issue_id, p.platform FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key
        WHERE {where}
    """


def _counts_sql(where: str, sign: str = "") -> str:
    return f"""
        SELECT CAST(h.hour + INTERVAL 8 HOUR AS DATE) AS day, s.category, s.kecamatan, s.opd, h.platform,
               {sign}sum(h.posts) AS posts, {sign}sum(h.engagement) AS engagement
        FROM issue_hours h JOIN issue_summary s ON s.issue_id = h.issue_id
        WHERE {where.replace("i.issue_id", "h.issue_id")}
        GROUP BY ALL
    """


# One row per draft: every column the queue sorts, filters and shows, from the draft, its issue and the issue's
# platforms. Drafts of a missing issue are left out, as the queue's join with issues left them out.
QUEUE_DRAFT_COLUMNS = (
    "status", "judul", "kategori", "lokasi", "region_code", "opd", "klasifikasi", "is_emergency",
    "moderator_edited", "new_evidence", "version", "created_at", "updated_at", "decided_by", "decided_at",
    "reject_reason", "lapor_return_reason",
)  # fmt: skip
QUEUE_ISSUE_COLUMNS = ("kecamatan", "desa", "post_count", "report_count", "reach", "first_seen", "last_seen")
_QUEUE_SQL = f"""
    SELECT d.draft_id, d.issue_id, {", ".join(f"d.{c}" for c in QUEUE_DRAFT_COLUMNS)},
           {", ".join(f"i.{c}" for c in QUEUE_ISSUE_COLUMNS)}, coalesce(s.platforms, '')
    FROM drafts d JOIN issues i ON i.issue_id = d.issue_id LEFT JOIN issue_summary s ON s.issue_id = d.issue_id
    WHERE {{where}}
"""
_QUEUE_SETS = ", ".join(
    f"{name} = excluded.{name}" for name in ("issue_id", *QUEUE_DRAFT_COLUMNS, *QUEUE_ISSUE_COLUMNS, "platforms")
)


def refresh_queue(
    con: duckdb.DuckDBPyConnection, *, issue_ids: Iterable[str] = (), draft_ids: Iterable[str] = ()
) -> None:
    """Upsert the queue rows of these issues' drafts and of these drafts, inside the caller's transaction."""
    issues, drafts = sorted(set(issue_ids)), sorted(set(draft_ids))
    if not issues and not drafts:
        return
    # IN (SELECT unnest(...)): a hash semi-join, also for the clustering run's tens of thousands of issues
    where = "d.issue_id IN (SELECT unnest(?::VARCHAR[])) OR d.draft_id IN (SELECT unnest(?::VARCHAR[]))"
    con.execute(
        f"INSERT INTO draft_queue {_QUEUE_SQL.format(where=where)} ON CONFLICT (draft_id) DO UPDATE SET {_QUEUE_SETS}",
        [issues, drafts],
    )


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recount every summary from posts, issue_posts, issues and drafts (inside the caller's transaction)."""
    for table in SUMMARY_TABLES:
        con.execute(f"DELETE FROM {table}")
    # in time order, as the writers append them day after day: a window's scan skips the other row groups
    con.execute(f"INSERT INTO issue_hours SELECT * FROM ({_hours_sql('TRUE')}) ORDER BY 2")
    con.execute(f"INSERT INTO issue_summary {_summary_sql('TRUE')}")
    con.execute(f"INSERT INTO issue_platforms {_platforms_sql('TRUE')}")
    con.execute(f"INSERT INTO post_counts SELECT * FROM ({_counts_sql('TRUE')}) ORDER BY day")
    rebuild_queue(con)


def rebuild_queue(con: duckdb.DuckDBPyConnection) -> None:
    """Recount draft_queue from drafts, issues and issue_summary (for rows written there directly)."""
    con.execute(f"DELETE FROM {QUEUE_TABLE}")
    con.execute(f"INSERT INTO {QUEUE_TABLE} {_QUEUE_SQL.format(where='TRUE')} ORDER BY d.status, d.draft_id")


def refresh(con: duckdb.DuckDBPyConnection, issue_ids: Iterable[str]) -> int:
    """Bring these issues' summaries up to date inside the caller's transaction; returns how many.

    Their old contribution to post_counts is taken out under the dimensions it was counted with, their
    rows are recomputed from their posts, and the new contribution is added: the work is proportional
    to these issues' posts, never to the warehouse.
    """
    ids = sorted(set(issue_ids))
    if not ids:
        return 0
    con.execute("CREATE OR REPLACE TEMP TABLE summary_ids AS SELECT unnest(?::VARCHAR[]) AS issue_id", [ids])
    mine = "i.issue_id IN (SELECT issue_id FROM summary_ids)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE summary_delta AS {_counts_sql(mine, sign='-')}")
    con.execute("DELETE FROM issue_hours WHERE issue_id IN (SELECT issue_id FROM summary_ids)")
    con.execute("DELETE FROM issue_summary WHERE issue_id IN (SELECT issue_id FROM summary_ids)")
    con.execute("DELETE FROM issue_platforms WHERE issue_id IN (SELECT issue_id FROM summary_ids)")
    con.execute(f"INSERT INTO issue_hours {_hours_sql(mine.replace('i.issue_id', 'ip.issue_id'))}")
    con.execute(f"INSERT INTO issue_summary {_summary_sql(mine)}")
    con.execute(f"INSERT INTO issue_platforms {_platforms_sql(mine.replace('i.issue_id', 'ip.issue_id'))}")
    con.execute(f"INSERT INTO summary_delta {_counts_sql(mine)}")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE summary_net AS
        SELECT day, category, kecamatan, opd, platform, sum(posts) AS posts, sum(engagement) AS engagement
        FROM summary_delta GROUP BY ALL HAVING sum(posts) <> 0 OR sum(engagement) <> 0
        """
    )
    same = (
        "c.day = n.day AND c.category = n.category AND c.kecamatan = n.kecamatan AND c.opd = n.opd "
        "AND c.platform = n.platform"
    )
    con.execute(
        "UPDATE post_counts c SET posts = c.posts + n.posts, engagement = c.engagement + n.engagement "
        f"FROM summary_net n WHERE {same}"
    )
    con.execute(
        f"INSERT INTO post_counts SELECT n.* FROM summary_net n WHERE NOT EXISTS "
        f"(SELECT 1 FROM post_counts c WHERE {same})"
    )
    con.execute("DELETE FROM post_counts WHERE posts = 0 AND engagement = 0")
    # the queue last: it reads the issues' platforms just written, and the drafts the caller refreshed
    refresh_queue(con, issue_ids=ids)
    for table in ("summary_ids", "summary_delta", "summary_net"):
        con.execute(f"DROP TABLE {table}")
    return len(ids)

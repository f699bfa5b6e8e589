"""How long the warehouse keeps raw payloads: `retention_days` in config/listening.yaml.

Past it, a post keeps what its issue and draft need (text, time, place, engagement, link) but loses
its raw platform payload and author name; quarantined records past it are deleted.
"""

from __future__ import annotations

import logging

from extractors import listening
from warehouse.db import connect

log = logging.getLogger(__name__)


def retention_days() -> int:
    return listening.retention_days()  # validated with config/listening.yaml (SIAGA_LISTENING_CONFIG)


def apply_retention(days: int | None = None) -> dict:
    """Drop raw payloads and author names older than `days` (default: the config). Idempotent."""
    days = retention_days() if days is None else days
    with connect(write=True) as con:
        posts = con.execute(
            f"""
            UPDATE posts SET raw = NULL, author_name = NULL
            WHERE coalesce(created_at, loaded_at) < now()::TIMESTAMP - INTERVAL {int(days)} DAY
              AND (raw IS NOT NULL OR author_name IS NOT NULL)
            """
        ).fetchone()[0]
        quarantine = con.execute(
            f"DELETE FROM quarantine WHERE received_at < now()::TIMESTAMP - INTERVAL {int(days)} DAY"
        ).fetchone()[0]
    if posts or quarantine:
        log.info(
            "retention (%d days): %d posts stripped of raw payloads, %d quarantine rows deleted",
            days,
            posts,
            quarantine,
        )
    return {"retention_days": days, "posts_stripped": posts, "quarantine_deleted": quarantine}

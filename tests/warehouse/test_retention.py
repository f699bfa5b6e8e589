"""Retention: old raw payloads go, what issues and drafts need stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import warehouse
from tests.helpers import lines, post
from warehouse.ingest import load_lines
from warehouse.retention import apply_retention, retention_days


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_posts_that_age_past_retention_lose_raw_payload_and_author_but_keep_their_text(warehouse_file):
    load_lines(
        lines(
            [
                post("x", "old", "Jalan rusak di Bengalon", _days_ago(30), raw={"id": "old"}, author_name="budi"),
                post("x", "new", "Jalan rusak di Sangatta", _days_ago(2), raw={"id": "new"}, author_name="ani"),
            ]
        )
    )
    first = apply_retention(days=10)
    assert first["posts_stripped"] == 1
    assert apply_retention(days=10)["posts_stripped"] == 0  # idempotent
    with warehouse.connect() as con:
        rows = dict(con.execute("SELECT platform_post_id, (raw IS NULL, author_name, text) FROM posts").fetchall())
    assert rows["old"] == (True, None, "Jalan rusak di Bengalon")
    assert rows["new"] == (False, "ani", "Jalan rusak di Sangatta")


def test_loading_a_post_again_never_brings_back_what_retention_removed(warehouse_file):
    """An old staging file loaded again (or a late backfill of old posts) comes in as retention leaves it."""
    days = retention_days()
    old = post(
        "x", "old", "Jalan rusak di Bengalon", _days_ago(days + 30), raw={"user": "budi"}, author_name="Budi Santoso"
    )
    recent = post("x", "recent", "Jalan rusak di Sangatta", _days_ago(3), raw={"user": "ani"}, author_name="Ani")
    load_lines(lines([old, recent]))
    apply_retention()
    load_lines(lines([old, recent]))  # the same lines again, same fetch time
    with warehouse.connect() as con:
        rows = dict(con.execute("SELECT platform_post_id, (raw IS NULL, author_name) FROM posts").fetchall())
    assert rows == {"old": (True, None), "recent": (False, "Ani")}


def test_retention_days_come_from_the_listening_config():
    assert retention_days() >= 1

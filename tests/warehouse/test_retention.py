"""Retention: old raw payloads go, what issues and drafts need stays."""

from __future__ import annotations

import warehouse
from warehouse.ingest import load_lines
from warehouse.retention import apply_retention, retention_days
from warehouse.testing import lines, post


def test_old_posts_lose_raw_payload_and_author_but_keep_their_text(warehouse_file):
    load_lines(lines([
        post("x", "old", "Jalan rusak di Bengalon", "2025-01-01T00:00:00Z", raw={"id": "old"}, author_name="budi"),
        post("x", "new", "Jalan rusak di Sangatta", "2026-11-20T00:00:00Z", raw={"id": "new"}, author_name="ani"),
    ]))
    first = apply_retention(days=180)
    assert first["posts_stripped"] == 1
    assert apply_retention(days=180)["posts_stripped"] == 0  # idempotent
    with warehouse.connect() as con:
        rows = dict(con.execute("SELECT platform_post_id, (raw IS NULL, author_name, text) FROM posts").fetchall())
    assert rows["old"] == (True, None, "Jalan rusak di Bengalon")
    assert rows["new"] == (False, "ani", "Jalan rusak di Sangatta")


def test_retention_days_come_from_the_listening_config():
    assert retention_days() >= 1

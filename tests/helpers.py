"""Test helpers: posts as JSON lines, and the gold analyzer (which `siaga evaluate-clustering` also uses)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from warehouse.cluster_eval import GoldAnalyzer

__all__ = ["GoldAnalyzer", "lines", "post"]


def post(platform: str, post_id: str, text: str, created_at: str, **extra) -> dict:
    record = {"platform": platform, "platform_post_id": post_id, "text": text, "created_at": created_at}
    record.update(extra)
    return record


def lines(posts: Iterable[dict | str]) -> list[str]:
    return [p if isinstance(p, str) else json.dumps(p, ensure_ascii=False) for p in posts]

"""The single writer step of the daily DAG: staged extractor files into the warehouse."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from warehouse.ingest import ingest_lines

log = logging.getLogger(__name__)


def _lines(paths: list[str]) -> Iterator[str]:
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            yield from handle


def load_staged(paths: list[str], day: date | None = None) -> dict:
    """Analyse, load, deduplicate, cluster and draft the posts of these staging files.

    Idempotent: the same files loaded again change nothing but engagement figures.
    Missing files (a source that failed) are skipped and reported.
    """
    present = [p for p in paths if p and Path(p).exists()]
    missing = sorted(set(paths) - set(present))
    if missing:
        log.warning("load_staged: %d staging file(s) missing, skipped: %s", len(missing), missing)
    from warehouse.retention import apply_retention

    counts = ingest_lines(_lines(present), source="staging")
    counts["retention"] = apply_retention()
    counts["files"] = len(present)
    counts["files_missing"] = len(missing)
    if day is not None:
        counts["day"] = day.isoformat()
    log.info("load_staged: %s", counts)
    return counts

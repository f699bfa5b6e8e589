"""The single writer step of the daily DAG: staged extractor files into the warehouse."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from warehouse.ingest import ingest_files

log = logging.getLogger(__name__)


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

    # each file its own origin: a quarantined line is kept once per occurrence in its file
    counts = ingest_files(present, source="staging")
    counts["retention"] = apply_retention()
    counts["files"] = len(present)
    counts["files_missing"] = len(missing)
    if day is not None:
        counts["day"] = day.isoformat()
    log.info("load_staged: %s", counts)
    return counts

"""The single writer step of the daily DAG: staged extractor files into the warehouse."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from warehouse.ingest import ingest_files

log = logging.getLogger(__name__)


def load_staged(paths: list[str], day: date | None = None, analysis_paths: list[str] | None = None) -> dict:
    """Load, deduplicate, cluster and draft the posts of these staging files, using the analyses the
    mapped analyse tasks wrote beside them (`analysis_paths`, see nlp.staged) and analysing only what
    they do not cover (none given: everything, as the emergency watch does).

    Idempotent: the same files loaded again change nothing but engagement figures.
    Missing files (a source that failed) are skipped and reported.
    """
    present = [p for p in paths if p and Path(p).exists()]
    missing = sorted(set(paths) - set(present))
    if missing:
        log.warning("load_staged: %d staging file(s) missing, skipped: %s", len(missing), missing)
    from warehouse.retention import apply_retention

    # each file its own origin: a quarantined line is kept once per occurrence in its file
    analyzer = None
    if analysis_paths is not None:
        from nlp.staged import StagedAnalyses

        analyzer = StagedAnalyses(analysis_paths)
    counts = ingest_files(present, source="staging", analyze=analyzer)
    if analyzer is not None:
        counts.update(analyzer.summary())
    counts["retention"] = apply_retention()
    counts["files"] = len(present)
    counts["files_missing"] = len(missing)
    if day is not None:
        counts["day"] = day.isoformat()
    log.info("load_staged: %s", counts)
    return counts

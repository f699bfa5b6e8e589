"""`run_source`: one extraction of one source for one time window into one staging file.

The caller (the DAG's task or `siaga extract`) passes the cursors the warehouse stored after the
previous run and stores the returned `cursors` only after it has stored the posts: a run that fails
half-way is retried from the old cursors and the warehouse's upserts absorb what it fetched twice.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.env import setting
from extractors.staging import StagingWriter

SOURCES = ("x", "facebook", "instagram", "whatsapp", "replay")


@dataclass
class ExtractResult:
    """What one run produced. `cursors` maps a query key to its new cursor (store after the posts)."""

    source: str
    staging_path: str
    posts: int = 0
    quarantined: int = 0
    api_calls: int = 0
    cursors: dict[str, str] = field(default_factory=dict)
    complete: bool = True  # False when a rate limit or budget stopped the run early (cursors say where)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


CONNECTIONS = {
    "x": "siaga_x",
    "facebook": "siaga_facebook",
    "instagram": "siaga_instagram",
    "whatsapp": "siaga_whatsapp",
}


def default_staging_path(source: str, start: datetime) -> Path:
    """`SIAGA_STAGING_DIR` (default ./data/staging)/<source>/<YYYY-MM-DD>.jsonl."""
    folder = setting("staging_dir")
    return folder / source / f"{start:%Y-%m-%d}.jsonl"


def enabled_sources() -> list[str]:
    """The live sources whose connection exists, or `["replay"]` when none does (the embedded default)."""
    from extractors.credentials import MissingCredentials, get_credentials

    found = []
    for source, conn_id in CONNECTIONS.items():
        try:
            get_credentials(conn_id)
        except MissingCredentials:
            continue
        found.append(source)
    return found or ["replay"]


def _utc(moment: datetime | date | str | None) -> datetime | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    elif not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def replay_relative_to() -> date | None:
    """`SIAGA_REPLAY_RELATIVE_TO`: `today` or a date (YYYY-MM-DD); unset replays the sample's own dates."""
    value = setting("replay_relative_to")
    if not value:
        return None
    if value.lower() == "today":
        return datetime.now(UTC).date()
    return date.fromisoformat(value)


def run_source(
    source: str,
    start: datetime | date | str | None = None,
    end: datetime | date | str | None = None,
    out_path: Path | str | None = None,
    cursors: dict[str, str] | None = None,
    *,
    day: datetime | date | None = None,
    **options: Any,
) -> ExtractResult:
    """Extract `source` for `[start, end)` (or the UTC day `day`) into `out_path` (JSON Lines, `-` = stdout).

    `start`/`end` may be None for replay (everything recorded). `options` go to the source
    (e.g. `relative_to` for replay, `budget_s` for the API sources).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}: choose one of {', '.join(SOURCES)}")
    if day is not None:
        start = _utc(day).replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=1)
    start, end = _utc(start), _utc(end)
    if start and end and end <= start:
        raise ValueError(f"the window is empty: end {end.isoformat()} is not after start {start.isoformat()}")
    if out_path is None:
        out_path = default_staging_path(source, start or datetime.now(UTC))
    result = ExtractResult(source=source, staging_path=str(out_path))
    with StagingWriter(out_path) as writer:
        if source == "replay":
            _run_replay(writer, start, end, options)
        else:
            module = importlib.import_module(f"extractors.{source}")
            module.extract(writer, start, end, dict(cursors or {}), result, **options)
    result.posts, result.quarantined = writer.counts.posts, writer.counts.quarantined
    return result


def _run_replay(writer: StagingWriter, start: datetime | None, end: datetime | None, options: dict) -> None:
    from extractors.replay import iter_sample_records

    relative_to = options.get("relative_to", replay_relative_to())
    for record in iter_sample_records(start, end, relative_to=relative_to, folder=options.get("folder")):
        writer.add_record(record)

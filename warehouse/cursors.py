"""Where each source's extraction stopped (`source_cursors`), read before a run and stored only
after the run's posts are in the warehouse, so a failed run is retried from the old cursors."""

from __future__ import annotations

import json
from pathlib import Path

from warehouse.db import connect


def read_cursors(source: str, *, path: Path | str | None = None) -> dict[str, str]:
    """query key -> cursor value of one source ({} before its first run)."""
    with connect(path=path) as con:
        rows = con.execute(
            "SELECT query_key, cursor_value FROM source_cursors WHERE source = ? AND cursor_value IS NOT NULL",
            [source],
        ).fetchall()
    return dict(rows)


def save_cursors(source: str, cursors: dict[str, str], *, path: Path | str | None = None) -> int:
    """Upsert the cursors a run returned; call only after its posts are stored. Returns how many."""
    if not cursors:
        return 0
    rows = [
        (source, str(key), None if value is None else str(value), json.dumps({"source": source}))
        for key, value in cursors.items()
    ]
    with connect(write=True, path=path) as con:
        con.executemany(
            """INSERT INTO source_cursors VALUES (?, ?, ?, CAST(? AS JSON), now()::TIMESTAMP)
               ON CONFLICT (source, query_key) DO UPDATE SET
                   cursor_value = excluded.cursor_value, updated_at = excluded.updated_at""",
            rows,
        )
    return len(rows)

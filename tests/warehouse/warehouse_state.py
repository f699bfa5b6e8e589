"""What the days-in-sequence and crash tests compare: the `siaga` command run as a user runs it, and a
warehouse's contents as plain rows.

`contents` leaves out what legitimately differs between two loads of the same posts:
- when a row was written: `posts.loaded_at`/`updated_at`, `post_analysis.analyzed_at`,
  `issue_posts.linked_at`, `issues.created_at`/`updated_at`, `drafts.created_at`/`updated_at`,
  `quarantine.received_at`;
- `drafts.version`, which counts rewrites of a pending draft (the UI's optimistic lock): a draft
  rewritten once a day has a higher version than one written once, with the same text;
- where a refused line was read: `quarantine.origin` (the file), `line_no`, and `quarantine_id`, made
  from them (a day's file is not the bulk file).
Coordinates (averages of floats) are rounded to 9 decimals (~0.1 mm). Everything else is compared.

`report_similarities` gives what `contents` callers compare apart: a report's similarity to the issue it
joined is measured against the wordings the issue kept at that moment, and a complaint whose place was
not found may only join, after the run's placed reports (warehouse/issues.py build_issues). So in an
issue that has such a report, the figures depend on how the days were batched, not its members.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_SCRIPT = Path(sys.executable).with_name("siaga")
SIAGA = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "siaga"]

VOLATILE: dict[str, tuple[str, ...]] = {
    "posts": ("loaded_at", "updated_at"),
    "post_analysis": ("analyzed_at",),
    "issues": ("created_at", "updated_at"),
    "issue_posts": ("linked_at",),
    "drafts": ("created_at", "updated_at", "version"),
    "quarantine": ("received_at", "origin", "line_no", "quarantine_id"),
}


def siaga(
    *args: str, warehouse: Path, env: dict | None = None, timeout: float = 300, check: bool = True
) -> subprocess.CompletedProcess:
    """`siaga ARGS` in a subprocess from the repository root, on this warehouse file."""
    done = subprocess.run(
        [*SIAGA, *args],
        cwd=REPO,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "SIAGA_WAREHOUSE": str(warehouse), **(env or {})},
    )
    if check:
        assert done.returncode == 0, f"siaga {' '.join(args)} exited {done.returncode}:\n{done.stderr.decode()[-3000:]}"
    return done


def export_issues(warehouse: Path) -> bytes:
    """`siaga export issues` as the bytes it writes (its order is defined: first_seen, issue_id)."""
    return siaga("export", "issues", "--out", "-", warehouse=warehouse).stdout


def contents(warehouse: Path, leave_out: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[tuple]]:
    """Every table the pipeline writes, as sorted rows without the volatile columns (see above)."""
    from warehouse import connect

    out: dict[str, list[tuple]] = {}
    with connect(path=warehouse) as con:
        for table, volatile in VOLATILE.items():
            skip = set(volatile) | set((leave_out or {}).get(table, ()))
            types = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            select = ", ".join(
                f"round({c}, 9)" if c in ("lat", "lon") else f"{c}::VARCHAR" if kind == "JSON" else c
                for c, kind in types
                if c not in skip
            )
            rows = con.execute(f"SELECT {select} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]], limit: int = 5) -> dict[str, dict]:
    """Per table that differs: how many rows each side has that the other lacks, and a few of them."""
    found = {}
    for table in a:
        only_a = sorted(set(a[table]) - set(b[table]), key=repr)
        only_b = sorted(set(b[table]) - set(a[table]), key=repr)
        if only_a or only_b:
            found[table] = {
                "only_first": len(only_a),
                "only_second": len(only_b),
                "first": only_a[:limit],
                "second": only_b[:limit],
            }
    return found


def report_similarities(warehouse: Path) -> tuple[dict[str, tuple[str, float]], set[str]]:
    """(report post_key -> (issue_id, similarity), the issues that hold a report which could only join)."""
    from warehouse import connect

    with connect(path=warehouse) as con:
        rows = con.execute(
            """
            SELECT ip.post_key, ip.issue_id, ip.similarity, NOT coalesce(a.in_kutim, false)
            FROM issue_posts ip LEFT JOIN (SELECT post_key, arg_max(in_kutim, analyzed_at) AS in_kutim
                                           FROM post_analysis GROUP BY ALL) a USING (post_key)
            WHERE ip.role = 'report'
            """
        ).fetchall()
    return {key: (issue, sim) for key, issue, sim, _ in rows}, {issue for _, issue, _, joins in rows if joins}


def assert_same_similarities(daily_file: Path, bulk_file: Path) -> None:
    """Each report's similarity to its issue, in every issue without a report that could only join
    (see tests/warehouse/warehouse_state.py): those depend on the batching."""
    (daily, vague_daily), (bulk, vague_bulk) = report_similarities(daily_file), report_similarities(bulk_file)
    vague = vague_daily | vague_bulk
    compared = {key for key, (issue, _) in daily.items() if issue not in vague}
    assert len(compared) > len(daily) / 2
    assert {key: daily[key] for key in compared} == {key: bulk.get(key) for key in compared}

"""The one way into the DuckDB warehouse.

DuckDB lets one process hold the file at a time (a second process, even read-only, gets
"Could not set lock on file"). The DAG's tasks, the CLI and the UI are separate processes,
so every access opens a short-lived connection here, retries a lock conflict with backoff
up to a bound, and then raises `WarehouseBusy`, which says what to do and loses nothing:
the caller's batch is still in its hands.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path

import duckdb

from core.env import setting

log = logging.getLogger(__name__)

DEFAULT_PATH = Path("data") / "siaga.duckdb"
# Another process holds the file, or (inside one process, e.g. the API server's threads) another
# connection holds it open in the other mode: both clear when that connection closes.
LOCK_MARKERS = (
    "Could not set lock",
    "Conflicting lock",
    "database is locked",
    "different configuration than existing connections",
)


class WarehouseBusy(RuntimeError):
    """Another process held the warehouse for longer than the wait bound."""


def warehouse_path() -> Path:
    """`SIAGA_WAREHOUSE`, else ./data/siaga.duckdb."""
    return setting("warehouse")


def _is_lock_conflict(exc: BaseException) -> bool:
    return any(marker in str(exc) for marker in LOCK_MARKERS)


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.02
    attempts = 0
    while True:
        attempts += 1
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET TimeZone = 'UTC'")  # every timestamp in the warehouse is UTC
            con.execute("SET enable_progress_bar = false")  # long queries would draw on stdout
            return con
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() + delay > deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is held by another process (tried {attempts} times over "
                    f"{wait_s:.0f} s). Nothing was written; try again when the running ingest has "
                    "finished, or raise SIAGA_WAREHOUSE_WAIT_S."
                ) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


def default_wait_s() -> float:
    return setting("warehouse_wait_s")


@contextmanager
def connect(
    write: bool = False, path: Path | str | None = None, wait_s: float | None = None, transaction: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short connection to the warehouse, migrated to the newest schema.

    `write=True` wraps the block in one transaction: it commits when the block ends and
    rolls back on an exception, so a batch lands whole or not at all. With `transaction=False`
    the block begins and commits its own transactions (the loader: one per batch, on one
    connection); an exception rolls back the open one.
    A database that does not exist yet is created (and so needs a writer once).
    """
    path = Path(path) if path is not None else warehouse_path()
    wait_s = default_wait_s() if wait_s is None else wait_s
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write = True
    con = _open(path, read_only=not write, wait_s=wait_s)
    try:
        if write and not transaction:
            migrate(con)
            try:
                yield con
            except BaseException:
                with suppress(duckdb.TransactionException):  # the exception fell between two transactions
                    con.execute("ROLLBACK")
                raise
        elif write:
            migrate(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        else:
            if not _schema_is_current(con):
                # An older file: migrate it once with a short write connection, then read.
                con.close()
                with connect(write=True, path=path, wait_s=wait_s):
                    pass
                con = _open(path, read_only=True, wait_s=wait_s)
            yield con
    finally:
        con.close()


def _migration_files() -> list[tuple[int, str, str]]:
    folder = resources.files("warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the numbered migrations not yet recorded in `schema_migrations`; returns their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in _migration_files():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        log.info("warehouse: applied migration %s", name)
        applied.append(name)
    return applied


def _schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    # Every numbered file applied, not only the newest: migrations written in parallel (012, 013, 014) may
    # reach a warehouse in another order than their numbers.
    wanted = {version for version, _, _ in _migration_files()}
    try:
        have = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        return False
    return wanted <= have

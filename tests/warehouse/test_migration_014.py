"""Migration 014 (English column names): a warehouse written before it upgrades with nothing lost."""

from __future__ import annotations

from datetime import date, datetime

import duckdb

import warehouse
from warehouse import db, lapor

BEFORE = 14


def _old_warehouse(path) -> None:
    """A warehouse as the code before migration 014 left it, with a ticket and its two follow-ups."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for version, name, sql in db._migration_files():
        if version < BEFORE:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name])
    now = datetime(2026, 11, 20, 3, 0)
    con.execute(
        "INSERT INTO drafts (draft_id, issue_id, status, judul, isi, kategori, opd, created_at, updated_at) "
        "VALUES ('drf-1', 'iss-1', 'approved', 'Jalan rusak di Swarga Bara', 'Isi laporan warga.', "
        "'jalan_jembatan', 'DPUPR', ?, ?)",
        [now, now],
    )
    con.execute(
        "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, submitted_at, "
        "verified_at, updated_at) VALUES ('drf-1', 'ks-1', 'http', 'submitted', 'T-100', ?, ?, ?)",
        [now, datetime(2026, 11, 21, 3, 0), now],
    )
    con.execute(
        "INSERT INTO lapor_followups (tracking_id, seq, tanggal, oleh, isi, observed_at) VALUES "
        "('T-100', 1, '2026-11-22 02:00:00', 'Dinas PUPR Kutai Timur', 'Tim sudah meninjau lokasi.', ?), "
        "('T-100', 2, NULL, NULL, 'Perbaikan dijadwalkan pekan depan.', ?)",
        [now, now],
    )
    con.close()


def _everything(con) -> dict[str, list]:
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
    return {
        t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables if t != "schema_migrations"
    }


def test_an_old_warehouse_upgrades_and_keeps_every_row(warehouse_file):
    _old_warehouse(warehouse_file)
    con = duckdb.connect(str(warehouse_file), read_only=True)
    before = _everything(con)
    old_columns = [r[0] for r in con.execute("DESCRIBE lapor_followups").fetchall()]
    con.close()
    assert {"tanggal", "oleh", "isi"} <= set(old_columns)

    with warehouse.connect() as con:  # a reader finds the file older than the code and migrates it once
        after = _everything(con)
        columns = [r[0] for r in con.execute("DESCRIBE lapor_followups").fetchall()]
        applied = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        rows = con.execute(
            "SELECT seq, responded_at, responder, response_text FROM lapor_followups ORDER BY seq"
        ).fetchall()
    assert BEFORE in applied
    assert columns == ["tracking_id", "seq", "responded_at", "responder", "response_text", "observed_at"]
    # every row of every table, values unchanged (tables of later migrations, e.g. 016's draft_queue, beside them)
    assert {table: after[table] for table in before} == before
    assert rows == [
        (1, datetime(2026, 11, 22, 2, 0), "Dinas PUPR Kutai Timur", "Tim sudah meninjau lokasi."),
        (2, None, None, "Perbaikan dijadwalkan pekan depan."),
    ]


def test_the_upgraded_follow_ups_reach_the_ticket_listing(warehouse_file):
    _old_warehouse(warehouse_file)
    (ticket,) = lapor.tickets_with_sla(date(2026, 11, 24))
    assert ticket["stage"] == "tindak_lanjut" and ticket["reference"] == "ks-1"
    assert ticket["followups"][0] == {
        "seq": 1,
        "responded_at": "2026-11-22T02:00:00",
        "responder": "Dinas PUPR Kutai Timur",
        "text": "Tim sudah meninjau lokasi.",
    }


def test_a_warehouse_missing_an_earlier_number_is_not_taken_as_current(warehouse_file):
    _old_warehouse(warehouse_file)
    with warehouse.connect(write=True):
        pass
    con = duckdb.connect(str(warehouse_file))
    con.execute("DELETE FROM schema_migrations WHERE version = 11")  # as if 011 came after 014
    assert not db._schema_is_current(con)
    con.close()

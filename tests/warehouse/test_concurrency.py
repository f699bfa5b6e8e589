"""Two real processes and one DuckDB file: the second waits, then gets through or a clear error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import warehouse
from tests.helpers import lines, post
from warehouse.ingest import load_lines

HOLDER = textwrap.dedent(
    """
    import sys, time, warehouse
    with warehouse.connect(write=True) as con:
        con.execute("SELECT count(*) FROM posts").fetchall()
        print("holding", flush=True)
        time.sleep(float(sys.argv[1]))
    """
)


def hold_lock(seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def created(warehouse_file):
    with warehouse.connect(write=True):
        pass
    return warehouse_file


def test_a_writer_waits_for_another_process_and_then_writes(created):
    holder = hold_lock(1.5)
    try:
        started = time.monotonic()
        counts = load_lines(lines([post("x", "1", "Jalan rusak di Sangatta", "2026-11-20T01:00:00Z")]))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert counts["posts_new"] == 1
    assert waited >= 0.5  # it really had to wait for the other process
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


def test_past_the_wait_bound_the_writer_fails_clearly_and_writes_nothing(created, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE_WAIT_S", "0.5")
    holder = hold_lock(3)
    try:
        with pytest.raises(warehouse.WarehouseBusy, match=r"held by another process.*Nothing was written"):
            load_lines(lines([post("x", "1", "Jalan rusak di Sangatta", "2026-11-20T01:00:00Z")]))
    finally:
        holder.wait(timeout=30)
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    # the caller still has its batch: trying again after the other process left succeeds
    assert load_lines(lines([post("x", "1", "Jalan rusak di Sangatta", "2026-11-20T01:00:00Z")]))["posts_new"] == 1


def test_inside_one_process_a_reader_waits_for_the_writer_connection_to_close(created):
    import threading

    held, release = threading.Event(), threading.Event()

    def hold_writer():
        with warehouse.connect(write=True):
            held.set()
            release.wait(timeout=10)

    holder = threading.Thread(target=hold_writer)
    holder.start()
    assert held.wait(timeout=10), "the writer thread never opened the warehouse"
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    with warehouse.connect() as con:  # read-only: refused by DuckDB while the writer is open
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    holder.join(timeout=10)
    assert time.monotonic() - started >= 0.2

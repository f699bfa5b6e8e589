"""`siaga` says in one line what went wrong and what to do, and exits with the code the README lists.

Every case runs the real command in a subprocess: files that are missing, folders, unreadable files,
read-only folders and file systems, a full disk, a warehouse that is not one, and a warehouse another
process holds. Root reads anything, so the permission cases drop root's file capabilities with setpriv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_lines

REPO = Path(__file__).resolve().parents[1]
EXIT_USAGE, EXIT_IO, EXIT_BUSY = 2, 4, 5
# Root reads and writes anything: without these capabilities it meets file modes like anyone else.
AS_PLAIN_USER = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if os.geteuid() == 0 and shutil.which("setpriv")
    else []
)
needs_modes = pytest.mark.skipif(
    os.geteuid() == 0 and not AS_PLAIN_USER, reason="root without setpriv ignores file modes"
)


def siaga(
    *args: str,
    warehouse: Path,
    prefix: list[str] | None = None,
    stdout=subprocess.PIPE,
    stdin=subprocess.DEVNULL,
    **env: str,
) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SIAGA_WAREHOUSE": str(warehouse), "SIAGA_WAREHOUSE_WAIT_S": "1", **env}
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "siaga", *args],
        cwd=REPO,
        env=environment,
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=stdin,
        text=True,
        timeout=120,
    )


def assert_says(proc: subprocess.CompletedProcess, code: int, command: str, *words: str) -> str:
    """Exit code `code`, no traceback, exactly one `siaga COMMAND:` line on stderr naming `words`."""
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    said = [line for line in proc.stderr.splitlines() if line.startswith(f"siaga {command}: ")]
    assert len(said) == 1, proc.stderr
    for word in words:
        assert word in said[0], said[0]
    return said[0]


@pytest.fixture
def filled_warehouse(tmp_path, monkeypatch) -> Path:
    """A warehouse with one issue (so exports have something to write)."""
    path = tmp_path / "wh" / "siaga.duckdb"
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    gold = {"category": "jalan_jembatan", "kecamatan": "Bengalon", "desa": None, "region_code": "64.08.09"}
    posts = [
        post("x", str(i), f"jalan rusak di Bengalon nomor {i}", "2026-03-01T01:00:00Z", gold=gold) for i in range(3)
    ]
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    return path


# -- input files --------------------------------------------------------------------------------------------


def test_ingest_of_a_missing_file(tmp_path):
    proc = siaga("ingest", str(tmp_path / "nope.jsonl"), warehouse=tmp_path / "w.duckdb")
    assert_says(proc, EXIT_IO, "ingest", "nope.jsonl", "no such file")
    assert not (tmp_path / "w.duckdb").exists()  # nothing was touched


def test_ingest_of_a_folder(tmp_path):
    assert_says(
        siaga("ingest", str(tmp_path), warehouse=tmp_path / "w.duckdb"), EXIT_IO, "ingest", str(tmp_path), "folder"
    )


@needs_modes
def test_ingest_of_an_unreadable_file(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps(post("x", "1", "jalan rusak", "2026-03-01T01:00:00Z")) + "\n")
    posts.chmod(0)
    proc = siaga("ingest", str(posts), warehouse=tmp_path / "w.duckdb", prefix=AS_PLAIN_USER)
    assert_says(proc, EXIT_IO, "ingest", "posts.jsonl", "permission denied")


def test_extract_into_a_path_under_a_file(tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = siaga("extract", "replay", "--out", str(tmp_path / "afile" / "p.jsonl"), warehouse=tmp_path / "w")
    assert_says(proc, EXIT_IO, "extract", "afile", "not a folder")


def test_evaluate_clustering_of_a_missing_set(tmp_path):
    proc = siaga("evaluate-clustering", str(tmp_path / "set.jsonl"), warehouse=tmp_path / "w.duckdb")
    assert_says(proc, EXIT_IO, "evaluate-clustering", "set.jsonl", "no such file")


# -- output locations -----------------------------------------------------------------------------------------


@needs_modes
def test_export_into_a_read_only_folder_leaves_nothing(tmp_path, filled_warehouse):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    proc = siaga(
        "export", "issues", "--out", str(folder / "issues.jsonl"), warehouse=filled_warehouse, prefix=AS_PLAIN_USER
    )
    assert_says(proc, EXIT_IO, "export", str(folder / "issues.jsonl"), "permission denied")
    assert list(folder.iterdir()) == []


def test_export_to_a_full_disk(tmp_path, filled_warehouse):
    proc = siaga("export", "issues", "--out", "/dev/full", warehouse=filled_warehouse)
    assert_says(proc, EXIT_IO, "export", "/dev/full", "no space left")
    assert Path("/dev/full").is_char_device()  # written to, never replaced by a file


@pytest.mark.parametrize("command", [["stats"], ["export", "issues"], ["extract", "replay", "--out", "/dev/full"]])
def test_standard_output_on_a_full_disk(tmp_path, filled_warehouse, command):
    with open("/dev/full", "w") as full:
        proc = siaga(*command, warehouse=filled_warehouse, stdout=full)
    assert_says(proc, EXIT_IO, command[0], "no space left")
    assert Path("/dev/full").is_char_device()


def test_analyze_output_on_a_full_disk(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "jalan rusak di Bengalon"}) + "\n")
    with open("/dev/full", "w") as full, source.open() as stdin:
        proc = siaga("analyze", warehouse=tmp_path / "w.duckdb", stdout=full, stdin=stdin)
    assert_says(proc, EXIT_IO, "analyze", "no space left")


# -- the warehouse file ---------------------------------------------------------------------------------------


def test_warehouse_that_is_a_folder(tmp_path):
    assert_says(siaga("stats", warehouse=tmp_path), EXIT_IO, "stats", str(tmp_path), "SIAGA_WAREHOUSE")


def test_warehouse_that_is_not_a_duckdb_file(tmp_path):
    bogus = tmp_path / "siaga.duckdb"
    bogus.write_text("not a database\n" * 1000)
    assert_says(siaga("stats", warehouse=bogus), EXIT_IO, "stats", str(bogus), "not a valid DuckDB")


@needs_modes
def test_warehouse_in_a_folder_nobody_may_write(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    proc = siaga("stats", warehouse=folder / "siaga.duckdb", prefix=AS_PLAIN_USER)
    assert_says(proc, EXIT_IO, "stats", str(folder / "siaga.duckdb"), "Permission denied")


def _read_only_mount(folder: Path) -> list[str] | None:
    """A prefix that runs a command with `folder` mounted read-only (a private mount namespace)."""
    if not shutil.which("unshare"):
        return None
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o ro tmpfs {folder}"], capture_output=True)
    if probe.returncode != 0:
        return None
    return ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o ro tmpfs {folder} && exec "$@"', "sh"]


def test_warehouse_on_a_read_only_file_system(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    prefix = _read_only_mount(folder)
    if prefix is None:
        pytest.skip("cannot mount a read-only file system here")
    proc = siaga("stats", warehouse=folder / "siaga.duckdb", prefix=prefix)
    assert_says(proc, EXIT_IO, "stats", "Read-only file system")


# -- another process holds the warehouse ----------------------------------------------------------------------


def _hold(warehouse: Path) -> subprocess.Popen:
    """Another process that opens the warehouse for writing and keeps it until killed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(warehouse),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.parametrize(
    "command",
    [["stats"], ["summary"], ["export", "issues", "--out", "{tmp}/issues.jsonl"], ["ingest", "{tmp}/posts.jsonl"]],
)
def test_a_busy_warehouse_gets_one_line_and_nothing_is_written(tmp_path, filled_warehouse, command):
    from warehouse.stats import stats

    (tmp_path / "posts.jsonl").write_text(
        json.dumps(post("x", "new", "jalan rusak di Bengalon lagi", "2026-03-02T01:00:00Z")) + "\n"
    )
    before = stats()
    holder = _hold(filled_warehouse)
    try:
        proc = siaga(*[part.format(tmp=tmp_path) for part in command], warehouse=filled_warehouse)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert_says(proc, EXIT_BUSY, command[0], "held by another process", "try again")
    assert proc.stdout == ""
    assert not (tmp_path / "issues.jsonl").exists() and not (tmp_path / "issues.jsonl.part").exists()
    assert stats() == before  # nothing was written

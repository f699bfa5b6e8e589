"""An ingest killed at any point, then run again, ends where a clean run ends; a failure in clustering
strands no post.

The warehouse holds the bundled sample; the ingest takes in the three days after it (70 lines). The
process is killed with SIGKILL, as the OOM killer or a lost machine would: at named points inside it
(tests/warehouse/fault_points.py wraps the real functions from outside; production code has no hook),
and once from outside, by the test, when `siaga ingest` prints its first progress line on stderr.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sequence_days import ending_yesterday, write_days
from tests.warehouse.fault_points import POINTS
from tests.warehouse.warehouse_state import REPO, SIAGA, contents, differences, export_issues, siaga

pytestmark = pytest.mark.slow


@dataclass
class Reference:
    base: Path  # the sample loaded
    ingest: Path  # three days after it, the file each killed ingest takes in
    next_day: Path
    clean: Path  # base + ingest, never interrupted
    clean_next: Path  # clean + next_day

    def copy_of_base(self, to: Path) -> Path:
        shutil.copyfile(self.base, to)
        return to


def probe(warehouse: Path) -> tuple[int, int, int]:
    """(posts, posts analysed, posts linked to an issue)."""
    from warehouse import connect

    with connect(path=warehouse) as con:
        return con.execute(
            "SELECT (SELECT count(*) FROM posts), (SELECT count(DISTINCT post_key) FROM post_analysis), "
            "(SELECT count(*) FROM issue_posts)"
        ).fetchone()


def with_fault(point: str, path: Path, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.warehouse.fault_points", point, "ingest", str(path)],
        cwd=REPO,
        capture_output=True,
        timeout=300,
        env={**os.environ, "SIAGA_WAREHOUSE": str(warehouse)},
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    folder = tmp_path_factory.mktemp("crash")
    first_day = ending_yesterday(4)
    days = write_days(folder / "days", days=4, first_day=first_day)
    ingest = folder / "three-days.jsonl"
    ingest.write_text("".join(p.read_text(encoding="utf-8") for p in days[:3]), encoding="utf-8")
    ref = Reference(
        base=folder / "base.duckdb",
        ingest=ingest,
        next_day=days[3],
        clean=folder / "clean.duckdb",
        clean_next=folder / "clean-next.duckdb",
    )
    sample = folder / "sample.jsonl"
    siaga("extract", "replay", "--relative-to", first_day.isoformat(), "--out", str(sample), warehouse=ref.base)
    siaga("ingest", str(sample), warehouse=ref.base)
    siaga("ingest", str(ingest), warehouse=ref.copy_of_base(ref.clean))
    shutil.copyfile(ref.clean, ref.clean_next)
    siaga("ingest", str(ref.next_day), warehouse=ref.clean_next)
    return ref


def assert_same_as(warehouse: Path, clean: Path) -> None:
    assert export_issues(warehouse) == export_issues(clean)
    assert differences(contents(warehouse), contents(clean)) == {}


@pytest.mark.parametrize("point", list(POINTS))
def test_killed_at_any_point_then_run_again_ends_as_a_clean_run(point, reference, tmp_path):
    warehouse = reference.copy_of_base(tmp_path / "siaga.duckdb")
    base, clean = probe(reference.base), probe(reference.clean)

    killed = with_fault(point, reference.ingest, warehouse)

    if point == "in-checkpoint":  # the timer may fire only after the process is done
        assert killed.returncode in (-signal.SIGKILL, 0), killed.stderr.decode()[-2000:]
    else:
        assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
        assert killed.stdout == b"", "killed before it could report"
    posts, analysed, linked = probe(warehouse)
    # Where it died shows in what is on disk: a batch is whole or absent, clustering all or nothing.
    if point.startswith("load"):
        assert base[0] < posts < clean[0] and analysed == base[1] and linked == base[2]
    elif point.startswith("analyze"):
        assert posts == clean[0] and base[1] < analysed < clean[1] and linked == base[2]
    elif point in ("checkpoint", "in-checkpoint"):  # committed: the write-ahead log keeps it
        assert (posts, analysed, linked) == clean
    else:
        assert posts == clean[0] and analysed == clean[1] and linked == base[2]

    siaga("ingest", str(reference.ingest), warehouse=warehouse)
    assert_same_as(warehouse, reference.clean)


def test_killed_from_outside_on_its_first_progress_line_then_run_again(reference, tmp_path):
    warehouse = reference.copy_of_base(tmp_path / "siaga.duckdb")
    proc = subprocess.Popen(
        [*SIAGA, "ingest", str(reference.ingest)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SIAGA_WAREHOUSE": str(warehouse)},
    )
    try:
        for line in proc.stderr:
            if line.strip().startswith(b"load:"):  # the posts are committed; analysis is starting
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=120)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert probe(warehouse)[2] == probe(reference.base)[2], "killed before clustering committed"

    siaga("ingest", str(reference.ingest), warehouse=warehouse)
    assert_same_as(warehouse, reference.clean)


def test_a_failure_in_clustering_strands_no_post(reference, tmp_path):
    warehouse = reference.copy_of_base(tmp_path / "siaga.duckdb")

    failed = with_fault("raise:cluster", reference.ingest, warehouse)

    assert failed.returncode != 0 and b"injected failure at cluster" in failed.stderr
    posts, analysed, linked = probe(warehouse)
    assert (posts, analysed) == probe(reference.clean)[:2], "the posts and their analysis are kept"
    assert linked == probe(reference.base)[2], "nothing of the failed clustering is written"

    # The next day's run places them, with its own.
    siaga("ingest", str(reference.next_day), warehouse=warehouse)
    assert_same_as(warehouse, reference.clean_next)

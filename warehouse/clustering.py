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
COMPACT_BUCKET_AT = 32


def issue_id_for(first_post_key: str) -> str:
    return "ISU-" + hashlib.md5(first_post_key.encode()).hexdigest()[:12].upper()


KABUPATEN_ONLY = ".00"


def kecamatan_code_of(region_code: str | None) -> str | None:
    """'64.08.05.2003' -> '64.08.05'; the kabupaten itself ('64.08', e.g. "Sangatta" or "Kutim" with no
    more detail) is a place of its own, '64.08.00'; None has no place."""
    if not region_code:
        return None
    if region_code.count(".") == 1:
        return region_code + KABUPATEN_ONLY
    if region_code.count(".") < 2:
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

    _stacked: np.ndarray | None = None

    def similarity(self, signature: np.ndarray) -> float:
        """Best estimated Jaccard similarity against the issue's representative wordings."""
        if not self.signatures:
            return 0.0
        if self._stacked is None or len(self._stacked) != len(self.signatures):
            self._stacked = np.stack(self.signatures)
        return float((self._stacked == signature).sum(axis=1).max()) / signature.shape[0]


@dataclass(frozen=True)
class Assignment:
    issue_id: str
    similarity: float
    opened: bool  # this report opened the issue


STRONG, COARSE, WEAK, WORDING = 3, 2, 1, 0  # how a candidate's place fits a report's


class Clusterer:
    """Places reports, in time order, into open issues or new ones.

    Candidate buckets, so a report meets only the few issues that could be its own:
    - (category, desa): issues placed in that desa;
    - (category, kecamatan) "coarse": issues known only to the kecamatan;
    - (category, kecamatan) "all": every issue in the kecamatan, for reports that lack a desa;
    - (category, grid cell): issues with coordinates, for the within-a-kilometre rule;
    - MinHash LSH bands: issues without a place (for placed reports), all issues (for unplaced ones).
    """

    GRID_DEG = 0.01  # ~1.1 km at the equator; a report looks at its cell and the 8 around it

    def __init__(self, settings: ClusteringSettings, open_issues: list[IssueState] = ()):
        self.settings = settings
        self.window_s = settings.window_days * SECONDS_PER_DAY
        self.issues: list[IssueState] = []
        self._by_id: dict[str, int] = {}
        self._desa: dict[tuple, list[int]] = {}
        self._kec_coarse: dict[tuple, list[int]] = {}
        self._kec_all: dict[tuple, list[int]] = {}
        self._grid: dict[tuple, list[int]] = {}
        self._lsh_unplaced: dict[tuple, list[int]] = {}
        self._lsh_all: dict[tuple, list[int]] = {}
        for issue in open_issues:
            self._add_issue(issue)

    # -- indexes -----------------------------------------------------------------------------
    def _add_issue(self, issue: IssueState) -> int:
        idx = len(self.issues)
        self.issues.append(issue)
        self._by_id[issue.issue_id] = idx
        self._index_place(idx)
        self._index_geo(idx)
        for sig in issue.signatures:
            self._index_signature(idx, band_keys(sig[None, :])[0])
        return idx

    def _index_place(self, idx: int) -> None:
        issue = self.issues[idx]
        if issue.desa_code:
            self._push(self._desa, (issue.category, issue.desa_code), idx)
        elif issue.kecamatan_code:
            self._push(self._kec_coarse, (issue.category, issue.kecamatan_code), idx)
        if issue.kecamatan_code:
            self._push(self._kec_all, (issue.category, issue.kecamatan_code), idx)

    def _index_geo(self, idx: int) -> None:
        issue = self.issues[idx]
        if issue.lat is not None and issue.lon is not None:
            self._push(self._grid, (issue.category, *self._cell(issue.lat, issue.lon)), idx)

    def _index_signature(self, idx: int, bands: np.ndarray) -> None:
        issue = self.issues[idx]
        for band, key in enumerate(bands.tolist()):
            bucket_key = (issue.category, band, int(key))
            self._push(self._lsh_all, bucket_key, idx)
            if not issue.kecamatan_code:
                self._push(self._lsh_unplaced, bucket_key, idx)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.GRID_DEG), math.floor(lon / self.GRID_DEG)

    @staticmethod
    def _push(index: dict, key: tuple, idx: int) -> None:
        bucket = index.get(key)
        if bucket is None:
            index[key] = [idx]
        elif bucket[-1] != idx:
            bucket.append(idx)

    def _live(self, index: dict, key: tuple, now: float) -> list[int]:
        """The bucket's issues; a long bucket first drops issues whose window has passed."""
        bucket = index.get(key)
        if not bucket:
            return []
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
        if bands is None:
            bands = band_keys(signature[None, :])[0]
        candidates: set[int] = set()
        if desa:
            candidates.update(self._live(self._desa, (category, desa), created_at))
            candidates.update(self._live(self._kec_coarse, (category, kecamatan), created_at))
        elif kecamatan:
            candidates.update(self._live(self._kec_all, (category, kecamatan), created_at))
        if lat is not None and lon is not None:
            row, col = self._cell(lat, lon)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    candidates.update(self._live(self._grid, (category, row + dr, col + dc), created_at))
        lsh = self._lsh_all if not kecamatan else self._lsh_unplaced
        band_list = bands.tolist()
        for band, key in enumerate(band_list):
            candidates.update(self._live(lsh, (category, band, key), created_at))

        best, best_rank, best_sim, best_tie = None, (-1, -1.0), 0.0, ("", "")
        for idx in candidates:
            issue = self.issues[idx]
            fit = self._place_fit(issue, created_at, kecamatan, desa, lat, lon, km)
            if fit is None:
                continue
            sim = issue.similarity(signature)
            if fit == WEAK and sim < self.settings.weak_place_similarity:
                continue
            if fit == WORDING and sim < self.settings.no_place_similarity:
                continue
            # an exact tie goes to the older issue (then the smaller id), never to the set's order
            tie = (issue.first_seen, issue.issue_id)
            if (fit, sim) > best_rank or ((fit, sim) == best_rank and tie < best_tie):
                best, best_rank, best_sim, best_tie = idx, (fit, sim), sim, tie

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
                km=km,
                is_new=True,
            )
            idx = self._add_issue(issue)
            self._add_signature(idx, signature, bands)
            return Assignment(issue.issue_id, 1.0, opened=True)

        self._join(best, created_at, kecamatan, desa, lat, lon, signature, km, bands)
        return Assignment(self.issues[best].issue_id, best_sim, opened=False)

    def _place_fit(self, issue, created_at, kecamatan, desa, lat, lon, km) -> int | None:
        """STRONG, COARSE (same kecamatan, no desa either side), WEAK (needs similar wording),
        WORDING (needs near-identical wording) or None."""
        s = self.settings
        if created_at - issue.last_seen > self.window_s or issue.first_seen - created_at > self.window_s:
            return None
        if km and issue.km and not any(abs(a - b) <= s.km_marker_tolerance for a in km for b in issue.km):
            return None
        if (
            lat is not None
            and issue.lat is not None
            # a geotag is often a town's centre point: it never overrules two different kecamatan
            and not (kecamatan and issue.kecamatan_code and kecamatan != issue.kecamatan_code)
            and distance_km(lat, lon, issue.lat, issue.lon) <= s.max_distance_km
        ):
            return STRONG
        if desa and issue.desa_code:
            return STRONG if desa == issue.desa_code else None
        if kecamatan and issue.kecamatan_code:
            if kecamatan != issue.kecamatan_code:
                return None
            # Both known only to the kecamatan (a town-wide outage, one hospital): the same place as far
            # as anyone said. One side with a desa and the other without: the wording must agree too.
            if kecamatan.endswith(KABUPATEN_ONLY) and issue.category not in s.regency_wide_categories:
                return WEAK  # "a road in Kutim": too wide to join on place alone
            return COARSE if not desa and not issue.desa_code else WEAK
        return WORDING

    def _add_signature(self, idx: int, signature: np.ndarray, bands: np.ndarray) -> None:
        self.issues[idx].signatures.append(signature)
        self._index_signature(idx, bands)

    def _join(self, idx, created_at, kecamatan, desa, lat, lon, signature, km, bands) -> None:
        issue = self.issues[idx]
        issue.first_seen = min(issue.first_seen, created_at)
        issue.last_seen = max(issue.last_seen, created_at)
        issue.km = issue.km | km
        if issue.lat is None and lat is not None:
            issue.lat, issue.lon = lat, lon
            self._index_geo(idx)
        refined = False
        if issue.kecamatan_code is None and kecamatan:
            issue.kecamatan_code, refined = kecamatan, True
        if issue.desa_code is None and desa and kecamatan == issue.kecamatan_code:
            issue.desa_code, refined = desa, True
        if refined:  # a vaguer first report, now placed: index it under its place too
            self._index_place(idx)
        if len(issue.signatures) < MAX_SIGNATURES_PER_ISSUE:
            self._add_signature(idx, signature, bands)

    def issue(self, issue_id: str) -> IssueState:
        return self.issues[self._by_id[issue_id]]

"""Many people about one real-world problem become one issue.

A report (a complaint in Kutim that is not a copy of an earlier post) joins an open issue
when all of these hold:
- a compatible place: the same desa, or coordinates within `max_distance_km`; the same
  kecamatan when one side or neither names a desa (a desa named as its kecamatan counts as the
  kecamatan: "Kaliorang" may mean either); or, when one side's place is unknown or only the
  kabupaten, wording alone (a little for a regency-wide problem against a kabupaten-level issue).
  Two different desa, or two different kecamatan, never join;
- wording at least as similar as the place and category fit demand (`required_similarity`):
  the vaguer the place, and the further apart the categories, the more alike the words must be.
  The same category at the same desa needs none; a neighbouring category (a pothole read as
  `transportasi`, a flood's aid post read as `sosial`) needs `neighbour_similarity` more, a
  "distant" neighbour (a road and a flood: often two problems in one desa) `distant_neighbour_similarity`;
  any other category needs `other_category_similarity` more; never more than `duplicate_similarity`;
- no conflicting road kilometre markers ("km 12" is not "km 37");
- time: within `window_days` of the issue's reports.
Otherwise it opens a new issue (unless the report may only join: `assign(may_open=False)`). A complaint
with no place that joins nothing so joins the one open issue of its own or a neighbouring category it
shares `unplaced_similarity` of its wording with, when no other is about as alike (`_unplaced_best`).

Candidate generation is O(n): issues are indexed by (category, desa), (category, kecamatan)
and by MinHash LSH bands; a report looks only at the issues in its own buckets and those of
its few neighbouring categories, never at all pairs. Issue ids derive from the first report's
key, so re-running a batch gives the same ids.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from warehouse.fingerprint import EMPTY, NUM_PERM, band_keys, is_empty
from warehouse.settings import ClusteringSettings

SECONDS_PER_DAY = 86_400.0
MAX_SIGNATURES_PER_ISSUE = 5  # the first reports are the issue's representative wording
# A bucket this long first drops issues whose window has passed: lasting issues split, so a busy desa's
# bucket holds a year of issues, and a report must not walk them all (at 32, 1M posts took 10x 100k's time).
COMPACT_BUCKET_AT = 6
# A post that is not a report follows an issue only when no other issue at its place is about as alike.
FOLLOW_UP_MARGIN = 0.1
# A looser LSH banding, read only by complaints with no place (`unplaced_similarity`, 0.2): 32 bands of 2
# rows find a pair at 0.2 with probability 0.73, at 0.3 0.96 (the main banding: 0.16 and 0.44).
LOOSE_BANDS, LOOSE_ROWS = 32, 2


def issue_id_for(first_post_key: str) -> str:
    return "ISU-" + hashlib.md5(first_post_key.encode()).hexdigest()[:12].upper()


KABUPATEN_ONLY = ".00"
KUTIM_CODE = "64.08"

# Over the analysis `a`: a complaint whose place the analysis did not find ("jalanan tergenang lagi",
# a forwarded report cut before its place) rather than one it placed outside Kutim: it may join an
# issue on wording alone, never open one. `warehouse.issues.build_issues` selects these.
UNPLACED_COMPLAINT_SQL = f"""(a.region_code IS NULL AND len(list_filter(
    json_extract_string(a.entities, '$[*].code'),
    lambda c: c IS NOT NULL AND NOT starts_with(c, '{KUTIM_CODE}'))) = 0)"""


@lru_cache(maxsize=1 << 16)  # a batch has few distinct places and asks for each of them per report
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


@lru_cache(maxsize=1 << 16)
def desa_code_of(region_code: str | None) -> str | None:
    if not region_code or region_code.count(".") < 3:
        return None
    return ".".join(region_code.split(".")[:4])


@lru_cache(maxsize=1)
def seat_desa_codes() -> frozenset[str]:
    """Desa named as their kecamatan (desa Muara Wahau in kecamatan Muara Wahau): "Muara Wahau" alone may
    mean either, so a report placed in one and a report placed in the other are at one place."""
    from nlp.regions import all_regions, kecamatan_of

    return frozenset(
        r.code
        for r in all_regions()
        if r.code.count(".") == 3 and (k := kecamatan_of(r.code)) is not None and k.name.lower() == r.name.lower()
    )


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
    signature_times: list[float] = field(default_factory=list)  # when each kept wording's report came
    km: frozenset[int] = frozenset()
    details: frozenset[str] = frozenset()  # streets, RTs, numbered schools its reports name (details_differ)
    is_new: bool = False
    signature_words: list[int] = field(default_factory=list)  # each kept wording's number of words
    # other kecamatan its reports name ("the road from Rantau Pulung to Tepian Indah"): places it also is at
    named: frozenset[str] = frozenset()

    _stacked: np.ndarray | None = None
    _kinds: dict | None = None  # `detail_kinds(details)`, kept until the details change

    def similarity(self, signature: np.ndarray) -> float:
        """Best estimated Jaccard similarity against the issue's representative wordings."""
        signatures = self.signatures
        if not signatures or signature[0] == EMPTY:
            return 0.0
        if len(signatures) == 1:  # one count; no stacking
            return np.count_nonzero(signatures[0] == signature) / signature.shape[0]
        if self._stacked is None or len(self._stacked) != len(signatures):
            self._stacked = np.stack(signatures)
        return float((self._stacked == signature).sum(axis=1).max()) / signature.shape[0]

    def similarity_as_of(self, signature: np.ndarray, at: float) -> float:
        """`similarity` against the wordings of the reports that had come by `at`: what a run placing posts in
        time order saw then, whichever run it is."""
        if not self.signature_times or max(self.signature_times) <= at:
            return self.similarity(signature)
        kept = [sig for sig, t in zip(self.signatures, self.signature_times, strict=True) if t <= at]
        if not kept or signature[0] == EMPTY:
            return 0.0
        return float((np.stack(kept) == signature).sum(axis=1).max()) / signature.shape[0]

    @classmethod
    def opened_by(
        cls,
        issue_id: str,
        category: str,
        created_at: float,
        region_code: str | None,
        lat: float | None,
        lon: float | None,
        signature: np.ndarray,
        km: frozenset[int],
        words: int = 0,
        named: frozenset[str] = frozenset(),
        details: frozenset[str] = frozenset(),
    ) -> IssueState:
        """The issue a report opens: its place, time, coordinates, wording, km markers and details are the
        issue's."""
        return cls(
            issue_id=issue_id,
            category=category,
            kecamatan_code=kecamatan_code_of(region_code),
            desa_code=desa_code_of(region_code),
            lat=lat,
            lon=lon,
            first_seen=created_at,
            last_seen=created_at,
            signatures=[] if is_empty(signature) else [signature],  # no wording words: nothing to compare with
            signature_times=[] if is_empty(signature) else [created_at],
            km=km,
            details=details,
            signature_words=[] if is_empty(signature) else [words],
            named=frozenset(named) - {kecamatan_code_of(region_code)},
        )

    def absorb(
        self,
        created_at: float,
        region_code: str | None,
        lat: float | None,
        lon: float | None,
        signature: np.ndarray | None,
        km: frozenset[int],
        words: int = 0,
        named: frozenset[str] = frozenset(),
        details: frozenset[str] = frozenset(),
    ) -> tuple[bool, bool, bool]:
        """A report joins: widen the time span and km markers, take the first coordinates, refine a vaguer
        place, keep the first reports' wording. Returns (got coordinates, place refined, wording kept).
        `signature` may be None once the issue keeps MAX_SIGNATURES_PER_ISSUE wordings."""
        kecamatan, desa = kecamatan_code_of(region_code), desa_code_of(region_code)
        self.first_seen = min(self.first_seen, created_at)
        self.last_seen = max(self.last_seen, created_at)
        if km:
            self.km = self.km | km
        if details and not details <= self.details:
            self.details, self._kinds = self.details | details, None
        located = self.lat is None and lat is not None
        if located:
            self.lat, self.lon = lat, lon
        refined = False
        if self.kecamatan_code is None and kecamatan:
            self.kecamatan_code, refined = kecamatan, True
        if self.desa_code is None and desa and kecamatan == self.kecamatan_code:
            self.desa_code, refined = desa, True
        # a report joined from another kecamatan it shares with the issue's reports: the issue is there too
        own = {kecamatan} if kecamatan and not kecamatan.endswith(KABUPATEN_ONLY) else set()
        if named or own - {self.kecamatan_code}:
            self.named = (self.named | named | own) - {self.kecamatan_code}
        worded = len(self.signatures) < MAX_SIGNATURES_PER_ISSUE
        if worded:
            if signature is None:
                raise ValueError(f"issue {self.issue_id}: the wording of its first reports is needed")
            worded = not is_empty(signature)  # no wording words ("setuju!"): nothing to compare with
            if worded:
                self.signatures.append(signature)
                self.signature_times.append(created_at)
                self.signature_words.append(words)
        return located, refined, worded


def replay_issue(issue_id: str, category: str, reports: list[tuple]) -> IssueState:
    """An issue in the state clustering left it: its reports, in the order they were placed (time, then
    post key), opened and joined it again. So a run that finds the issue in the warehouse goes on from
    exactly where a single run over all the posts would be: the same place, coordinates (a report's
    geotag, not the map point the issue shows), time span of its reports (copies and replies do not
    keep an issue open), km markers of all its reports, and the first reports' wording.

    `reports`: (created_at epoch, region_code, lat, lon, signature or None after the first
    MAX_SIGNATURES_PER_ISSUE, km markers[, wording words, other kecamatan named]).
    """
    (t, code, lat, lon, signature, km, *more), *joined = reports
    issue = IssueState.opened_by(issue_id, category, t, code, lat, lon, signature, km, *more)
    for t, code, lat, lon, signature, km, *more in joined:
        issue.absorb(t, code, lat, lon, signature, km, *more)
    return issue


class Assignment:
    """Where a report or follow-up went, and how alike its wording was (the best over the issue's kept
    wordings when it joined). A report that joins the one candidate of its level, which needs no wording,
    has its similarity computed when first read (`settle_similarities` does many at once): the placement
    itself never needed it."""

    __slots__ = ("_pending", "_similarity", "issue_id", "opened")

    def __init__(self, issue_id: str, similarity: float | None, opened: bool, pending: tuple | None = None):
        self.issue_id, self.opened, self._similarity, self._pending = issue_id, opened, similarity, pending

    @property
    def similarity(self) -> float:
        if self._similarity is None:
            settle_similarities([self])
        return self._similarity

    def __repr__(self) -> str:
        return f"Assignment({self.issue_id!r}, {self.similarity!r}, opened={self.opened!r})"


SETTLE_CHUNK = 65_536


def settle_similarities(assignments: list[Assignment]) -> None:
    """Compute the pending similarities of these assignments in a few numpy operations: each against the
    rows its issue had kept when the report joined (`pending`: the wordings array then, the issue's row,
    how many wordings it kept, the report's signature). Rows are written once, so reading them later
    gives what the placement would have computed."""
    pending = [a for a in assignments if a._similarity is None]
    by_array: dict[int, list[Assignment]] = {}
    for a in pending:
        by_array.setdefault(id(a._pending[0]), []).append(a)
    for group in by_array.values():
        wordings = group[0]._pending[0]
        for start in range(0, len(group), SETTLE_CHUNK):
            chunk = group[start : start + SETTLE_CHUNK]
            rows = np.fromiter((a._pending[1] for a in chunk), dtype=np.int64, count=len(chunk))
            kept = np.fromiter((a._pending[2] for a in chunk), dtype=np.int64, count=len(chunk))
            signatures = np.stack([a._pending[3] for a in chunk])
            matches = (wordings[rows] == signatures[:, None, :]).sum(axis=2, dtype=np.int32)
            matches[np.arange(MAX_SIGNATURES_PER_ISSUE)[None, :] >= kept[:, None]] = 0
            for a, best in zip(chunk, (matches.max(axis=1) / NUM_PERM).tolist(), strict=True):
                a._similarity, a._pending = best, None


# details that tell two point problems apart but not two reports of one area-wide problem (a flood)
AREA_DETAIL_KINDS = frozenset({"jalan", "rt"})


@lru_cache(maxsize=1 << 16)  # an issue's details change rarely; a report's are asked for once per candidate
def detail_kinds(details: frozenset[str]) -> dict[str, frozenset[str]]:
    """{'jalan mwr', 'rt 5'} -> {'jalan': {'jalan mwr'}, 'rt': {'rt 5'}}"""
    kinds: dict[str, set[str]] = {}
    for detail in details:
        kinds.setdefault(detail.split(" ", 1)[0], set()).add(detail)
    return {kind: frozenset(named) for kind, named in kinds.items()}


def _conflict(kinds: tuple, issue: IssueState) -> bool:
    """`Clusterer.details_differ` for a report's details split by kind (those that count here) and an issue."""
    theirs = issue._kinds
    if theirs is None:
        theirs = issue._kinds = detail_kinds(issue.details)
    for kind, named in kinds:
        their = theirs.get(kind)
        if their and named.isdisjoint(their):
            return True
    return False


STRONG, COARSE, WEAK, WORDING = 3, 2, 1, 0  # how a candidate's place fits a report's
SAME, NEIGHBOUR, OTHER = 2, 1, 0  # how a candidate's category fits a report's


class Clusterer:
    """Places reports, in time order, into open issues or new ones.

    Candidate buckets, so a report meets only the few issues that could be its own:
    - (category, desa): issues placed in that desa;
    - (category, kecamatan) "coarse": issues known only to the kecamatan;
    - (category, kecamatan) "all": every issue in the kecamatan, for reports that lack a desa;
    - (category, grid cell): issues with coordinates, for the within-a-kilometre rule;
    - MinHash LSH bands (any category): issues without a kecamatan (for reports placed in one), all
      issues (for reports placed only in the kabupaten or not at all).
    The place buckets are read for the report's category and its neighbours.
    """

    GRID_DEG = 0.01  # ~1.1 km at the equator; a report looks at its cell and the 8 around it

    def __init__(self, settings: ClusteringSettings, open_issues: list[IssueState] = ()):
        self.settings = settings
        self.window_s = settings.window_days * SECONDS_PER_DAY
        self.issues: list[IssueState] = []
        self._last_seen: list[float] = []  # each issue's last_seen, for `_live` (a list reads faster than attributes)
        self._by_id: dict[str, int] = {}
        self._desa: dict[tuple, list[int]] = {}
        self._kec_coarse: dict[tuple, list[int]] = {}
        self._kec_all: dict[tuple, list[int]] = {}
        self._grid: dict[tuple, list[int]] = {}
        self._lsh_unplaced: dict[int, list[int]] = {}
        self._lsh_all: dict[int, list[int]] = {}
        # indexed into _lsh_all when first needed; band keys as numpy rows (a list of ints costs five times more)
        self._lsh_pending: list[tuple[int, np.ndarray]] = []
        self._lsh_loose: dict[int, list[int]] = {}
        self._loose_pending: list[tuple[int, np.ndarray]] = []  # indexed into _lsh_loose when first needed
        self._categories: set[str] = set()
        self._neighbours: dict[str, tuple[frozenset[str], list[str] | None]] = {}
        self._required: dict[tuple, float] = {}
        # every issue's kept wordings in one array (issue x MAX_SIGNATURES_PER_ISSUE x NUM_PERM, unused rows
        # EMPTY, which no real signature holds): a report's similarity to all its candidates is one comparison
        self._wordings = np.full((64, MAX_SIGNATURES_PER_ISSUE, NUM_PERM), EMPTY, dtype=np.uint32)
        for issue in open_issues:
            self._add_issue(issue)

    # -- indexes -----------------------------------------------------------------------------
    def _add_issue(self, issue: IssueState, bands: np.ndarray | None = None) -> int:
        """Index an issue; `bands` are its one signature's band keys when the caller has them."""
        idx = len(self.issues)
        self.issues.append(issue)
        self._last_seen.append(issue.last_seen)
        self._by_id[issue.issue_id] = idx
        self._categories.add(issue.category)
        self._index_place(idx)
        self._index_named(idx, issue.named)
        self._index_geo(idx)
        self._store_wordings(idx)
        # empty signatures (no wording words) were never kept
        if issue.signatures:
            keys = bands[None, :] if bands is not None else band_keys(np.stack(issue.signatures))
            for row in keys:
                self._index_signature(idx, row)
            self._loose_pending.extend((idx, sig) for sig in issue.signatures)
        return idx

    def _store_wordings(self, idx: int) -> None:
        wordings = self._wordings
        if idx >= len(wordings):
            grown = np.full((2 * len(wordings), *wordings.shape[1:]), EMPTY, dtype=np.uint32)
            grown[: len(wordings)] = wordings
            self._wordings = wordings = grown
        signatures = self.issues[idx].signatures
        if signatures:
            wordings[idx, : len(signatures)] = signatures

    def _index_place(self, idx: int) -> None:
        issue = self.issues[idx]
        if issue.desa_code:
            self._push(self._desa, (issue.category, issue.desa_code), idx)
        elif issue.kecamatan_code:
            self._push(self._kec_coarse, (issue.category, issue.kecamatan_code), idx)
        if issue.kecamatan_code:
            self._push(self._kec_all, (issue.category, issue.kecamatan_code), idx)

    def _index_named(self, idx: int, kecamatan: frozenset[str]) -> None:
        """Index an issue under the other kecamatan its reports name (`IssueState.named`)."""
        issue = self.issues[idx]
        for k in sorted(kecamatan):
            self._push(self._kec_all, (issue.category, k), idx)
            if not issue.desa_code:
                self._push(self._kec_coarse, (issue.category, k), idx)

    def _index_geo(self, idx: int) -> None:
        issue = self.issues[idx]
        if issue.lat is not None and issue.lon is not None:
            self._push(self._grid, (issue.category, *self._cell(issue.lat, issue.lon)), idx)

    def _index_signature(self, idx: int, bands: np.ndarray) -> None:
        issue = self.issues[idx]
        # Most reports are placed and read only _lsh_unplaced: _lsh_all is filled when a report without a
        # kecamatan first asks for it, so a batch without such reports never builds it.
        self._lsh_pending.append((idx, bands))
        if not issue.kecamatan_code or issue.kecamatan_code.endswith(KABUPATEN_ONLY):
            for key in bands.tolist():
                self._push(self._lsh_unplaced, key, idx)

    def _lsh_all_index(self) -> dict[int, list[int]]:
        push, index = self._push, self._lsh_all
        for idx, bands in self._lsh_pending:
            for key in bands.tolist():
                push(index, key, idx)
        self._lsh_pending.clear()
        return index

    def _lsh_loose_index(self) -> dict[int, list[int]]:
        if self._loose_pending:
            owners = [idx for idx, _ in self._loose_pending]
            keys = band_keys(np.stack([sig for _, sig in self._loose_pending]), LOOSE_BANDS, LOOSE_ROWS)
            push, index = self._push, self._lsh_loose
            for idx, row in zip(owners, keys.tolist(), strict=True):
                for key in row:
                    push(index, key, idx)
            self._loose_pending.clear()
        return self._lsh_loose

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.GRID_DEG), math.floor(lon / self.GRID_DEG)

    @staticmethod
    def _push(index: dict, key, idx: int) -> None:
        bucket = index.get(key)
        if not bucket:  # none yet, or emptied by _live when all its issues' windows had passed
            index[key] = [idx]
        elif bucket[-1] != idx:
            bucket.append(idx)

    def _live(self, index: dict, key, now: float) -> list[int]:
        """The bucket's issues; a long bucket first drops issues whose window has passed."""
        bucket = index.get(key)
        if not bucket:
            return []
        if len(bucket) >= COMPACT_BUCKET_AT:
            last_seen, window_s = self._last_seen, self.window_s
            bucket[:] = [i for i in bucket if now - last_seen[i] <= window_s]
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
        may_open: bool = True,
        words: int = 0,
        named: frozenset[str] = frozenset(),
        details: frozenset[str] = frozenset(),
    ) -> Assignment | None:
        """The issue this report joins, or the one it opens; None when it joins none and may not open.
        `words`: how many wording words the report has (`detailed_account_words`); `named`: the kecamatan
        codes it names besides its own place ("jalan poros Tepian Indah - Rantau Pulung")."""
        kecamatan = kecamatan_code_of(region_code)
        desa = desa_code_of(region_code)
        empty = is_empty(signature)
        if bands is None and not empty:
            bands = band_keys(signature[None, :])[0]
        known = self._neighbours.get(category)
        if known is None:
            neighbours = self.settings.neighbours(category)
            known = self._neighbours[category] = (
                neighbours,
                None if "*" in neighbours else [category, *sorted(c for c in neighbours if c != "*")],
            )
        neighbours, categories = known
        if categories is None:  # a report with no real category looks at every category's place buckets
            categories = [category, *sorted(self._categories - {category})]
        named = named - {kecamatan}
        best, best_sim, level = None, 0.0, None
        if desa and lat is None:
            # Without coordinates, the issues of the report's category at its desa are all the candidates of
            # the best level there is (same desa, same category): when one of them takes the report, no other
            # bucket can offer better, so the busy neighbouring categories' buckets are not read at all.
            bucket = self._live(self._desa, (category, desa), created_at)
            if bucket:
                best, best_sim = self._best_at_own_desa(
                    bucket, created_at, category, km, signature, empty, details, words
                )
                level = (STRONG, SAME) if best is not None else None
        if level != (STRONG, SAME):
            # the report's own desa bucket was read above and offered nothing: its issues are not read again
            skip = (category, desa) if desa and lat is None else None
            candidates = self._candidates(categories, created_at, kecamatan, desa, lat, lon, bands, empty, skip)
            if named:
                candidates |= self._named_candidates(categories, created_at, named, desa)
            best, best_sim, _ = self._best_fit(
                candidates,
                created_at,
                category,
                neighbours,
                kecamatan,
                desa,
                lat,
                lon,
                km,
                signature,
                empty,
                details,
                words,
                named,
            )
        if best is None and not may_open and not kecamatan and lat is None and not empty:
            best, best_sim = self._unplaced_best(created_at, category, neighbours, signature, km)

        if best is None:
            if not may_open:
                return None
            issue = IssueState.opened_by(
                issue_id_for(post_key),
                category,
                created_at,
                region_code,
                lat,
                lon,
                signature,
                km,
                words,
                named,
                details,
            )
            issue.is_new = True
            self._add_issue(issue, bands if issue.signatures else None)
            return Assignment(issue.issue_id, 1.0, opened=True)

        issue = self.issues[best]
        # a similarity left to compute reads the wordings the issue keeps now, before this report's joins them
        pending = None if best_sim is not None else (self._wordings, best, len(issue.signatures), signature)
        self._join(best, created_at, region_code, lat, lon, signature, km, bands, words, named, details)
        return Assignment(issue.issue_id, best_sim, opened=False, pending=pending)

    def _best_fit(
        self,
        candidates,
        created_at,
        category,
        neighbours,
        kecamatan,
        desa,
        lat,
        lon,
        km,
        signature,
        empty,
        details,
        words=0,
        named=frozenset(),
    ):
        """The candidate this report joins, its similarity and its (place fit, category relation) level, or
        (None, 0.0, None).

        The best is ranked by (place fit, category relation, similarity): the wording is compared only within the
        best (fit, relation) level that has an issue alike enough, and for all of that level's issues at once."""
        issues, window_s = self.issues, self.window_s
        any_category = "*" in neighbours
        fitting = []
        area_categories = self.settings.area_categories
        if details:
            kinds = tuple(detail_kinds(details).items())
            # between two area-wide categories streets and RTs say nothing (`details_differ`)
            point_kinds = tuple((kind, named) for kind, named in kinds if kind not in AREA_DETAIL_KINDS)
            own_area = category in area_categories
        for idx in candidates:
            issue = issues[idx]
            # most candidates of a long-lived bucket are past their window: drop them before the place fit
            if created_at - issue.last_seen > window_s or issue.first_seen - created_at > window_s:
                continue
            if desa and issue.desa_code and not (km and issue.km) and (lat is None or issue.lat is None):
                fit = STRONG if desa == issue.desa_code else None  # what _place_fit decides here, without the call
            else:
                fit = self._place_fit(issue, created_at, kecamatan, desa, lat, lon, km, named)
            if fit is None:
                continue
            if (
                details
                and issue.details
                and _conflict(point_kinds if own_area and issue.category in area_categories else kinds, issue)
            ):
                continue
            relation = (
                SAME
                if issue.category == category
                else NEIGHBOUR
                if (any_category or issue.category in neighbours)
                else OTHER
            )
            fitting.append((fit, relation, idx))
        if not fitting:
            return None, 0.0, None
        fitting.sort(reverse=True)
        start = 0
        while start < len(fitting):
            fit, relation, _ = fitting[start]
            end = start + 1
            while end < len(fitting) and fitting[end][0] == fit and fitting[end][1] == relation:
                end += 1
            level = [idx for _, _, idx in fitting[start:end]]
            start = end
            best, best_sim = self._best_naming_alike(
                level, fit, relation, created_at, category, signature, empty, details, words
            )
            if best is not None:
                return best, best_sim, (fit, relation)
        return None, 0.0, None

    def _best_at_own_desa(self, bucket, created_at, category, km, signature, empty, details, words=0):
        """`_best_fit` over the issues of the report's category at its desa, for a report without coordinates:
        each fits STRONG and SAME unless its window has passed, its km markers or its details conflict.
        The usual report's path, so written out in one loop: what `details_differ` and `_best_naming_alike`
        decide, with the report's details split by kind once rather than per issue."""
        issues, window_s = self.issues, self.window_s
        level, naming = [], []
        kinds = ()
        if details:
            area = category in self.settings.area_categories
            kinds = tuple(
                (kind, named)
                for kind, named in detail_kinds(details).items()
                if not (area and kind in AREA_DETAIL_KINDS)
            )
        for idx in bucket:
            issue = issues[idx]
            if created_at - issue.last_seen > window_s or issue.first_seen - created_at > window_s:
                continue
            if km and issue.km and not self._km_agree(km, issue.km):
                continue
            theirs = issue.details
            if details and theirs:
                if kinds and _conflict(kinds, issue):
                    continue
                if not details.isdisjoint(theirs):
                    naming.append(idx)
            level.append(idx)
        if not level:
            return None, 0.0
        if naming and len(naming) < len(level):
            best, best_sim = self._best_of_level(naming, STRONG, SAME, created_at, category, signature, empty, words)
            if best is not None:
                return best, best_sim
        return self._best_of_level(level, STRONG, SAME, created_at, category, signature, empty, words)

    def _km_agree(self, km: frozenset[int], theirs: frozenset[int]) -> bool:
        tolerance = self.settings.km_marker_tolerance
        return any(abs(a - b) <= tolerance for a in km for b in theirs)

    def _best_naming_alike(self, level, fit, relation, created_at, category, signature, empty, details, words=0):
        """`_best_of_level`, first among the issues that name one of the report's details (its street, RT or
        school): of a busy desa's issues that do not conflict with it, those are the ones it is about."""
        if details:
            issues = self.issues
            naming = [idx for idx in level if not details.isdisjoint(issues[idx].details)]
            if naming and len(naming) < len(level):
                best, best_sim = self._best_of_level(
                    naming, fit, relation, created_at, category, signature, empty, words
                )
                if best is not None:
                    return best, best_sim
        return self._best_of_level(level, fit, relation, created_at, category, signature, empty, words)

    def _best_of_level(self, level, fit, relation, created_at, category, signature, empty, words=0):
        """The most alike issue of one (place fit, category relation) level that is alike enough, and its
        similarity; the wording is compared with all of them at once."""
        issues, window_s = self.issues, self.window_s
        required, lasting = self._required, self.settings.lasting_issue_similarity
        if len(level) == 1 and not empty:
            # the one candidate: when it needs no wording, the similarity decides nothing and is computed later
            issue = issues[level[0]]
            key = (fit, relation, issue.category, category)
            needed = required.get(key)
            if needed is None:
                needed = required[key] = self.required_similarity(fit, relation, issue.category, category)
            if created_at - issue.first_seen > window_s:
                needed = max(needed, lasting)
            if needed <= 0 and words < self.settings.detailed_account_words:
                return level[0], None
        if empty:
            sims = [0.0] * len(level)
        elif len(level) == 1:  # the usual case: a view of one issue's wordings, no gathering
            sims = [int((self._wordings[level[0]] == signature).sum(axis=1, dtype=np.int32).max()) / NUM_PERM]
        else:
            matches = (self._wordings.take(level, axis=0) == signature).sum(axis=2, dtype=np.int32).max(axis=1)
            sims = (matches / NUM_PERM).tolist()
        best, best_sim, best_tie = None, 0.0, (0.0, "")
        for idx, sim in zip(level, sims, strict=True):
            issue = issues[idx]
            key = (fit, relation, issue.category, category)
            needed = required.get(key)
            if needed is None:
                needed = required[key] = self.required_similarity(fit, relation, issue.category, category)
            if created_at - issue.first_seen > window_s:
                # past its first fortnight an issue goes on with reports that share its wording: place
                # alone would chain every report of one category in one desa into one endless issue
                needed = max(needed, lasting)
            if sim < needed or self._detailed_apart(issue, signature, words):
                continue
            # an exact tie goes to the older issue (then the smaller id), never to the set's order
            tie = (issue.first_seen, issue.issue_id)
            if best is None or sim > best_sim or (sim == best_sim and tie < best_tie):
                best, best_sim, best_tie = idx, sim, tie
        return best, best_sim

    def details_differ(
        self, details: frozenset[str], other: frozenset[str], category: str, other_category: str
    ) -> bool:
        """Two reports (or a report and an issue) that each name a different detail of one kind: a different
        street, RT or numbered school ("SD 005" is not "SD 012"). They are two problems, whatever their shared
        wording, as conflicting km markers are. When either names none of a kind, that kind says nothing; between
        two reports of area-wide categories (a flood over several RTs) streets and RTs say nothing either. A point
        problem beside an area-wide one (a road or an aid post at another street or RT than a flood) is held to
        its details: without that a busy desa's floods gathered every neighbouring report there."""
        area = self.settings.area_categories
        area = category in area and other_category in area
        theirs = detail_kinds(other)
        for kind, named in detail_kinds(details).items():
            if area and kind in AREA_DETAIL_KINDS:
                continue
            their = theirs.get(kind)
            if their and not (named & their):
                return True
        return False

    def _detailed_apart(self, issue: IssueState, signature: np.ndarray, words: int) -> bool:
        """Two detailed accounts (a news report, a long post: `detailed_account_words` each) of one problem
        share some of their words; a detailed report that shares less than `detailed_account_similarity`
        with every detailed account of the issue tells another problem, wherever it is (a road project and
        a collapsed bridge in one desa). Terse posts ("jembatannya turun semua") share few words with
        anything: for them the place decides, as before, and they are not compared here."""
        s = self.settings
        if words < s.detailed_account_words or s.detailed_account_similarity <= 0:
            return False
        detailed = [
            sig for sig, n in zip(issue.signatures, issue.signature_words, strict=True) if n >= s.detailed_account_words
        ]
        if not detailed:
            return False
        best = max(np.count_nonzero(sig == signature) for sig in detailed) / signature.shape[0]
        return best < s.detailed_account_similarity

    def _unplaced_best(self, created_at, category, neighbours, signature, km) -> tuple[int | None, float]:
        """The open issue of the report's own or a neighbouring category a complaint with no place shares
        `unplaced_similarity` of its wording with, when no other such issue is about as alike; else None.
        Wording as of the report's time and only issues opened before it: a run over its own day would
        have had no more (day by day is one load)."""
        scored = []
        loose = self._lsh_loose_index()
        seen: set[int] = set()
        for key in band_keys(signature[None, :], LOOSE_BANDS, LOOSE_ROWS)[0].tolist():
            for idx in self._live(loose, key, created_at):
                if idx in seen:
                    continue
                seen.add(idx)
                issue = self.issues[idx]
                if issue.first_seen > created_at:
                    continue
                if issue.category != category and issue.category not in neighbours and "*" not in neighbours:
                    continue
                if self._place_fit(issue, created_at, None, None, None, None, km) is None:
                    continue
                scored.append((-issue.similarity_as_of(signature, created_at), issue.first_seen, issue.issue_id, idx))
        if not scored:
            return None, 0.0
        scored.sort()
        (sim, *_, idx), *others = scored
        if -sim < self.settings.unplaced_similarity or (others and others[0][0] - sim < FOLLOW_UP_MARGIN):
            return None, 0.0
        return idx, -sim

    def _named_candidates(self, categories, created_at, named, desa) -> set[int]:
        """Issues in the other kecamatan a report names: those known only to the kecamatan, and for a
        report with no desa every issue there."""
        index = self._kec_coarse if desa else self._kec_all
        return {idx for cat in categories for k in sorted(named) for idx in self._live(index, (cat, k), created_at)}

    def _candidates(self, categories, created_at, kecamatan, desa, lat, lon, bands, empty, skip=None) -> set[int]:
        """The issues in the report's place buckets (for `categories`) and its LSH buckets; `skip`: a
        (category, desa) bucket already read and not read again."""
        candidates: set[int] = set()
        for cat in categories:
            if desa:
                if (cat, desa) != skip:
                    candidates.update(self._live(self._desa, (cat, desa), created_at))
                candidates.update(self._live(self._kec_coarse, (cat, kecamatan), created_at))
            elif kecamatan:
                candidates.update(self._live(self._kec_all, (cat, kecamatan), created_at))
            if lat is not None and lon is not None:
                row, col = self._cell(lat, lon)
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        candidates.update(self._live(self._grid, (cat, row + dr, col + dc), created_at))
        if not empty:
            placed = kecamatan and not kecamatan.endswith(KABUPATEN_ONLY)
            lsh = self._lsh_unplaced if placed else self._lsh_all_index()
            if lsh:
                for key in bands.tolist():
                    if key in lsh:
                        candidates.update(self._live(lsh, key, created_at))
        return candidates

    def follow_up(
        self,
        created_at: float,
        region_code: str | None,
        lat: float | None,
        lon: float | None,
        signature: np.ndarray,
        km: frozenset[int],
        bands: np.ndarray | None = None,
    ) -> Assignment | None:
        """The open issue a post that is not a report ("yg lewat depan SD 003 hati2, lubangnya segede bak
        mandi": a warning, a photo caption, a question) is about, or None. It names no category, so every
        category's issues at its place are candidates; it must fit the place and share wording
        (`follow_up_similarity`; near-copy wording when its place is unknown). It leaves the issue as it
        was (time span, place, wording): an issue lives on its reports, so a later run finds it the same."""
        if is_empty(signature):
            return None  # "setuju!", "mantap": nothing says which issue
        kecamatan, desa = kecamatan_code_of(region_code), desa_code_of(region_code)
        if bands is None:
            bands = band_keys(signature[None, :])[0]
        s = self.settings
        candidates = self._candidates(sorted(self._categories), created_at, kecamatan, desa, lat, lon, bands, False)
        fitting = []
        for idx in candidates:
            issue = self.issues[idx]
            if issue.first_seen > created_at:
                continue  # opened after it: a run over its own day would not have had this issue yet
            fit = self._place_fit(issue, created_at, kecamatan, desa, lat, lon, km)
            if fit is None:
                continue
            # a kecamatan is a wide place: a job advert "di Sangatta Selatan" shares its name with every issue there
            needed = (
                s.follow_up_similarity
                if fit == STRONG
                else (
                    s.follow_up_similarity + s.weak_place_similarity
                    if fit in (COARSE, WEAK)
                    else s.duplicate_similarity
                )
            )
            fitting.append(
                (-fit, -issue.similarity_as_of(signature, created_at), issue.first_seen, issue.issue_id, needed)
            )
        if not fitting:
            return None
        fitting.sort()
        (fit, sim, _, issue_id, needed), *others = fitting
        if -sim < needed:
            return None
        # another issue at a place as good with about as alike wording (a road and a water outage in one
        # desa): the post says too little to tell which one it is about
        if others and others[0][0] == fit and others[0][1] - sim < FOLLOW_UP_MARGIN:
            return None
        return Assignment(issue_id, -sim, opened=False)

    def required_similarity(self, fit: int, relation: int, issue_category: str, category: str | None = None) -> float:
        """How alike the wording must be for this place fit and category relation: each doubt adds."""
        s = self.settings
        base = {
            STRONG: s.same_place_similarity,
            COARSE: s.same_place_similarity,
            WEAK: s.weak_place_similarity,
            WORDING: s.no_place_similarity,
        }[fit]
        if relation == SAME:
            needed = base
        elif relation == NEIGHBOUR:
            needed = base + (
                s.neighbour_similarity if category is None else s.neighbour_similarity_of(category, issue_category)
            )
        else:
            needed = base + s.other_category_similarity
        return min(needed, s.duplicate_similarity)  # a near-copy is the same problem, however read

    def _place_fit(self, issue, created_at, kecamatan, desa, lat, lon, km, named=frozenset()) -> int | None:
        """STRONG, COARSE (same kecamatan, no desa either side), WEAK (needs similar wording),
        WORDING (one side's place unknown or only the kabupaten: needs near-identical wording) or None.
        `named`: other kecamatan the report names."""
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
        if not kecamatan or not issue.kecamatan_code:
            return WORDING
        kabupaten_only = kecamatan.endswith(KABUPATEN_ONLY), issue.kecamatan_code.endswith(KABUPATEN_ONLY)
        if any(kabupaten_only) and not all(kabupaten_only):
            # "in Kutim" names no kecamatan: it may be any of them. A regency-wide problem (one PLN, one
            # Disdukcapil) reported from a kecamatan is still that problem when the wording agrees a little.
            return WEAK if issue.category in s.regency_wide_categories else WORDING
        if kecamatan != issue.kecamatan_code:
            # a road or river between two kecamatan is at both: a report placed in one fits an issue whose
            # reports also named it (or the other way round) when the wording agrees a little
            return WEAK if kecamatan in issue.named or issue.kecamatan_code in named else None
        # Both known only to the kecamatan (a town-wide outage, one hospital): the same place as far
        # as anyone said. One side with a desa and the other without: the wording must agree too.
        if kecamatan.endswith(KABUPATEN_ONLY) and issue.category not in s.regency_wide_categories:
            return WEAK  # "a road in Kutim": too wide to join on place alone
        seats = seat_desa_codes()
        if (desa or issue.desa_code or "") in seats and not (desa and issue.desa_code):
            return COARSE  # desa Kaliorang and "Kaliorang": one name, one place as far as anyone said
        return COARSE if not desa and not issue.desa_code else WEAK

    def _join(
        self,
        idx,
        created_at,
        region_code,
        lat,
        lon,
        signature,
        km,
        bands,
        words=0,
        named=frozenset(),
        details=frozenset(),
    ) -> None:
        issue = self.issues[idx]
        before = issue.named
        located, refined, worded = issue.absorb(created_at, region_code, lat, lon, signature, km, words, named, details)
        self._last_seen[idx] = issue.last_seen
        if issue.named != before:
            self._index_named(idx, issue.named - before)
        if located:
            self._index_geo(idx)
        if refined:  # a vaguer first report, now placed: index it under its place too
            self._index_place(idx)
        if worded:
            self._wordings[idx, len(self.issues[idx].signatures) - 1] = signature
            self._index_signature(idx, bands)
            self._loose_pending.append((idx, self.issues[idx].signatures[-1]))

    def issue(self, issue_id: str) -> IssueState:
        return self.issues[self._by_id[issue_id]]

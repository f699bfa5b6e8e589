"""Text fingerprints for deduplication and issue clustering.

Two levels:
- `content_hash`: the same content again (reposts, "RT @x:", cross-posts, case, emoji,
  whitespace, URLs) gets the same hash. Computed in SQL so a million posts cost seconds.
- MinHash signatures over the normalized words, for near-duplicate text and for the
  LSH candidate buckets of the clusterer (no all-pairs comparison).

Token hashing happens in DuckDB (`hash()` is stable for a pinned DuckDB version); the
permutations and minima are vectorised in NumPy.
"""

from __future__ import annotations

import re

import numpy as np

# SQL expression: the text reduced to lower-case letters and digits separated by single spaces,
# without a leading "RT @user:", URLs and @mentions. `{col}` is the text column.
NORMALIZED_TEXT_SQL = (
    "trim(regexp_replace(regexp_replace(lower({col}), "
    r"'^\s*rt\s+@\w+\s*:?|https?://\S+|www\.\S+|@\w+', ' ', 'g'), "
    r"'[^\p{{L}}\p{{N}}]+', ' ', 'g'))"
)

# Shorter normalized texts ("setuju", "mantap pak") are not distinctive enough to call two posts
# the same content.
MIN_CONTENT_CHARS = 20


def normalized_text_sql(col: str = "text") -> str:
    return NORMALIZED_TEXT_SQL.format(col=col)


def content_hash_sql(norm_col: str = "norm") -> str:
    """Over a column holding `normalized_text_sql(...)`: the hash, or NULL for too short a text."""
    return f"CASE WHEN length({norm_col}) >= {MIN_CONTENT_CHARS} THEN md5({norm_col}) END"


def token_hashes_sql(table: str, id_col: str, text_col: str) -> str:
    """One row per (id, token hash) over the distinct words of each text, ordered by id."""
    norm = normalized_text_sql(text_col)
    return f"""
        SELECT DISTINCT {id_col} AS id, hash(tok) AS h
        FROM (SELECT {id_col}, unnest(string_split({norm}, ' ')) AS tok FROM {table})
        WHERE length(tok) >= 2
        ORDER BY id
    """


NUM_PERM = 32
BANDS = 8
ROWS_PER_BAND = NUM_PERM // BANDS
_MAX = np.uint64(0xFFFFFFFF)

# Fixed permutation parameters: signatures must be comparable across runs and processes.
_rng = np.random.default_rng(20261123)
_PERM_A = (_rng.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)


def minhash_signatures(ids: np.ndarray, hashes: np.ndarray, n: int) -> np.ndarray:
    """MinHash signatures (n x NUM_PERM, uint64) for rows 0..n-1.

    `ids` (sorted ascending, ints in [0, n)) and `hashes` (uint64) pair each text's row
    index with one of its token hashes. A text without tokens gets an all-max signature,
    which matches nothing.
    """
    signatures = np.full((n, NUM_PERM), _MAX, dtype=np.uint64)
    if len(ids) == 0:
        return signatures
    ids = np.asarray(ids, dtype=np.int64)
    hashes = np.asarray(hashes, dtype=np.uint64)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    owners = ids[starts]
    with np.errstate(over="ignore"):
        for k in range(NUM_PERM):
            permuted = (hashes * _PERM_A[k] + _PERM_B[k]) >> np.uint64(32)  # multiply-shift hash
            signatures[owners, k] = np.minimum.reduceat(permuted, starts)
    return signatures


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """One 64-bit key per (row, band): rows that share any band key are LSH candidates."""
    n = signatures.shape[0]
    banded = signatures.reshape(n, BANDS, ROWS_PER_BAND)
    keys = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS_PER_BAND):
            keys = keys * np.uint64(0x100000001B3) ^ banded[:, :, r]
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either text had no words)."""
    if a[0] == _MAX or b[0] == _MAX:
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


_KM_MARKER = re.compile(r"\bkm\.?\s*(\d{1,3})\b", re.IGNORECASE)
# The same in SQL over a `text` column: a list of marker numbers as strings.
KM_MARKERS_SQL = r"regexp_extract_all(text, '(?i)\bkm\.?\s*(\d{1,3})\b', 1)"


def km_markers(text: str) -> frozenset[int]:
    """Kilometre markers of a road ("km 12", "KM.37"): two reports at different markers differ."""
    return frozenset(int(m) for m in _KM_MARKER.findall(text or ""))

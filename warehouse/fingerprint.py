"""Text fingerprints for deduplication and issue clustering.

Two levels:
- `content_hash`: the same content again (reposts, "RT @x:", cross-posts, case, emoji,
  whitespace, URLs) gets the same hash. Computed in SQL so a million posts cost seconds.
- MinHash signatures over a post's wording words, for near-duplicate text and for the
  LSH candidate buckets of the clusterer (no all-pairs comparison).

The wording words are the normalized words in their standard form (slang and reduplication
undone: "jln" -> "jalan", "rumah2" -> "rumah"), without Indonesian function words ("yang",
"sudah", "tolong") and without the words nearly every post we listen to carries ("kutim",
"sangatta": `common_words` in config/clustering.yaml). What is left says what the problem
is, so two reports of one problem share a larger part of their words.

Token hashing happens in DuckDB (`hash()` is stable for a pinned DuckDB version); the
permutations and minima are vectorised in NumPy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

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


def _sql_str(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """spaCy's Indonesian stop words: function words, pronouns, particles ("yang", "sudah", "saya"),
    read from the pinned spaCy's data file without importing spaCy (which costs a second)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed: run `make setup` (requirements.txt pins it)")
    source = Path(spec.submodule_search_locations[0], "lang", "id", "stop_words.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    words = next(
        node.value.args[0].func.value.value  # STOP_WORDS = set("""...""".split())
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "STOP_WORDS"
    )
    return frozenset(words.split())


@lru_cache(maxsize=4)
def _wording_tables_sql(common_words: tuple[str, ...]) -> str:
    """CTEs `word_forms(tok, form)` (slang to standard form) and `stop_words(form)`, as SQL literals."""
    from nlp.normalize import SLANG  # the analysis's own slang table: one standard form per word

    forms = sorted((k, v) for k, v in SLANG.items() if k != v and re.fullmatch(r"[a-z0-9]+", k))
    stops = sorted(function_words() | set(common_words))
    forms_sql = ", ".join(f"({_sql_str(k)}, {_sql_str(v)})" for k, v in forms)
    stops_sql = ", ".join(f"({_sql_str(w)})" for w in stops)
    return f"word_forms(tok, form) AS (VALUES {forms_sql}), stop_words(form) AS (VALUES {stops_sql})"


def token_hashes_sql(table: str, id_col: str, text_col: str, common_words: tuple[str, ...] | None = None) -> str:
    """One row per (id, token hash) over the distinct wording words of each text, ordered by id."""
    if common_words is None:
        from warehouse.settings import clustering_settings

        common_words = tuple(sorted(clustering_settings().common_words))
    norm = normalized_text_sql(text_col)
    return f"""
        WITH {_wording_tables_sql(common_words)},
        words AS (
            -- "rumah2" -> "rumah": a doubled word written with a 2 is the word
            SELECT {id_col} AS id, regexp_replace(tok, '^([a-z]{{3,}})2$', '\\1') AS tok
            FROM (SELECT {id_col}, unnest(string_split({norm}, ' ')) AS tok FROM {table})
            WHERE length(tok) >= 2
        ),
        standard AS (
            SELECT w.id, coalesce(f.form, w.tok) AS form FROM words w LEFT JOIN word_forms f USING (tok)
        )
        SELECT DISTINCT id, hash(form) AS h
        FROM standard
        WHERE form NOT IN (SELECT form FROM stop_words)
        ORDER BY id
    """


NUM_PERM = 64
# LSH bands x rows per band: a pair at estimated Jaccard s becomes a candidate with probability
# 1 - (1 - s^ROWS)^BANDS. Chosen for the wording-only threshold (`no_place_similarity`, 0.5) with
# datasketch's optimiser weighting a missed pair 9 times a needless candidate (tests/warehouse/
# test_clustering_quality.py recomputes it): 21 x 3 gives 0.94 at 0.5, 0.99 at 0.6, 0.02 at 0.1.
BANDS = 21
ROWS_PER_BAND = 3
LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative), as datasketch's MinHashLSH takes them
EMPTY = np.uint32(0xFFFFFFFF)  # a text without wording words: its signature matches nothing

# Fixed permutation parameters: signatures must be comparable across runs and processes.
_rng = np.random.default_rng(20261123)
_PERM_A = (_rng.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)


def minhash_signatures(ids: np.ndarray, hashes: np.ndarray, n: int) -> np.ndarray:
    """MinHash signatures (n x NUM_PERM, uint32) for rows 0..n-1.

    `ids` (sorted ascending, ints in [0, n)) and `hashes` (uint64) pair each text's row
    index with one of its token hashes. A text without tokens gets an all-EMPTY signature,
    which matches nothing.
    """
    signatures = np.full((n, NUM_PERM), EMPTY, dtype=np.uint32)
    if len(ids) == 0:
        return signatures
    ids = np.asarray(ids, dtype=np.int64)
    hashes = np.asarray(hashes, dtype=np.uint64)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    owners = ids[starts]
    # one buffer for every permutation: a fresh array per step cost a quarter of the time at 1M posts (page faults)
    permuted = np.empty_like(hashes)
    shift = np.uint64(32)
    with np.errstate(over="ignore"):
        for k in range(NUM_PERM):
            np.multiply(hashes, _PERM_A[k], out=permuted)  # multiply-shift hash
            np.add(permuted, _PERM_B[k], out=permuted)
            np.right_shift(permuted, shift, out=permuted)
            # a real minimum equal to EMPTY would make the text look empty; one value less is harmless
            signatures[owners, k] = np.minimum(np.minimum.reduceat(permuted, starts), EMPTY - 1)
    return signatures


def is_empty(signature: np.ndarray) -> bool:
    return bool(signature[0] == EMPTY)


def band_keys(signatures: np.ndarray, bands: int = BANDS, rows: int = ROWS_PER_BAND) -> np.ndarray:
    """One 64-bit key per (row, band), distinct across bands: rows that share any key are LSH candidates."""
    n = signatures.shape[0]
    banded = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    seeds = np.arange(1, bands + 1, dtype=np.uint64) + np.uint64(rows << 8)  # each band and banding its own
    keys = np.broadcast_to(seeds, (n, bands)).copy()
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * np.uint64(0x100000001B3) ^ banded[:, :, r]
    return keys


def candidate_probability(similarity: float, bands: int = BANDS, rows: int = ROWS_PER_BAND) -> float:
    """The LSH S-curve: how likely a pair at this Jaccard similarity shares at least one band."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either text had no words)."""
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


# Kilometre markers of a road ("km 12", "KM.37") in SQL over a `text` column, as a list of numbers as strings:
# two reports at different markers differ.
KM_MARKERS_SQL = r"regexp_extract_all(text, '(?i)\bkm\.?\s*(\d{1,3})\b', 1)"


# Specific details a report may name: a street ("Jl. Yos Sudarso", "gang mawar"), an RT ("RT 05") or a numbered
# school ("SD 005", "SDN 12"). Two reports in one place that each name a different detail of one kind are two
# problems (warehouse.clustering.details_differ). The word after a street word is a street's name unless it says
# what the road is like or where it goes ("jalan rusak", "jalan poros", "jalan menuju desa"), or is a function word
# or a word of a Kutim region's name ("jalan Teluk Lingga" is the road through a desa, not one street in it).
STREET_WORDS = ("jl", "jln", "jalan", "gang", "gg")
_NOT_STREET_NAMES = """
    rusak berlubang lubang licin amblas ambles ancur hancur retak becek berdebu debu lumpur berlumpur longsor putus
    terputus tertutup tertimbun tergenang genangan banjir gelap sempit macet mulus bagus jelek parah poros raya utama
    umum lingkungan penghubung alternatif setapak tani usaha kampung desa dusun kota provinsi nasional negara
    kabupaten baru lama tanah aspal semen cor beton kerikil batu kayu kaki pulang pergi menuju masuk keluar lintas
    arah depan belakang samping sebelah dekat ujung tengah pinggir sepanjang kecil besar lurus tikungan turunan
    tanjakan ini itu nya sana sini situ tsb tersebut tinggal dibiarkan warga
"""
NOT_STREET_NAMES = frozenset(_NOT_STREET_NAMES.split())
# school forms written with a trailing n (negeri) are the same school kind: "SDN 5" is "SD 5"
NUMBERED_PLACES = r"sd|sdn|smp|smpn|sma|sman|smk|smkn|mi|min|mts|mtsn|tk|paud|posyandu"


@lru_cache(maxsize=1)
def _place_name_words() -> frozenset[str]:
    from nlp.regions import all_regions  # Kutim's official region names (a data file, not the analysis)

    return frozenset(w for r in all_regions() for w in re.findall(r"[a-z]+", r.name.lower()))


@lru_cache(maxsize=1)
def details_sql(col: str = "text") -> str:
    """SQL over a text column: the distinct details it names, as strings 'jalan <name's consonants>', 'rt <n>',
    'sd <n>' (the kind, a space, the detail)."""
    excluded = sorted(NOT_STREET_NAMES | function_words() | _place_name_words())
    excluded_sql = "[" + ", ".join(_sql_str(w) for w in excluded) + "]"
    streets = "|".join(STREET_WORDS)
    low = f"lower({col})"
    return f"""list_distinct(list_concat(
        list_transform(
            list_filter(regexp_extract_all({low}, '\\b(?:{streets})(?:\\.\\s*|\\s+)([a-z]{{3,}})\\b', 1),
                        lambda w: NOT list_contains({excluded_sql}, w)),
            -- a name by its consonants after the first letter: "jln kbo jaya" is "jalan kabo jaya"
            lambda w: 'jalan ' || regexp_replace(w, '\\B[aeiou]', '', 'g')),
        list_transform(regexp_extract_all({low}, '\\brt\\.?\\s*(\\d{{1,3}})\\b', 1),
                       lambda n: 'rt ' || CAST(CAST(n AS INTEGER) AS VARCHAR)),
        list_transform(regexp_extract_all({low}, '\\b(?:{NUMBERED_PLACES})\\.?\\s*\\d{{1,3}}\\b'),
                       lambda s: regexp_replace(regexp_extract(s, '^[a-z]+'), '^(sd|smp|sma|smk|mi|mts)n$', '\\1')
                            || ' ' || CAST(CAST(regexp_extract(s, '\\d+$') AS INTEGER) AS VARCHAR))
    ))"""

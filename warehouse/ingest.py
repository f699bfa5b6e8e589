"""Normalized posts (JSON Lines) into the warehouse.

`ingest_lines` is the whole writer step: validate and load (bad lines to quarantine with
their reason), analyse what is new, link copies to their original, cluster reports into
issues and refresh the issues' drafts. Every write is an upsert and every batch one
transaction, so loading the same data twice changes nothing but engagement figures.

Parsing and validation happen in DuckDB over an Arrow column of raw lines: no per-row
Python on the load path.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import pyarrow as pa

from warehouse.db import connect

log = logging.getLogger(__name__)

LOAD_BATCH_LINES = 250_000
ANALYZE_BATCH = 2_000

Analyzer = Callable[[list[dict]], list[dict]]
Progress = Callable[[str, int, int | None], None]

# The normalized post as DuckDB should read it; unknown keys are ignored, missing ones are null.
POST_STRUCT = json.dumps(
    {
        "platform": "VARCHAR",
        "platform_post_id": "VARCHAR",
        "url": "VARCHAR",
        "author_id": "VARCHAR",
        "author_name": "VARCHAR",
        "text": "VARCHAR",
        "created_at": "VARCHAR",
        "lang": "VARCHAR",
        "parent_id": "VARCHAR",
        "shared_from": "VARCHAR",
        "metrics": {"likes": "BIGINT", "shares": "BIGINT", "comments": "BIGINT", "views": "BIGINT"},
        "geo": {"lat": "DOUBLE", "lon": "DOUBLE"},
        "media": "JSON",
        "source_query": "VARCHAR",
        "fetched_at": "VARCHAR",
        "raw": "JSON",
        "_quarantine": "BOOLEAN",
        "reason": "VARCHAR",
        "source": "VARCHAR",
    }
)

# Why a line is refused, first matching reason wins. `j` is the parsed struct, `line` the raw text.
REFUSAL_SQL = """
    CASE
        WHEN j IS NULL THEN
            CASE WHEN NOT json_valid(line) THEN 'not valid JSON'
                 WHEN json_type(line) <> 'OBJECT' THEN 'not a JSON object'
                 ELSE 'a field has the wrong type (e.g. text metrics or a non-object geo)' END
        WHEN coalesce(j._quarantine, false) THEN 'quarantined by extractor: ' || coalesce(j.reason, 'no reason given')
        WHEN j.platform IS NULL OR trim(j.platform) = '' THEN 'missing required field: platform'
        WHEN j.platform_post_id IS NULL OR trim(j.platform_post_id) = '' THEN 'missing required field: platform_post_id'
        WHEN j.text IS NULL OR trim(j.text) = '' THEN 'missing required field: text (empty or absent)'
        WHEN j.created_at IS NOT NULL AND try_cast(j.created_at AS TIMESTAMPTZ) IS NULL
            THEN 'created_at is not ISO 8601: ' || j.created_at
    END
"""


def _parse_sql(table: str) -> str:
    """Each line parsed once into the post struct (NULL when it cannot be), with its refusal reason."""
    return f"""
        SELECT line_no, j, {REFUSAL_SQL} AS reason
        FROM (SELECT line_no, line,
                     -- only objects parse into the struct (json_transform would read an array too)
                     CASE WHEN ltrim(line) LIKE '{{%' THEN try(json_transform(line, '{POST_STRUCT}')) END AS j
              FROM {table})
    """


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while batch := list(islice(it, size)):
        yield batch


def load_lines(lines: Iterable[str], source: str = "ingest", progress: Progress | None = None) -> dict:
    """Validate and upsert normalized posts; refused lines go to quarantine. Returns counts."""
    counts = {"lines": 0, "posts_new": 0, "posts_updated": 0, "posts_unchanged": 0, "quarantined": 0}
    line_no = 0
    for batch in _batches(lines, LOAD_BATCH_LINES):
        batch = [line.rstrip("\r\n") for line in batch]
        numbered = [(line_no + i, line) for i, line in enumerate(batch) if line.strip()]
        line_no += len(batch)
        if not numbered:
            continue
        table = pa.table(
            {
                "line_no": pa.array([n for n, _ in numbered], pa.int64()),
                "line": pa.array([line for _, line in numbered], pa.string()),
            }
        )
        with connect(write=True) as con:
            _load_batch(con, table, source, counts)
        counts["lines"] += len(numbered)
        if progress:
            progress("load", counts["lines"], None)
    return counts


def _load_batch(con, table: pa.Table, source: str, counts: dict) -> None:
    con.register("incoming_lines", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE parsed AS {_parse_sql('incoming_lines')}")
    quarantined = con.execute(
        """
        INSERT INTO quarantine
        SELECT md5(? || chr(0) || i.line), coalesce(p.j.source, ?), p.reason, i.line, now()::TIMESTAMP
        FROM parsed p JOIN incoming_lines i USING (line_no)
        WHERE p.reason IS NOT NULL
        ON CONFLICT DO NOTHING
        """,
        [source, source],
    ).fetchone()[0]
    refused = con.execute("SELECT count(*) FROM parsed WHERE reason IS NOT NULL").fetchone()[0]
    counts["quarantined"] += refused
    log.debug("load: %d refused lines, %d new in quarantine", refused, quarantined)

    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE batch AS
        WITH accepted AS (
            SELECT trim(j.platform) AS platform,
                   trim(j.platform_post_id) AS platform_post_id,
                   j.url, j.author_id, j.author_name, j.text,
                   timezone('UTC', try_cast(j.created_at AS TIMESTAMPTZ)) AS created_at,
                   j.lang, j.parent_id, j.shared_from,
                   j.metrics.likes AS likes, j.metrics.shares AS shares,
                   j.metrics.comments AS comments, j.metrics.views AS views,
                   j.geo.lat AS lat, j.geo.lon AS lon,
                   j.media, j.source_query,
                   coalesce(timezone('UTC', try_cast(j.fetched_at AS TIMESTAMPTZ)), now()::TIMESTAMP) AS fetched_at,
                   j.raw,
                   line_no
            FROM parsed
            WHERE reason IS NULL
        )
        SELECT * EXCLUDE (line_no), platform || ':' || platform_post_id AS post_key,
               NULL::VARCHAR AS content_hash  -- fingerprinted by the dedupe step (warehouse.issues)
        FROM accepted
        -- the same post twice in one batch: the later line (newer metrics) wins
        QUALIFY row_number() OVER (PARTITION BY platform, platform_post_id ORDER BY line_no DESC) = 1
        """
    )
    existing = con.execute(
        """
        SELECT count(*) FILTER (WHERE p.likes IS NOT DISTINCT FROM b.likes
                                AND p.shares IS NOT DISTINCT FROM b.shares
                                AND p.comments IS NOT DISTINCT FROM b.comments
                                AND p.views IS NOT DISTINCT FROM b.views),
               count(*)
        FROM batch b JOIN posts p USING (platform, platform_post_id)
        """
    ).fetchone()
    total = con.execute("SELECT count(*) FROM batch").fetchone()[0]
    counts["posts_unchanged"] += existing[0]
    counts["posts_updated"] += existing[1] - existing[0]
    counts["posts_new"] += total - existing[1]

    changed = (
        "posts.likes IS DISTINCT FROM excluded.likes OR posts.shares IS DISTINCT FROM excluded.shares "
        "OR posts.comments IS DISTINCT FROM excluded.comments OR posts.views IS DISTINCT FROM excluded.views"
    )
    con.execute(
        f"""
        INSERT INTO posts (platform, platform_post_id, post_key, url, author_id, author_name, text, created_at,
                           lang, parent_id, shared_from, likes, shares, comments, views, lat, lon, media,
                           source_query, fetched_at, raw, content_hash, canonical_key, loaded_at, updated_at)
        SELECT platform, platform_post_id, post_key, url, author_id, author_name, text, created_at,
               lang, parent_id, shared_from, likes, shares, comments, views, lat, lon, media,
               source_query, fetched_at, raw, content_hash, NULL, now()::TIMESTAMP, now()::TIMESTAMP
        FROM batch
        ON CONFLICT (platform, platform_post_id) DO UPDATE SET
            likes = excluded.likes, shares = excluded.shares,
            comments = excluded.comments, views = excluded.views,
            fetched_at = CASE WHEN {changed} THEN excluded.fetched_at ELSE posts.fetched_at END,
            updated_at = CASE WHEN {changed} THEN excluded.updated_at ELSE posts.updated_at END
        """
    )
    con.unregister("incoming_lines")


def analyze_pending(analyze: Analyzer | None = None, progress: Progress | None = None) -> int:
    """Analyse posts that have no analysis yet; returns how many were analysed."""
    if analyze is None:
        from nlp import analyze_records as analyze  # heavy: loads the spaCy pipeline

    with connect() as con:
        pending = con.execute(
            """
            SELECT p.post_key, p.text FROM posts p
            WHERE NOT EXISTS (SELECT 1 FROM post_analysis a WHERE a.post_key = p.post_key)
            ORDER BY p.post_key
            """
        ).fetchall()
    done = 0
    for start in range(0, len(pending), ANALYZE_BATCH):
        chunk = pending[start : start + ANALYZE_BATCH]
        results = analyze([{"id": key, "text": text} for key, text in chunk])
        rows = [r for r in results if "error" not in r]
        for r in results:
            if "error" in r:
                log.warning("analysis refused %s: %s", r.get("id"), r["error"])
        _store_analysis(rows)
        done += len(chunk)
        if progress:
            progress("analyze", done, len(pending))
    return done


def _store_analysis(rows: list[dict]) -> None:
    if not rows:
        return
    table = pa.table(
        {
            "post_key": [r["id"] for r in rows],
            "model_version": [str(r.get("model_version") or "unknown") for r in rows],
            "is_complaint": pa.array([bool(r.get("is_complaint")) for r in rows], pa.bool_()),
            "complaint_score": pa.array([r.get("complaint_score") for r in rows], pa.float64()),
            "category": pa.array([r.get("category") for r in rows], pa.string()),
            "is_emergency": pa.array([bool(r.get("is_emergency")) for r in rows], pa.bool_()),
            "in_kutim": pa.array([bool(r.get("in_kutim")) for r in rows], pa.bool_()),
            "kecamatan": pa.array([r.get("kecamatan") for r in rows], pa.string()),
            "desa": pa.array([r.get("desa") for r in rows], pa.string()),
            "region_code": pa.array([r.get("region_code") for r in rows], pa.string()),
            "opd": pa.array([r.get("opd") for r in rows], pa.string()),
            "lapor_classification": pa.array([r.get("lapor_classification") for r in rows], pa.string()),
            "entities": pa.array([json.dumps(r.get("entities") or [], ensure_ascii=False) for r in rows]),
        }
    )
    with connect(write=True) as con:
        con.register("analysis_batch", table)
        con.execute(
            """
            INSERT INTO post_analysis
            SELECT post_key, model_version, is_complaint, complaint_score, category, is_emergency, in_kutim,
                   kecamatan, desa, region_code, opd, lapor_classification, entities::JSON, now()::TIMESTAMP
            FROM analysis_batch
            ON CONFLICT DO NOTHING
            """
        )
        con.unregister("analysis_batch")


def ingest_lines(
    lines: Iterable[str],
    source: str = "ingest",
    analyze: Analyzer | None = None,
    progress: Progress | None = None,
) -> dict:
    """The whole writer step for a stream of normalized-post lines. Returns counts as a dict."""
    from warehouse.issues import build_issues  # keeps `siaga --help` light

    started = time.perf_counter()
    counts = load_lines(lines, source=source, progress=progress)
    counts["analyzed"] = analyze_pending(analyze, progress=progress)
    counts.update(build_issues(progress=progress))
    counts["seconds"] = round(time.perf_counter() - started, 3)
    return counts

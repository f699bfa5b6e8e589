"""Normalized posts (JSON Lines) into the warehouse.

`ingest_lines` is the whole writer step: validate and load (bad lines to quarantine with
their reason), analyse what is new, link copies to their original, cluster reports into
issues and refresh the issues' drafts. Every write is an upsert and every batch one
transaction, so loading the same data twice changes nothing but engagement figures.

Parsing and validation happen in DuckDB over an Arrow column of raw lines: no per-row
Python on the load path. What is refused and why: README "Bad input loses nothing"; the
settings (known sources, the time window) are config/ingest.yaml.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from itertools import islice

import numpy as np
import pyarrow as pa

from warehouse.db import connect
from warehouse.fingerprint import content_hash_sql, normalized_text_sql
from warehouse.retention import retention_days
from warehouse.settings import SOURCE_NAME_PATTERN, IngestSettings, ingest_settings

log = logging.getLogger(__name__)

LOAD_BATCH_LINES = 1_000_000  # lines per transaction (see load_lines)
READ_BLOCK_CHARS = 1 << 24  # characters read from an open file at a time (its lines found by numpy)
SCAN_CHUNK_LINES = 16_384  # lines per Arrow record batch: a unit of DuckDB's parallel scan
ANALYZE_BATCH = 2_000
HOLD_S = 10.0  # the longest the loader holds the warehouse before letting a waiting process in

Analyzer = Callable[[list[dict]], list[dict]]
Progress = Callable[[str, int, int | None], None]

METRICS = ("likes", "shares", "comments", "views")
# Optional fields that hold text; an id given as a whole number is taken as its digits (as validate_post does).
TEXT_FIELDS = ("url", "author_id", "author_name", "lang", "parent_id", "shared_from", "source_query")
# The normalized post as DuckDB reads it; unknown keys are ignored, missing ones are null. Values are read
# as text (a number becomes its digits, a list its JSON) and judged with their JSON types, read beside.
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
        "metrics": dict.fromkeys(METRICS, "VARCHAR"),
        "geo": {"lat": "VARCHAR", "lon": "VARCHAR"},
        "media": "JSON",
        "source_query": "VARCHAR",
        "fetched_at": "VARCHAR",
        "raw": "JSON",
        "_quarantine": "BOOLEAN",
        "reason": "VARCHAR",
        "source": "VARCHAR",
    }
)
# Whose JSON type is judged (json_type() with all paths parses the line once, for a suspect line only).
TYPED_FIELDS = (
    "platform",
    "platform_post_id",
    "text",
    "created_at",
    "fetched_at",
    "metrics",
    "geo",
    "media",
    *TEXT_FIELDS,
)
# Nothing but spaces, tabs, line breaks, no-break and other Unicode spaces or zero-width characters.
BLANK_TEXT_RE = r"[\s\p{Z}\x{0085}\x{180E}\x{200B}-\x{200D}\x{2060}\x{FEFF}]*"
WHOLE_NUMBER_RE = "[0-9]{1,18}"
# A line of nothing but Unicode white space (line ends included): skipped, as a blank line between posts.
BLANK_LINE_RE = r"[\s\x{000B}\p{Z}\x{0085}]*"
ID_TYPES = "('VARCHAR', 'UBIGINT', 'BIGINT')"
JSON_SPACE = "' ' || chr(9) || chr(10) || chr(13)"  # what JSON allows before a value
# Every way json_transform writes a JSON number as text (1e+300, -0.0, NaN, -inf, ...), and more.
NUMBER_TEXT_RE = "-?([0-9][0-9.eE+-]*|(?i:nan|inf|infinity))"


def _kind(type_col: str) -> str:
    """SQL: what a JSON value of this json_type is, in words, for a refusal reason."""
    return (
        f"CASE {type_col} WHEN 'VARCHAR' THEN 'text' WHEN 'ARRAY' THEN 'a list' "
        f"WHEN 'OBJECT' THEN 'an object' WHEN 'BOOLEAN' THEN 'true/false' ELSE 'a number' END"
    )


def _shown(expr: str) -> str:
    """SQL: a value as shown in a reason, cut short."""
    return f"left(CAST({expr} AS VARCHAR), 80)"


def _refusal_sql(rules: IngestSettings) -> str:
    """Why a line is refused (NULL when it is a post), first matching reason wins; see README."""
    platforms = ", ".join(f"'{p}'" for p in rules.platforms)  # validated identifiers: safe to inline
    earliest = f"TIMESTAMP '{rules.earliest_post.isoformat()}'"
    skew = f"to_seconds({int(rules.future_skew_hours * 3600)})"

    def wrong_type(field: str, wanted: str) -> str:
        value = _shown("json_extract(line, '$." + field + "')")  # as written (only evaluated when refused)
        return f"'{field} must be {wanted}, got ' || {_kind(f'{field}_type')} || ': ' || {value}"

    metric_checks = "\n".join(
        f"""WHEN j.metrics.{k} IS NOT NULL AND NOT regexp_full_match(j.metrics.{k}, '{WHOLE_NUMBER_RE}')
                THEN 'metrics.{k} must be a whole number of at least 0, got ' || {_shown(f"j.metrics.{k}")}"""
        for k in METRICS
    )
    text_checks = "\n".join(f"WHEN {f}_type NOT IN {ID_TYPES} THEN {wrong_type(f, 'text')}" for f in TEXT_FIELDS)
    return f"""
    CASE
        WHEN j IS NULL THEN
            CASE WHEN NOT json_valid(line) THEN 'not valid JSON'
                 WHEN json_type(line) <> 'OBJECT' THEN 'not a JSON object'
                 ELSE 'a field has the wrong type (_quarantine, reason or source)' END
        WHEN coalesce(j._quarantine, false) THEN 'quarantined by extractor: ' || coalesce(j.reason, 'no reason given')
        WHEN platform_type IS NULL OR platform = '' THEN 'missing required field: platform'
        WHEN platform_type <> 'VARCHAR' THEN {wrong_type("platform", "a source name")}
        WHEN NOT regexp_full_match(platform, '{SOURCE_NAME_PATTERN}')
            THEN 'platform is not a source name (lower-case letters, digits, _): ' || {_shown("platform")}
        WHEN NOT list_contains([{platforms}], platform)
            THEN 'platform "' || {_shown("platform")} || '" is not a configured source '
                 || '(config/ingest.yaml platforms: {", ".join(rules.platforms)})'
        WHEN platform_post_id_type IS NULL OR platform_post_id = '' THEN 'missing required field: platform_post_id'
        WHEN platform_post_id_type NOT IN {ID_TYPES} THEN {wrong_type("platform_post_id", "text")}
        WHEN text_type IS NULL THEN 'missing required field: text'
        WHEN text_type <> 'VARCHAR' THEN {wrong_type("text", "a JSON string")}
        WHEN regexp_full_match(j.text, '{BLANK_TEXT_RE}') THEN 'missing required field: text (empty or only whitespace)'
        WHEN created_at_type IS NOT NULL AND created_at IS NULL
            THEN 'created_at is not ISO 8601: ' || {_shown("j.created_at")}
        WHEN fetched_at_type IS NOT NULL AND fetched_at IS NULL
            THEN 'fetched_at is not ISO 8601: ' || {_shown("j.fetched_at")}
        WHEN fetched_at > now()::TIMESTAMP + {skew}
            THEN 'fetched_at ' || {_shown("j.fetched_at")} || ' is in the future (after the load time)'
        WHEN created_at < {earliest}
            THEN 'created_at ' || {_shown("j.created_at")} || ' is before {rules.earliest_post.isoformat()}, '
                 || 'older than the platforms (config/ingest.yaml earliest_post)'
        WHEN fetched_at < {earliest}
            THEN 'fetched_at ' || {_shown("j.fetched_at")} || ' is before {rules.earliest_post.isoformat()}'
        WHEN created_at > coalesce(fetched_at, now()::TIMESTAMP) + {skew}
            THEN 'created_at ' || {_shown("j.created_at")} || CASE WHEN fetched_at IS NULL
                 THEN ' is in the future (after the load time)' ELSE ' is after fetched_at ' || j.fetched_at END
        WHEN metrics_type <> 'OBJECT' THEN {wrong_type("metrics", "an object of counts")}
        {metric_checks}
        WHEN geo_type <> 'OBJECT' THEN {wrong_type("geo", "an object {lat, lon}")}
        WHEN geo_type IS NOT NULL AND (lat IS NULL OR lon IS NULL)
            THEN 'geo must hold lat and lon as numbers, got ' || {_shown("json_extract(line, '$.geo')")}
        WHEN geo_type IS NOT NULL AND NOT (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180)
            THEN 'geo is out of range (lat -90..90, lon -180..180): ' || {_shown("json_extract(line, '$.geo')")}
        WHEN media_type <> 'ARRAY' THEN {wrong_type("media", "a list")}
        {text_checks}
    END
    """


def _suspect_sql() -> str:
    """SQL: true when a parsed line's fields might not all be of the JSON types they read as; only then are the
    line's JSON types read with json_type(), a second parse. json_transform to VARCHAR gives a number its
    digits, true/false their words and an object or a list its JSON, so a value that starts like none of these
    was a string (DuckDB also reads NaN and Infinity as numbers, in any case); an id of up to 18 digits is
    accepted as text and as a number alike; and metrics or geo read as a struct with nothing in it may have
    been no object at all."""

    def looks_typed(value: str, id_field: bool) -> str:
        # CASE, not OR: a regular expression only for a value that starts like a number (most start otherwise)
        numeric = f"regexp_full_match({value}, '{NUMBER_TEXT_RE}')"
        if id_field:
            numeric = f"CASE WHEN regexp_full_match({value}, '-?[0-9]{{1,18}}') THEN false ELSE {numeric} END"
        starts = ", ".join(f"'{c}'" for c in "-0123456789NnIi")
        return f"""CASE WHEN {value} IS NULL THEN false
            WHEN left({value}, 1) IN ('{{', '[') OR {value} IN ('true', 'false') THEN true
            WHEN left({value}, 1) IN ({starts}) THEN {numeric} ELSE false END"""

    checks = [looks_typed(f"j.{field}", id_field=False) for field in ("platform", "text")]
    checks += [looks_typed(f"j.{field}", id_field=True) for field in ("platform_post_id", *TEXT_FIELDS)]
    checks.append(f"(j.metrics IS NOT NULL AND {' AND '.join(f'j.metrics.{k} IS NULL' for k in METRICS)})")
    checks.append("(j.geo IS NOT NULL AND j.geo.lat IS NULL AND j.geo.lon IS NULL)")
    return " OR ".join(f"coalesce({check}, false)" for check in checks)


def _type_sql(field: str, position: int) -> str:
    """SQL: a field's JSON type: json_type()'s for a suspect line, else what its parsed value shows."""
    if field in ("metrics", "geo"):
        known = "'OBJECT'"  # a struct with something in it
    elif field == "media":  # read as JSON: its first character says
        known = (
            "CASE left(CAST(j.media AS VARCHAR), 1) WHEN '[' THEN 'ARRAY' WHEN '{' THEN 'OBJECT' "
            "WHEN '\"' THEN 'VARCHAR' WHEN 't' THEN 'BOOLEAN' WHEN 'f' THEN 'BOOLEAN' ELSE 'DOUBLE' END"
        )
    else:
        known = "'VARCHAR'"
    return (
        f"CASE WHEN t IS NOT NULL THEN nullif(t[{position}], 'NULL') WHEN j.{field} IS NULL THEN NULL ELSE {known} END"
    )


def _parse_sql(table: str, rules: IngestSettings) -> str:
    """Each line parsed once into the post struct (only a line that starts like an object: json_transform
    would read an array too), its JSON types read by a second parse only when a value may not be of the type
    it reads as (`_suspect_sql`: a few lines in a file, none in a clean one), then judged. Each level computes
    a value once: a column alias reused in the same SELECT is expanded by DuckDB's binder into a copy of its
    expression (the timestamps' try_cast ran once per use)."""
    paths = ", ".join(f"'$.{f}'" for f in TYPED_FIELDS)
    types = ", ".join(f"{_type_sql(f, i)} AS {f}_type" for i, f in enumerate(TYPED_FIELDS, start=1))
    return f"""
        SELECT *, {_refusal_sql(rules)} AS reason
        FROM (SELECT line_no, line, j, {types},
                     trim(j.platform) AS platform, trim(j.platform_post_id) AS platform_post_id,
                     timezone('UTC', try_cast(j.created_at AS TIMESTAMPTZ)) AS created_at,
                     timezone('UTC', try_cast(j.fetched_at AS TIMESTAMPTZ)) AS fetched_at,
                     try_cast(j.geo.lat AS DOUBLE) AS lat, try_cast(j.geo.lon AS DOUBLE) AS lon
              FROM (SELECT line_no, line, j,
                           CASE WHEN j IS NOT NULL AND ({_suspect_sql()}) THEN try(json_type(line, [{paths}])) END
                               AS t
                    FROM (SELECT line_no, line,
                                 CASE WHEN CASE WHEN starts_with(line, '{{') THEN true
                                                ELSE starts_with(ltrim(line, {JSON_SPACE}), '{{') END
                                      THEN try(json_transform(line, '{POST_STRUCT}')) END AS j
                          -- a byte-order mark at a line's start is not content (a file's first line, or a
                          -- file concatenated into a stream); the line end is JSON space, kept for now
                          FROM (SELECT line_no, CASE WHEN starts_with(line, '{{') THEN line
                                                     ELSE ltrim(line, chr(65279)) END AS line
                                FROM {table}))))
    """


def _parsed_sql(table: str, rules: IngestSettings) -> str:
    """Each line judged and, when it is a post, in the posts table's columns: what `parsed` holds. The
    parse's JSON struct is never stored (writing it out cost more than parsing); a refused line keeps only
    what its quarantine row needs (the extractor's own record: its source, reason and payload)."""
    # A post already past retention (an old file loaded again, a late backfill) comes in as retention leaves
    # it, without its author's name and raw payload: loading never brings back what retention removed.
    past_retention = f"coalesce(created_at, now()::TIMESTAMP) < now()::TIMESTAMP - INTERVAL {int(retention_days())} DAY"
    return f"""
        SELECT line_no, reason,
               CASE WHEN reason IS NOT NULL THEN j.source END AS said_source,
               reason IS NOT NULL AND coalesce(j._quarantine, false) AS from_extractor,
               CASE WHEN reason IS NOT NULL AND j._quarantine
                    THEN md5(concat_ws(chr(0), 'extractor', j.source, j.reason, CAST(j.raw AS VARCHAR))) END
                   AS extractor_hash,
               platform, platform_post_id, platform || ':' || platform_post_id AS post_key,
               j.url, j.author_id, CASE WHEN {past_retention} THEN NULL ELSE j.author_name END AS author_name,
               j.text, created_at, j.lang, j.parent_id, j.shared_from,
               try_cast(j.metrics.likes AS BIGINT) AS likes, try_cast(j.metrics.shares AS BIGINT) AS shares,
               try_cast(j.metrics.comments AS BIGINT) AS comments, try_cast(j.metrics.views AS BIGINT) AS views,
               lat, lon, j.media, j.source_query,
               coalesce(fetched_at, now()::TIMESTAMP) AS fetched_at,
               CASE WHEN {past_retention} THEN NULL ELSE j.raw END AS raw
        FROM ({_parse_sql(table, rules)})
        -- a line of nothing but spaces is no line (neither a post nor refused)
        WHERE j IS NOT NULL OR NOT regexp_full_match(line, '{BLANK_LINE_RE}')
    """


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while batch := list(islice(it, size)):
        yield batch


def _line_batches(lines: Iterable[str], size: int) -> Iterator[pa.Array | pa.ChunkedArray]:
    """The lines, `size` at a time, as Arrow strings (each may still end with its line end). An open file
    (or standard input) is read in large blocks whose line ends are found by numpy and become the Arrow
    array's offsets, with no copy and no Python string per line (one string per line cost more than DuckDB's
    parse). Its lines are the ones iterating it would give: a line ends at "\n", after the handle's own
    newline translation. Any other iterable is taken line by line."""
    read = getattr(lines, "read", None)
    if read is None:
        for batch in _batches(lines, size):
            yield pa.array(batch, pa.string())
        return
    pending: list[pa.Array] = []
    count = 0
    tail = b""
    while True:
        text = read(READ_BLOCK_CHARS)
        data = tail + text.encode("utf-8")
        ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1  # after each "\n" (one byte in UTF-8)
        if not text and data and (not len(ends) or ends[-1] != len(data)):
            ends = np.append(ends, len(data))  # the end of the input ends the last line
        if len(ends):
            offsets = np.concatenate(([0], ends)).astype(np.int32)
            pending.append(pa.StringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(data)))
            count += len(ends)
        tail = data[int(ends[-1]) :] if len(ends) else data
        while count >= size or (count and not text):
            # the blocks' arrays as they are (concatenating them copied every byte again: 0.8 CPU-s at 1M)
            taken: list[pa.Array] = []
            wanted = min(size, count)
            count -= wanted
            while wanted:
                head = pending.pop(0)
                if len(head) > wanted:
                    pending.insert(0, head.slice(wanted))
                    head = head.slice(0, wanted)
                taken.append(head)
                wanted -= len(head)
            yield pa.chunked_array(taken, pa.string())
        if not text:
            return


def _origin_of(lines: Iterable[str]) -> str:
    """The absolute path of an open file, else '' (a stream: standard input, a list of lines)."""
    name = getattr(lines, "name", None)
    if isinstance(name, str) and name and not name.startswith("<"):
        return os.path.abspath(name)
    return ""


def load_lines(
    lines: Iterable[str],
    source: str = "ingest",
    progress: Progress | None = None,
    origin: str | None = None,
) -> dict:
    """Validate and upsert normalized posts; refused lines go to quarantine. Returns counts.

    `origin` names where the lines come from (a file's path; default: the open file's absolute path,
    '' for other streams): a quarantined line is kept once per occurrence in its origin, so loading
    the same origin again quarantines nothing twice.
    """
    rules = ingest_settings()
    origin = _origin_of(lines) if origin is None else origin
    counts = {
        "lines": 0,
        "posts_new": 0,
        "posts_updated": 0,
        "posts_unchanged": 0,
        "posts_edited": 0,
        "quarantined": 0,
        "quarantine_new": 0,
    }
    line_no = 0
    seen: pa.Table | None = None  # bad lines' occurrences so far in this origin (by md5 of the line)
    # One connection for the stream, one transaction per batch, batches of up to a million lines. Measured at
    # 1M posts (issue 17): DuckDB checkpoints the file when a connection closes, and after several INSERTs
    # into the indexed posts table that checkpoint (merging their row groups and key indexes) cost about as
    # much as the inserts; one INSERT of a million rows commits in a fraction of that. A million lines take
    # about 1.0 GiB at peak (batches of 250,000: 0.85 GiB). The warehouse is let go at least every HOLD_S,
    # so that a moderator's save waits no longer than that.
    with ExitStack() as held:
        con, opened = None, 0.0
        for batch in _line_batches(lines, LOAD_BATCH_LINES):
            # The lines go to DuckDB as read, line ends included: JSON reads them as space, and only a refused
            # line is trimmed (for its quarantine row), so no copy of the batch is made here.
            table = pa.table({"line_no": pa.array(np.arange(line_no + 1, line_no + 1 + len(batch))), "line": batch})
            line_no += len(batch)
            # DuckDB hands an Arrow table's record batches to its threads one at a time: one batch of 250,000
            # lines would be parsed by one thread.
            table = pa.Table.from_batches(table.to_batches(max_chunksize=SCAN_CHUNK_LINES))
            if con is not None and time.monotonic() - opened > HOLD_S:
                held.close()
                con = None
            if con is None:
                con, opened = held.enter_context(connect(write=True, transaction=False)), time.monotonic()
            con.execute("BEGIN TRANSACTION")
            seen = _load_batch(con, table, source, origin, rules, seen, counts)
            con.execute("COMMIT")
            if progress:
                progress("load", counts["lines"], None)
    return counts


def _quarantine_refused(con, source: str, origin: str, seen: pa.Table | None, counts: dict) -> pa.Table | None:
    """Keep every refused line, one row per occurrence of its text in this origin; returns the running
    occurrence counts (carried to the next batch of the same origin)."""
    refused = con.execute("SELECT count(*) FROM parsed WHERE reason IS NOT NULL").fetchall()[0][0]
    if not refused:
        return seen
    con.register(
        "seen_before",
        seen
        if seen is not None
        else pa.table({"line_hash": pa.array([], pa.string()), "seen": pa.array([], pa.int64())}),
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE refused AS
        SELECT line_no, line, reason, said_source, line_hash, from_extractor,
               coalesce(s.seen, 0) + row_number() OVER (PARTITION BY line_hash ORDER BY line_no) AS occurrence
        FROM (SELECT line_no, line, reason, said_source, from_extractor,
                     -- an extractor's record is known by what it refused, not by when (received_at): the
                     -- same item from a retried extraction is the same occurrence
                     coalesce(extractor_hash, md5(line)) AS line_hash
              -- the line as kept: without its line end, nor a byte-order mark at its start
              FROM (SELECT p.*, ltrim(rtrim(i.line, chr(13) || chr(10)), chr(65279)) AS line
                    FROM parsed p JOIN incoming_lines i USING (line_no)
                    WHERE p.reason IS NOT NULL))
        LEFT JOIN seen_before s USING (line_hash)
        """
    )
    new = con.execute(
        """
        INSERT INTO quarantine (quarantine_id, source, reason, raw, received_at, origin, line_no, occurrence)
        -- A line is kept once per occurrence in its origin. An extractor's record names one platform item,
        -- which overlapping windows (the hourly watch, the next day's run) fetch again into other files:
        -- one row wherever it comes from.
        SELECT CASE WHEN from_extractor THEN md5(concat_ws(chr(0), ?, 'extractor', line_hash))
                    ELSE md5(concat_ws(chr(0), ?, ?, line_hash, occurrence::VARCHAR)) END,
               coalesce(said_source, ?), reason, line, now()::TIMESTAMP, ?, line_no, occurrence
        FROM refused
        ON CONFLICT DO NOTHING
        """,
        [source, source, origin, source, origin],
    ).fetchall()[0][0]
    counts["quarantined"] += refused
    counts["quarantine_new"] += new
    carried = con.sql(
        """
        SELECT line_hash, max(seen) AS seen FROM (
            SELECT line_hash, seen FROM seen_before UNION ALL SELECT line_hash, occurrence FROM refused)
        GROUP BY line_hash
        """
    ).to_arrow_table()
    con.unregister("seen_before")
    log.debug("load: %d refused lines, %d new in quarantine", refused, new)
    return carried


# Columns a newer version of a post replaces (everything but the key and the warehouse's own columns).
CONTENT_COLUMNS = (
    "url",
    "author_id",
    "author_name",
    "text",
    "created_at",
    "lang",
    "parent_id",
    "shared_from",
    "likes",
    "shares",
    "comments",
    "views",
    "lat",
    "lon",
    "media",
    "source_query",
)


def _load_batch(
    con, table: pa.Table, source: str, origin: str, rules: IngestSettings, seen: pa.Table | None, counts: dict
) -> pa.Table | None:
    con.register("incoming_lines", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE parsed AS {_parsed_sql('incoming_lines', rules)}")
    counts["lines"] += con.execute("SELECT count(*) FROM parsed").fetchall()[0][0]  # blank lines are not in it
    seen = _quarantine_refused(con, source, origin, seen, counts)

    # One version per post: the newest fetch wins (latest fetched_at; a line without one counts as
    # fetched now), a tie goes to the later line. The same rule decides against the stored version
    # below, so a post's content does not depend on how its versions were split over files and runs.
    # Most batches hold each post once: then the batch is `parsed` itself, not a second copy of it.
    columns = "platform, platform_post_id, post_key, " + ", ".join(CONTENT_COLUMNS) + ", fetched_at, raw"
    accepted, distinct = con.execute(
        "SELECT count(*), count(DISTINCT post_key) FROM parsed WHERE reason IS NULL"
    ).fetchall()[0]
    if accepted == distinct:
        con.execute(f"CREATE OR REPLACE TEMP VIEW batch AS SELECT {columns} FROM parsed WHERE reason IS NULL")
    else:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE batch AS
            SELECT {columns} FROM parsed
            WHERE reason IS NULL
            QUALIFY row_number() OVER (PARTITION BY platform, platform_post_id
                                       ORDER BY fetched_at DESC, line_no DESC) = 1
            """
        )
    existing = con.execute("SELECT count(*) FROM batch b JOIN posts p USING (platform, platform_post_id)").fetchall()[
        0
    ][0]
    updated = edited = 0
    if existing:  # comparing content reads every stored column: only when a post of the batch is stored
        differs = " OR ".join(f"p.{c} IS DISTINCT FROM b.{c}" for c in CONTENT_COLUMNS)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE newer AS
            SELECT b.post_key, p.text IS DISTINCT FROM b.text AS text_changed
            FROM batch b JOIN posts p USING (platform, platform_post_id)
            WHERE (p.fetched_at IS NULL OR b.fetched_at >= p.fetched_at) AND ({differs})
            """
        )
        updated, edited = con.execute("SELECT count(*), count(*) FILTER (WHERE text_changed) FROM newer").fetchall()[0]
    counts["posts_new"] += distinct - existing
    counts["posts_updated"] += updated
    counts["posts_unchanged"] += existing - updated
    counts["posts_edited"] += edited

    # content_hash stays NULL: the dedupe step (warehouse.issues) fingerprints new posts. When no post of
    # the batch is stored yet (a first load, a new day's file) nothing can conflict: a plain insert spares
    # the conflict check per row (this writer holds the file, so nothing else inserts meanwhile).
    con.execute(
        f"""
        INSERT INTO posts ({columns}, content_hash, canonical_key, loaded_at, updated_at)
        SELECT {columns}, NULL, NULL, now()::TIMESTAMP, now()::TIMESTAMP FROM batch
        {"ON CONFLICT (platform, platform_post_id) DO NOTHING" if existing else ""}
        """
    )
    if updated:
        con.execute(
            f"""
            UPDATE posts SET {", ".join(f"{c} = b.{c}" for c in CONTENT_COLUMNS)},
                   fetched_at = b.fetched_at, raw = b.raw, updated_at = now()::TIMESTAMP
            FROM batch b JOIN newer USING (post_key)
            WHERE posts.post_key = b.post_key
            """
        )
    if edited:
        _refresh_edited(con)
    con.unregister("incoming_lines")
    return seen


def _refresh_edited(con) -> None:
    """A post whose text changed: fingerprint the new text and analyse it again (its analysis is of the old
    text). It stays in its issue; `updated_at` moved, so the issue's figures and draft are refreshed."""
    con.execute(
        f"""
        UPDATE posts SET content_hash = {content_hash_sql(normalized_text_sql("posts.text"))}
        WHERE post_key IN (SELECT post_key FROM newer WHERE text_changed) AND canonical_key IS NOT NULL
        """
    )
    con.execute("DELETE FROM post_analysis WHERE post_key IN (SELECT post_key FROM newer WHERE text_changed)")


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
    origin: str | None = None,
) -> dict:
    """The whole writer step for a stream of normalized-post lines. Returns counts as a dict."""
    started = time.perf_counter()
    counts = load_lines(lines, source=source, progress=progress, origin=origin)
    return _after_load(counts, analyze, progress, started)


def ingest_files(
    paths: Iterable[str],
    source: str = "staging",
    analyze: Analyzer | None = None,
    progress: Progress | None = None,
) -> dict:
    """The writer step for files of normalized posts: each loaded as its own origin (so a quarantined line
    is known by its file and line), then one analysis and one clustering for them all."""
    started = time.perf_counter()
    counts: dict = {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            part = load_lines(handle, source=source, progress=progress, origin=os.path.abspath(path))
        for key, value in part.items():
            counts[key] = counts.get(key, 0) + value
    return _after_load(counts, analyze, progress, started)


def _after_load(counts: dict, analyze: Analyzer | None, progress: Progress | None, started: float) -> dict:
    from warehouse.issues import build_issues  # keeps `siaga --help` light

    counts["analyzed"] = analyze_pending(analyze, progress=progress)
    counts.update(build_issues(progress=progress))
    counts["seconds"] = round(time.perf_counter() - started, 3)
    return counts

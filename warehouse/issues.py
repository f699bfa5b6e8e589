"""Copies to their original, reports into issues, issues' figures and drafts.

Runs after posts are loaded and analysed. Only posts not yet linked are placed, so a
re-run places nothing twice; issue ids come from the first report's key, so a batch that
failed half-way and is retried lands the same issues.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter

import numpy as np

from warehouse.clustering import (
    SECONDS_PER_DAY,
    UNPLACED_COMPLAINT_SQL,
    Clusterer,
    IssueState,
    replay_issue,
    settle_similarities,
)
from warehouse.db import connect
from warehouse.fingerprint import (
    KM_MARKERS_SQL,
    band_keys,
    content_hash_sql,
    details_sql,
    minhash_signatures,
    normalized_text_sql,
    token_hashes_sql,
)
from warehouse.settings import ClusteringSettings, clustering_settings

log = logging.getLogger(__name__)

# Over the analysis `a`: the Kutim kecamatan of every place it names ("jalan poros Tepian Indah - Rantau
# Pulung": Bengalon and Rantau Pulung), so an issue is also at the other kecamatan its reports name.
NAMED_KECAMATAN_SQL = r"""list_sort(list_distinct(list_transform(
    list_filter(json_extract_string(a.entities, '$[*].code'), lambda c: regexp_matches(c, '^64\.08\.\d+')),
    lambda c: regexp_extract(c, '^64\.08\.\d+'))))"""

# A post is a report when it is an original (not a copy), a complaint, and in Kutim.
LATEST_ANALYSIS_SQL = """
    SELECT * FROM post_analysis
    QUALIFY row_number() OVER (PARTITION BY post_key ORDER BY analyzed_at DESC, model_version DESC) = 1
"""


def thread_sql(table: str) -> str:
    """SQL for the post a post answers ('' for a top-level post): the thread its copies must share."""
    t = table
    return (
        f"CASE WHEN {t}.parent_id IS NULL THEN '' WHEN {t}.parent_id LIKE '%:%' THEN {t}.parent_id "
        f"ELSE {t}.platform || ':' || {t}.parent_id END"
    )


def link_copies(con) -> int:
    """Set `canonical_key` on posts that have none: the shared post, or the first with the same content."""
    # Fingerprint the new posts' content (here rather than at load: the regex is the load's costliest step).
    con.execute(
        f"""
        UPDATE posts SET content_hash = {content_hash_sql("norm")}
        FROM (SELECT post_key, {normalized_text_sql("text")} AS norm FROM posts WHERE canonical_key IS NULL) AS n
        WHERE posts.post_key = n.post_key
        """
    )
    # Reposts and quotes point at their original when we have it (shared_from is "platform:id" or a bare id).
    con.execute(
        """
        UPDATE posts SET canonical_key = coalesce(orig.canonical_key, orig.post_key)
        FROM posts AS orig
        WHERE posts.canonical_key IS NULL AND posts.shared_from IS NOT NULL
          AND orig.post_key = CASE WHEN posts.shared_from LIKE '%:%' THEN posts.shared_from
                                   ELSE posts.platform || ':' || posts.shared_from END
          AND orig.post_key <> posts.post_key
        """
    )
    # The same content in the same thread: the existing canonical of that content, else the earliest post
    # with it. Top-level posts share the thread ''; a reply's thread is its parent, so a common reply
    # ("Setuju, sudah lama begini") under two posts stays two replies, each following its own parent.
    con.execute(
        f"""
        UPDATE posts SET canonical_key = pick.canonical
        FROM (
            SELECT content_hash, {thread_sql("posts")} AS thread,
                   coalesce(
                       min(post_key) FILTER (WHERE canonical_key = post_key),
                       arg_min(post_key, (coalesce(created_at, fetched_at), post_key))
                   ) AS canonical
            FROM posts
            WHERE (content_hash, {thread_sql("posts")}) IN (
                SELECT (content_hash, {thread_sql("n")}) FROM posts AS n WHERE n.canonical_key IS NULL)
            GROUP BY ALL
        ) AS pick
        WHERE posts.canonical_key IS NULL AND posts.content_hash = pick.content_hash
          AND {thread_sql("posts")} = pick.thread
        """
    )
    changed = con.execute("SELECT count(*) FROM posts WHERE canonical_key IS NULL").fetchone()[0]
    con.execute("UPDATE posts SET canonical_key = post_key WHERE canonical_key IS NULL")
    return changed


def _signatures(con, table: str) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures for the rows of `table` (columns idx 0..n-1, text), and each row's number of
    distinct wording words."""
    n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    tokens = con.execute(token_hashes_sql(table, "idx", "text")).fetchnumpy()
    words = np.bincount(np.asarray(tokens["id"], dtype=np.int64), minlength=n)[:n]
    return minhash_signatures(tokens["id"], tokens["h"], n), words


def _open_issues(con, since_s: float, settings: ClusteringSettings) -> list[IssueState]:
    """Open issues that may still take the new reports, each in the state clustering left it.

    The state is rebuilt from the issue's reports (`replay_issue`), not read from the issue's figures:
    those count copies and replies in its time span and put an issue with no geotag on its place's map
    point, which clustering must not use. So a run that finds yesterday's issues here places today's
    reports as one run over both days would (a tie between two candidates goes to the older by its first
    report's time, the same in either case). Reports are replayed in the order one run places them:
    placed reports by time, then those that could only join (no place found) by time.
    """
    # The issue's time span includes copies and replies, so this keeps every issue whose reports
    # could still be in the window (the clusterer checks the reports' own span).
    cutoff = since_s - settings.window_days * SECONDS_PER_DAY
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE open_reports AS
        -- `idx` numbers the rows 0..n-1 without gaps (it indexes the signature matrix), in replay order
        SELECT row_number() OVER (ORDER BY issue_id, n) - 1 AS idx, *
        FROM (
            SELECT ip.issue_id, i.category, p.post_key, p.text, a.region_code, p.lat, p.lon,
                   {NAMED_KECAMATAN_SQL} AS named,
                   epoch(coalesce(p.created_at, p.fetched_at)) AS t,
                   row_number() OVER (PARTITION BY ip.issue_id ORDER BY NOT coalesce(a.in_kutim, false),
                                      coalesce(p.created_at, p.fetched_at), p.post_key) AS n
            FROM issue_posts ip
            JOIN issues i USING (issue_id)
            JOIN posts p USING (post_key)
            LEFT JOIN ({LATEST_ANALYSIS_SQL}) a USING (post_key)
            WHERE ip.role = 'report' AND i.status = 'open' AND epoch(i.last_seen) >= ?
        )
        """,
        [cutoff],
    )
    # Every report's wording: one without wording words keeps none, so an issue's first kept wordings
    # may come from later reports.
    signatures, words = _signatures(con, "open_reports")
    rows = con.execute(
        f"""
        SELECT issue_id, category, idx, t, region_code, lat, lon, {KM_MARKERS_SQL} AS km, named,
               {details_sql()} AS details,
               first_value(t) OVER w AS opened, first_value(post_key) OVER w AS opener
        FROM open_reports
        WINDOW w AS (PARTITION BY issue_id ORDER BY n)
        ORDER BY opened, opener, n
        """
    ).fetchall()
    return [
        replay_issue(
            issue_id,
            reports[0][1],
            [
                (
                    t,
                    code,
                    lat,
                    lon,
                    signatures[idx],
                    frozenset(map(int, km or ())),
                    int(words[idx]),
                    frozenset(named),
                    frozenset(details or ()),
                )
                for _, _, idx, t, code, lat, lon, km, named, details, *_ in reports
            ],
        )
        for issue_id, reports in ((key, list(group)) for key, group in groupby(rows, key=itemgetter(0)))
    ]


def build_issues(
    settings: ClusteringSettings | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    mask: Callable[[str], str] | None = None,
) -> dict:
    """Link copies, place new reports into issues, refresh issue figures and drafts."""
    from warehouse import summaries
    from warehouse.drafts import refresh_drafts

    settings = settings or clustering_settings()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    part_clock, part_cpu = clock, time.process_time()

    def part(name: str) -> None:
        """A part of `cluster_s` (its own key, not summed again), with its CPU seconds (all threads): on a
        shared machine the wall clock measures the neighbours."""
        nonlocal part_clock, part_cpu
        now, cpu = time.perf_counter(), time.process_time()
        timings[name] = round(now - part_clock, 3)
        timings[name.removesuffix("_s") + "_cpu_s"] = round(cpu - part_cpu, 3)
        part_clock, part_cpu = now, cpu

    with connect(write=True) as con:
        link_copies(con)
        lap("link_copies_s")
        part_clock, part_cpu = clock, time.process_time()
        window_s = settings.window_days * SECONDS_PER_DAY
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE new_reports AS
            WITH candidates AS (
                SELECT p.post_key, p.text, epoch(coalesce(p.created_at, p.fetched_at)) AS t,
                       a.category, a.region_code, p.lat, p.lon, {NAMED_KECAMATAN_SQL} AS named,
                       coalesce(a.is_complaint AND a.category IS NOT NULL, false) AS is_report,
                       is_report AND a.in_kutim AS may_open
                FROM posts p JOIN ({LATEST_ANALYSIS_SQL}) a USING (post_key)
                WHERE p.canonical_key = p.post_key
                  AND (a.in_kutim OR {UNPLACED_COMPLAINT_SQL})
                  -- a post that is not a report may follow an issue; a reply follows its thread instead
                  AND (coalesce(a.is_complaint AND a.category IS NOT NULL, false) OR p.parent_id IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM issue_posts ip WHERE ip.post_key = p.post_key)
            )
            -- one that may only join is looked at while a new placed report or an open issue is within the
            -- window of it (a day of follow-ups alone still finds yesterday's issues)
            SELECT row_number() OVER (ORDER BY t, post_key) - 1 AS idx, * FROM (
                FROM candidates WHERE may_open
                UNION ALL
                FROM candidates c WHERE NOT may_open AND (
                    t BETWEEN (SELECT min(t) FROM candidates WHERE may_open) - {window_s}
                          AND (SELECT max(t) FROM candidates WHERE may_open) + {window_s}
                    OR EXISTS (SELECT 1 FROM issues i WHERE i.status = 'open'
                               AND epoch(i.last_seen) >= c.t - {window_s} AND epoch(i.first_seen) <= c.t + {window_s}))
            )
            """
        )
        reports = con.execute(
            f"SELECT post_key, t, category, region_code, lat, lon, {KM_MARKERS_SQL}, may_open, is_report, named,"
            f" {details_sql()} FROM new_reports ORDER BY idx"
        ).fetchall()
        part("cluster_select_s")
        assignments: list[tuple] = []
        opened = 0
        if reports:
            sigs, words = _signatures(con, "new_reports")
            bands = band_keys(sigs)
            part("cluster_signatures_s")
            clusterer = Clusterer(settings, _open_issues(con, reports[0][1], settings))
            part("cluster_open_issues_s")
            # in time order: placed reports open or join issues, posts that are not reports follow the issues
            # opened so far without changing them (so a run over one day places them as a run over many);
            # then complaints that may only join (place unknown), after the batch's placed reports opened theirs
            words, nothing = words.tolist(), frozenset()
            for i in sorted(range(len(reports)), key=lambda i: reports[i][8] and not reports[i][7]):
                key, t, category, code, lat, lon, km, may_open, is_report, named, details = reports[i]
                km = frozenset(map(int, km)) if km else nothing
                details = frozenset(details) if details else nothing
                if is_report:
                    a = clusterer.assign(
                        key,
                        t,
                        category,
                        code,
                        lat,
                        lon,
                        sigs[i],
                        km,
                        bands[i],
                        may_open=may_open,
                        words=words[i],
                        named=frozenset(named) if named else nothing,
                        details=details,
                    )
                else:
                    a = clusterer.follow_up(t, code, lat, lon, sigs[i], km, bands[i])
                if a is None:
                    continue
                opened += a.opened
                assignments.append((key, a, "report" if is_report else "follow_up"))
                if progress and (i + 1) % 50_000 == 0:
                    progress("cluster", i + 1, len(reports))
            settle_similarities([a for _, a, _ in assignments])
            assignments = [(key, a.issue_id, role, a.similarity) for key, a, role in assignments]
            part("cluster_place_s")
        lap("cluster_s")
        _store_links(con, assignments)
        copies, replies = _link_followers(con)
        touched = _refresh_issue_figures(con)
        lap("issue_figures_s")
        drafts = refresh_drafts(con, touched, mask=mask)
        summaries.refresh(con, touched)  # the pages' summary tables, in this same transaction
        lap("drafts_s")
    return {
        "reports_placed": len(assignments),
        "copies_linked": copies,
        "replies_linked": replies,
        "issues_opened": opened,
        "issues_touched": len(touched),
        **drafts,
        "timings": timings,
    }


# Copies follow their original into its issue, and replies that are not reports of their own follow
# the post they answer: both count as reach, not as new reports.
FOLLOW_COPIES_SQL = """
    INSERT INTO issue_posts
    SELECT p.post_key, ip.issue_id, 'duplicate', 1.0, now()::TIMESTAMP
    FROM posts p JOIN issue_posts ip ON ip.post_key = p.canonical_key
    WHERE p.canonical_key <> p.post_key
      AND NOT EXISTS (SELECT 1 FROM issue_posts x WHERE x.post_key = p.post_key)
    ON CONFLICT DO NOTHING
"""
FOLLOW_REPLIES_SQL = """
    INSERT INTO issue_posts
    SELECT p.post_key, ip.issue_id, 'reply', NULL, now()::TIMESTAMP
    FROM posts p JOIN issue_posts ip
      ON ip.post_key = CASE WHEN p.parent_id LIKE '%:%' THEN p.parent_id ELSE p.platform || ':' || p.parent_id END
    WHERE p.parent_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM issue_posts x WHERE x.post_key = p.post_key)
    ON CONFLICT DO NOTHING
"""
MAX_FOLLOW_DEPTH = 10  # a reply to a retweet of a reply...: chains are short; the bound guards a cycle


def _link_followers(con) -> tuple[int, int]:
    """Link copies and replies until nothing more joins, so a second run finds nothing left to link."""
    copies = replies = 0
    for _ in range(MAX_FOLLOW_DEPTH):
        new_copies = con.execute(FOLLOW_COPIES_SQL).fetchone()[0]
        new_replies = con.execute(FOLLOW_REPLIES_SQL).fetchone()[0]
        copies, replies = copies + new_copies, replies + new_replies
        if not new_copies and not new_replies:
            break
    return copies, replies


def _store_links(con, assignments: list[tuple]) -> None:
    if not assignments:
        return
    import pyarrow as pa

    keys, issue_ids, roles, sims = zip(*assignments, strict=True)
    con.register(
        "new_links",
        pa.table({"post_key": keys, "issue_id": issue_ids, "role": roles, "similarity": sims}),
    )
    con.execute(
        """
        INSERT INTO issue_posts SELECT post_key, issue_id, role, similarity, now()::TIMESTAMP FROM new_links
        ON CONFLICT DO NOTHING
        """
    )
    con.unregister("new_links")


# Orders an issue's reports for its place: the longest region code first, then the earliest, then by key.
PLACE_PICK_KEY = "(-length(coalesce(a.region_code, '')), coalesce(p.created_at, TIMESTAMP '9999-12-31'), p.post_key)"


def _refresh_issue_figures(con) -> list[str]:
    """Recompute figures of issues that gained posts (or are new); returns their ids."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE touched AS
        -- linked in this transaction (now() is the transaction's start), or engagement changed since
        SELECT DISTINCT ip.issue_id FROM issue_posts ip
        JOIN posts p USING (post_key)
        LEFT JOIN issues i USING (issue_id)
        WHERE i.issue_id IS NULL OR ip.linked_at = now()::TIMESTAMP OR p.updated_at > i.updated_at
        """
    )
    con.execute(
        f"""
        INSERT INTO issues (issue_id, category, kecamatan, desa, region_code, lat, lon, is_emergency,
                            first_seen, last_seen, post_count, report_count, reach, status, created_at, updated_at)
        SELECT ip.issue_id,
               arg_min(a.category, (coalesce(p.created_at, p.fetched_at), p.post_key))
                   FILTER (WHERE ip.role = 'report'),
               -- the most specific place any report names; among equals the first report's, all three
               -- from that one report (ties never go to chance)
               arg_min_null(a.kecamatan, {PLACE_PICK_KEY}) FILTER (WHERE ip.role = 'report'),
               arg_min_null(a.desa, {PLACE_PICK_KEY}) FILTER (WHERE ip.role = 'report'),
               arg_min_null(a.region_code, {PLACE_PICK_KEY}) FILTER (WHERE ip.role = 'report'),
               avg(p.lat), avg(p.lon),
               coalesce(bool_or(a.is_emergency) FILTER (WHERE ip.role = 'report'), false),
               min(coalesce(p.created_at, p.fetched_at)), max(coalesce(p.created_at, p.fetched_at)),
               count(*), count(*) FILTER (WHERE ip.role = 'report'),
               sum(coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0))
                   + count(*) FILTER (WHERE ip.role <> 'report'),
               'open', now()::TIMESTAMP, now()::TIMESTAMP
        FROM issue_posts ip
        JOIN posts p USING (post_key)
        LEFT JOIN ({LATEST_ANALYSIS_SQL}) a ON a.post_key = p.post_key
        WHERE ip.issue_id IN (SELECT issue_id FROM touched)
        GROUP BY ip.issue_id
        ON CONFLICT (issue_id) DO UPDATE SET
            kecamatan = excluded.kecamatan, desa = excluded.desa, region_code = excluded.region_code,
            lat = excluded.lat, lon = excluded.lon, is_emergency = excluded.is_emergency,
            first_seen = excluded.first_seen, last_seen = excluded.last_seen,
            post_count = excluded.post_count, report_count = excluded.report_count,
            reach = excluded.reach, updated_at = excluded.updated_at
        """
    )
    _place_issues_on_the_map(con)
    return [row[0] for row in con.execute("SELECT issue_id FROM touched ORDER BY issue_id").fetchall()]


# How far a geotag may lie from its desa's or kecamatan's centre and still be where the problem is. A
# platform's place tag is often the town's centre, kilometres away: the 112 operator must not go there.
GEOTAG_RADIUS_KM = {"desa": 5.0, "kecamatan": 30.0}


def _place_issues_on_the_map(con) -> None:
    """Touched issues' coordinates: the mean of their geotags that lie in the issue's place, else its centre."""
    import pyarrow as pa

    from nlp.regions import all_regions

    points = [
        (r.code, r.lat, r.lon, GEOTAG_RADIUS_KM["desa" if r.code.count(".") == 3 else "kecamatan"])
        for r in all_regions()
        if r.code.count(".") >= 2 and r.lat is not None
    ]
    codes, lats, lons, radii = zip(*points, strict=True)
    con.register("region_points", pa.table({"code": codes, "lat": lats, "lon": lons, "radius_km": radii}))
    con.execute(
        """
        UPDATE issues SET lat = coalesce(placed.geo_lat, placed.r_lat), lon = coalesce(placed.geo_lon, placed.r_lon)
        FROM (
            SELECT i.issue_id, any_value(r.lat) AS r_lat, any_value(r.lon) AS r_lon,
                   avg(p.lat) FILTER (WHERE near) AS geo_lat, avg(p.lon) FILTER (WHERE near) AS geo_lon
            FROM issues i JOIN region_points r ON r.code = i.region_code
            JOIN issue_posts ip ON ip.issue_id = i.issue_id JOIN posts p ON p.post_key = ip.post_key,
            LATERAL (SELECT p.lat IS NOT NULL AND sqrt(pow((p.lat - r.lat) * 111.32, 2)
                         + pow((p.lon - r.lon) * 111.32 * cos(radians(r.lat)), 2)) <= r.radius_km AS near)
            WHERE i.issue_id IN (SELECT issue_id FROM touched)
            GROUP BY i.issue_id
        ) AS placed
        WHERE issues.issue_id = placed.issue_id
        """
    )
    con.unregister("region_points")

"""Warehouse benchmark: load rate, deduplication and clustering time, peak memory.

Each size runs in its own process (fresh warehouse, honest peak memory). Synthetic posts
are written to a JSONL file first (not timed), with copies (retweets, cross-posts) and
many reports per problem; their analysis is inserted directly so that the figures measure
the warehouse, not the NLP model (which has its own benchmark).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from core.domain import CATEGORIES

# Each generated problem is told in its own words: one of its category's subjects and its own spot (a street
# or a landmark, and an RT), so two problems of one category in one desa differ in wording as real ones do.
SUBJECTS = {
    "jalan_jembatan": ("jalan rusak berlubang", "jembatan kayu amblas", "aspal mengelupas licin"),
    "banjir": ("banjir masuk rumah", "drainase tersumbat meluap", "genangan setinggi lutut"),
    "air_bersih": ("air pdam mati", "air keruh berbau", "pipa bocor muncrat"),
    "listrik": ("listrik padam", "lampu jalan mati", "tiang listrik miring"),
    "lingkungan_sampah": ("sampah menumpuk", "limbah sawit bau", "tps penuh lalat"),
    "kesehatan": ("antrean puskesmas", "obat kosong apotek", "dokter jarang datang"),
    "pendidikan": ("sekolah rusak", "atap kelas bocor", "guru honorer kurang"),
    "adminduk": ("ktp belum jadi", "akta kelahiran lama", "kk salah cetak"),
    "sosial": ("bansos tidak cair", "blt salah sasaran", "sembako lansia telat"),
    "kebakaran": ("rumah terbakar", "lahan terbakar asap", "gudang hangus"),
    "bencana_alam": ("tanah longsor", "angin puting beliung", "abrasi pantai"),
    "ketertiban_keamanan": ("buaya muncul", "pencurian motor", "balap liar malam"),
    "transportasi": ("macet parah", "parkir liar", "angkot ngetem"),
    "lainnya": ("pelayanan lambat", "pungli kantor", "website mati"),
}
SPOTS = (
    "mawar",
    "melati",
    "anggrek",
    "kenanga",
    "cempaka",
    "flamboyan",
    "merpati",
    "cendrawasih",
    "rajawali",
    "nusantara",
    "pelita",
    "harapan",
    "sejahtera",
    "damai",
    "bersama",
    "pemuda",
    "pertanian",
    "masjid",
    "pasar",
    "pelabuhan",
    "simpang",
    "lapangan",
    "kebun",
    "sungai",
    "bukit",
    "pantai",
    "kampung",
    "baru",
)
FILLERS = (
    "tolong",
    "pak",
    "bupati",
    "sudah",
    "lama",
    "warga",
    "kesal",
    "mohon",
    "segera",
    "ditindak",
    "kapan",
    "diperbaiki",
    "parah",
    "banget",
    "gak",
    "ada",
    "respon",
    "dinas",
    "terkait",
    "kutim",
)


def write_synthetic(path: Path, n: int, seed: int = 7) -> list[tuple]:
    """Write n normalized posts; returns their analysis rows (post_key, category, region_code, problem): the
    generated problem each post tells, so the bench can score the issues it forms against them."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)  # a year that has passed: the loader refuses posts dated in the future
    n_problems = max(1, n // 8)
    problems = [
        (
            rng.choice(CATEGORIES),
            f"64.08.{rng.randint(1, 18):02d}.2{rng.randint(1, 9):03d}",
            rng.randint(0, 360),
            rng.randrange(3),
            f"{rng.choice(('jalan', 'gang'))} {rng.choice(SPOTS)}",
            rng.randint(1, 40),
        )
        for _ in range(n_problems)
    ]
    analysis = []
    recent: list[tuple[str, int]] = []  # (text, problem) of recent originals
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            problem = rng.randrange(n_problems)
            if recent and rng.random() < 0.2:  # a retweet or cross-post of a recent post
                text, problem = recent[rng.randrange(len(recent))]
                text = f"RT @warga{i % 97}: {text}" if i % 2 else text.upper()
            else:
                category, code, _, subject, spot, rt = problems[problem]
                words = rng.sample(FILLERS, 6)
                where = rng.choice((f"{spot} rt {rt:02d}", spot, f"rt {rt:02d}"))  # not every post says all
                text = f"{SUBJECTS[category][subject]} di {where} desa {code[-4:]} {' '.join(words)} nomor {i}"
                recent.append((text, problem))
                if len(recent) > 1000:
                    recent.pop(0)
            category, code, day, *_ = problems[problem]
            created = start + timedelta(days=day + rng.random() * 10, seconds=i % 60)
            record = {
                "platform": ("x", "facebook", "instagram", "whatsapp")[i % 4],
                "platform_post_id": str(i),
                "text": text,
                "created_at": created.isoformat() + "Z",
                "metrics": {"likes": i % 37, "shares": i % 5, "comments": i % 11, "views": None},
                "url": f"https://example.invalid/{i}",
            }
            out.write(json.dumps(record) + "\n")
            analysis.append((f"{record['platform']}:{i}", category, code, problem))
    return analysis


PAIRWISE_SQL = """
    WITH cells AS (
        SELECT g.problem, coalesce(ip.issue_id, 'alone:' || g.post_key) AS issue, count(*) AS n
        FROM generated g LEFT JOIN issue_posts ip USING (post_key) GROUP BY ALL
    ),
    pairs AS (
        SELECT (SELECT sum(n * (n - 1) / 2) FROM cells) AS tp,
               (SELECT sum(m * (m - 1) / 2) FROM (SELECT sum(n) AS m FROM cells GROUP BY issue)) AS predicted,
               (SELECT sum(m * (m - 1) / 2) FROM (SELECT sum(n) AS m FROM cells GROUP BY problem)) AS truth
    )
    SELECT tp / predicted, tp / truth FROM pairs
"""


def pairwise_against_problems(con, post_keys, problems) -> dict:
    """Pairwise precision and recall of the issues against the generated problems (as `siaga
    evaluate-clustering` scores a labelled set): copies included, each post of one problem."""
    import pyarrow as pa

    con.register("generated", pa.table({"post_key": post_keys, "problem": problems}))
    precision, recall = con.execute(PAIRWISE_SQL).fetchall()[0]
    con.unregister("generated")
    return {
        "problems": len(set(problems)),
        "pair_precision": round(float(precision), 4),
        "pair_recall": round(float(recall), 4),
    }


# DuckDB's own reading of a staging file: the normalized post's fields in the posts table's types.
LIMIT_COLUMNS = {
    "platform": "VARCHAR",
    "platform_post_id": "VARCHAR",
    "url": "VARCHAR",
    "author_id": "VARCHAR",
    "author_name": "VARCHAR",
    "text": "VARCHAR",
    "created_at": "TIMESTAMPTZ",
    "lang": "VARCHAR",
    "parent_id": "VARCHAR",
    "shared_from": "VARCHAR",
    "metrics": "STRUCT(likes BIGINT, shares BIGINT, comments BIGINT, views BIGINT)",
    "geo": "STRUCT(lat DOUBLE, lon DOUBLE)",
    "media": "JSON",
    "source_query": "VARCHAR",
    "fetched_at": "TIMESTAMPTZ",
    "raw": "JSON",
}


def duckdb_limit(path: Path) -> dict:
    """How fast DuckDB itself loads the staging file: `read_json` with a columns spec and one
    `INSERT ... ON CONFLICT DO NOTHING` into an empty copy of `posts` (its primary key included) in the same
    warehouse file, connection and commit timed as the loader's are. No validation, no quarantine, no
    newest-fetch rule: the ceiling for our load, not a loader. (DO UPDATE measured slower, so the faster
    DO NOTHING is the ceiling.) The copy is dropped afterwards.
    Returns the posts it loaded, the seconds and the CPU seconds."""
    from warehouse.db import connect

    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in LIMIT_COLUMNS.items()) + "}"
    with connect(write=True) as con:
        ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'posts'").fetchone()[0]
        con.execute(ddl.replace("CREATE TABLE posts", "CREATE TABLE posts_duckdb_limit", 1))
    started, cpu = time.perf_counter(), _cpu_s()
    with connect(write=True) as con:
        loaded = con.execute(
            f"""
            INSERT INTO posts_duckdb_limit
            SELECT platform, platform_post_id, platform || ':' || platform_post_id, url, author_id, author_name,
                   text, timezone('UTC', created_at), lang, parent_id, shared_from, metrics.likes, metrics.shares,
                   metrics.comments, metrics.views, geo.lat, geo.lon, media, source_query,
                   coalesce(timezone('UTC', fetched_at), now()::TIMESTAMP), raw, NULL, NULL,
                   now()::TIMESTAMP, now()::TIMESTAMP
            FROM read_json(?, format = 'newline_delimited', columns = {columns})
            ON CONFLICT (platform, platform_post_id) DO NOTHING
            """,
            [str(path)],
        ).fetchall()[0][0]
    seconds, cpu = time.perf_counter() - started, _cpu_s() - cpu
    with connect(write=True) as con:
        con.execute("DROP TABLE posts_duckdb_limit")
    return {"posts": loaded, "seconds": seconds, "cpu_s": cpu}


def _cpu_s() -> float:
    """CPU seconds of this process, all threads: on a shared machine a fairer comparison than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(n: int, limit: bool = True) -> dict:
    """Benchmark one size in this process; `limit=False` leaves out DuckDB's own load (`--cluster-only`)."""
    import os

    import pyarrow as pa

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SIAGA_WAREHOUSE"] = str(Path(tmp) / "bench.duckdb")
        from warehouse.db import connect
        from warehouse.ingest import load_lines
        from warehouse.issues import build_issues

        source = Path(tmp) / "posts.jsonl"
        analysis = write_synthetic(source, n)
        with connect(write=True):  # the schema's migrations are not load work (DuckDB's limit has them too)
            pass
        with source.open(encoding="utf-8") as handle:
            started, cpu = time.perf_counter(), _cpu_s()
            counts = load_lines(handle)
            load_s, load_cpu_s = time.perf_counter() - started, _cpu_s() - cpu
        limit = duckdb_limit(source) if limit else None
        keys, cats, codes, problems = zip(*analysis, strict=True)
        with connect(write=True) as con:
            con.register("a", pa.table({"post_key": keys, "category": cats, "region_code": codes}))
            con.execute(
                "INSERT INTO post_analysis SELECT post_key, 'bench', true, 1.0, category, false, true, NULL, NULL, "
                "region_code, NULL, 'pengaduan', '[]', now()::TIMESTAMP FROM a"
            )
        del analysis, cats, codes
        started, cpu = time.perf_counter(), _cpu_s()
        result = build_issues(mask=lambda text: text)
        cluster_s, cluster_cpu_s = time.perf_counter() - started, _cpu_s() - cpu
        with connect(write=True) as con:  # registers a table: a read connection keeps a pending result
            quality = pairwise_against_problems(con, keys, problems)
    timings = result.pop("timings")
    limit_figures = (
        {
            "duckdb_limit_s": round(limit["seconds"], 3),
            "duckdb_limit_cpu_s": round(limit["cpu_s"], 3),
            "duckdb_limit_posts_per_s": round(limit["posts"] / limit["seconds"]),
            # our rate over DuckDB's, both counting the posts stored
            "load_fraction_of_duckdb_limit": round(
                counts["posts_new"] / load_s / (limit["posts"] / limit["seconds"]), 3
            ),
        }
        if limit
        else {}
    )
    return {
        "posts": n,
        "load_s": round(load_s, 3),
        "load_posts_per_s": round(counts["posts_new"] / load_s),
        "load_cpu_s": round(load_cpu_s, 3),
        **limit_figures,
        "dedupe_cluster_s": round(timings["link_copies_s"] + timings["cluster_s"] + timings["issue_figures_s"], 3),
        "drafts_s": timings["drafts_s"],
        "build_issues_total_s": round(cluster_s, 3),
        # CPU seconds of the same call (drafts included): on a shared machine the wall clock measures the neighbours
        "build_issues_cpu_s": round(cluster_cpu_s, 3),
        "build_issues_timings": timings,
        "issues": result["issues_opened"],
        **quality,
        "copies": result["copies_linked"],
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> dict:
    """Each size in a fresh process; prints progress on stderr; returns the figures."""
    results = []
    for n in sizes:
        print(f"warehouse bench: {n} posts…", file=sys.stderr, flush=True)
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import json, tools.bench.warehouse as b; print('RESULT', json.dumps(b.run_one({n})))",
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        result = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")][-1]
        results.append(json.loads(result.removeprefix("RESULT ")))
    figures = {"warehouse": results}
    if len(results) >= 2:
        figures["cluster_time_ratio_1m_over_100k"] = round(
            results[-1]["dedupe_cluster_s"] / max(results[0]["dedupe_cluster_s"], 1e-9), 2
        )
    return figures


def load_only(source: Path, repeat: int = 1) -> dict:
    """The load alone on one staging file (no analysis, no clustering): each round our loader into a fresh
    warehouse, then DuckDB's limit on the same file in the same warehouse, as `run_one` measures them.
    For profiling the load at 1M posts without the minute of clustering after it."""
    import os
    import shutil

    rounds = []
    for _ in range(repeat):
        tmp = tempfile.mkdtemp(prefix="siaga-load-bench-")
        try:
            os.environ["SIAGA_WAREHOUSE"] = str(Path(tmp) / "bench.duckdb")
            from warehouse.db import connect
            from warehouse.ingest import load_lines

            with connect(write=True):  # the schema's migrations are not load work
                pass
            with source.open(encoding="utf-8") as handle:
                started, cpu = time.perf_counter(), _cpu_s()
                counts = load_lines(handle)
                load_s, load_cpu_s = time.perf_counter() - started, _cpu_s() - cpu
            limit = duckdb_limit(source)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        ours, theirs = counts["posts_new"] / load_s, limit["posts"] / limit["seconds"]
        rounds.append(
            {
                "posts": counts["posts_new"],
                "load_s": round(load_s, 3),
                "load_posts_per_s": round(ours),
                "load_cpu_s": round(load_cpu_s, 3),
                "duckdb_limit_s": round(limit["seconds"], 3),
                "duckdb_limit_posts_per_s": round(theirs),
                "duckdb_limit_cpu_s": round(limit["cpu_s"], 3),
                "load_fraction_of_duckdb_limit": round(ours / theirs, 3),
                "load_cpu_fraction_of_duckdb_limit": round(limit["cpu_s"] / load_cpu_s, 3),
            }
        )
    return {"load": rounds, "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


if __name__ == "__main__":
    # python -m tools.bench.warehouse --load-only N|PATH [--repeat K]: the load beside DuckDB's limit
    # python -m tools.bench.warehouse --cluster-only N: one size's load, dedupe and clustering, without the limit
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.bench.warehouse")
    part = parser.add_mutually_exclusive_group(required=True)
    part.add_argument("--load-only", help="a number of synthetic posts, or a staging file")
    part.add_argument("--cluster-only", type=int, metavar="N", help="a number of synthetic posts")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.cluster_only:
        print(json.dumps(run_one(args.cluster_only, limit=False)))
    elif args.load_only.isdigit():
        with tempfile.TemporaryDirectory() as folder:
            staging = Path(folder) / "posts.jsonl"
            write_synthetic(staging, int(args.load_only))
            print(json.dumps(load_only(staging, args.repeat)))
    else:
        print(json.dumps(load_only(Path(args.load_only), args.repeat)))

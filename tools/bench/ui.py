"""Page-time benchmark: every page and read API of the UI (queue, draft detail, the viral dashboard,
Darurat, the LAPOR! tickets, the monev report, the audit) on a generated warehouse of 100,000 posts and
10,000 issues (about 2,000 of them sent to LAPOR!), or any size (`siaga bench --only ui --posts 1000000`:
a province's year). Target: p95 under 300 ms each, the queue and the draft detail under 100 ms.

The data is generated in DuckDB with SQL over `range()` (seconds, not minutes). Pages are
requested through the real app in-process (FastAPI's TestClient: routing, templates, SQL);
only the login is replaced by FastAPI's dependency override, because the bench measures
the UI, not Airflow's JWT check.

Every URL of a page type is requested once before the timed rounds (templates compiled, the process's
caches filled), so the figures are the steady state a user meets. The LAPOR! tickets are the exception
worth its own figure: the process keeps them until any draft or ticket changes, so right after a write
the Tiket LAPOR! page and `lapor.csv` recompute them; `ui_lapor_uncached_*` and `ui_csv_lapor_uncached_*`
time those requests with that cache emptied before each.

Run: PYTHONPATH=.:plugins .venv/bin/python -m tools.bench.ui [--posts N] [--keep PATH] (or `siaga bench
--only ui`). A 1M warehouse takes ~20 s to generate: `--keep PATH` (or SIAGA_UI_BENCH_WAREHOUSE=PATH for
`siaga bench`) generates it at PATH once and reuses it while it holds the same number of posts; the pages
only read it. A kept warehouse is migrated by the code under test when it opens it.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from fastapi import Request

from siaga_ui.auth import SiagaUser

BENCH_USER = SiagaUser(name="bench", role="moderator", airflow_role="user")

KECAMATAN = (
    "Muara Ancalong",
    "Muara Wahau",
    "Muara Bengkal",
    "Sangatta Utara",
    "Sangkulirang",
    "Busang",
    "Telen",
    "Kombeng",
    "Bengalon",
    "Kaliorang",
    "Sandaran",
    "Sangatta Selatan",
    "Teluk Pandan",
    "Rantau Pulung",
    "Kaubun",
    "Karangan",
    "Batu Ampar",
    "Long Mesangat",
)

GENERATE_SQL = """
INSERT INTO issues (issue_id, category, kecamatan, region_code, lat, lon, is_emergency, first_seen, last_seen,
                    post_count, report_count, reach, status, created_at, updated_at)
SELECT printf('isu-%05d', i), cat.name, kec.name, printf('64.08.%02d', kec.n), 0.2 + (i % 120) / 100.0,
       116.3 + (i % 230) / 100.0, i % 97 = 0,
       TIMESTAMP '2026-11-22 12:00:00' - INTERVAL (i % 720) HOUR - INTERVAL 48 HOUR,
       TIMESTAMP '2026-11-22 12:00:00' - INTERVAL (i % 720) HOUR,
       {per_issue}, {per_issue} - 2, (hash(i) % 5000)::BIGINT, 'open', now()::TIMESTAMP, now()::TIMESTAMP
FROM range({issues}) t(i) JOIN kec ON kec.n = 1 + i % 18 JOIN cat ON cat.n = 1 + i % 14;

INSERT INTO posts (platform, platform_post_id, post_key, url, author_id, author_name, text, created_at, lang,
                   likes, shares, comments, loaded_at, updated_at)
SELECT ['x', 'facebook', 'instagram', 'whatsapp'][1 + (p + p // {issues}) % 4], p::VARCHAR,
       ['x', 'facebook', 'instagram', 'whatsapp'][1 + (p + p // {issues}) % 4] || ':' || p,
       'https://example.invalid/' || p,
       'h:' || (p % 9973), 'Warga ' || (p % 9973),
       'Laporan warga nomor ' || p || ': jalan rusak dan air PDAM mati, mohon ditindaklanjuti <b>segera</b>. '
       || 'Hubungi 0812' || lpad((p % 100000000)::VARCHAR, 8, '0'),
       TIMESTAMP '2026-11-22 12:00:00' - INTERVAL (p % 720) HOUR - INTERVAL ((p // {issues}) % 48) HOUR, 'id',
       (hash(p) % 300)::BIGINT, (hash(p + 1) % 50)::BIGINT, (hash(p + 2) % 80)::BIGINT,
       now()::TIMESTAMP, now()::TIMESTAMP
FROM range({posts}) t(p);

INSERT INTO issue_posts (post_key, issue_id, role, similarity, linked_at)
SELECT ['x', 'facebook', 'instagram', 'whatsapp'][1 + (p + p // {issues}) % 4] || ':' || p,
       printf('isu-%05d', p % {issues}),
       CASE WHEN p < {issues} * 8 THEN 'report' ELSE 'duplicate' END, 0.8, now()::TIMESTAMP
FROM range({posts}) t(p);

INSERT INTO drafts (draft_id, issue_id, status, judul, isi, kategori, lokasi, region_code, opd, klasifikasi,
                    is_emergency, version, created_at, updated_at)
SELECT 'drf-' || substr(i.issue_id, 5), i.issue_id, CASE WHEN hash(i.issue_id) % 5 = 0 THEN 'approved'
       ELSE 'pending' END, 'Keluhan ' || i.category || ' di ' || i.kecamatan || ' #' || i.issue_id,
       'Warga melaporkan masalah ' || i.category || ' di Kecamatan ' || i.kecamatan || '.', i.category,
       'Kec. ' || i.kecamatan, i.region_code, 'Dinas ' || (1 + hash(i.issue_id) % 12), 'pengaduan',
       i.is_emergency, 1, now()::TIMESTAMP, now()::TIMESTAMP
FROM issues i;

INSERT INTO alerts (alert_id, kind, day, scope, scope_key, issue_id, value, message, handoff_status,
                    created_at)
SELECT 'al-' || i, CASE WHEN i % 3 = 0 THEN 'emergency' ELSE 'spike' END,
       DATE '2026-11-22' - (i % 20)::INTEGER,
       'issue', printf('isu-%05d', i * 97), printf('isu-%05d', i * 97), 10, 'Lonjakan isu ' || i,
       CASE WHEN i % 3 = 0 THEN 'pending' END, now()::TIMESTAMP
FROM range(100) t(i);

-- The approved drafts as the LAPOR! bridge leaves them once sent: a month of tickets at every stage.
INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, transaksi_id, attempts,
                               lapor_status, sent_at, submitted_at, verified_at, followed_up_at, closed_at,
                               updated_at)
SELECT draft_id, 'KS-' || draft_id, 'http', 'submitted', (4700000 + row_number() OVER ())::VARCHAR,
       'TRX' || draft_id, 1, ['belum_terverifikasi', 'terverifikasi', 'ditindaklanjuti', 'selesai'][1 + h % 4],
       sent, sent, CASE WHEN h % 4 >= 1 THEN sent + INTERVAL 50 HOUR END,
       CASE WHEN h % 4 >= 2 THEN sent + INTERVAL 150 HOUR END,
       CASE WHEN h % 4 = 3 THEN sent + INTERVAL 400 HOUR END, now()::TIMESTAMP
FROM (SELECT draft_id, (hash(draft_id) % 1000)::BIGINT AS h,
             TIMESTAMP '2026-11-22 12:00:00' - INTERVAL (hash(draft_id) % 720) HOUR AS sent
      FROM drafts WHERE status = 'approved');

INSERT INTO lapor_followups (tracking_id, seq, responded_at, responder, response_text, observed_at)
SELECT tracking_id, 1, followed_up_at, 'Dinas terkait', 'Laporan sedang ditindaklanjuti oleh tim lapangan.',
       now()::TIMESTAMP
FROM lapor_submissions WHERE followed_up_at IS NOT NULL;

INSERT INTO moderation_events (draft_id, issue_id, actor, role, action, detail, occurred_at)
SELECT printf('drf-%05d', i % {issues}), printf('isu-%05d', i % {issues}), 'moderator', 'moderator', 'edit',
       '{{}}',
       TIMESTAMP '2026-11-22 12:00:00' - INTERVAL (i) MINUTE
FROM range(5000) t(i);
"""


def generate_warehouse(path: Path, posts: int = 100_000, issues: int = 10_000) -> None:
    from warehouse import connect, summaries
    from warehouse.moderation import CATEGORIES

    per_issue = posts // issues
    with connect(write=True, path=path) as con:
        for table, names in (("kec", KECAMATAN), ("cat", CATEGORIES)):
            con.execute(f"CREATE TEMP TABLE {table} (name VARCHAR, n INTEGER)")
            con.executemany(f"INSERT INTO {table} VALUES (?, ?)", [(name, n) for n, name in enumerate(names, 1)])
        con.execute(GENERATE_SQL.format(posts=int(posts), issues=int(issues), per_issue=int(per_issue)))
        summaries.rebuild(con)  # the generator writes posts and issues directly: count them as the writer would


async def _as_bench_user(request: Request) -> SiagaUser:
    request.state.siaga_user = BENCH_USER
    return BENCH_USER


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20, method="inclusive")[18] * 1000, 1)


def _p50(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def bench_pages(issues: int) -> dict[str, list[str]]:
    """Each page type the bench measures and the URLs it cycles through (the bench's month is 2026-11)."""
    return {
        "queue": [
            f"/siaga/antrian?{q}"
            for q in (
                "",
                "kategori=banjir",
                "kecamatan=Bengalon",
                "sumber=whatsapp",
                "darurat=ya",
                "halaman=20",
                "dari=2026-11-01&sampai=2026-11-15",
                "cari=Kaubun",
            )
        ],
        "detail": [f"/siaga/draf/drf-{n:05d}" for n in range(0, issues, max(1, issues // 50))],
        "dashboard": ["/siaga/viral"],
        # the dashboard's filters (issue 13): each alone and together, over the bench's month
        "dashboard_filtered": [
            f"/siaga/viral?{q}"
            for q in (
                "dari=2026-11-01&sampai=2026-11-22",
                "kategori=banjir",
                "kecamatan=Bengalon",
                "opd=Dinas+3",
                "sumber=whatsapp",
                "dari=2026-11-10&sampai=2026-11-20&kategori=banjir&kecamatan=Bengalon&sumber=x",
            )
        ],
        "csv": ["/siaga/antrian.csv?kategori=banjir", "/siaga/viral/isu.csv?sumber=x", "/siaga/lapor.csv"],
        "lapor": ["/siaga/lapor", "/siaga/lapor?halaman=5"],
        "emergencies": ["/siaga/darurat"],
        "emergencies_api": ["/siaga/api/emergencies", "/siaga/api/emergencies?state=pending"],
        "tickets_api": [
            "/siaga/api/tickets",
            "/siaga/api/tickets?overdue=true",
            "/siaga/api/tickets?stage=verifikasi&offset=50",
            "/siaga/api/tickets/4700007",
        ],
        "report_api": ["/siaga/api/reports/monev?month=2026-11", "/siaga/api/reports/monev?month=2026-10"],
        "audit": ["/siaga/audit", "/siaga/audit?halaman=3"],
        # The replies pages (replies-flow's /siaga/balasan and GET /siaga/api/replies) join here, as
        # "replies": [...] and "replies_api": [...], once their tables are generated above.
    }


def _kept_warehouse(path: Path, posts: int, issues: int) -> float | None:
    """Generate the bench warehouse at `path` unless it already holds `posts` posts; the seconds it took."""
    import duckdb

    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            held = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        if held == posts:
            return None
        path.unlink()
    started = time.perf_counter()
    generate_warehouse(path, posts=posts, issues=issues)
    return time.perf_counter() - started


def _timed(client, urls: list[str], rounds: int, before=None) -> list[float]:
    samples = []
    for n in range(rounds):
        url = urls[n % len(urls)]
        if before:
            before()
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"bench page {url} answered {response.status_code}")
    return samples


def _forget_tickets() -> None:
    """What any write to drafts or tickets does to the process's tickets: recomputed on the next read."""
    from warehouse import lapor

    lapor._tickets_cache = None
    lapor._summary_cache = None


def run(posts: int = 100_000, issues: int | None = None, rounds: int = 30, keep: str | Path | None = None) -> dict:
    """p50 and p95 milliseconds per page type, measured on a generated warehouse (issues: posts / 10)."""
    issues = issues or max(1, posts // 10)
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from siaga_ui.app import create_app
    from siaga_ui.auth import current_user

    keep = keep or os.environ.get("SIAGA_UI_BENCH_WAREHOUSE")
    with tempfile.TemporaryDirectory(prefix="siaga-ui-bench-") as tmp:
        path = Path(keep) if keep else Path(tmp) / "bench.duckdb"
        generate_s = _kept_warehouse(path, posts, issues)
        previous = os.environ.get("SIAGA_WAREHOUSE")
        os.environ["SIAGA_WAREHOUSE"] = str(path)
        try:
            app = create_app()
            app.dependency_overrides[current_user] = _as_bench_user
            parent = FastAPI()
            parent.mount("/siaga", app)
            pages = bench_pages(issues)
            results: dict[str, float] = {}
            with TestClient(parent) as client:
                for name, urls in pages.items():
                    for url in urls:  # warm-up: templates compiled, caches filled, file cache hot
                        client.get(url)
                    samples = _timed(client, urls, rounds)
                    results[f"ui_{name}_p50_ms"] = _p50(samples)
                    results[f"ui_{name}_p95_ms"] = _p95(samples)
                # right after a write: the tickets recomputed (fewer rounds: each reads every ticket)
                for name, url in (("lapor_uncached", "/siaga/lapor"), ("csv_lapor_uncached", "/siaga/lapor.csv")):
                    samples = _timed(client, [url], max(5, rounds // 3), before=_forget_tickets)
                    results[f"ui_{name}_p50_ms"] = _p50(samples)
                    results[f"ui_{name}_p95_ms"] = _p95(samples)
        finally:
            if previous is None:
                os.environ.pop("SIAGA_WAREHOUSE", None)
            else:
                os.environ["SIAGA_WAREHOUSE"] = previous
    return {
        **results,
        "ui_target_p95_ms": 300,
        "ui_queue_detail_target_ms": 100,
        "ui_bench_posts": posts,
        "ui_bench_issues": issues,
        "ui_bench_rounds": rounds,
        "ui_bench_generate_s": round(generate_s, 1) if generate_s is not None else "reused",
    }


if __name__ == "__main__":
    import argparse

    cli = argparse.ArgumentParser(description="page times of the UI on a generated warehouse")
    cli.add_argument("--posts", type=int, default=100_000)
    cli.add_argument("--rounds", type=int, default=30)
    cli.add_argument("--keep", metavar="PATH", help="generate the warehouse here once and reuse it")
    args = cli.parse_args()
    print(json.dumps(run(posts=args.posts, rounds=args.rounds, keep=args.keep), indent=2))

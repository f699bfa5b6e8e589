"""The plans of the page queries that must not scan posts per page view (issue 17)."""

from __future__ import annotations

import duckdb

from tools.bench.ui import generate_warehouse
from warehouse.moderation import EVIDENCE_SQL


def _plan(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> str:
    return "\n".join(row[1] for row in con.execute("EXPLAIN ANALYZE " + sql, params).fetchall())


def test_draft_evidence_reads_posts_by_index_not_by_scan(tmp_path):
    path = tmp_path / "plan.duckdb"
    generate_warehouse(path, posts=3_000, issues=300)
    con = duckdb.connect(str(path), read_only=True)
    issue_id = "isu-00042"
    want = {row[0] for row in con.execute("SELECT post_key FROM issue_posts WHERE issue_id = ?", [issue_id]).fetchall()}
    rows = con.execute(EVIDENCE_SQL, [issue_id, 50]).fetchall()
    assert {row[0] for row in rows} == want and len(want) == 10
    plan = _plan(con, EVIDENCE_SQL, [issue_id, 50])
    posts_scan = plan[plan.index("main.posts") :].split("╰")[0]
    assert "Index Scan" in posts_scan, plan
    assert "Sequential Scan" not in posts_scan, plan

"""The load path's branches (issue 17): a batch with no stored post is a plain insert, a post twice in one
batch is settled before it, and DuckDB's own limit in the warehouse bench loads the same file."""

from __future__ import annotations

import warehouse
from tests.helpers import lines, post
from tools.bench.warehouse import duckdb_limit, write_synthetic
from tools.bench_docs import render
from warehouse.ingest import load_lines


def _stored(con, key: str) -> tuple:
    return con.execute("SELECT text, likes, fetched_at FROM posts WHERE post_key = ?", [key]).fetchone()


def test_a_first_load_with_a_post_twice_keeps_the_newest_fetch_and_refuses_the_bad_line(warehouse_file):
    # nothing stored yet (the plain-insert branch), one post twice (the newest-wins copy) and a bad line
    older = post(
        "x",
        "7",
        "Jalan rusak di Sangatta",
        "2026-11-20T01:00:00Z",
        fetched_at="2026-11-21T01:00:00Z",
        metrics={"likes": 1},
    )
    newer = dict(
        older, text="Jalan rusak di Sangatta, makin parah", fetched_at="2026-11-22T01:00:00Z", metrics={"likes": 9}
    )
    other = post("facebook", "8", "Air PDAM mati di Teluk Lingga", "2026-11-20T02:00:00Z")
    counts = load_lines(lines([newer, "{rusak", older, other]))
    assert counts["posts_new"] == 2 and counts["quarantined"] == 1 and counts["lines"] == 4
    with warehouse.connect() as con:
        text, likes, fetched = _stored(con, "x:7")
        assert (text, likes) == ("Jalan rusak di Sangatta, makin parah", 9)  # the later line is the older fetch
        assert str(fetched).startswith("2026-11-22 01:00")
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 2


def test_a_batch_mixing_stored_and_new_posts_upserts_each_once(warehouse_file):
    first = [
        post(
            "x",
            str(i),
            f"Lampu jalan mati di gang {i}",
            "2026-11-20T01:00:00Z",
            fetched_at="2026-11-21T00:00:00Z",
            metrics={"likes": i},
        )
        for i in range(3)
    ]
    assert load_lines(lines(first))["posts_new"] == 3
    # x:1 fetched again later with new figures, x:2 an older fetch (changes nothing), x:3 and x:4 new
    again = [
        dict(first[1], fetched_at="2026-11-22T00:00:00Z", metrics={"likes": 50}),
        dict(first[2], fetched_at="2026-11-20T12:00:00Z", metrics={"likes": 99}),
        post("x", "3", "Banjir di Sangatta Selatan", "2026-11-21T01:00:00Z"),
        post("x", "4", "Sampah menumpuk di pasar", "2026-11-21T02:00:00Z"),
    ]
    counts = load_lines(lines(again))
    assert counts == {
        "lines": 4,
        "posts_new": 2,
        "posts_updated": 1,
        "posts_unchanged": 1,
        "posts_edited": 0,
        "quarantined": 0,
        "quarantine_new": 0,
    }
    with warehouse.connect() as con:
        assert _stored(con, "x:1")[1] == 50 and _stored(con, "x:2")[1] == 2
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 5
    # the same file again writes nothing
    counts = load_lines(lines(again))
    assert counts["posts_new"] == 0 and counts["posts_updated"] == 0 and counts["posts_unchanged"] == 4


def test_a_refused_line_is_judged_by_every_rule_even_when_the_rest_of_its_batch_is_clean(warehouse_file):
    # the timestamps are computed once per line now: their rules still apply to each line on its own
    good = post("x", "1", "Jembatan putus di Rantau Pulung", "2026-11-20T01:00:00Z")
    future = post("x", "2", "Tanah longsor", "2100-01-01T00:00:00Z")
    early = post("x", "3", "Tanah longsor", "1900-01-01T00:00:00Z")
    after_fetch = post("x", "4", "Tanah longsor", "2026-11-25T00:00:00Z", fetched_at="2026-11-20T00:00:00Z")
    counts = load_lines(lines([good, future, early, after_fetch]))
    assert counts["posts_new"] == 1 and counts["quarantined"] == 3
    with warehouse.connect() as con:
        reasons = dict(con.execute("SELECT line_no, reason FROM quarantine").fetchall())
    assert "is in the future" in reasons[2]
    assert "is before 2004-01-01" in reasons[3]
    assert "is after fetched_at" in reasons[4]


def test_duckdb_limit_loads_the_same_staging_file_into_a_copy_it_drops(warehouse_file, tmp_path):
    staging = tmp_path / "posts.jsonl"
    write_synthetic(staging, 300)
    with staging.open(encoding="utf-8") as handle:
        ours = load_lines(handle)
    limit = duckdb_limit(staging)
    assert limit["posts"] == ours["posts_new"] == 300 and limit["seconds"] > 0
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 300  # ours untouched
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "posts_duckdb_limit" not in tables


def test_the_benchmarks_page_shows_our_rate_beside_duckdbs_limit():
    figures = {
        "warehouse": {
            "warehouse": [
                {
                    "posts": 100_000,
                    "load_s": 0.5,
                    "load_posts_per_s": 200_000,
                    "duckdb_limit_posts_per_s": 250_000,
                    "load_fraction_of_duckdb_limit": 0.8,
                    "load_cpu_s": 0.9,
                    "duckdb_limit_cpu_s": 0.7,
                },
            ]
        }
    }
    stamp = {
        "date": "2026-11-29 23:00 UTC",
        "commit": "abc1234",
        "dirty": False,
        "load": [1.0, 1.0, 1.0],
        "quick": False,
    }
    text = render("warehouse", figures, stamp)
    assert "| 100,000 | 200,000 posts/s | 250,000 posts/s | 0.8 | 0.9 s / 0.7 s |" in text


def _load_into(path, monkeypatch, tmp_path, name: str, reader) -> tuple[dict, list, list]:
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / f"{name}.duckdb"))
    counts = reader()
    with warehouse.connect() as con:
        refused = con.execute("SELECT line_no, reason, raw FROM quarantine ORDER BY line_no").fetchall()
        stored = con.execute("SELECT post_key, text FROM posts ORDER BY post_key").fetchall()
    return counts, refused, stored


def test_a_file_read_in_blocks_gives_the_lines_iterating_it_gives(monkeypatch, tmp_path):
    import warehouse.ingest as ingest

    good = [post("x", str(i), f"Jalan berlubang nomor {i} di Sangatta", "2026-11-20T01:00:00Z") for i in range(9)]
    rows = lines(good)
    raw = (
        "\ufeff"
        + rows[0]
        + "\r\n"
        + rows[1]
        + "\n\n   \n"
        + "{rusak\n"
        + rows[2]
        + "\r\n"
        + rows[3].replace("Jalan", "Jal\udcffan")
        + "\n"
        + "\n".join(rows[4:])
    )  # no final line end
    path = tmp_path / "staging.jsonl"
    path.write_bytes(raw.encode("utf-8", errors="surrogateescape"))  # one byte that is not UTF-8
    # small blocks and batches: lines cut across blocks, several batches, a last line without "\n"
    monkeypatch.setattr(ingest, "READ_BLOCK_CHARS", 50)
    monkeypatch.setattr(ingest, "LOAD_BATCH_LINES", 4)

    def blocks() -> dict:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return load_lines(handle)

    def one_by_one() -> dict:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return load_lines(list(handle), origin=str(path))

    by_blocks, by_lines = (
        _load_into(path, monkeypatch, tmp_path, name, reader)
        for name, reader in (("blocks", blocks), ("lines", one_by_one))
    )
    assert by_blocks == by_lines
    counts, refused, stored = by_blocks
    assert counts["posts_new"] == 9 and counts["quarantined"] == 1 and counts["lines"] == 10
    assert [(line_no, reason) for line_no, reason, _ in refused] == [(5, "not valid JSON")]
    assert ("x:3", "Jal\ufffdan berlubang nomor 3 di Sangatta") in stored

"""The loader hands DuckDB the lines as read, line ends included (issue 17): blank lines are still skipped,
a refused line is still kept without its line end or byte-order mark, and one connection serves a stream
for at most HOLD_S before the warehouse is let go."""

from __future__ import annotations

import contextlib

import warehouse
import warehouse.ingest as ingest
from tests.helpers import lines, post
from warehouse.ingest import load_lines

GOOD = [post("x", str(i), f"Drainase tersumbat di gang {i}", "2026-11-20T01:00:00Z") for i in range(5)]


def _quarantine() -> list[tuple]:
    with warehouse.connect() as con:
        return con.execute("SELECT line_no, raw, reason FROM quarantine ORDER BY line_no").fetchall()


def test_blank_lines_of_any_white_space_are_skipped_and_kept_lines_lose_their_line_ends(warehouse_file):
    good = lines(GOOD[:2])
    stream = [
        good[0] + "\r\n",
        "\u00a0\u3000\n",  # Unicode spaces only
        "\ufeff\n",  # a byte-order mark and nothing else
        "\x0b\u0085 \r\n",
        "{rusak\r\n",
        "\ufeff{oops}\n",
        "\ufeff" + good[1] + "\n",
    ]
    counts = load_lines(stream)
    assert counts["lines"] == 4 and counts["posts_new"] == 2 and counts["quarantined"] == 2
    assert [(line_no, raw) for line_no, raw, _ in _quarantine()] == [(5, "{rusak"), (6, "{oops}")]
    # the same stream again: nothing twice (the kept line's hash is of the trimmed line, as before)
    again = load_lines(stream)
    assert again["quarantine_new"] == 0 and again["posts_new"] == 0 and again["lines"] == 4


def test_a_line_end_differs_from_none_only_in_what_is_read_not_in_what_is_kept(warehouse_file, tmp_path):
    with_ends = tmp_path / "with_ends.jsonl"
    with_ends.write_text("".join(f"{line}\n" for line in [*lines(GOOD[:3]), "{rusak"]), encoding="utf-8")
    with with_ends.open(encoding="utf-8") as handle:
        from_file = load_lines(handle, origin="one")
    from_list = load_lines([*lines(GOOD[:3]), "{rusak"], origin="two")
    assert from_file["posts_new"] == 3 and from_list["posts_unchanged"] == 3
    assert [raw for _, raw, _ in _quarantine()] == ["{rusak", "{rusak"]  # one per origin, the same text


def test_a_stream_held_longer_than_the_bound_lets_the_warehouse_go_between_batches(warehouse_file, monkeypatch):
    monkeypatch.setattr(ingest, "HOLD_S", 0.0)
    monkeypatch.setattr(ingest, "LOAD_BATCH_LINES", 2)
    opened = []
    real_connect = ingest.connect

    @contextlib.contextmanager
    def counting_connect(*args, **kwargs):
        opened.append(kwargs)
        with real_connect(*args, **kwargs) as con:
            yield con

    monkeypatch.setattr(ingest, "connect", counting_connect)
    counts = load_lines(lines([*GOOD, "{rusak"]))
    assert len(opened) == 3  # 6 lines in batches of 2, the warehouse let go after each
    assert counts["lines"] == 6 and counts["posts_new"] == 5 and counts["quarantined"] == 1
    monkeypatch.setattr(ingest, "HOLD_S", 3600.0)
    opened.clear()
    again = load_lines(lines([*GOOD, "{rusak"]))
    assert len(opened) == 1  # one connection for the stream, one transaction per batch
    assert again["posts_new"] == 0 and again["posts_unchanged"] == 5 and again["quarantine_new"] == 0
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 5

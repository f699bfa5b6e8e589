"""warehouse.cursors: the DAG reads each source's cursors before extracting and stores the new ones
only after the posts are loaded."""

from __future__ import annotations

from warehouse.cursors import read_cursors, save_cursors


def test_cursors_start_empty_and_keep_the_newest_value_per_query(tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    assert read_cursors("x") == {}
    assert save_cursors("x", {"hashtags": "1860000000000000001", "pemkab": "17"}) == 2
    assert save_cursors("x", {"hashtags": "1860000000000000999"}) == 1
    assert save_cursors("facebook", {}) == 0
    assert read_cursors("x") == {"hashtags": "1860000000000000999", "pemkab": "17"}
    assert read_cursors("facebook") == {}

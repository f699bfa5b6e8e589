"""The loader reads a line's JSON types with a second parse only when a value may not be what it reads as
(issue 17, warehouse/ingest.py `_suspect_sql`). Each field given each kind of JSON value must be judged
exactly as when every line's types are read: same posts stored, same quarantine reasons."""

from __future__ import annotations

import json

import pytest

import warehouse
import warehouse.ingest as ingest
from tests.helpers import lines, post
from warehouse.ingest import TYPED_FIELDS, load_lines

# One value of each JSON kind, and the texts a careless extractor writes that look like other kinds.
VALUES = [
    "Jalan rusak",
    "",
    "   ",
    "12345",
    "-12",
    "1.5",
    "true",
    "false",
    "{not json}",
    "[1]",
    "2026-11-20T01:00:00Z",
    12345,
    -12,
    0,
    123456789012345678,
    18446744073709551615,  # the largest UBIGINT
    18446744073709551616,  # one more: json_type calls it DOUBLE
    -9223372036854775809,
    1.5,
    1e2,
    1e300,
    float("nan"),  # json.dumps writes NaN, Infinity, -Infinity: DuckDB reads them as numbers
    float("inf"),
    float("-inf"),
    "NaN",
    "3fa9e0c1",  # a hash that starts with a digit: text
    True,
    False,
    None,
    {},
    {"likes": 3},
    {"lat": 0.5, "lon": 117.5},
    {"lat": "0.5", "lon": "x"},
    [],
    ["a"],
    {"nested": {"deep": [1, 2]}},
]
FIELDS = [*TYPED_FIELDS, "raw"]


def _cases() -> list[str]:
    rows = []
    n = 0
    for field in FIELDS:
        for value in VALUES:
            n += 1
            record = post("x", f"p{n}", f"Lampu jalan mati nomor {n}", "2026-11-20T01:00:00Z")
            record[field] = value
            rows.append(json.dumps(record))
    # metrics with one count of each kind, and a few whole lines
    for value in VALUES:
        n += 1
        record = post("facebook", f"m{n}", "Air PDAM mati", "2026-11-20T02:00:00Z", metrics={"likes": value})
        rows.append(json.dumps(record))
    rows += ["[1, 2]", "5", '"text"', "null", "{rusak", '  {"platform": "x"}', '{"_quarantine": "yes"}']
    return rows


def _load(monkeypatch, tmp_path, name: str, every_line_typed: bool) -> tuple[dict, list, list]:
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / f"{name}.duckdb"))
    if every_line_typed:  # the reference: json_type() read for every line
        monkeypatch.setattr(ingest, "_suspect_sql", lambda: "true")
    counts = load_lines(lines(_cases()), origin="cases")
    monkeypatch.undo()
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / f"{name}.duckdb"))
    with warehouse.connect() as con:
        refused = con.execute("SELECT line_no, reason FROM quarantine ORDER BY line_no").fetchall()
        stored = con.execute(
            "SELECT * EXCLUDE (loaded_at, updated_at, fetched_at) FROM posts ORDER BY post_key"
        ).fetchall()
    return counts, refused, stored


def test_every_field_of_every_kind_is_judged_as_when_every_line_is_typed(monkeypatch, tmp_path):
    fast = _load(monkeypatch, tmp_path, "fast", every_line_typed=False)
    reference = _load(monkeypatch, tmp_path, "reference", every_line_typed=True)
    assert fast[0] == reference[0]
    assert fast[1] == reference[1]
    assert fast[2] == reference[2]
    counts, refused, stored = fast
    # both outcomes happen: a wrong kind is refused with its reason, an accepted one is stored
    assert counts["quarantined"] == len(refused) > 100 and counts["posts_new"] == len(stored) > 100
    reasons = " | ".join(reason for _, reason in refused)
    for expected in (
        "platform must be a source name, got a number",
        "platform_post_id must be text, got a number: 1.5",
        "platform_post_id must be text, got a number: 18446744073709551616",
        "text must be a JSON string, got a number",
        "text must be a JSON string, got true/false",
        "text must be a JSON string, got a number: NaN",
        "metrics must be an object of counts, got a list",
        "geo must be an object {lat, lon}, got text",
        "media must be a list, got an object",
        "url must be text, got an object",
        "not a JSON object",
        "not valid JSON",
    ):
        assert expected in reasons, expected


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("platform_post_id", 12345, "x:12345"),  # an id given as a whole number is its digits
        ("platform_post_id", "-12", "x:-12"),
        ("author_id", 123456789012345678, "x:1"),
    ],
)
def test_an_id_given_as_a_number_or_as_digits_is_stored_without_a_second_parse(
    warehouse_file, monkeypatch, field, value, stored
):
    monkeypatch.setattr(ingest, "_suspect_sql", lambda: "false")  # no line typed by json_type(): still stored
    record = post("x", "1", "Jembatan putus di Rantau Pulung", "2026-11-20T01:00:00Z")
    record[field] = value
    assert load_lines(lines([record]))["posts_new"] == 1
    with warehouse.connect() as con:
        assert con.execute("SELECT post_key FROM posts").fetchone()[0] == stored

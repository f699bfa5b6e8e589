"""Bad input loses nothing (issue 10, item 4): each case a test.

Every line the loader refuses lands in `quarantine` with its reason and raw text, once per occurrence,
and the rest of the batch loads. The rules are in README "Bad input loses nothing" and config/ingest.yaml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import warehouse
import warehouse.ingest as ingest_module
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.ingest import ingest_files, ingest_lines, load_lines
from warehouse.settings import REPO_CONFIG, ConfigError, IngestSettings, ingest_settings
from warehouse.stats import stats

REPO = Path(__file__).resolve().parents[2]
ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.05.2001",
}
GOOD = post("x", "1", "Jalan di Swarga Bara rusak parah, lubang di mana-mana", "2026-11-20T01:00:00Z", gold=ROAD)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def raw(record: dict) -> str:
    """The line as written to the loader (and kept in quarantine)."""
    return lines([record])[0]


def quarantine_rows() -> list[tuple]:
    with warehouse.connect() as con:
        return con.execute(
            "SELECT raw, reason, origin, line_no, occurrence FROM quarantine ORDER BY origin, line_no"
        ).fetchall()


def reasons() -> dict[str, str]:
    return {raw: reason for raw, reason, *_ in quarantine_rows()}


def post_keys() -> set[str]:
    with warehouse.connect() as con:
        return {row[0] for row in con.execute("SELECT post_key FROM posts").fetchall()}


def refuse_each(bad: list[dict | str]) -> dict[str, str]:
    """Load the bad lines between two good posts; both good posts load, every bad line is kept. Returns
    raw line -> reason."""
    good = [GOOD, post("facebook", "2", "Lampu jalan mati di Teluk Lingga", "2026-11-20T02:00:00Z")]
    batch = lines([good[0], *bad, good[1]])
    counts = load_lines(batch)
    assert counts["posts_new"] == 2
    assert counts["quarantined"] == counts["quarantine_new"] == len(bad) == stats()["quarantine"]
    assert post_keys() == {"x:1", "facebook:2"}
    return reasons()


# --- platform ---------------------------------------------------------------------------------------------


def test_an_unknown_platform_name_is_quarantined(warehouse_file):
    bad = post("myspace", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z")
    reason = refuse_each([bad])[raw(bad)]
    assert 'platform "myspace" is not a configured source' in reason and "x, facebook, instagram, whatsapp" in reason


@pytest.mark.parametrize("platform", [5, ["x"], {"name": "x"}, True])
def test_a_platform_that_is_not_text_is_quarantined(warehouse_file, platform):
    bad = {"platform": platform, "platform_post_id": "7", "text": "Jalan rusak di Bengalon"}
    assert refuse_each([bad])[raw(bad)].startswith("platform must be a source name, got ")


@pytest.mark.parametrize("platform", ["MySpace", "X", "face book", "x;drop", "5"])
def test_a_platform_that_does_not_look_like_a_source_name_is_quarantined(warehouse_file, platform):
    bad = {"platform": platform, "platform_post_id": "7", "text": "Jalan rusak di Bengalon"}
    assert refuse_each([bad])[raw(bad)].startswith("platform is not a source name")


@pytest.fixture
def config_with_tiktok(tmp_path, monkeypatch):
    """A config folder whose ingest.yaml also lists `tiktok`: sources are config, not code."""
    folder = tmp_path / "config"
    shutil.copytree(REPO_CONFIG, folder)
    text = (folder / "ingest.yaml").read_text(encoding="utf-8")
    (folder / "ingest.yaml").write_text(
        text.replace(
            "platforms: [x, facebook, instagram, whatsapp]", "platforms: [x, facebook, instagram, whatsapp, tiktok]"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("SIAGA_CONFIG_DIR", str(folder))
    ingest_settings.cache_clear()
    yield
    ingest_settings.cache_clear()


@pytest.mark.parametrize(
    "setting",
    [
        {"platforms": ["MySpace"]},
        {"platforms": []},
        {"platforms": "x"},
        {"earliest_post": "kemarin"},
        {"future_skew_hours": -1},
        {"sources": ["x"]},
    ],
)
def test_a_wrong_ingest_setting_is_refused_with_its_name(setting):
    with pytest.raises(ConfigError, match=f"^config/ingest.yaml: {next(iter(setting))}"):
        IngestSettings.from_mapping(setting, "config/ingest.yaml")


def test_a_source_added_to_the_config_is_accepted(warehouse_file, config_with_tiktok):
    assert "tiktok" in ingest_settings().platforms
    counts = load_lines(lines([post("tiktok", "v1", "Banjir lagi di Sangatta Selatan", "2026-11-20T01:00:00Z")]))
    assert counts["posts_new"] == 1 and counts["quarantined"] == 0
    assert post_keys() == {"tiktok:v1"}


# --- text -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [123, 4.5, ["jalan", "rusak"], {"body": "jalan rusak"}, True])
def test_text_that_is_not_a_string_is_quarantined(warehouse_file, text):
    bad = {"platform": "x", "platform_post_id": "7", "text": text}
    assert refuse_each([bad])[raw(bad)].startswith("text must be a JSON string, got ")


@pytest.mark.parametrize("text", ["", "   ", " \t\r\n ", "\u00a0\u00a0", "\u200b", "\u3000\u2003", "\ufeff \u2060"])
def test_whitespace_only_text_is_quarantined(warehouse_file, text):
    bad = {"platform": "x", "platform_post_id": "7", "text": text}
    assert refuse_each([bad])[raw(bad)] == "missing required field: text (empty or only whitespace)"


def test_a_number_written_as_a_string_is_text(warehouse_file):
    counts = load_lines(lines([post("x", "7", "112", "2026-11-20T01:00:00Z")]))
    assert counts["posts_new"] == 1 and counts["quarantined"] == 0


# --- created_at and fetched_at ----------------------------------------------------------------------------


def test_a_post_dated_before_the_platforms_is_quarantined(warehouse_file):
    bad = post("x", "7", "Jalan rusak di Bengalon", "1900-01-01T00:00:00Z")
    reason = refuse_each([bad])[raw(bad)]
    assert reason.startswith("created_at 1900-01-01T00:00:00Z is before 2004-01-01")


def test_a_post_dated_in_the_future_is_quarantined(warehouse_file):
    now = datetime.now(UTC)
    far = post("x", "7", "Jalan rusak di Bengalon", "2100-01-01T00:00:00Z")
    days = post("x", "8", "Jalan rusak di Kaliorang", iso(now + timedelta(days=3)))
    after_fetch = post(
        "x", "9", "Jalan rusak di Kaubun", iso(now - timedelta(days=5)), fetched_at=iso(now - timedelta(days=7))
    )
    got = refuse_each([far, days, after_fetch])
    assert got[raw(far)] == "created_at 2100-01-01T00:00:00Z is in the future (after the load time)"
    assert got[raw(days)].endswith("is in the future (after the load time)")
    assert " is after fetched_at " in got[raw(after_fetch)]


def test_a_clock_a_little_ahead_is_tolerated(warehouse_file):
    """The margin (future_skew_hours, 24) absorbs drifting clocks: an hour ahead loads."""
    now = datetime.now(UTC)
    ahead = post("x", "7", "Banjir di Sangatta Selatan", iso(now + timedelta(hours=1)))
    after_fetch = post(
        "x", "8", "Banjir di Sangatta Utara", iso(now - timedelta(hours=1)), fetched_at=iso(now - timedelta(hours=3))
    )
    counts = load_lines(lines([ahead, after_fetch]))
    assert counts["posts_new"] == 2 and counts["quarantined"] == 0


@pytest.mark.parametrize(
    "fetched_at, reason",
    [
        ("kemarin", "fetched_at is not ISO 8601: kemarin"),
        ("2100-01-01T00:00:00Z", "fetched_at 2100-01-01T00:00:00Z is in the future (after the load time)"),
        ("1999-12-31T00:00:00Z", "fetched_at 1999-12-31T00:00:00Z is before 2004-01-01"),
    ],
)
def test_a_bad_fetched_at_is_quarantined(warehouse_file, fetched_at, reason):
    # fetched_at decides which version of a post wins: a wrong one must not be stored
    bad = post("x", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z", fetched_at=fetched_at)
    assert refuse_each([bad])[raw(bad)] == reason


@pytest.mark.parametrize("created_at", [1732064400, ["2026-11-20"], "20/11/2026"])
def test_a_created_at_that_is_not_an_iso_time_is_quarantined(warehouse_file, created_at):
    bad = {"platform": "x", "platform_post_id": "7", "text": "Jalan rusak", "created_at": created_at}
    assert refuse_each([bad])[raw(bad)].startswith("created_at is not ISO 8601: ")


def test_a_post_dated_2100_cannot_keep_an_issue_open_or_reach_a_draft(warehouse_file):
    posts = [
        GOOD,
        post("x", "2", "Aspal Swarga Bara hancur, tolong diperbaiki", "2026-11-21T01:00:00Z", gold=ROAD),
        post("x", "3", "Jalan Swarga Bara rusak lagi", "2100-01-01T00:00:00Z", gold=ROAD),
        post("x", "4", "Jalan Swarga Bara rusak sejak dulu", "1900-01-01T00:00:00Z", gold=ROAD),
    ]
    counts = ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    assert counts["quarantined"] == 2 and counts["issues_opened"] == 1
    with warehouse.connect() as con:
        first, last, count = con.execute("SELECT first_seen, last_seen, post_count FROM issues").fetchone()
        isi = con.execute("SELECT isi FROM drafts").fetchone()[0]
    assert (first.isoformat(), last.isoformat(), count) == ("2026-11-20T01:00:00", "2026-11-21T01:00:00", 2)
    assert "2100" not in isi and "1900" not in isi


# --- metrics, geo and the other fields --------------------------------------------------------------------


@pytest.mark.parametrize(
    "metrics, reason",
    [
        ("banyak", 'metrics must be an object of counts, got text: "banyak"'),
        ([1, 2], "metrics must be an object of counts, got a list: [1,2]"),
        (7, "metrics must be an object of counts, got a number: 7"),
        ({"likes": "banyak"}, "metrics.likes must be a whole number of at least 0, got banyak"),
        ({"likes": 3, "shares": -1}, "metrics.shares must be a whole number of at least 0, got -1"),
        ({"comments": 1.5}, "metrics.comments must be a whole number of at least 0, got 1.5"),
        ({"views": True}, "metrics.views must be a whole number of at least 0, got true"),
        ({"likes": [3]}, "metrics.likes must be a whole number of at least 0, got [3]"),
    ],
)
def test_metrics_of_the_wrong_type_are_quarantined_not_nulled(warehouse_file, metrics, reason):
    bad = post("x", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z", metrics=metrics)
    assert refuse_each([bad])[raw(bad)] == reason


def test_counts_given_as_digits_load_as_numbers(warehouse_file):
    ok = post(
        "x",
        "7",
        "Jalan rusak di Bengalon",
        "2026-11-20T01:00:00Z",
        metrics={"likes": "12", "shares": 3, "comments": None, "views": 0},
    )
    assert load_lines(lines([ok]))["posts_new"] == 1
    with warehouse.connect() as con:
        assert con.execute("SELECT likes, shares, comments, views FROM posts").fetchone() == (12, 3, None, 0)


@pytest.mark.parametrize(
    "geo, reason",
    [
        ("Sangatta", "geo must be an object {lat, lon}, got text"),
        ([0.5, 117.5], "geo must be an object {lat, lon}, got a list"),
        ({"lat": "utara", "lon": 117.5}, "geo must hold lat and lon as numbers"),
        ({"lat": 0.5}, "geo must hold lat and lon as numbers"),
        ({"lat": 91, "lon": 117.5}, "geo is out of range"),
        ({"lat": 0.5, "lon": -181}, "geo is out of range"),
    ],
)
def test_geo_of_the_wrong_type_or_out_of_range_is_quarantined(warehouse_file, geo, reason):
    bad = post("x", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z", geo=geo)
    assert refuse_each([bad])[raw(bad)].startswith(reason)


def test_a_good_geotag_loads(warehouse_file):
    ok = post("x", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z", geo={"lat": 0.87, "lon": "117.9"})
    assert load_lines(lines([ok]))["posts_new"] == 1
    with warehouse.connect() as con:
        assert con.execute("SELECT lat, lon FROM posts").fetchone() == (0.87, 117.9)


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("media", {"url": "a.jpg"}, "media must be a list, got an object"),
        ("parent_id", {"id": "1"}, "parent_id must be text, got an object"),
        ("url", ["https://x.com/a"], "url must be text, got a list"),
        ("platform_post_id", ["7"], "platform_post_id must be text, got a list"),
        ("platform_post_id", 7.5, "platform_post_id must be text, got a number"),
    ],
)
def test_other_fields_of_the_wrong_type_are_quarantined(warehouse_file, field, value, reason):
    bad = post("x", "7", "Jalan rusak di Bengalon", "2026-11-20T01:00:00Z") | {field: value}
    assert refuse_each([bad])[raw(bad)].startswith(reason)


# --- the stream: byte-order marks, identical bad lines, idempotence ---------------------------------------


def test_a_byte_order_mark_is_not_content(warehouse_file, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + "\n".join(lines([GOOD, post("x", "2", "Banjir", "2026-11-20T01:00:00Z")])).encode() + b"\n"
    )
    counts = ingest_files([str(path)], analyze=GoldAnalyzer([GOOD]))
    assert counts["posts_new"] == 2 and counts["quarantined"] == 0
    # a file with a BOM concatenated into a stream (`cat a.jsonl b.jsonl | siaga ingest -`)
    stream = f"{json.dumps(post('x', '3', 'Air PDAM mati', '2026-11-20T01:00:00Z'))}\n\ufeff{json.dumps(GOOD)}\n"
    counts = load_lines(stream.splitlines(keepends=True))
    assert counts["posts_new"] == 1 and counts["posts_unchanged"] == 1 and counts["quarantined"] == 0


def test_identical_bad_lines_are_each_kept_and_the_count_is_what_is_stored(warehouse_file, tmp_path):
    bad = ["{not json"] * 5 + [json.dumps(post("myspace", "7", "halo", "2026-11-20T01:00:00Z"))] * 3 + ["[1, 2]"]
    path = tmp_path / "day1.jsonl"
    path.write_text("\n".join([json.dumps(GOOD), *bad]) + "\n", encoding="utf-8")
    counts = ingest_files([str(path)], analyze=GoldAnalyzer([GOOD]))
    assert counts["quarantined"] == counts["quarantine_new"] == len(bad) == stats()["quarantine"] == 9
    rows = quarantine_rows()
    assert [(line, occ) for raw, _, _, line, occ in rows if raw == "{not json"] == [
        (2, 1),
        (3, 2),
        (4, 3),
        (5, 4),
        (6, 5),
    ]
    assert {origin for _, _, origin, _, _ in rows} == {str(path)}

    # the same file again: nothing twice
    again = ingest_files([str(path)], analyze=GoldAnalyzer([GOOD]))
    assert again["quarantined"] == 9 and again["quarantine_new"] == 0 and stats()["quarantine"] == 9
    # the file re-extracted with its lines in another order: still nothing twice
    path.write_text("\n".join([*reversed(bad), json.dumps(GOOD)]) + "\n", encoding="utf-8")
    assert ingest_files([str(path)], analyze=GoldAnalyzer([GOOD]))["quarantine_new"] == 0
    # the same bad line in another day's file is another occurrence: kept
    other = tmp_path / "day2.jsonl"
    other.write_text("{not json\n", encoding="utf-8")
    assert ingest_files([str(other)], analyze=GoldAnalyzer([]))["quarantine_new"] == 1
    assert stats()["quarantine"] == 10


def test_occurrences_are_counted_across_load_batches(warehouse_file, monkeypatch):
    """A file longer than one load batch: the occurrence count carries over, so nothing collapses."""
    monkeypatch.setattr(ingest_module, "LOAD_BATCH_LINES", 3)
    stream = ["{not json"] * 7 + [json.dumps(GOOD)] + ["{not json"] * 2
    counts = load_lines(stream, origin="stream-a")
    assert counts["quarantined"] == counts["quarantine_new"] == 9 == stats()["quarantine"]
    assert sorted(occ for *_, occ in quarantine_rows()) == list(range(1, 10))
    assert load_lines(stream, origin="stream-a")["quarantine_new"] == 0
    assert stats()["quarantine"] == 9


def test_an_extractor_record_extracted_again_is_the_same_occurrence(warehouse_file, tmp_path):
    """A retried extraction writes its quarantine records again with a new received_at: not a new row."""
    path = tmp_path / "x.jsonl"
    for received in ("2026-11-20T01:00:00Z", "2026-11-20T01:05:00Z"):
        record = {
            "_quarantine": True,
            "source": "x",
            "reason": "tweet has no text",
            "raw": {"id": "9"},
            "received_at": received,
        }
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        counts = ingest_files([str(path)], analyze=GoldAnalyzer([]))
        assert counts["quarantined"] == 1
    assert stats()["quarantine"] == 1 and quarantine_rows()[0][1] == "quarantined by extractor: tweet has no text"


def test_an_extractor_record_in_two_windows_files_is_one_row(warehouse_file, tmp_path):
    """The next day's window (or the hourly watch) fetches the same bad item again into another staging
    file: the item is quarantined once, whichever file brings it."""
    record = {
        "_quarantine": True,
        "source": "x",
        "reason": "tweet has no text",
        "raw": {"id": "9"},
        "received_at": "2026-11-20T01:00:00Z",
    }
    paths = []
    for day in ("2026-11-20", "2026-11-21"):
        path = tmp_path / day / "x.jsonl"
        path.parent.mkdir()
        path.write_text(json.dumps(record) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
        paths.append(str(path))
    first = ingest_files(paths[:1], analyze=GoldAnalyzer([]))
    second = ingest_files(paths[1:], analyze=GoldAnalyzer([]))
    assert (first["quarantine_new"], second["quarantined"], second["quarantine_new"]) == (1, 1, 0)
    assert stats()["quarantine"] == 1


# --- a post whose text changed ----------------------------------------------------------------------------


def version(text: str, fetched: str, **extra) -> dict:
    return post("x", "1", text, "2026-11-20T01:00:00Z", fetched_at=fetched, gold=ROAD, **extra)


OLD = version("Jalan di Swarga Bara berlubang", "2026-11-20T02:00:00Z", metrics={"likes": 1})
NEW = version(
    "Jalan di Swarga Bara rusak parah, sudah tiga bulan tidak diperbaiki", "2026-11-21T02:00:00Z", metrics={"likes": 9}
)


def stored() -> tuple:
    with warehouse.connect() as con:
        return con.execute("SELECT text, likes, fetched_at FROM posts WHERE post_key = 'x:1'").fetchone()


@pytest.mark.parametrize("order", ["old-new", "new-old"])
def test_the_newest_fetch_wins_within_a_file(warehouse_file, order):
    first, second = (OLD, NEW) if order == "old-new" else (NEW, OLD)
    load_lines(lines([first, second]))
    assert stored()[:2] == (NEW["text"], 9)


@pytest.mark.parametrize("order", ["old-new", "new-old"])
def test_the_newest_fetch_wins_across_files(warehouse_file, tmp_path, order):
    first, second = (OLD, NEW) if order == "old-new" else (NEW, OLD)
    for i, record in enumerate((first, second)):
        path = tmp_path / f"{i}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        ingest_files([str(path)], analyze=GoldAnalyzer([record]))
    assert stored()[:2] == (NEW["text"], 9)


def test_a_tie_in_fetched_at_goes_to_the_later_line_and_the_later_load(warehouse_file):
    same_time = version("Jalan di Swarga Bara rusak, versi dua", OLD["fetched_at"])
    load_lines(lines([OLD, same_time]))
    assert stored()[0] == same_time["text"]
    load_lines(lines([OLD]))
    assert stored()[0] == OLD["text"]


def test_an_edit_to_a_post_in_an_issue_keeps_the_warehouse_consistent(warehouse_file):
    analyzer = GoldAnalyzer([OLD])
    ingest_lines(lines([OLD]), analyze=analyzer)
    with warehouse.connect() as con:
        issue_id, isi = con.execute("SELECT issue_id, isi FROM drafts").fetchone()
    assert OLD["text"] in isi

    seen_texts: list[str] = []

    def analyze(records: list[dict]) -> list[dict]:
        seen_texts.extend(r["text"] for r in records)
        return analyzer(records)

    counts = ingest_lines(lines([NEW]), analyze=analyze)
    assert counts["posts_edited"] == 1 and counts["analyzed"] == 1 and seen_texts == [NEW["text"]]
    assert counts["reports_placed"] == 0 and counts["issues_opened"] == 0
    with warehouse.connect() as con:
        assert con.execute("SELECT issue_id FROM issue_posts WHERE post_key = 'x:1'").fetchone()[0] == issue_id
        (isi,) = con.execute("SELECT isi FROM drafts WHERE issue_id = ?", [issue_id]).fetchone()
        hash_now, hash_of_new = con.execute(
            "SELECT content_hash, md5(trim(regexp_replace(lower(?), '[^\\p{L}\\p{N}]+', ' ', 'g'))) FROM posts",
            [NEW["text"]],
        ).fetchone()
        analyses = con.execute("SELECT count(*) FROM post_analysis WHERE post_key = 'x:1'").fetchone()[0]
    assert NEW["text"] in isi and OLD["text"] not in isi
    assert hash_now == hash_of_new and analyses == 1
    # the older version arriving late changes nothing; the newer again changes nothing
    before = stats()
    late = ingest_lines(lines([OLD, NEW]), analyze=analyze)
    assert late["posts_updated"] == 0 and late["posts_edited"] == 0 and late["analyzed"] == 0
    assert stats() == before and stored()[0] == NEW["text"]


# --- through the real `siaga ingest` ----------------------------------------------------------------------


def siaga_ingest(path: Path, warehouse_path: Path) -> dict:
    env = dict(os.environ, SIAGA_WAREHOUSE=str(warehouse_path))
    done = subprocess.run(
        [str(Path(sys.executable).with_name("siaga")), "ingest", str(path)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_siaga_ingest_quarantines_every_case_once_and_a_rerun_adds_nothing(warehouse_file, tmp_path):
    now = datetime.now(UTC)
    cases = [
        post("myspace", "b1", "Jalan rusak di Bengalon", iso(now)),
        {"platform": 5, "platform_post_id": "b2", "text": "Jalan rusak di Bengalon"},
        {"platform": "x", "platform_post_id": "b3", "text": 12345},
        {"platform": "x", "platform_post_id": "b4", "text": ["jalan", "rusak"]},
        {"platform": "x", "platform_post_id": "b5", "text": " \u00a0\t "},
        post("x", "b6", "Jalan rusak di Bengalon", "1900-01-01T00:00:00Z"),
        post("x", "b7", "Jalan rusak di Bengalon", "2100-01-01T00:00:00Z"),
        post("x", "b8", "Jalan rusak di Bengalon", iso(now), metrics="banyak"),
        post("x", "b9", "Jalan rusak di Bengalon", iso(now), geo=[0.5, 117.5]),
    ]
    good = [
        post("x", "g1", "Jalan di Swarga Bara rusak parah, lubang di mana-mana", iso(now - timedelta(hours=2))),
        post("facebook", "g2", "Air PDAM mati tiga hari di Teluk Lingga", iso(now - timedelta(hours=1))),
    ]
    body = lines([good[0], *cases, *cases[:2], good[1]])  # two cases twice: identical lines, each kept
    path = tmp_path / "kiriman.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(body) + "\n").encode("utf-8"))  # a BOM, as Windows tools write

    first = siaga_ingest(path, warehouse_file)
    assert first["posts_new"] == 2 and first["quarantined"] == first["quarantine_new"] == len(cases) + 2
    assert post_keys() == {"x:g1", "facebook:g2"}
    got = quarantine_rows()
    assert len(got) == stats()["quarantine"] == len(cases) + 2
    assert {raw for raw, *_ in got} == set(lines(cases))
    assert all(reason and origin == str(path) for _, reason, origin, _, _ in got)

    again = siaga_ingest(path, warehouse_file)
    assert again["posts_new"] == 0 and again["posts_unchanged"] == 2
    assert again["quarantined"] == len(cases) + 2 and again["quarantine_new"] == 0
    assert quarantine_rows() == got

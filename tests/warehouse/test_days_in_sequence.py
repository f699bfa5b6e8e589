"""Day after day equals one load of all the days.

First, small cases in-process: what a run must know of yesterday's issues to place today's reports as
one run over both days would (their reports' time span, km markers, geotags, the order they opened in).
Then fourteen days after the bundled sample, loaded one day at a time through `siaga ingest` (a
subprocess, as a user or cron runs it), against one bulk load of the same posts: what production sees
from its second day on (new reports about problems that already have 6+ reports, copies and replies of
earlier days' posts, posts fetched again with new figures). The day files come from
tests/sequence_days.py (deterministic); those warehouses are built once for the module (~1-2 min).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from tests.sequence_days import DAYS, LOOK_ALIKE_REPLIES, ending_yesterday, write_days
from tests.warehouse.warehouse_state import (
    assert_same_similarities,
    contents,
    differences,
    export_issues,
    siaga,
)
from warehouse.ingest import ingest_lines

BUSY = 6  # reports an issue has when the day-two crash began (more than the wording it keeps)


# -- small cases: yesterday's issues as clustering left them -------------------------------------------
SWARGA_ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.04.2012",
}
WANASARI_FLOOD = {"category": "banjir", "kecamatan": "Muara Wahau", "desa": "Wanasari", "region_code": "64.08.02.2007"}
HOSPITAL = {"category": "kesehatan", "kecamatan": "Sangatta Selatan", "desa": None, "region_code": "64.08.12"}
SINGA_GEWEH_HEALTH = dict(HOSPITAL, desa="Singa Geweh", region_code="64.08.12.1002")
NOT_A_COMPLAINT = {"is_complaint": False}


def placements(days: list[list[dict]], tmp_path: Path, monkeypatch) -> tuple[dict, dict]:
    """Where each post lands (post_key -> (issue_id, role)) loading `days` one run each, and in one run."""
    every = [p for day in days for p in day]
    placed = []
    for name, runs in (("daily", days), ("bulk", [every])):
        monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / f"{name}.duckdb"))
        for run in runs:
            ingest_lines(lines(run), analyze=GoldAnalyzer(every))
        with warehouse.connect() as con:
            placed.append(
                {
                    key: (issue, role)
                    for key, issue, role in con.execute("SELECT post_key, issue_id, role FROM issue_posts").fetchall()
                }
            )
    return placed[0], placed[1]


def test_a_comment_does_not_keep_an_issue_open_for_new_reports(tmp_path, monkeypatch):
    days = [
        [
            post(
                "instagram",
                "1",
                "Banjir di Wanasari, air masuk rumah sepinggang",
                "2026-11-01T08:00:00Z",
                gold=WANASARI_FLOOD,
            )
        ],
        [
            post(
                "instagram",
                "2",
                "Ikut mendoakan warga Wanasari",
                "2026-11-14T08:00:00Z",
                parent_id="instagram:1",
                gold=NOT_A_COMPLAINT,
            )
        ],
        # 15 days after the last report: a new flood, however recent the comment
        [post("x", "3", "Banjir lagi di Wanasari, sungai meluap", "2026-11-16T08:00:00Z", gold=WANASARI_FLOOD)],
    ]
    daily, bulk = placements(days, tmp_path, monkeypatch)
    assert daily == bulk
    assert daily["x:3"][0] != daily["instagram:1"][0]


def test_km_markers_of_every_report_keep_two_stretches_of_road_apart(tmp_path, monkeypatch):
    first = [
        post("x", str(n), f"Jalan Swarga Bara rusak, laporan warga ke-{n}", f"2026-11-01T0{n}:00:00Z", gold=SWARGA_ROAD)
        for n in range(1, 6)
    ]  # the issue keeps these five as its wording
    days = [
        first,
        [post("x", "6", "Jalan Swarga Bara km 5 berlubang dalam", "2026-11-02T01:00:00Z", gold=SWARGA_ROAD)],
        [post("x", "7", "Jalan Swarga Bara km 14 amblas separuh", "2026-11-03T01:00:00Z", gold=SWARGA_ROAD)],
    ]
    daily, bulk = placements(days, tmp_path, monkeypatch)
    assert daily == bulk
    assert daily["x:6"][0] == daily["x:1"][0]
    assert daily["x:7"][0] != daily["x:1"][0], "km 14 is not the stretch at km 5"


def test_a_geotag_at_the_place_an_issue_is_drawn_does_not_join_it(tmp_path, monkeypatch):
    from nlp.regions import by_code

    centre = by_code("64.08.12")  # an issue with no geotag is drawn at its kecamatan's centre
    days = [
        [
            post(
                "x",
                "1",
                "Antrean rumah sakit di Sangatta Selatan panjang sekali",
                "2026-11-01T01:00:00Z",
                gold=HOSPITAL,
            )
        ],
        [
            post(
                "instagram",
                "2",
                "Puskesmas Singa Geweh tutup siang, petugas tidak ada",
                "2026-11-02T01:00:00Z",
                gold=SINGA_GEWEH_HEALTH,
                geo={"lat": centre.lat, "lon": centre.lon},
            )
        ],
    ]
    daily, bulk = placements(days, tmp_path, monkeypatch)
    assert daily == bulk
    assert daily["instagram:2"][0] != daily["x:1"][0]


def test_between_two_equally_good_issues_the_older_one_wins_in_every_run(tmp_path, monkeypatch):
    days = [
        # two stretches of one road in one desa, opened in this order
        [
            post("x", "1", "Aspal hancur km 5", "2026-11-01T01:00:00Z", gold=SWARGA_ROAD),
            post("x", "2", "Lubang dalam km 30", "2026-11-01T02:00:00Z", gold=SWARGA_ROAD),
        ],
        # names no km and shares no word with either: both fit as well
        [post("x", "3", "Tolong perbaiki segera", "2026-11-02T01:00:00Z", gold=SWARGA_ROAD)],
    ]
    daily, bulk = placements(days, tmp_path, monkeypatch)
    assert daily == bulk
    assert daily["x:3"][0] == daily["x:1"][0]


# -- fourteen days after the bundled sample, through the CLI ---------------------------------------------
@dataclass
class Sequence:
    sample: Path
    days: list[Path]
    daily: Path  # the warehouse loaded day by day
    bulk: Path  # the same posts in one load
    counts: list[dict] = field(default_factory=list)  # `siaga ingest` output per day
    joined_busy: list[int] = field(default_factory=list)  # per day: its reports placed in issues with 6+
    rerun_changed: list[int] = field(default_factory=list)  # days whose immediate re-run changed the export


def _report_counts(warehouse: Path) -> dict[str, int]:
    from warehouse import connect

    with connect(path=warehouse) as con:
        return dict(con.execute("SELECT issue_id, report_count FROM issues").fetchall())


def _reports_of(warehouse: Path, day_file: Path) -> dict[str, str]:
    """The day's posts placed as reports: post_key -> issue_id."""
    from warehouse import connect

    keys = sorted(
        {
            f"{p['platform']}:{p['platform_post_id']}"
            for p in map(json.loads, day_file.read_text(encoding="utf-8").splitlines())
        }
    )
    with connect(path=warehouse) as con:
        return dict(
            con.execute(
                "SELECT post_key, issue_id FROM issue_posts WHERE role = 'report' AND list_contains(?, post_key)",
                [keys],
            ).fetchall()
        )


@pytest.fixture(scope="module")
def sequence(tmp_path_factory) -> Sequence:
    folder = tmp_path_factory.mktemp("days")
    first_day = ending_yesterday()  # the sample ends the day before
    run = Sequence(
        sample=folder / "sample.jsonl",
        days=write_days(folder / "days", first_day=first_day),
        daily=folder / "daily.duckdb",
        bulk=folder / "bulk.duckdb",
    )
    siaga("extract", "replay", "--relative-to", first_day.isoformat(), "--out", str(run.sample), warehouse=run.daily)

    siaga("ingest", str(run.sample), warehouse=run.daily)
    for day in run.days:
        before = _report_counts(run.daily)
        done = siaga("ingest", str(day), warehouse=run.daily)
        run.counts.append(json.loads(done.stdout))
        placed = _reports_of(run.daily, day)
        run.joined_busy.append(sum(before.get(issue, 0) >= BUSY for issue in placed.values()))
        # The same day again at once (a retried task, a user who runs it twice).
        export = export_issues(run.daily)
        siaga("ingest", str(day), warehouse=run.daily)
        run.rerun_changed.append(export_issues(run.daily) != export)

    bulk = folder / "all.jsonl"
    bulk.write_text("".join(p.read_text(encoding="utf-8") for p in [run.sample, *run.days]), encoding="utf-8")
    siaga("ingest", str(bulk), warehouse=run.bulk)
    return run


@pytest.mark.slow
def test_every_day_loads_and_places_all_its_reports(sequence):
    assert len(sequence.days) == len(sequence.counts) == DAYS >= 14
    for n, counts in enumerate(sequence.counts):
        assert counts["posts_new"] > 0, f"day {n}: {counts}"
        assert counts["reports_placed"] > 0, f"day {n}: {counts}"
    from warehouse import connect

    with connect(path=sequence.daily) as con:
        unplaced = con.execute(
            """
            SELECT count(*) FROM posts p
            JOIN (SELECT post_key, bool_or(is_complaint AND in_kutim AND category IS NOT NULL) AS report
                  FROM post_analysis GROUP BY ALL) a USING (post_key)
            WHERE a.report AND p.canonical_key = p.post_key
              AND p.post_key NOT IN (SELECT post_key FROM issue_posts)
            """
        ).fetchone()[0]
    assert unplaced == 0, "every report of every day is in an issue"


@pytest.mark.slow
def test_new_reports_join_issues_that_were_already_busy(sequence):
    # The day-two crash fired exactly here: a new report while an issue with 6+ reports was open.
    assert sequence.joined_busy[0] > 0, "the first day after the sample joins the sample's busy issues"
    days_with_busy_joins = sum(n > 0 for n in sequence.joined_busy)
    assert days_with_busy_joins >= DAYS // 2, sequence.joined_busy


@pytest.mark.slow
def test_rerunning_a_day_changes_nothing(sequence):
    assert not any(sequence.rerun_changed), f"days whose re-run changed the export: {sequence.rerun_changed}"


@pytest.mark.slow
def test_rerunning_an_earlier_day_later_changes_nothing(sequence, tmp_path):
    before_export, before = export_issues(sequence.daily), contents(sequence.daily)
    for day in (sequence.days[0], sequence.days[DAYS // 2]):
        siaga("ingest", str(day), warehouse=sequence.daily)
    assert export_issues(sequence.daily) == before_export
    assert differences(contents(sequence.daily), before) == {}


@pytest.mark.slow
def test_day_by_day_ends_byte_for_byte_where_one_bulk_load_ends(sequence):
    daily, bulk = export_issues(sequence.daily), export_issues(sequence.bulk)
    assert daily.count(b"\n") > 50
    assert daily == bulk


@pytest.mark.slow
def test_day_by_day_ends_with_the_same_posts_links_and_drafts_as_one_bulk_load(sequence):
    similarity = {"issue_posts": ("similarity",)}  # compared below
    daily, bulk = contents(sequence.daily, similarity), contents(sequence.bulk, similarity)
    assert len(daily["posts"]) > 600 and len(daily["drafts"]) > 50
    assert differences(daily, bulk) == {}
    assert_same_similarities(sequence.daily, sequence.bulk)


@pytest.mark.slow
def test_look_alike_replies_follow_their_own_thread_day_by_day(sequence):
    """ "Setuju, sudah lama begini" under two threads on different days, an agency's canned answer: each
    reply joins the issue of the post it answers, not the issue of the first post with its words."""
    from warehouse import connect

    look_alikes = [
        (f"{p['platform']}:{p['platform_post_id']}", p["parent_id"])
        for day in sequence.days
        for p in map(json.loads, day.read_text(encoding="utf-8").splitlines())
        if p["text"] in LOOK_ALIKE_REPLIES
    ]
    assert len(look_alikes) >= 4
    with connect(path=sequence.daily) as con:
        issue_of = dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())
    followed = [(key, issue_of.get(key), issue_of.get(parent)) for key, parent in look_alikes if parent in issue_of]
    assert len(followed) >= 4
    assert all(mine == theirs for _, mine, theirs in followed), followed

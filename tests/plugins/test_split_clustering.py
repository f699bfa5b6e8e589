"""A split through the real pipeline: the chosen report takes its copies and replies along, and later
clustering runs (the same day again, new reports of either problem) leave the split posts apart."""

from __future__ import annotations

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse import moderation
from warehouse.ingest import ingest_lines

SCHOOL = {
    "category": "pendidikan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.04.2012",
    "opd": "Dinas Pendidikan dan Kebudayaan",
}


def _days() -> list[list[dict]]:
    return [
        [
            post(
                "x", "1", "Atap SD 005 Swarga Bara bocor, murid belajar kehujanan", "2026-11-10T01:00:00Z", gold=SCHOOL
            ),
            # the same desa and category: clustering joins it, though it is another school's problem
            post(
                "facebook",
                "2",
                "Guru SMP 3 Swarga Bara belum dibayar honornya tiga bulan",
                "2026-11-10T03:00:00Z",
                gold=SCHOOL,
            ),
            post(
                "x",
                "3",
                "RT @wali: Guru SMP 3 Swarga Bara belum dibayar honornya tiga bulan",
                "2026-11-10T04:00:00Z",
                shared_from="facebook:2",
                gold=SCHOOL,
            ),
            post(
                "facebook",
                "4",
                "Kasihan para guru honorer itu",
                "2026-11-10T05:00:00Z",
                parent_id="facebook:2",
                gold={"is_complaint": False},
            ),
        ],
        [
            post(
                "instagram", "5", "Honor guru SMP 3 Swarga Bara masih belum cair", "2026-11-11T02:00:00Z", gold=SCHOOL
            ),
            post("x", "6", "Atap SD 005 Swarga Bara makin parah bocornya", "2026-11-11T03:00:00Z", gold=SCHOOL),
        ],
    ]


def _placement() -> dict[str, str]:
    with warehouse.connect() as con:
        return dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())


def test_split_posts_stay_apart_in_later_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    days = _days()
    analyze = GoldAnalyzer([p for day in days for p in day])
    ingest_lines(lines(days[0]), analyze=analyze)
    school = _placement()["x:1"]
    assert _placement()["facebook:2"] == school  # glued by place and category: the moderator splits it
    result = moderation.split_issue(school, ["facebook:2"], actor="moderator", role="moderator")
    assert set(result["moved"]) == {"facebook:2", "x:3", "facebook:4"}  # its retweet and its reply follow
    split = dict(_placement())
    assert {split[k] for k in ("facebook:2", "x:3", "facebook:4")} == {result["new_issue"]}
    ingest_lines(lines(days[0]), analyze=analyze)  # the same day again (a retried task)
    assert _placement() == split
    ingest_lines(lines(days[1]), analyze=analyze)  # the next day: new reports of both problems
    after = _placement()
    assert {k: after[k] for k in split} == split
    assert after["x:6"] in (school, result["new_issue"]) and after["instagram:5"] in (school, result["new_issue"])
    with warehouse.connect() as con:
        kept = moderation.kept_apart(con)
        figures = dict(
            con.execute(
                "SELECT issue_id, report_count FROM issues WHERE issue_id IN (?, ?)", [school, result["new_issue"]]
            ).fetchall()
        )
    assert kept[school] == {result["new_issue"]}
    assert sum(figures.values()) == 4  # every report counted once, on one side of the split

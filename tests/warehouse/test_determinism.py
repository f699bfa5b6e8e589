"""Two clean loads of the same posts give the same issues and drafts; replies follow their own parent.

The posts are generated with many ties on purpose: reports of one problem routed to different OPDs in
equal numbers, the same second for several reports, neighbouring desa of equal code length within the
geotag radius, and the same short reply ("Setuju, sudah lama begini") under many threads.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from warehouse import connect
from warehouse.ingest import ingest_lines
from warehouse.stats import dumps, export_issues

OPDS = (
    "Dinas Pekerjaan Umum Kabupaten Kutai Timur",
    "Dinas Perhubungan Kabupaten Kutai Timur",
    "BPBD Kabupaten Kutai Timur",
)
CLASSIFICATIONS = ("pengaduan", "aspirasi")
SUBJECTS = {
    "jalan_jembatan": "jalan berlubang dan licin",
    "banjir": "air sungai naik masuk rumah",
    "air_bersih": "keran pdam kering sejak pagi",
    "listrik": "lampu padam berjam jam",
}
FILLERS = ("tolong", "pak", "mohon", "segera", "warga", "resah", "kapan", "ditangani", "sudah", "seminggu")
# Replies that many people write under many different threads.
COMMON_REPLIES = ("Setuju, sudah lama begini", "betul sekali", "Sama di tempat kami", "up min")
START = datetime(2026, 3, 1, 6, 0, 0)


def _desa() -> list[tuple]:
    """Every desa as (code, name, kecamatan, lat, lon), in code order."""
    from nlp.regions import all_regions

    regions = {r.code: r for r in all_regions()}
    desa = [r for r in regions.values() if r.level == "desa" and r.lat is not None]
    return [(r.code, r.name, regions[r.parent].name, r.lat, r.lon) for r in sorted(desa, key=lambda r: r.code)]


def generate_posts(n: int, seed: int = 11, days: int = 6) -> list[dict]:
    """n normalized posts over `days` days, each with its `gold` analysis, in file order (shuffled)."""
    rng = random.Random(seed)
    desa = _desa()
    siblings: dict[str, list[tuple]] = {}
    for d in desa:
        siblings.setdefault(d[0].rsplit(".", 1)[0], []).append(d)
    posts: list[dict] = []
    n_problems = max(1, n // 4)
    for problem in range(n_problems):
        category = rng.choice(sorted(SUBJECTS))
        code, name, kecamatan, lat, lon = rng.choice(desa)
        day = rng.randrange(days)
        when = START + timedelta(days=day, minutes=rng.randrange(0, 600))
        reports = []
        for k in range(rng.choice((2, 2, 3, 4))):
            # several reports of a problem in the same second; some place it only by a geotag near the desa
            created = when + timedelta(seconds=rng.choice((0, 0, 30)), minutes=15 * (k // 2))
            pid = f"p{problem}r{k}"
            # a second report that names a neighbouring desa (same code length) but is geotagged here
            place = rng.choice(siblings[code.rsplit(".", 1)[0]]) if k == 1 and rng.random() < 0.3 else None
            place_code, place_name = (place[0], place[1]) if place else (code, name)
            words = " ".join(rng.sample(FILLERS, 5))
            report = {
                "platform": rng.choice(("x", "facebook", "instagram")),
                "platform_post_id": pid,
                "text": f"{SUBJECTS[category]} di {name} {words}",
                "created_at": created.isoformat() + "Z",
                "metrics": {"likes": rng.randrange(50), "shares": rng.randrange(5), "comments": 0, "views": None},
                "url": f"https://example.invalid/{pid}",
                "geo": {"lat": lat + rng.uniform(-0.002, 0.002), "lon": lon + rng.uniform(-0.002, 0.002)},
                "gold": {
                    "category": category,
                    "region_code": place_code,
                    "kecamatan": kecamatan,
                    "desa": place_name,
                    "opd": OPDS[(problem + k) % len(OPDS)] if k < 2 else rng.choice(OPDS),
                    "klasifikasi": CLASSIFICATIONS[(problem + k) % 2],
                },
            }
            reports.append(report)
            posts.append(report)
        for k in range(rng.randrange(0, 4)):
            parent = rng.choice(reports)
            created = datetime.fromisoformat(parent["created_at"][:-1]) + timedelta(hours=rng.choice((1, 20, 30)))
            pid = f"p{problem}c{k}"
            posts.append(
                {
                    "platform": parent["platform"],
                    "platform_post_id": pid,
                    "text": rng.choice(COMMON_REPLIES),
                    "created_at": created.isoformat() + "Z",
                    "parent_id": parent["platform_post_id"],
                    "url": f"https://example.invalid/{pid}",
                    "gold": {"is_complaint": False, "in_kutim": True},
                }
            )
        if rng.random() < 0.3:
            orig = rng.choice(reports)
            pid = f"p{problem}rt"
            posts.append(
                {
                    "platform": "x",
                    "platform_post_id": pid,
                    "text": f"RT @warga{problem % 13}: {orig['text']}",
                    "created_at": orig["created_at"],
                    "url": f"https://example.invalid/{pid}",
                    "gold": {
                        "category": category,
                        "region_code": code,
                        "kecamatan": kecamatan,
                        "desa": name,
                        "opd": rng.choice(OPDS),
                    },
                }
            )
    rng.shuffle(posts)
    return posts[:n]


def gold_analyzer(posts: list[dict]):
    """Analysis from each post's `gold` labels, OPD and classification included (clustering tested alone)."""
    by_key = {f"{p['platform']}:{p['platform_post_id']}": p.get("gold", {}) for p in posts}

    def analyze(records: list[dict]) -> list[dict]:
        out = []
        for r in records:
            gold = by_key.get(r["id"], {})
            complaint = gold.get("is_complaint", bool(gold.get("category")))
            out.append(
                {
                    "id": r["id"],
                    "is_complaint": complaint,
                    "complaint_score": float(complaint),
                    "category": gold.get("category"),
                    "is_emergency": False,
                    "in_kutim": gold.get("in_kutim", True),
                    "kecamatan": gold.get("kecamatan"),
                    "desa": gold.get("desa"),
                    "region_code": gold.get("region_code"),
                    "opd": gold.get("opd"),
                    "lapor_classification": gold.get("klasifikasi") if complaint else None,
                    "entities": [],
                    "model_version": "gold",
                }
            )
        return out

    return analyze


def _post_lines(posts: list[dict]) -> list[str]:
    return [json.dumps({k: v for k, v in p.items() if k != "gold"}, ensure_ascii=False) for p in posts]


def load(posts: list[dict], warehouse: Path, monkeypatch, by_day: bool = False) -> None:
    """Ingest the posts into a fresh warehouse, in one file or one day at a time (in date order)."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(warehouse))
    analyze = gold_analyzer(posts)
    if not by_day:
        ingest_lines(_post_lines(posts), analyze=analyze)
        return
    days: dict[str, list[dict]] = {}
    for p in posts:
        days.setdefault(p["created_at"][:10], []).append(p)
    for day in sorted(days):
        ingest_lines(_post_lines(days[day]), analyze=analyze)


def snapshot() -> dict:
    """What a load decides: `siaga export issues` and every draft's content."""
    issues = [dumps(issue) for issue in export_issues()]
    with connect() as con:
        drafts = con.execute(
            "SELECT draft_id, issue_id, judul, isi, kategori, lokasi, region_code, opd, klasifikasi, is_emergency "
            "FROM drafts ORDER BY draft_id"
        ).fetchall()
    return {"issues": issues, "drafts": drafts}


def reply_issues() -> dict[str, tuple[str | None, str | None]]:
    """Each reply's issue and its parent's issue."""
    with connect() as con:
        rows = con.execute(
            """
            SELECT r.post_key, ir.issue_id, ip.issue_id
            FROM posts r
            LEFT JOIN issue_posts ir ON ir.post_key = r.post_key
            LEFT JOIN issue_posts ip ON ip.post_key = r.platform || ':' || r.parent_id
            WHERE r.parent_id IS NOT NULL
            """
        ).fetchall()
    return {key: (own, parent) for key, own, parent in rows}


def _report(pid: str, created_at: str, place: tuple, opd: str, klasifikasi: str, **extra) -> dict:
    code, name, kecamatan, _lat, _lon = place
    return {
        "platform": "facebook",
        "platform_post_id": pid,
        "created_at": created_at,
        "text": f"jalan berlubang di {name} mohon segera ditangani {pid}",
        "gold": {
            "category": "jalan_jembatan",
            "region_code": code,
            "kecamatan": kecamatan,
            "desa": name,
            "opd": opd,
            "klasifikasi": klasifikasi,
        },
        **extra,
    }


def _drafts_by_issue() -> dict[str, tuple]:
    with connect() as con:
        return {
            issue: (opd, klas, code)
            for issue, opd, klas, code in con.execute(
                "SELECT issue_id, opd, klasifikasi, region_code FROM drafts"
            ).fetchall()
        }


def _issue_of(post_key: str) -> str | None:
    with connect() as con:
        row = con.execute("SELECT issue_id FROM issue_posts WHERE post_key = ?", [post_key]).fetchone()
    return row[0] if row else None


def test_two_clean_loads_of_the_same_posts_give_the_same_issues_and_drafts(tmp_path, monkeypatch):
    posts = generate_posts(12_000)
    snapshots = []
    for run in range(2):
        load(posts, tmp_path / f"load{run}.duckdb", monkeypatch)
        snapshots.append(snapshot())
    first, second = snapshots
    assert len(first["drafts"]) > 300  # enough issues for ties to matter
    assert first["issues"] == second["issues"]  # `siaga export issues`, line for line
    assert first["drafts"] == second["drafts"]


def test_an_opd_tie_goes_to_the_first_report_not_to_chance(tmp_path, monkeypatch):
    places = _desa()[:40]
    posts = []
    for i, place in enumerate(places):
        # two reports one hour apart, two agencies: which one sorts first by name alternates
        first_opd, later_opd = (OPDS[0], OPDS[1]) if i % 2 else (OPDS[1], OPDS[0])
        first_klas, later_klas = (CLASSIFICATIONS[0], CLASSIFICATIONS[1]) if i % 3 else CLASSIFICATIONS[::-1]
        posts.append(_report(f"t{i}a", "2026-03-02T01:00:00Z", place, first_opd, first_klas))
        posts.append(_report(f"t{i}b", "2026-03-02T02:00:00Z", place, later_opd, later_klas))
    load(list(reversed(posts)), tmp_path / "ties.duckdb", monkeypatch)
    drafts = _drafts_by_issue()
    assert len(drafts) == len(places)
    for i in range(len(places)):
        first = posts[2 * i]
        assert drafts[_issue_of(f"facebook:t{i}a")][:2] == (first["gold"]["opd"], first["gold"]["klasifikasi"])


def test_the_most_reported_opd_wins_and_the_draft_follows_later_reports(tmp_path, monkeypatch):
    place = _desa()[3]
    day1 = [_report("d1", "2026-03-02T01:00:00Z", place, OPDS[2], "pengaduan")]
    day2 = [_report(f"d2{k}", "2026-03-03T01:00:00Z", place, OPDS[1], "aspirasi") for k in range(2)]
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "later.duckdb"))
    analyze = gold_analyzer(day1 + day2)
    ingest_lines(_post_lines(day1), analyze=analyze)
    [(opd, klasifikasi, _)] = _drafts_by_issue().values()
    assert (opd, klasifikasi) == (OPDS[2], "pengaduan")
    ingest_lines(_post_lines(day2), analyze=analyze)
    [(opd, klasifikasi, _)] = _drafts_by_issue().values()
    assert (opd, klasifikasi) == (OPDS[1], "aspirasi")  # 2 reports to 1: the draft is routed again


def test_a_place_tie_goes_to_the_first_report(tmp_path, monkeypatch):
    desa = _desa()
    by_kecamatan: dict[str, list[tuple]] = {}
    for d in desa:
        by_kecamatan.setdefault(d[0].rsplit(".", 1)[0], []).append(d)
    pairs = [group[:2] for group in by_kecamatan.values() if len(group) >= 2][:12]
    posts = []
    for i, (here, neighbour) in enumerate(pairs):
        geo = {"lat": here[3], "lon": here[4]}  # both geotagged at the same spot: one problem
        named_first, named_later = (here, neighbour) if i % 2 else (neighbour, here)
        posts.append(_report(f"g{i}a", "2026-03-02T01:00:00Z", named_first, OPDS[0], "pengaduan", geo=geo))
        posts.append(_report(f"g{i}b", "2026-03-02T01:00:00Z", named_later, OPDS[0], "pengaduan", geo=geo))
    load(posts, tmp_path / "places.duckdb", monkeypatch)
    with connect() as con:
        issues = {
            row[0]: row[1:]
            for row in con.execute("SELECT issue_id, kecamatan, desa, region_code FROM issues").fetchall()
        }
    assert len(issues) == len(pairs)
    for i, (here, neighbour) in enumerate(pairs):
        # the same second: the smaller post key, g{i}a, is the first report
        named_first = here if i % 2 else neighbour
        assert issues[_issue_of(f"facebook:g{i}a")] == (named_first[2], named_first[1], named_first[0])


COMMON_REPLY = "Setuju, sudah lama begini"


def _thread(tag: str, day: str, place: tuple, opd: str) -> list[dict]:
    report = _report(f"{tag}", f"{day}T01:00:00Z", place, opd, "pengaduan")
    reply = {
        "platform": "facebook",
        "platform_post_id": f"{tag}-reply",
        "text": COMMON_REPLY,
        "created_at": f"{day}T05:00:00Z",
        "parent_id": tag,
        "gold": {"is_complaint": False},
    }
    return [report, reply]


@pytest.mark.parametrize("daily", [True, False], ids=["daily", "bulk"])
def test_a_common_reply_in_two_threads_follows_each_own_parent(tmp_path, monkeypatch, daily):
    desa = _desa()
    threads = [_thread(f"th{i}", f"2026-03-0{1 + i}", desa[10 * i], OPDS[i % 3]) for i in range(4)]
    posts = [p for thread in threads for p in thread]
    load(posts, tmp_path / "replies.duckdb", monkeypatch, by_day=daily)
    issues = {_issue_of(f"facebook:th{i}") for i in range(4)}
    assert len(issues) == 4 and None not in issues
    for i in range(4):
        assert _issue_of(f"facebook:th{i}-reply") == _issue_of(f"facebook:th{i}")
    with connect() as con:
        roles = con.execute("SELECT DISTINCT role FROM issue_posts WHERE post_key LIKE '%-reply'").fetchall()
    assert roles == [("reply",)]


def test_replies_follow_their_parents_over_daily_loads_of_many_threads(tmp_path, monkeypatch):
    posts = generate_posts(3_000)
    load(posts, tmp_path / "daily.duckdb", monkeypatch, by_day=True)
    replies = reply_issues()
    linked = [(own, parent) for own, parent in replies.values() if parent is not None]
    assert len(linked) > 500
    assert [pair for pair in linked if pair[0] != pair[1]] == []


def test_the_same_text_posted_twice_at_the_top_level_is_still_one_copy(tmp_path, monkeypatch):
    place = _desa()[5]
    original = _report("o1", "2026-03-02T01:00:00Z", place, OPDS[0], "pengaduan")
    copy = dict(original, platform="x", platform_post_id="o2", created_at="2026-03-02T03:00:00Z")
    load([original, copy], tmp_path / "copies.duckdb", monkeypatch)
    with connect() as con:
        assert con.execute("SELECT role FROM issue_posts WHERE post_key = 'x:o2'").fetchone() == ("duplicate",)

"""The moderation queue's table (migration 016) equals a recount from drafts and issues after every write.

`draft_queue` holds per draft what the queue sorts, filters and shows; its writers (the clustering run,
a moderator's edit, decision, merge and split, the LAPOR! bridge's status changes) keep it in their own
transaction. After each step of a realistic sequence the table must hold exactly what a recount gives, and
the queue page must list what the join of drafts and issues it replaced would list, in the same order.
"""

from __future__ import annotations

import pytest

import warehouse
from tests.fakes.fake_lapor import FakeLapor
from tests.helpers import GoldAnalyzer, lines, post
from tests.warehouse.test_summaries import DAYS, EVERY, ROAD, WATER, _day2, _Undo
from warehouse import moderation, summaries
from warehouse.ingest import ingest_lines
from warehouse.lapor import SubmitPolicy, enqueue_approved, submit_approved

TOKEN = "token-uji-antrian"

# The queue as the page read it before migration 016: drafts joined with their issue and its platforms.
OLD_QUEUE = """
SELECT d.draft_id, d.issue_id, d.status, d.judul, d.kategori, d.lokasi, d.region_code, d.opd,
       d.klasifikasi, d.is_emergency, d.moderator_edited, d.new_evidence, d.version,
       d.created_at, d.updated_at, d.decided_by, d.decided_at, d.reject_reason, d.lapor_return_reason,
       i.kecamatan, i.desa, i.post_count, i.report_count, i.reach, i.first_seen, i.last_seen,
       s.platforms AS sources
FROM drafts d JOIN issues i ON i.issue_id = d.issue_id LEFT JOIN issue_summary s ON s.issue_id = d.issue_id
WHERE d.status = ?
ORDER BY d.is_emergency DESC, i.reach DESC, i.last_seen DESC NULLS LAST, d.draft_id
"""


def _queue(con) -> list[tuple]:
    return con.execute("SELECT * FROM draft_queue ORDER BY ALL").fetchall()


def assert_queue_matches_recount() -> list[tuple]:
    """draft_queue as the writers left it equals a recount from scratch (rolled back), and the queue pages
    of every status equal the old join's."""
    found: dict[str, list[tuple]] = {}
    with pytest.raises(_Undo), warehouse.connect(write=True) as con:
        found["kept"] = _queue(con)
        summaries.rebuild_queue(con)
        found["recount"] = _queue(con)
        raise _Undo
    assert found["kept"] == found["recount"]
    assert found["kept"], "the sequence left no drafts to compare"
    with warehouse.connect() as con:
        for status in ("pending", "approved", "rejected", "merged", "submitted"):
            cur = con.execute(OLD_QUEUE, [status])
            names = [c[0] for c in cur.description]
            old = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
            for row in old:
                row["sources"] = row["sources"].split(",") if row["sources"] else []
            page = moderation.list_drafts(moderation.DraftFilters(status=status), limit=1000)
            assert page.items == old, status
            assert page.total == len(old)
    return found["kept"]


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    """Three days loaded one run each, the queue checked after every run."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    analyze = GoldAnalyzer([*EVERY, *_day4()])
    for day in DAYS:
        ingest_lines(lines(day()), analyze=analyze)
        assert_queue_matches_recount()
    return analyze


def _day4() -> list[dict]:
    # a new day: more reports of the road (its reach grows) and of the water cut
    return [
        post(
            "x",
            "401",
            "Jalan Swarga Bara sudah seminggu berlubang, belum ada perbaikan",
            "2026-11-13T02:00:00Z",
            gold=ROAD,
            metrics={"likes": 300, "shares": 40, "comments": 12},
        ),
        post("facebook", "402", "Sepaso masih tanpa air PDAM", "2026-11-13T03:00:00Z", gold=WATER),
    ]


def _drafts() -> dict[str, dict]:
    """Issue id of each draft's first post to the draft (for picking drafts by what they are about)."""
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT ip.post_key, d.draft_id, d.version, d.status FROM issue_posts ip "
            "JOIN drafts d ON d.issue_id = ip.issue_id"
        ).fetchall()
    return {
        key: {"draft_id": draft_id, "version": version, "status": status} for key, draft_id, version, status in rows
    }


def test_decisions_edits_and_a_new_day_keep_the_queue_equal_to_a_recount(loaded):
    drafts = _drafts()
    road, flood, water = drafts["x:101"], drafts["instagram:103"], drafts["whatsapp:203"]
    moderation.update_draft(
        road["draft_id"],
        road["version"],
        {"judul": "Jalan berlubang di Swarga Bara", "kategori": "transportasi"},
        actor="mod",
        role="moderator",
        regions={},
    )
    kept = assert_queue_matches_recount()
    row = next(r for r in kept if r[0] == road["draft_id"])
    assert row[3] == "Jalan berlubang di Swarga Bara" and row[4] == "transportasi"  # the queue shows the edit
    moderation.update_draft(
        road["draft_id"], road["version"] + 1, {"opd": "Dinas Perhubungan"}, actor="mod", role="moderator", regions={}
    )
    assert_queue_matches_recount()
    moderation.approve(flood["draft_id"], actor="mod", role="moderator")
    moderation.reject(water["draft_id"], "Sudah ditangani PDAM kemarin", actor="mod", role="moderator")
    kept = assert_queue_matches_recount()
    assert {r[0]: r[2] for r in kept}[flood["draft_id"]] == "approved"
    # the next day's run: new reports for a decided draft (new evidence) and for an open one (reach)
    ingest_lines(lines(_day4()), analyze=loaded)
    assert_queue_matches_recount()
    ingest_lines(lines(_day2()), analyze=loaded)  # a day loaded again
    assert_queue_matches_recount()


def test_merge_split_and_bulk_decisions_keep_the_queue_equal_to_a_recount(loaded):
    drafts = _drafts()
    road, flood = drafts["x:101"], drafts["instagram:103"]
    with warehouse.connect() as con:
        issue = dict(con.execute("SELECT draft_id, issue_id FROM drafts").fetchall())
    moderation.merge_issues(issue[flood["draft_id"]], issue[road["draft_id"]], actor="mod", role="moderator")
    kept = assert_queue_matches_recount()
    assert {r[0]: r[2] for r in kept}[flood["draft_id"]] == "merged"
    result = moderation.split_issue(
        issue[road["draft_id"]], ["instagram:103", "facebook:204"], actor="mod", role="moderator"
    )
    kept = assert_queue_matches_recount()
    assert result["new_draft"] in {r[0] for r in kept}
    pending = [(r[0], r[12]) for r in kept if r[2] == "pending"]
    moderation.bulk_decide(pending[:2], "approve", actor="mod", role="moderator")
    assert_queue_matches_recount()


def test_the_lapor_bridge_keeps_the_queue_equal_to_a_recount(loaded):
    drafts = _drafts()
    road, water = drafts["x:101"], drafts["whatsapp:203"]
    moderation.approve(road["draft_id"], actor="mod", role="moderator")
    moderation.approve(water["draft_id"], actor="mod", role="moderator")
    from extractors.lapor.client import HttpLaporClient, LaporSettings

    with FakeLapor(token=TOKEN, hold_s=2.0) as fake:
        client = HttpLaporClient(
            LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN, connect_timeout_s=2, read_timeout_s=2)
        )
        fake.fail_next("validation")  # the first is returned to the moderator, the second sent
        counts = submit_approved(client, SubmitPolicy(backoff_s=0.01, backoff_cap_s=0.05))
    assert counts["returned"] == 1 and counts["submitted"] == 1
    kept = assert_queue_matches_recount()
    statuses = {r[0]: (r[2], r[18]) for r in kept}
    returned = [d for d in (road["draft_id"], water["draft_id"]) if statuses[d][0] == "pending"]
    assert len(returned) == 1 and statuses[returned[0]][1]  # back in the queue, with LAPOR!'s reason
    # approved again: the bridge re-arms it and clears the reason
    moderation.approve(returned[0], actor="mod", role="moderator")
    enqueue_approved()
    kept = assert_queue_matches_recount()
    assert {r[0]: r[18] for r in kept}[returned[0]] is None


def test_the_migration_backfills_the_queue_of_a_warehouse_that_predates_it(loaded):
    before = assert_queue_matches_recount()
    with warehouse.connect(write=True) as con:  # the warehouse as it was before migration 016
        con.execute("DROP TABLE draft_queue")
        con.execute("DELETE FROM schema_migrations WHERE version = 16")
    with warehouse.connect() as con:  # the next connection migrates it, backfill included
        assert _queue(con) == before

"""The queue's page and its filter counts equal a recount in Python of the drafts they read.

Each filter shows how many drafts each of its values would give with the other filters applied; the
"Sumber" counts come from the drafts' issue summaries grouped by their set of platforms (issue 17). This
checks them, the total and the page's order on a generated warehouse with drafts in every state.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest

import warehouse
from core.domain import WITA_OFFSET
from tools.bench.ui import generate_warehouse
from warehouse import moderation, summaries

FILTERS = (
    moderation.DraftFilters(),
    moderation.DraftFilters(kategori="banjir"),
    moderation.DraftFilters(sumber="whatsapp", darurat=False),
    moderation.DraftFilters(kecamatan="Bengalon", darurat=False),
    moderation.DraftFilters(opd="Dinas 3"),
    moderation.DraftFilters(dari=dt.date(2026, 11, 1), sampai=dt.date(2026, 11, 15), sumber="x"),
    moderation.DraftFilters(status="approved", cari="Kaubun"),
)


@pytest.fixture(scope="module")
def queue_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("queue-recount") / "siaga.duckdb"
    generate_warehouse(path, posts=3_000, issues=300)
    with warehouse.connect(write=True, path=path) as con:
        con.execute("UPDATE drafts SET status = 'rejected' WHERE hash(issue_id) % 7 = 2 AND status = 'pending'")
        con.execute("UPDATE drafts SET is_emergency = true WHERE hash(issue_id) % 9 = 1")
        # an issue whose posts all came from one platform: not every draft is on every platform
        con.execute(
            "UPDATE issue_summary SET platforms = 'whatsapp' WHERE hash(issue_id) % 5 = 3; "
            "DELETE FROM issue_platforms WHERE hash(issue_id) % 5 = 3 AND platform <> 'whatsapp'"
        )
        # these rows were written here, not by the writers that keep the queue's table (migration 016)
        summaries.rebuild_queue(con)
    return path


@pytest.fixture
def drafts(queue_warehouse, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(queue_warehouse))
    with warehouse.connect() as con:
        cur = con.execute(
            "SELECT d.draft_id, d.status, d.kategori, d.opd, d.is_emergency, d.judul, d.isi, i.kecamatan, i.reach, "
            "i.last_seen, s.platforms FROM drafts d JOIN issues i ON i.issue_id = d.issue_id "
            "LEFT JOIN issue_summary s ON s.issue_id = d.issue_id"
        )
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["platforms"] = set(row["platforms"].split(",")) if row["platforms"] else set()
    return rows


def _matches(d: dict, f: moderation.DraftFilters) -> bool:
    day = (d["last_seen"] + WITA_OFFSET).date() if d["last_seen"] else None
    return (
        d["status"] == f.status
        and (not f.kategori or d["kategori"] == f.kategori)
        and (not f.kecamatan or d["kecamatan"] == f.kecamatan)
        and (not f.opd or d["opd"] == f.opd)
        and (f.darurat is None or d["is_emergency"] == f.darurat)
        and (not f.sumber or f.sumber in d["platforms"])
        and (not f.dari or (day is not None and day >= f.dari))
        and (not f.sampai or (day is not None and day <= f.sampai))
        and (not f.cari or any(f.cari.lower() in (d[k] or "").lower() for k in ("judul", "isi")))
    )


@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
def test_the_queue_page_and_its_counts_equal_a_recount(drafts, filters):
    page = moderation.list_drafts(filters, limit=20)
    chosen = [d for d in drafts if _matches(d, filters)]
    assert page.total == len(chosen) > 0
    order = sorted(
        chosen, key=lambda d: (not d["is_emergency"], -d["reach"], -d["last_seen"].timestamp(), d["draft_id"])
    )
    assert [d["draft_id"] for d in page.items] == [d["draft_id"] for d in order[:20]]
    facets = {
        "kategori": lambda d: d["kategori"],
        "kecamatan": lambda d: d["kecamatan"],
        "opd": lambda d: d["opd"],
        "darurat": lambda d: "ya" if d["is_emergency"] else "tidak",
    }
    for name, key in facets.items():
        others = [d for d in drafts if _matches(d, replace(filters, **{name: None}))]
        assert page.counts[name] == dict(Counter(key(d) for d in others if key(d) is not None)), name
    others = [d for d in drafts if _matches(d, replace(filters, sumber=None))]
    per_platform = Counter(p for d in others for p in d["platforms"])
    assert page.counts["sumber"] == dict(per_platform)
    assert list(page.counts["sumber"]) == sorted(per_platform, key=lambda p: (-per_platform[p], p))
    assert sum(page.counts["sumber"].values()) > page.total or not page.total  # drafts on several platforms

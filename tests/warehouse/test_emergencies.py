"""The 112 hand-off: mark, correct, stale version, dismissal keeps the draft, the labelled export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from tests.helpers import GoldAnalyzer, lines, post
from warehouse import emergencies
from warehouse.alerts import record_emergencies
from warehouse.ingest import ingest_lines
from warehouse.moderation import InvalidChange, VersionConflict

FIRE = {
    "category": "kebakaran",
    "kecamatan": "Kaliorang",
    "desa": "Kaliorang",
    "region_code": "64.08.10.2001",
    "opd": "Dinas Pemadam Kebakaran dan Penyelamatan",
    "is_emergency": True,
}
FLOOD = {
    "category": "banjir",
    "kecamatan": "Sangatta Selatan",
    "desa": "Sangkima",
    "region_code": "64.08.12.2003",
    "opd": "Badan Penanggulangan Bencana Daerah",
    "is_emergency": True,
}
ROAD = {
    "category": "jalan_jembatan",
    "kecamatan": "Sangatta Utara",
    "desa": "Swarga Bara",
    "region_code": "64.08.04.2012",
    "opd": "Dinas Pekerjaan Umum dan Penataan Ruang",
}
POSTS = [
    post(
        "x",
        "f1",
        "Rumah terbakar dekat pasar Kaliorang, api besar, tolong damkar segera!",
        "2026-11-22T04:00:00Z",
        gold=FIRE,
    ),
    post(
        "facebook",
        "f2",
        "Kebakaran di Kaliorang, dua rumah hangus. Hubungi 0812-1111-2222",
        "2026-11-22T04:20:00Z",
        gold=FIRE,
    ),
    post("x", "b1", "Air naik di Sangkima, rumah kami mulai tergenang", "2026-11-22T01:00:00Z", gold=FLOOD),
    post("x", "r1", "Jalan Swarga Bara berlubang besar", "2026-11-21T01:00:00Z", gold=ROAD),
]
NOW = dt.datetime(2026, 11, 22, 5, 0)  # 13:00 WITA
MOD = {"actor": "moderator", "role": "moderator"}


@pytest.fixture
def loaded(warehouse_file):
    ingest_lines(lines(POSTS), analyze=GoldAnalyzer(POSTS))
    record_emergencies([f"{p['platform']}:{p['platform_post_id']}" for p in POSTS], day=NOW.date())
    by_category = {i["category"]: i for i in emergencies.list_emergencies(now=NOW)}
    return by_category["kebakaran"]["issue_id"], by_category["banjir"]["issue_id"]


def audit(issue_id: str) -> list[dict]:
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT actor, action, detail, draft_id FROM moderation_events WHERE issue_id = ? ORDER BY event_id",
            [issue_id],
        ).fetchall()
    return [{"actor": a, "action": b, "detail": json.loads(c), "draft_id": d} for a, b, c, d in rows]


def alert_status(issue_id: str) -> str:
    with warehouse.connect() as con:
        return con.execute(
            "SELECT handoff_status FROM alerts WHERE kind = 'emergency' AND issue_id = ?", [issue_id]
        ).fetchone()[0]


def test_emergencies_wait_longest_first_and_only_emergencies_are_listed(loaded):
    fire, flood = loaded
    items = emergencies.list_emergencies(now=NOW)
    assert [i["issue_id"] for i in items] == [flood, fire]  # the flood began 3 hours before the fire
    assert [i["waiting_minutes"] for i in items] == [240, 60]
    assert all(i["handoff_status"] == "pending" and i["version"] == 0 for i in items)
    assert emergencies.today_counts(items, now=NOW) == {"waiting": 2, "handed_to_112": 0, "dismissed": 0}


def test_mark_correct_then_a_stale_version_is_refused(loaded):
    fire, _ = loaded
    handed = emergencies.mark(
        fire,
        "handed_to_112",
        reference="CC112-0457",
        version=0,
        handed_at=dt.datetime(2026, 11, 22, 4, 30),
        now=NOW,
        **MOD,
    )
    assert handed["handoff_status"] == "handed_to_112" and handed["version"] == 1
    assert handed["reference"] == "CC112-0457" and handed["waiting_minutes"] == 30
    assert alert_status(fire) == "handed_to_112"

    later = NOW + dt.timedelta(minutes=10)
    corrected = emergencies.mark(
        fire,
        "handed_to_112",
        reference="Bripka Yusuf (112 Kutim)",
        version=1,
        now=later,
        actor="moderator2",
        role="moderator",
    )
    assert corrected["version"] == 2 and corrected["corrections"] == 1
    assert corrected["reference"] == "Bripka Yusuf (112 Kutim)"
    assert corrected["handed_at"] == dt.datetime(2026, 11, 22, 4, 30)  # a reference fix keeps the time
    assert corrected["decided_by"] == "moderator2"

    with pytest.raises(VersionConflict) as conflict:
        emergencies.mark(fire, "dismissed", reason="Ternyata pembakaran sampah", version=1, now=later, **MOD)
    assert conflict.value.current["version"] == 2
    assert emergencies.get_emergency(fire, now=later)["handoff_status"] == "handed_to_112"

    events = audit(fire)
    assert [(e["actor"], e["action"]) for e in events] == [("moderator", "handoff_112"), ("moderator2", "handoff_112")]
    assert events[0]["detail"] == {
        "from": "pending",
        "to": "handed_to_112",
        "correction": False,
        "reference": "CC112-0457",
        "handed_at": "2026-11-22T04:30:00",
    }
    assert events[1]["detail"]["correction"] is True and events[1]["detail"]["from"] == "handed_to_112"
    assert events[0]["draft_id"] is not None  # the audit links to the draft page


def test_the_same_decision_again_writes_nothing(loaded):
    fire, _ = loaded
    first = emergencies.mark(fire, "handed_to_112", reference="CC112-0457", now=NOW, **MOD)
    again = emergencies.mark(fire, "handed_to_112", reference="CC112-0457", now=NOW, **MOD)
    assert again["version"] == first["version"] == 1
    assert len(audit(fire)) == 1


def test_dismissal_keeps_the_issue_and_its_draft_and_can_be_corrected(loaded):
    _, flood = loaded
    with warehouse.connect() as con:
        before = con.execute(
            "SELECT d.status, d.version, d.judul, i.status FROM drafts d JOIN issues i USING (issue_id) "
            "WHERE issue_id = ?",
            [flood],
        ).fetchone()
    dismissed = emergencies.mark(
        flood, "dismissed", reason="Genangan biasa setelah hujan, tidak masuk rumah", version=0, now=NOW, **MOD
    )
    assert dismissed["handoff_status"] == "dismissed" and dismissed["reference"] is None
    assert dismissed["draft_status"] == "pending"
    with warehouse.connect() as con:
        after = con.execute(
            "SELECT d.status, d.version, d.judul, i.status FROM drafts d JOIN issues i USING (issue_id) "
            "WHERE issue_id = ?",
            [flood],
        ).fetchone()
    assert after == before  # still a complaint with its draft, untouched
    assert alert_status(flood) == "dismissed"
    items = emergencies.list_emergencies(now=NOW)
    assert items[0]["waiting"] and items[-1]["issue_id"] == flood  # decided ones after the waiting
    assert emergencies.today_counts(items, now=NOW) == {"waiting": 1, "handed_to_112": 0, "dismissed": 1}
    assert [i["issue_id"] for i in emergencies.list_emergencies(state="dismissed", now=NOW)] == [flood]

    back = emergencies.mark(
        flood, "handed_to_112", reference="Petugas Rahmat", version=1, now=NOW + dt.timedelta(minutes=5), **MOD
    )
    assert back["reason"] is None and back["version"] == 2
    assert [e["detail"]["to"] for e in audit(flood)] == ["dismissed", "handed_to_112"]


def test_bad_decisions_are_refused_and_write_nothing(loaded):
    fire, _ = loaded
    cases = [
        ("handed_to_112", {"reference": " "}),
        ("dismissed", {"reason": "no"}),
        ("closed", {"reason": "Bukan urusan kami"}),
        ("handed_to_112", {"reference": "CC-1", "handed_at": NOW + dt.timedelta(hours=2)}),
        ("handed_to_112", {"reference": "CC-1", "handed_at": dt.datetime(2026, 11, 21)}),
    ]
    for action, fields in cases:
        with pytest.raises(InvalidChange):
            emergencies.mark(fire, action, now=NOW, **MOD, **fields)
    with pytest.raises(emergencies.EmergencyNotFound):
        emergencies.mark("no-such-issue", "dismissed", reason="Tidak ada isunya", **MOD)
    with pytest.raises(InvalidChange):
        emergencies.list_emergencies(state="selesai")
    assert audit(fire) == [] and alert_status(fire) == "pending"


def test_since_keeps_recent_posts_and_recent_decisions(loaded):
    fire, flood = loaded
    since = dt.datetime(2026, 11, 22, 3, 0)
    assert [i["issue_id"] for i in emergencies.list_emergencies(since=since, now=NOW)] == [fire]
    emergencies.mark(flood, "dismissed", reason="Genangan biasa setelah hujan", now=NOW, **MOD)
    assert {i["issue_id"] for i in emergencies.list_emergencies(since=since, now=NOW)} == {fire, flood}


def test_handoff_states_for_the_alert_side(loaded):
    fire, flood = loaded
    emergencies.mark(fire, "handed_to_112", reference="CC112-0457", now=NOW, **MOD)
    with warehouse.connect() as con:
        assert emergencies.handoff_states(con, [fire, flood]) == {fire: "handed_to_112", flood: "pending"}


def test_export_handoffs_as_jsonl_and_csv_labels_each_decision(loaded, tmp_path):
    fire, flood = loaded
    emergencies.mark(fire, "handed_to_112", reference="CC112-0457", now=NOW, **MOD)
    emergencies.mark(flood, "dismissed", reason="Genangan biasa, tidak masuk rumah", now=NOW, **MOD)
    siaga = Path(sys.executable).with_name("siaga")
    out = tmp_path / "handoffs.jsonl"
    subprocess.run([str(siaga), "export", "handoffs", "--out", str(out)], check=True, capture_output=True)
    rows = {r["issue_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {fire, flood}
    assert rows[fire]["label"] == "emergency" and rows[fire]["reference"] == "CC112-0457"
    assert rows[flood]["label"] == "not_emergency" and rows[flood]["draft_status"] == "pending"
    assert rows[flood]["reason"] == "Genangan biasa, tidak masuk rumah"
    assert sorted(rows[fire]["posts"]) == ["facebook:f2", "x:f1"]
    assert len(rows[fire]["texts"]) == 2 and not any("1111-2222" in t for t in rows[fire]["texts"])

    result = subprocess.run(
        [str(siaga), "export", "handoffs", "--format", "csv", "--out", "-"], check=True, capture_output=True, text=True
    )
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["issue_id"]: r["label"] for r in table} == {fire: "emergency", flood: "not_emergency"}
    assert json.loads(next(r for r in table if r["issue_id"] == fire)["posts"]) == sorted(rows[fire]["posts"])
    assert "2 handoffs" in result.stderr

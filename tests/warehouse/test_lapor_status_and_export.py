"""After the hand-over: status history and SLA clocks of tickets, and the export batch for hand entry."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

import warehouse
from extractors.lapor.client import ExportLaporClient, HttpLaporClient, LaporSettings
from extractors.lapor.models import idempotency_key
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, FakeLapor, seed_approved_draft
from warehouse.lapor import (
    SubmitPolicy,
    export_approved,
    record_tracking_id,
    sla_summary,
    submit_approved,
    sync_statuses,
    tickets_with_sla,
)

TOKEN = "token-uji-status-lapor"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))


def seed(*drafts: dict) -> None:
    with warehouse.connect(write=True) as con:
        for draft in drafts:
            seed_approved_draft(con, draft)


def test_status_sync_stores_history_follow_ups_and_drives_the_sla_clocks(db):
    seed(SAMPLE_DRAFTS[0], SAMPLE_DRAFTS[1])
    with FakeLapor(token=TOKEN) as fake:
        client = HttpLaporClient(LaporSettings(transport="http", api_base=fake.base_url, token=TOKEN))
        submit_approved(client, SubmitPolicy(backoff_s=0.01))
        with warehouse.connect(write=True) as con:  # pretend both went out on Monday 23 Nov 2026, 09:00 WITA
            con.execute("UPDATE lapor_submissions SET submitted_at = TIMESTAMP '2026-11-23 01:00:00'")
        jalan, air = (fake.find(idempotency_key(d["draft_id"]))[0].tracking_id for d in SAMPLE_DRAFTS[:2])
        fake.advance(jalan, "Terverifikasi", tanggalverifikasi="2026-11-24T08:00:00")
        fake.advance(
            jalan,
            "Proses",
            tindaklanjut={
                "tanggal": "2026-11-26T14:00:00",
                "oleh": "Dinas PUPR Kutai Timur",
                "isi": "Penambalan lubang dijadwalkan 2 Desember 2026.",
            },
        )
        first = sync_statuses(client, now=datetime(2026, 11, 26, 8, 0))
        again = sync_statuses(client, now=datetime(2026, 11, 26, 9, 0))
    assert first == {"polled": 2, "changed": 1, "errors": 0}
    assert again["changed"] == 0  # nothing new: nothing rewritten
    with warehouse.connect() as con:
        history = con.execute("SELECT tracking_id, status FROM lapor_status_history ORDER BY 1, 2").fetchall()
        assert con.execute("SELECT count(*) FROM lapor_followups").fetchone()[0] == 1
    assert history == sorted([(jalan, "belum_terverifikasi"), (jalan, "ditindaklanjuti"), (air, "belum_terverifikasi")])

    tickets = {t["tracking_id"]: t for t in tickets_with_sla(date(2026, 11, 30))}
    # The water ticket was never verified: 3 working days from Mon 23 Nov ended Thu 26 Nov.
    assert tickets[air]["stage"] == "verifikasi" and tickets[air]["overdue"]
    assert (tickets[air]["deadline"], tickets[air]["working_days_left"]) == ("2026-11-26", -2)
    # The road ticket was verified and answered on time; now the closing clock runs.
    assert tickets[jalan]["stage"] == "penutupan" and not tickets[jalan]["overdue"]
    assert tickets[jalan]["stages"]["tindak_lanjut"]["done"] == "2026-11-26"
    assert tickets[jalan]["followups"][0]["responder"] == "Dinas PUPR Kutai Timur"
    assert tickets[jalan]["lapor_url"] == f"https://www.lapor.go.id/pengaduan/{jalan}"
    assert list(tickets) == [air, jalan]  # overdue first

    summary = sla_summary(date(2026, 11, 30))
    assert summary["per_stage"] == {
        "verifikasi": {"open": 1, "overdue": 1},
        "penutupan": {"open": 1, "overdue": 0},
    }
    assert [t["tracking_id"] for t in summary["overdue"]] == [air]


def test_export_batch_marks_drafts_exported_once_and_a_recorded_id_starts_the_clock(db, tmp_path):
    seed(*SAMPLE_DRAFTS)
    client = ExportLaporClient(tmp_path / "exports")
    counts = export_approved(client)
    assert counts["exported"] == 3
    again = export_approved(client)
    assert again["exported"] == 0 and len(list((tmp_path / "exports").glob("*.json"))) == 1
    document = json.loads(Path(counts["batch_json"]).read_text(encoding="utf-8"))
    assert sorted(r["draft_id"] for r in document["laporan"]) == sorted(d["draft_id"] for d in SAMPLE_DRAFTS)
    with warehouse.connect() as con:
        assert con.execute("SELECT DISTINCT status FROM drafts").fetchall() == [("exported",)]
        assert con.execute("SELECT DISTINCT state FROM lapor_submissions").fetchall() == [("exported",)]

    key = document["laporan"][0]["kode_referensi"]
    draft_id = record_tracking_id(key, "4790011", actor="admin_lapor_kutim")
    assert record_tracking_id(key, "4790011", actor="admin_lapor_kutim") == draft_id  # same answer twice: fine
    with pytest.raises(ValueError, match="already has tracking ID"):
        record_tracking_id(key, "4790099", actor="admin_lapor_kutim")
    [ticket] = [t for t in tickets_with_sla() if t["tracking_id"] == "4790011"]
    assert ticket["state"] == "submitted" and ticket["stage"] == "verifikasi" and ticket["deadline"]


def test_export_left_half_done_by_a_dead_run_is_not_entered_twice(db, tmp_path):
    seed(SAMPLE_DRAFTS[0], SAMPLE_DRAFTS[1])
    client = ExportLaporClient(tmp_path / "exports")
    first = export_approved(client)
    # A run that died after writing its batch but before marking the drafts: they still say 'sending'.
    with warehouse.connect(write=True) as con:
        con.execute("UPDATE lapor_submissions SET state = 'sending'")
        seed_approved_draft(con, SAMPLE_DRAFTS[2])
    second = export_approved(client)
    assert second["reconciled"] == 2 and second["exported"] == 1
    second_doc = json.loads(Path(second["batch_json"]).read_text(encoding="utf-8"))
    assert [r["draft_id"] for r in second_doc["laporan"]] == [SAMPLE_DRAFTS[2]["draft_id"]]
    assert first["batch_json"] != second["batch_json"]

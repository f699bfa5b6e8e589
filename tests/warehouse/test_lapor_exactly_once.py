"""Approved drafts reach the fake SP4N-LAPOR! exactly once, under each of its failure modes.

Real HTTP (requests) against tests/fakes/fake_lapor.py on 127.0.0.1; a real DuckDB file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import warehouse
from extractors.lapor.client import HttpLaporClient, LaporSettings
from extractors.lapor.models import idempotency_key
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, FakeLapor, seed_approved_draft
from warehouse.lapor import SubmitPolicy, enqueue_approved, submit_approved, tickets_with_sla

TOKEN = "token-uji-kutim"
FAST = SubmitPolicy(backoff_s=0.01, backoff_cap_s=0.05)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "siaga.duckdb"
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


@pytest.fixture
def fake():
    with FakeLapor(token=TOKEN, hold_s=2.0) as server:
        yield server


def client_for(fake: FakeLapor, token: str = TOKEN) -> HttpLaporClient:
    return HttpLaporClient(
        LaporSettings(transport="http", api_base=fake.base_url, token=token, connect_timeout_s=2, read_timeout_s=0.5)
    )


def seed(*drafts: dict) -> list[str]:
    with warehouse.connect(write=True) as con:
        return [seed_approved_draft(con, d) for d in drafts]


def submission(draft_id: str) -> dict:
    with warehouse.connect() as con:
        cur = con.execute(
            "SELECT s.*, d.status AS draft_status, d.lapor_return_reason FROM lapor_submissions s "
            "JOIN drafts d USING (draft_id) WHERE draft_id = ?",
            [draft_id],
        )
        names = [c[0] for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def test_approved_draft_becomes_one_ticket_with_its_tracking_id(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    counts = submit_approved(client_for(fake), FAST)
    assert counts["submitted"] == 1
    [ticket] = fake.tickets
    row = submission(draft_id)
    assert (row["state"], row["draft_status"]) == ("submitted", "submitted")
    assert row["tracking_id"] == ticket.tracking_id and row["transaksi_id"] == ticket.transaksi_id
    assert ticket.ref == idempotency_key(draft_id)
    # The request: known XML, token as attribute, fields without a LAPOR! field inside isi.
    root = ET.fromstring(fake.pushes[0])
    assert root.tag == "lapor" and root.get("token") == TOKEN
    assert root.find("laporan").attrib == {"rahasia": "1", "anonim": "1"}
    assert [el.tag for el in root.find("pelapor")] == ["email", "telpon", "namadepan", "namabelakang"]
    isi = root.findtext("laporan/isi")
    assert "Judul: Jalan poros Sepaso rusak berat dan berlubang" in isi
    assert "Kategori: Jalan dan Jembatan" in isi
    assert "kode wilayah Kemendagri 64.08.09.2001" in isi
    assert "Instansi tujuan: Dinas Pekerjaan Umum dan Penataan Ruang" in isi
    assert f"Kode referensi Kutim Siaga: {idempotency_key(draft_id)}" in isi


def test_running_again_sends_nothing_twice(db, fake):
    seed(*SAMPLE_DRAFTS)
    first = submit_approved(client_for(fake), FAST)
    second = submit_approved(client_for(fake), FAST)
    assert first["submitted"] == 3
    assert "submitted" not in second and second["queued"] == 0
    assert len(fake.tickets) == 3 and len(fake.pushes) == 3


def test_500_then_success_leaves_one_ticket(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    fake.fail_next("500")
    counts = submit_approved(client_for(fake), FAST)
    assert counts["submitted"] == 1
    assert len(fake.tickets) == 1 and len(fake.pushes) == 2
    row = submission(draft_id)
    assert row["state"] == "submitted" and row["attempts"] == 2
    assert row["tracking_id"] == fake.tickets[0].tracking_id


def test_timeout_after_lapor_accepted_is_reconciled_not_resent(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[1])
    fake.fail_next("timeout")
    counts = submit_approved(client_for(fake), FAST)
    assert counts == {"queued": 1, "reconciled": 1}
    assert len(fake.tickets) == 1 and len(fake.pushes) == 1
    assert ("GET", "/api/stream/lookup") in fake.requests
    row = submission(draft_id)
    assert (row["state"], row["draft_status"]) == ("submitted", "submitted")
    assert row["tracking_id"] == fake.tickets[0].tracking_id
    assert row["uncertain"] is False


def test_malformed_answer_is_reconciled_not_resent(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[2])
    fake.fail_next("malformed")
    counts = submit_approved(client_for(fake), FAST)
    assert counts["reconciled"] == 1
    assert len(fake.tickets) == 1 and len(fake.pushes) == 1
    assert submission(draft_id)["tracking_id"] == fake.tickets[0].tracking_id


def test_refused_token_keeps_the_draft_waiting_until_the_connection_is_fixed(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    counts = submit_approved(client_for(fake, token="token-kedaluwarsa"), FAST)
    assert "siaga_lapor" in counts["auth_error"]
    assert fake.tickets == []
    row = submission(draft_id)
    assert (row["state"], row["draft_status"]) == ("failed_retryable", "failed_retryable")
    assert "401" in row["last_error"] and "token-kedaluwarsa" not in row["last_error"]
    assert row["attempts"] == 0  # the token's fault, not the draft's: no attempt used up
    counts = submit_approved(client_for(fake), FAST)
    assert counts["submitted"] == 1
    assert len(fake.tickets) == 1 and submission(draft_id)["tracking_id"] == fake.tickets[0].tracking_id


def test_validation_error_returns_the_draft_to_the_moderator_with_the_reason(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    fake.fail_next("validation")
    counts = submit_approved(client_for(fake), FAST)
    assert counts["returned"] == 1
    assert fake.tickets == [] and len(fake.pushes) == 1  # no retry on a validation error
    row = submission(draft_id)
    assert row["draft_status"] == "pending" and row["state"] == "failed_permanent"
    assert row["lapor_return_reason"] == "Isi laporan kurang jelas: sebutkan lokasi dan waktu kejadian"
    with warehouse.connect() as con:
        events = con.execute(
            "SELECT actor, action, detail->>'reason' FROM moderation_events WHERE draft_id = ?", [draft_id]
        ).fetchall()
    assert events == [("lapor_bridge", "lapor_returned", row["lapor_return_reason"])]
    [listed] = tickets_with_sla()
    assert listed["state_label"] == "Dikembalikan ke moderator"
    assert listed["return_reason"] == row["lapor_return_reason"]
    # The moderator edits and approves again: one ticket, and the reason is cleared.
    with warehouse.connect(write=True) as con:
        con.execute(
            "UPDATE drafts SET status = 'approved', isi = isi || ' Kejadian sejak Agustus 2026.' WHERE draft_id = ?",
            [draft_id],
        )
    counts = submit_approved(client_for(fake), FAST)
    assert counts["submitted"] == 1 and len(fake.tickets) == 1
    row = submission(draft_id)
    assert row["state"] == "submitted" and row["lapor_return_reason"] is None


def test_lasting_5xx_backs_off_then_sends_once_when_due(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    fake.fail_next("500", "500", "500")
    counts = submit_approved(client_for(fake), FAST)
    assert counts["failed_retryable"] == 1 and fake.tickets == []
    row = submission(draft_id)
    assert row["state"] == "failed_retryable" and row["attempts"] == 3
    assert row["next_attempt_at"] > row["updated_at"]
    assert "submitted" not in submit_approved(client_for(fake), FAST)  # not due yet: nothing sent
    assert len(fake.pushes) == 3
    with warehouse.connect(write=True) as con:  # the backoff has passed
        con.execute("UPDATE lapor_submissions SET next_attempt_at = now()::TIMESTAMP - INTERVAL 1 MINUTE")
    assert submit_approved(client_for(fake), FAST)["submitted"] == 1
    assert len(fake.tickets) == 1 and submission(draft_id)["attempts"] == 4


def test_unmasked_personal_data_never_leaves(db, fake):
    draft = dict(SAMPLE_DRAFTS[2], isi=SAMPLE_DRAFTS[2]["isi"] + " Hubungi 0812-3456-7731 atau rt05@contoh.id.")
    [draft_id] = seed(draft)
    counts = submit_approved(client_for(fake), FAST)
    assert counts["returned"] == 1 and fake.pushes == []
    reason = submission(draft_id)["lapor_return_reason"]
    assert "nomor telepon" in reason and "alamat e-mail" in reason


def test_isi_unmasked_is_sent_only_when_the_draft_says_so(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[1])
    submit_approved(client_for(fake), FAST)
    assert "081234567731" not in fake.tickets[0].isi and "6408**********21" in fake.tickets[0].isi
    with warehouse.connect(write=True) as con:
        seed_approved_draft(con, dict(SAMPLE_DRAFTS[1], draft_id="drf-izin", issue_id="iss-izin"))
        con.execute("UPDATE drafts SET lapor_send_unmasked = true WHERE draft_id = 'drf-izin'")
    submit_approved(client_for(fake), FAST)
    assert "081234567731" in fake.find(idempotency_key("drf-izin"))[0].isi
    assert submission(draft_id)["state"] == "submitted"


def test_uncertain_send_without_lookup_waits_for_a_human_instead_of_resending(db):
    with FakeLapor(token=TOKEN, hold_s=2.0, lookup_enabled=False) as fake:
        [draft_id] = seed(SAMPLE_DRAFTS[0])
        fake.fail_next("timeout")
        counts = submit_approved(client_for(fake), FAST)
        assert counts["needs_check"] == 1
        assert len(fake.tickets) == 1 and len(fake.pushes) == 1
        row = submission(draft_id)
        assert (row["state"], row["draft_status"]) == ("failed_permanent", "failed_permanent")
        assert idempotency_key(draft_id) in row["last_error"]


def test_crash_after_the_request_left_is_reconciled_on_restart(db, fake):
    """The hard case for real: the sending process is killed while LAPOR! holds its answer."""
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    fake.fail_next("hang")
    env = dict(
        os.environ,
        SIAGA_LAPOR_API_BASE=fake.base_url,
        SIAGA_LAPOR_TIMEOUT_S="30",
        AIRFLOW_CONN_SIAGA_LAPOR=f'{{"conn_type": "http", "password": "{TOKEN}"}}',
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "warehouse.lapor_cli", "submit"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert fake.push_received.wait(timeout=30), proc.stderr.read().decode() if proc.poll() else "no push"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    fake.release()
    assert len(fake.tickets) == 1
    row = submission(draft_id)
    assert (row["state"], row["tracking_id"]) == ("sending", None)  # what the dead run left
    # A fresh run before the lease ends leaves it alone; after it, asks LAPOR! and finds the ticket.
    assert "reconciled" not in submit_approved(client_for(fake), FAST)
    counts = submit_approved(client_for(fake), SubmitPolicy(backoff_s=0.01, stale_sending_s=0))
    assert counts["reconciled"] == 1
    assert len(fake.tickets) == 1 and len(fake.pushes) == 1
    row = submission(draft_id)
    assert row["state"] == "submitted" and row["tracking_id"] == fake.tickets[0].tracking_id


def test_draft_taken_back_by_the_moderator_while_waiting_for_a_retry_is_not_sent(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[0])
    fake.fail_next("500", "500", "500")
    submit_approved(client_for(fake), FAST)
    assert submission(draft_id)["state"] == "failed_retryable"
    with warehouse.connect(write=True) as con:
        con.execute(
            "UPDATE drafts SET status = 'rejected', reject_reason = 'Sudah ditangani kecamatan' WHERE draft_id = ?",
            [draft_id],
        )
        con.execute("UPDATE lapor_submissions SET next_attempt_at = NULL")
    counts = submit_approved(client_for(fake), FAST)
    assert counts.get("submitted") is None and fake.tickets == [] and len(fake.pushes) == 3
    assert submission(draft_id)["draft_status"] == "rejected"


def test_an_outage_stops_the_run_and_leaves_the_rest_queued(db, fake):
    draft_ids = seed(*SAMPLE_DRAFTS)
    fake.fail_next(*["500"] * 6)  # two drafts, three tries each
    counts = submit_approved(client_for(fake), FAST)
    assert counts["failed_retryable"] == 2 and "stopped" in counts
    assert len(fake.pushes) == 6 and fake.tickets == []
    states = sorted(submission(d)["state"] for d in draft_ids)
    assert states == ["approved", "failed_retryable", "failed_retryable"]
    with warehouse.connect(write=True) as con:  # LAPOR! is back and the backoff has passed
        con.execute("UPDATE lapor_submissions SET next_attempt_at = NULL")
    assert submit_approved(client_for(fake), FAST)["submitted"] == 3
    assert len(fake.tickets) == 3
    assert {submission(d)["tracking_id"] for d in draft_ids} == {t.tracking_id for t in fake.tickets}


def test_queued_draft_taken_back_before_sending_leaves_the_queue(db, fake):
    [draft_id] = seed(SAMPLE_DRAFTS[1])
    assert enqueue_approved() == 1 and submission(draft_id)["state"] == "approved"
    with warehouse.connect(write=True) as con:
        con.execute("UPDATE drafts SET status = 'pending' WHERE draft_id = ?", [draft_id])
    counts = submit_approved(client_for(fake), FAST)
    assert counts == {"queued": 0} and fake.pushes == []
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM lapor_submissions").fetchone()[0] == 0

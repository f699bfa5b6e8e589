"""A moderator acts while another process (the ingest) is inside a write transaction on the warehouse.

Within the UI's wait the decision waits and is saved; past it the moderator gets the busy answer with
their typed text still in the form, and nothing is written. Either way the ingest's own write is kept.
The waits are printed (pytest -s) so the figures can be quoted.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import sys
import textwrap
import time

import pytest

from tests.plugins.airflow_env import REPO
from tests.plugins.helpers import csrf_from, draft_row, events

HTML = {"Accept": "text/html"}

# Like the ingest DAG's writer: one transaction that has written and not yet committed.
INGEST = textwrap.dedent(
    """
    import sys, time, warehouse
    with warehouse.connect(write=True) as con:
        con.execute("UPDATE issues SET reach = reach + 1000 WHERE issue_id = 'isu-010'")
        print("holding", flush=True)
        time.sleep(float(sys.argv[1]))
    """
)


class Ingest:
    """A second process holding the warehouse in a write transaction for `seconds`."""

    def __init__(self, seconds: float):
        self.process = subprocess.Popen(
            [sys.executable, "-c", INGEST, str(seconds)], stdout=subprocess.PIPE, text=True, cwd=REPO
        )
        assert self.process.stdout.readline().strip() == "holding"
        self.started = time.monotonic()

    def finish(self) -> None:
        assert self.process.wait(timeout=60) == 0  # it committed: its write is not lost either

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def ingest():
    running: list[Ingest] = []

    def start(seconds: float) -> Ingest:
        running.append(Ingest(seconds))
        return running[-1]

    yield start
    for holder in running:
        holder.kill()


def ui_waits(monkeypatch, seconds: float) -> None:
    """The UI's bound on waiting for the warehouse (config/ui.yaml warehouse_wait_s, default 8 s)."""
    from warehouse import moderation

    monkeypatch.setattr(moderation, "_wait_s", seconds)


def report(label: str, seconds: float) -> None:
    sys.__stdout__.write(f"\n[concurrency] {label}: {seconds:.2f} s\n")


def ingest_reach() -> int:
    from warehouse import connect

    with connect() as con:
        return con.execute("SELECT reach FROM issues WHERE issue_id = 'isu-010'").fetchone()[0]


def edit_form(page: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_from(page),
        "version": "1",
        "judul": "Banjir Sangkima: evakuasi lansia mendesak",
        "isi": "Isi yang diketik moderator dengan teliti, 2 jam kerja",
        "kategori": "banjir",
        "klasifikasi": "pengaduan",
        "region_code": "64.08.12.2003",
        "opd": "BPBD",
        "aksi": "setujui",
    }


def kept_form(page: str) -> dict[str, list[str]]:
    """The fields the busy page hands back (hidden inputs, text inputs and textareas), to send again."""
    form = page.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    found = re.findall(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', form)
    found += re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', form)
    fields: dict[str, list[str]] = {}
    for name, value in found:
        fields.setdefault(name, []).append(html_lib.unescape(value))
    return fields


def test_an_approval_waits_for_the_ingest_and_then_is_saved(as_moderator, monkeypatch, ingest):
    ui_waits(monkeypatch, 8)
    page = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    reach = ingest_reach()
    holder = ingest(3)
    started = time.monotonic()
    response = as_moderator.post(
        "/siaga/draf/drf-002/simpan", data=edit_form(page), headers=HTML, follow_redirects=False
    )
    waited = time.monotonic() - started
    holder.finish()
    report("form approval, ingest holding 3 s, UI wait bound 8 s: answered after", waited)
    assert response.status_code == 303 and response.headers["location"].endswith("hasil=disetujui")
    assert 1.0 <= waited < 8
    row = draft_row("drf-002")
    assert row["status"] == "approved" and row["judul"] == "Banjir Sangkima: evakuasi lansia mendesak"
    assert [e["action"] for e in events("drf-002")] == ["edit", "approve"]
    assert ingest_reach() == reach + 1000


def test_past_the_wait_the_form_comes_back_with_the_typed_text_and_nothing_is_written(
    as_moderator, monkeypatch, ingest
):
    ui_waits(monkeypatch, 0.5)
    page = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    before = draft_row("drf-002")
    holder = ingest(6)
    started = time.monotonic()
    busy = as_moderator.post("/siaga/draf/drf-002/simpan", data=edit_form(page), headers=HTML)
    waited = time.monotonic() - started
    report("form approval, ingest holding 6 s, UI wait bound 0.5 s: busy answer after", waited)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "60"
    message = busy.text.split('id="sibuk">', 1)[1].split("</p>", 1)[0]
    assert "BELUM tersimpan" in message and "tidak ada yang ditulis" in message
    assert "Isian Anda masih ada" in message and "satu menit" in message
    assert 'value="Banjir Sangkima: evakuasi lansia mendesak"' in busy.text
    assert "Isi yang diketik moderator dengan teliti, 2 jam kerja</textarea>" in busy.text
    assert waited < 4.5  # bounded by the wait setting, not by the 6 s the ingest holds
    assert draft_row("drf-002") == before and events("drf-002") == []  # truly nothing written
    holder.finish()
    resent = as_moderator.post(
        "/siaga/draf/drf-002/simpan", data=kept_form(busy.text), headers=HTML, follow_redirects=False
    )
    assert resent.status_code == 303
    row = draft_row("drf-002")
    assert row["status"] == "approved" and row["isi"] == "Isi yang diketik moderator dengan teliti, 2 jam kerja"


def test_a_rejection_past_the_wait_keeps_its_reason(as_moderator, monkeypatch, ingest):
    ui_waits(monkeypatch, 0.3)
    page = as_moderator.get("/siaga/draf/drf-006", headers=HTML).text
    ingest(6)
    form = {"csrf_token": csrf_from(page), "version": "1", "alasan": "Sudah ditangani DLH kemarin sore"}
    busy = as_moderator.post("/siaga/draf/drf-006/tolak", data=form, headers=HTML)
    assert busy.status_code == 503
    assert "Sudah ditangani DLH kemarin sore</textarea>" in busy.text
    assert draft_row("drf-006")["status"] == "pending" and events("drf-006") == []


def test_the_api_waits_then_saves_or_answers_503_with_nothing_written(as_moderator, monkeypatch, ingest):
    ui_waits(monkeypatch, 8)
    holder = ingest(3)
    started = time.monotonic()
    approved = as_moderator.post("/siaga/api/drafts/drf-004/approve", json={"version": 1})
    waited = time.monotonic() - started
    holder.finish()
    report("API approve, ingest holding 3 s, UI wait bound 8 s: answered after", waited)
    assert approved.status_code == 200 and approved.json()["status"] == "approved" and waited >= 1.0

    ui_waits(monkeypatch, 0.5)
    holder = ingest(6)
    started = time.monotonic()
    busy = as_moderator.patch("/siaga/api/drafts/drf-005", json={"version": 1, "judul": "Judul baru dari API"})
    waited = time.monotonic() - started
    report("API PATCH, ingest holding 6 s, UI wait bound 0.5 s: 503 after", waited)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "60"
    assert busy.json() == {
        "detail": "Gudang data sedang dipakai proses impor data. Tidak ada yang tersimpan; "
        "kirim ulang permintaan yang sama dalam satu menit (lihat Retry-After).",
        "saved": False,
    }
    read = as_moderator.get("/siaga/api/drafts")
    assert read.status_code == 503 and "belum dapat dimuat" in read.json()["detail"]
    holder.finish()
    assert draft_row("drf-005")["version"] == 1 and events("drf-005") == []


def test_a_page_that_cannot_be_read_does_not_claim_anything_was_lost(as_moderator, monkeypatch, ingest):
    ui_waits(monkeypatch, 0.3)
    ingest(6)
    page = as_moderator.get("/siaga/antrian", headers=HTML)
    assert page.status_code == 503
    assert "tidak mengubah apa pun" in page.text and "BELUM tersimpan" not in page.text
    after_decision = as_moderator.get("/siaga/draf/drf-001?hasil=disetujui", headers=HTML)
    assert after_decision.status_code == 503 and "SUDAH tersimpan" in after_decision.text


def test_a_saved_decision_whose_next_page_is_busy_says_it_was_saved(as_moderator, monkeypatch):
    """Bulk decisions re-read the queue after writing; a busy read then must not say 'not saved'."""
    from siaga_ui import pages
    from warehouse import WarehouseBusy

    page = as_moderator.get("/siaga/antrian", headers=HTML).text
    as_moderator.patch("/siaga/api/drafts/drf-004", json={"version": 1, "opd": "PLN UP3 Berau"})

    def busy(*args, **kwargs):
        raise WarehouseBusy("held by another process")

    monkeypatch.setattr(pages, "_queue_context", busy)
    form = {"csrf_token": csrf_from(page), "aksi": "approve", "pilih": ["drf-004:1", "drf-005:1"]}
    response = as_moderator.post("/siaga/antrian/massal", data=form, headers=HTML)
    assert response.status_code == 503
    assert "SUDAH tersimpan" in response.text and "Kirim ulang" not in response.text
    assert draft_row("drf-005")["status"] == "approved"  # it was indeed written


def test_a_patch_whose_reread_is_busy_answers_with_what_was_saved(as_moderator, monkeypatch):
    from warehouse import WarehouseBusy, moderation

    def busy(*args, **kwargs):
        raise WarehouseBusy("held by another process")

    monkeypatch.setattr(moderation, "get_draft", busy)
    response = as_moderator.patch("/siaga/api/drafts/drf-005", json={"version": 1, "opd": "RSUD Kudungga"})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert draft_row("drf-005")["opd"] == "RSUD Kudungga"

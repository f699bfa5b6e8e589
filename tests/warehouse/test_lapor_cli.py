"""`siaga lapor …` from a shell: export a batch, record the admin's tracking ID, read the clocks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import warehouse
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, seed_approved_draft
from warehouse import lapor_cli as cli


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    monkeypatch.setenv("SIAGA_LAPOR_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.delenv("SIAGA_LAPOR_API_BASE", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_SIAGA_LAPOR", raising=False)
    with warehouse.connect(write=True) as con:
        seed_approved_draft(con, SAMPLE_DRAFTS[0])
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, object]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else captured.err


def test_register_adds_the_lapor_actions_to_siaga():
    parser = argparse.ArgumentParser(prog="siaga")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["lapor", "record", "KS-0123456789ABCDEF", "4708123", "--by", "admin_kutim"])
    assert args.func is cli.cmd_record and (args.reference, args.tracking_id) == (
        "KS-0123456789ABCDEF",
        "4708123",
    )
    for action in ("submit", "export", "sync", "tickets"):
        assert callable(parser.parse_args(["lapor", action]).func)


def test_export_record_and_tickets_from_the_command_line(env, capsys):
    code, exported = run(capsys, "submit")  # no API configured: the export transport
    assert code == 0 and exported["exported"] == 1
    batch = json.loads(Path(exported["batch_json"]).read_text(encoding="utf-8"))
    key = batch["laporan"][0]["kode_referensi"]
    code, recorded = run(capsys, "record", key, "4708555", "--by", "admin_kutim")
    assert code == 0 and recorded == {"draft_id": SAMPLE_DRAFTS[0]["draft_id"], "tracking_id": "4708555"}
    code, error = run(capsys, "record", "KS-TIDAKADA", "1")
    assert code == 1 and "no LAPOR! submission" in error
    code, tickets = run(capsys, "tickets", "--today", "2099-01-05")
    assert tickets[0]["tracking_id"] == "4708555" and tickets[0]["overdue"]
    code, summary = run(capsys, "tickets", "--summary", "--today", "2099-01-05")
    assert summary["per_stage"]["verifikasi"] == {"open": 1, "overdue": 1}
    code, synced = run(capsys, "sync")  # the export transport cannot ask LAPOR!: said, not crashed
    assert code == 0 and "unavailable" in synced

"""monev_report: parses as a monthly DAG on the 1st, and `dag.test()` for 1 December 2026 writes
November's report (XLSX, PDF, CSV) into the reports folder; a second run rewrites the same three files.
The report channels hear of it once, with its summary and download links."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from tests.dags.alert_receivers import WebhookReceiver
from tests.helpers import GoldAnalyzer, lines, post
from warehouse.alerts import list_deliveries
from warehouse.ingest import ingest_lines

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

RUN_ON = datetime(2026, 12, 1, tzinfo=UTC)  # the scheduled run for November
ROAD = {"category": "jalan_jembatan", "kecamatan": "Bengalon", "desa": None, "region_code": "64.08.09"}
WATER = {"category": "air_bersih", "kecamatan": "Sangatta Utara", "desa": None, "region_code": "64.08.04"}


def test_monev_report_is_monthly_on_the_first_and_only_wires(dagbag):
    assert "dags/monev_report.py" not in str(dagbag.import_errors)
    dag = dagbag.get_dag("monev_report")
    assert dag is not None
    assert dag.schedule == "0 0 1 * *"
    assert dag.catchup is False
    assert set(dag.task_dict) == {"write_previous_month", "send_monev_report"}


def test_a_run_on_the_first_writes_the_previous_months_report(dagbag, run_env, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    monkeypatch.setenv("SIAGA_REPORTS_DIR", str(reports))
    posts = [
        post(
            "x",
            f"77{i}",
            f"jalan rusak parah di Bengalon nomor {i}",
            f"2026-11-1{i}T02:00:00Z",
            gold=ROAD,
            metrics={"likes": i, "shares": 0, "comments": 0, "views": 10},
        )
        for i in range(3)
    ]
    posts.append(post("facebook", "88_1", "air PDAM mati di Sangatta Utara", "2026-10-10T02:00:00Z", gold=WATER))
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))

    run = dagbag.get_dag("monev_report").test(logical_date=RUN_ON)
    assert str(run.state).endswith("success")
    files = sorted(p.name for p in reports.iterdir())
    assert files == ["monev-2026-11.csv", "monev-2026-11.pdf", "monev-2026-11.xlsx"]
    book = load_workbook(io.BytesIO((reports / "monev-2026-11.xlsx").read_bytes()))
    posts_row = next(row for row in book["Ringkasan"].iter_rows(min_row=3) if row[0].value == "Unggahan warga")
    assert (posts_row[1].value, posts_row[2].value) == (3, 1)  # November, and October beside it
    issues_row = next(row for row in book["Ringkasan"].iter_rows(min_row=3) if row[0].value == "Isu baru")
    assert (issues_row[1].value, issues_row[2].value) == (1, 1)
    assert (reports / "monev-2026-11.pdf").read_bytes().startswith(b"%PDF")

    again = dagbag.get_dag("monev_report").test(logical_date=RUN_ON)
    assert str(again.state).endswith("success")
    assert sorted(p.name for p in reports.iterdir()) == files  # the same files, nothing beside them


def test_the_report_channels_hear_of_the_month_once(dagbag, run_env, tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_REPORTS_DIR", str(tmp_path / "reports"))
    posts = [post("x", "991", "jalan rusak parah di Bengalon", "2026-11-12T02:00:00Z", gold=ROAD)]
    ingest_lines(lines(posts), analyze=GoldAnalyzer(posts))
    with WebhookReceiver() as hook:
        channel = {"conn_type": "apprise", "extra": {"config": {"path": hook.url.replace("http://", "json://")}}}
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_ALERTS_PIMPINAN", json.dumps(channel))
        run_env(alerts={"channels": {"report": ["siaga_alerts_pimpinan"]}})

        run = dagbag.get_dag("monev_report").test(logical_date=RUN_ON)
        assert str(run.state).endswith("success")
        assert [body["title"] for body in hook.bodies] == ["Laporan monev Kutim Siaga November 2026"]
        body = hook.bodies[0]["message"]
        assert "Pada November 2026" in body  # the report's own summary paragraph
        assert "/api/reports/monev?month=2026-11&format=xlsx" in body and "format=pdf" in body

        again = dagbag.get_dag("monev_report").test(logical_date=RUN_ON)
        assert str(again.state).endswith("success")
        assert len(hook.bodies) == 1, "a re-run of the month sends nothing again"
    sent = [(d["alert_id"], d["channel"], d["status"]) for d in list_deliveries() if d["alert_id"] == "monev-2026-11"]
    assert sorted(sent) == [("monev-2026-11", "log", "sent"), ("monev-2026-11", "siaga_alerts_pimpinan", "sent")]

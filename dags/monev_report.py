"""monev_report: on the 1st of every month, the previous month's monev report (XLSX, PDF, CSV) into the
reports folder (`SIAGA_REPORTS_DIR`, default data/reports) as monev-YYYY-MM.<format>.

Then it tells the alert channels of kind `report` (config/pipeline.yaml, alerts.channels.report) once:
the summary paragraph and the download links.

Wiring only: the figures are `warehouse.report`, the files `warehouse.report_writers`, the message
`warehouse.alerts` + `extractors.notify`. Reads the warehouse and rewrites the same three files, so a
re-run for the same date changes nothing but the report's "generated at" stamp, and sends nothing again.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import dag, task

# The helper modules beside this file (see kutim_daily_ingest.py).
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))

from siaga_tasks import send_monev_report


@dag(
    schedule="0 0 1 * *",  # 00:00 UTC on the 1st = 08:00 WITA, when the month before is complete in Kutim
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["kutim", "monev"],
    default_args={"retries": 2},
    doc_md=__doc__,
)
def monev_report():
    @task
    def write_previous_month(logical_date=None) -> dict:
        from warehouse.report import month_before
        from warehouse.report_writers import write_month_files

        return write_month_files(month_before(logical_date).strftime("%Y-%m"))

    send_monev_report(write_previous_month())


monev_report()

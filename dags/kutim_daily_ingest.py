"""kutim_daily_ingest: every day, all enabled sources into the warehouse, then spikes and emergencies.

    plan_extracts [pool] -> extract (mapped, one per source) -> plan_analysis -> analyse (mapped, one per
    chunk of the staged posts, any worker) -> load [pool, queue warehouse: load, dedupe, cluster, draft]
    -> detect_spikes [pool] + alert_emergencies [pool] -> send_alerts [pool] (new alerts, escalations,
    retries; each once)
    report (trigger rule all_done: fails the run when a source failed, after the others are loaded)
Wiring only: every decision lives in extractors/ and warehouse/ (see siaga_tasks.py).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import dag

# The helper modules beside this file, whether Airflow loads it from a bundle (which puts the
# folder on sys.path) or a plain DagBag (which does not).
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))

from siaga_tasks import (
    CONFIG,
    alert_emergencies,
    analyse,
    detect_spikes,
    extract,
    load,
    plan_analysis,
    plan_extracts,
    report,
    send_alerts,
)

SETTINGS = CONFIG.daily


@dag(
    schedule=SETTINGS.schedule,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=SETTINGS.default_args(),
    tags=["kutim", "ingest"],
    doc_md=__doc__,
)
def kutim_daily_ingest():
    plan = plan_extracts()
    extracted = extract.partial(window_hours=SETTINGS.window_hours, run_kind="daily").expand_kwargs(plan)
    analysed = analyse.expand_kwargs(plan_analysis(extracted))
    loaded = load(extracted, window_hours=SETTINGS.window_hours, analysed=analysed)
    send_alerts(alert_emergencies(loaded), detect_spikes(loaded))
    report(plan, extracted, loaded)


kutim_daily_ingest()

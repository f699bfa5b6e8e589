"""emergency_watch: the same extract and load path on a short schedule, raising emergency alerts only,
so a fire reported at 10:00 is not found the next morning.

    plan_extracts [pool] -> extract (mapped) -> load [pool] -> alert_emergencies [pool] ; report
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

from siaga_tasks import CONFIG, alert_emergencies, extract, load, plan_extracts, report

SETTINGS = CONFIG.watch


@dag(
    schedule=SETTINGS.schedule,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=SETTINGS.default_args(),
    tags=["kutim", "darurat"],
    doc_md=__doc__,
)
def emergency_watch():
    plan = plan_extracts()
    extracted = extract.partial(window_hours=SETTINGS.window_hours, run_kind="watch").expand_kwargs(plan)
    loaded = load(extracted, window_hours=SETTINGS.window_hours)
    alert_emergencies(loaded)
    report(plan, extracted, loaded)


emergency_watch()

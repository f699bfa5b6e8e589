"""lapor_submit: approved drafts to SP4N-LAPOR! exactly once, then the status of open tickets, then
the replies that tell citizens their complaint's tracking ID (`reply_posters`).

Wiring only: the state machines are `warehouse.lapor` and `warehouse.replies`, the transports
`extractors.lapor.client` and `extractors.replies`. Re-running is safe: a submitted draft is never sent
again, a status already stored is kept, and a sent reply is never sent twice.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from siaga_tasks import reply_posters


@dag(
    schedule="@hourly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one sender at a time; the state machine also guards against a second
    tags=["kutim", "lapor"],
    default_args={"retries": 2},
    doc_md=__doc__,
)
def lapor_submit():
    @task
    def send_approved() -> dict:
        from extractors.lapor.client import make_client, settings_from_airflow
        from warehouse.lapor import submit_approved

        counts = submit_approved(make_client(settings_from_airflow()))
        problem = counts.get("auth_error") or counts.get("stopped")
        if problem:  # red in Airflow: the connection needs fixing or LAPOR! is down; drafts stay queued
            raise RuntimeError(problem)
        return counts

    @task(trigger_rule="all_done")  # statuses are worth polling even when sending failed
    def sync_status() -> dict:
        from extractors.lapor.client import make_client, settings_from_airflow
        from warehouse.lapor import sync_statuses

        return sync_statuses(make_client(settings_from_airflow()))

    send_approved() >> sync_status() >> reply_posters()


lapor_submit()

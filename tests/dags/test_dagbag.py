"""The DAG files parse cleanly and carry the settings of config/pipeline.yaml."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk.definitions.mappedoperator import MappedOperator

from tests.dags.dag_helpers import BASE_CONFIG


def test_dag_files_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.dagbag_stats, "no DAG file was parsed"  # the parse time is in tools/bench/daily_run.py
    assert {"kutim_daily_ingest", "emergency_watch"} <= set(dagbag.dag_ids)


def test_daily_ingest_is_daily_without_catchup_and_maps_extract(dagbag):
    dag = dagbag.get_dag("kutim_daily_ingest")
    assert dag.schedule == BASE_CONFIG["daily_ingest"]["schedule"] == "@daily"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    extract = dag.get_task("extract")
    assert isinstance(extract, MappedOperator)
    assert set(dag.task_dict) == {
        "plan_extracts",
        "extract",
        "plan_analysis",
        "analyse",
        "load",
        "detect_spikes",
        "alert_emergencies",
        "send_alerts",
        "report",
    }


def test_daily_ingest_analyses_in_mapped_chunks_off_the_writer(dagbag):
    dag = dagbag.get_dag("kutim_daily_ingest")
    analyse = dag.get_task("analyse")
    assert isinstance(analyse, MappedOperator)
    assert analyse.pool != BASE_CONFIG["pools"]["warehouse"]["name"]  # any worker, many at a time
    assert analyse.queue != BASE_CONFIG["pools"]["warehouse"]["queue"]
    assert "analyse" in dag.get_task("load").upstream_task_ids
    assert dag.get_task("plan_analysis").trigger_rule == "all_done"  # the sources that did extract go on


def test_warehouse_writers_share_the_one_slot_pool_and_the_writer_queue(dagbag):
    pool = BASE_CONFIG["pools"]["warehouse"]["name"]
    queue = BASE_CONFIG["pools"]["warehouse"]["queue"]
    daily_writers = ("plan_extracts", "load", "detect_spikes", "alert_emergencies", "send_alerts")
    watch_writers = daily_writers
    for dag_id, writers in (("kutim_daily_ingest", daily_writers), ("emergency_watch", watch_writers)):
        dag = dagbag.get_dag(dag_id)
        for task_id in writers:
            assert dag.get_task(task_id).pool == pool, (dag_id, task_id)
            assert dag.get_task(task_id).queue == queue, (dag_id, task_id)
        assert dag.get_task("extract").pool != pool  # sources extract in parallel, on any worker
        assert dag.get_task("extract").queue != queue


def test_load_runs_with_whatever_extracts_succeeded(dagbag):
    dag = dagbag.get_dag("kutim_daily_ingest")
    assert dag.get_task("load").trigger_rule == "all_done"
    assert dag.get_task("report").trigger_rule == "all_done"


def test_retries_back_off_exponentially_as_configured(dagbag):
    dag = dagbag.get_dag("kutim_daily_ingest")
    extract = dag.get_task("extract")
    assert extract.retries == 1  # the tests' config (fast retries)
    assert extract.retry_delay == timedelta(0)
    watch = dagbag.get_dag("emergency_watch")
    assert watch.get_task("load").retries == 1


def test_emergency_watch_runs_hourly_with_emergencies_spikes_and_sending(dagbag):
    dag = dagbag.get_dag("emergency_watch")
    assert dag.schedule == BASE_CONFIG["emergency_watch"]["schedule"] == "@hourly"
    assert {"alert_emergencies", "detect_spikes", "send_alerts"} <= set(dag.task_dict)
    assert dag.get_task("send_alerts").upstream_task_ids == {"alert_emergencies", "detect_spikes"}
    assert dag.get_task("send_alerts").trigger_rule == "all_done"  # escalations go out even if a load failed
    assert dag.catchup is False


def test_dag_files_import_from_a_plain_dagbag_without_the_dags_folder_on_sys_path(tmp_path):
    # Airflow's bundles put the folder on sys.path, a plain DagBag (as other tests use) does not.
    import json
    import os
    import subprocess
    import sys

    from tests.dags.dag_helpers import REPO

    script = (
        "import json, sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        "bag = DagBag(dag_folder=sys.argv[1])\n"
        "print('RESULT ' + json.dumps({'errors': bag.import_errors, 'dags': sorted(bag.dag_ids)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYTHONPATH"))}
    env.update(
        AIRFLOW_HOME=str(tmp_path),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path / 'airflow.db'}",
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "dags")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    assert result["errors"] == {}
    assert {"kutim_daily_ingest", "emergency_watch"} <= set(result["dags"])

"""dags/siaga_dag_config.py: the pipeline settings are validated and the run window is explicit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from siaga_dag_config import (
    DEFAULT_CONFIG,
    PipelineConfigError,
    load_pipeline_config,
    staging_file,
    window_day,
    window_ending_at,
)

from tests.dags.dag_helpers import BASE_CONFIG


def test_committed_config_loads_with_the_embedded_default():
    config = load_pipeline_config(DEFAULT_CONFIG)
    assert config.sources == ("replay",)
    assert config.warehouse_pool == "siaga_warehouse"
    assert config.daily.schedule == "@daily" and config.watch.schedule == "@hourly"
    args = config.daily.default_args()
    assert args["retries"] == BASE_CONFIG["daily_ingest"]["retries"] > 0
    assert args["retry_exponential_backoff"] > 1  # exponential
    assert args["max_retry_delay"] == timedelta(seconds=BASE_CONFIG["daily_ingest"]["max_retry_delay_s"])
    assert config.delivery.escalate_after_minutes == 30
    assert all(c.startswith("siaga_alerts_") for ids in config.delivery.channels.values() for c in ids)


def test_the_scheduled_midnight_run_covers_the_previous_utc_day():
    start, end = window_ending_at(datetime(2026, 11, 23, tzinfo=UTC), 24)
    assert (start, end) == (datetime(2026, 11, 22, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    assert window_day(start, end).isoformat() == "2026-11-22"


def test_a_run_in_the_day_covers_the_last_24_hours_and_reports_on_today():
    start, end = window_ending_at(datetime(2026, 11, 23, 13, 5, tzinfo=UTC), 24)
    assert start == datetime(2026, 11, 22, 13, 5, tzinfo=UTC)
    assert window_day(start, end).isoformat() == "2026-11-23"


def test_a_logical_date_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        window_ending_at(datetime(2026, 11, 23), 24)


def test_staging_files_separate_days_sources_and_watch_runs(tmp_path):
    start, end = datetime(2026, 11, 22, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)
    assert staging_file(tmp_path, "daily", start, end, "x") == tmp_path / "2026-11-22" / "x.jsonl"
    watch = staging_file(tmp_path, "watch", end - timedelta(hours=2), end.replace(hour=5), "replay")
    assert watch == tmp_path / "2026-11-23" / "watch-0500" / "replay.jsonl"


def _write(tmp_path: Path, **changes) -> Path:
    config = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        node = config
        for parent in parents:
            node = node[parent]
        node[key] = value
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sources": ["replay", "tiktok"]}, "unknown sources"),
        ({"sources": []}, "non-empty list"),
        ({"alerts__channels": {"emergency": ["smtp_default"]}}, "siaga_alerts_"),
        ({"alerts__channels": {"sms": ["siaga_alerts_sms"]}}, "alerts.channels.sms"),
        ({"alerts__escalate_after_minutes": "tiga puluh"}, "alerts.escalate_after_minutes"),
        ({"alerts__digest_threshold": 0}, "alerts.digest_threshold"),
        ({"daily_ingest__retries": -1}, "daily_ingest.retries"),
        ({"emergency_watch__schedule": ""}, "emergency_watch.schedule"),
        ({"alerts__spike_k": "tiga"}, "alerts.spike_k"),
    ],
)
def test_a_wrong_setting_is_named_in_the_error(tmp_path, change, message):
    with pytest.raises(PipelineConfigError, match=message):
        load_pipeline_config(_write(tmp_path, **change))


def test_a_missing_config_file_says_which(tmp_path):
    with pytest.raises(PipelineConfigError, match=r"nope\.yaml: the file is missing; restore it"):
        load_pipeline_config(tmp_path / "nope.yaml")

"""Settings the Kutim Siaga DAGs run with, read from config/pipeline.yaml and validated.

A helper of the DAG files, not a DAG (listed in .airflowignore). Cheap to import: the settings base
(core.settings, core.env: PyYAML and pydantic, which Airflow loads anyway) and the standard library,
because the DAG processor imports it on every parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.env import check_environment, setting
from core.settings import REPO_CONFIG, REPO_ROOT, SettingsError, read_yaml, shown

DEFAULT_CONFIG = REPO_CONFIG / "pipeline.yaml"
KNOWN_SOURCES = ("x", "facebook", "instagram", "whatsapp", "replay")
ALERT_KINDS = ("emergency", "spike", "viral", "report")
CHANNEL_PREFIX = "siaga_alerts_"  # alert channels are Airflow Connections siaga_alerts_* (docs/interfaces.md)
DELIVERY_DEFAULTS = {
    "escalate_after_minutes": 30,
    "digest_threshold": 10,
    "retry_for_hours": 24,
    "repeat_after_hours": 24,
    "send_attempts": 3,
    "send_backoff_s": 1.0,
}


# The one settings error (core.settings); the old name stays for call sites written before issue 16.
PipelineConfigError = SettingsError


@dataclass(frozen=True)
class ScheduleSettings:
    """How one DAG is scheduled and retried, and how wide its extraction window is."""

    schedule: str
    retries: int
    retry_delay_s: float
    backoff_multiplier: float
    max_retry_delay_s: float
    window_hours: float

    def default_args(self) -> dict[str, Any]:
        return {
            "owner": "kutim-siaga",
            "retries": self.retries,
            "retry_delay": timedelta(seconds=self.retry_delay_s),
            # Airflow 3: the multiplier itself (0 or 1 = no backoff).
            "retry_exponential_backoff": self.backoff_multiplier,
            "max_retry_delay": timedelta(seconds=self.max_retry_delay_s),
        }


@dataclass(frozen=True)
class AlertDelivery:
    """Where alerts go and how often: `channels` maps an alert kind (and optionally 'escalation') to
    Airflow Connection ids; the rest are warehouse.alerts.prepare_deliveries' and notify.deliver's."""

    channels: dict[str, tuple[str, ...]]
    escalate_after_minutes: float
    digest_threshold: int
    retry_for_hours: float
    repeat_after_hours: float
    ui_base_url: str
    send_attempts: int
    send_backoff_s: float


@dataclass(frozen=True)
class PipelineConfig:
    sources: tuple[str, ...]
    staging_dir: Path
    daily: ScheduleSettings
    watch: ScheduleSettings
    warehouse_pool: str
    warehouse_queue: str
    analysis_chunk_posts: int
    spike_k: float
    baseline_days: int
    min_count: int
    delivery: AlertDelivery


def config_path() -> Path:
    """`SIAGA_PIPELINE_CONFIG`, else config/pipeline.yaml in the repository."""
    return Path(setting("pipeline_config") or DEFAULT_CONFIG)


def _number(section: dict, key: str, where: str, minimum: float = 0, file: str = "config/pipeline.yaml") -> float:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise SettingsError(file, f"{where}.{key}", f"must be a number >= {minimum}, got {value!r}")
    return value


def _schedule(raw: dict, name: str, file: str) -> ScheduleSettings:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise SettingsError(file, name, "the section is missing", f"add `{name}:` with schedule and retries")
    schedule = section.get("schedule")
    if not isinstance(schedule, str) or not schedule.strip():
        raise SettingsError(
            file,
            f"{name}.schedule",
            f"must be a cron expression or preset, got {schedule!r}",
            "write e.g. '@daily' or '0 * * * *'",
        )
    return ScheduleSettings(
        schedule=schedule,
        retries=int(_number(section, "retries", name, file=file)),
        retry_delay_s=float(_number(section, "retry_delay_s", name, file=file)),
        backoff_multiplier=float(
            _number({"backoff_multiplier": 2.0, **section}, "backoff_multiplier", name, file=file)
        ),
        max_retry_delay_s=float(_number(section, "max_retry_delay_s", name, file=file)),
        window_hours=float(_number(section, "window_hours", name, minimum=0.01, file=file)),
    )


def load_pipeline_config(path: Path | str | None = None) -> PipelineConfig:
    """Read and validate the pipeline settings; raises SettingsError naming the file, the field and what to do."""
    check_environment()  # every SIAGA_* variable, at every parse: a wrong one shows as the DAG's import error
    path = Path(path) if path is not None else config_path()
    raw = read_yaml(path, env_var="SIAGA_PIPELINE_CONFIG", empty_ok=True)
    file = shown(path)
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        raise SettingsError(
            file, "sources", f"must be a non-empty list, got {sources!r}", f"list some of {', '.join(KNOWN_SOURCES)}"
        )
    unknown = [s for s in sources if s not in KNOWN_SOURCES]
    if unknown:
        raise SettingsError(file, "sources", f"unknown sources {unknown}", f"use {', '.join(KNOWN_SOURCES)}")
    alerts = raw.get("alerts") or {}
    pool = (raw.get("pools") or {}).get("warehouse") or {}
    staging_dir = Path(raw.get("staging_dir", "data/staging"))
    analysis = raw.get("analysis") or {}
    if not isinstance(analysis, dict):
        raise SettingsError(file, "analysis", "must be a mapping", "write e.g. {chunk_posts: 20000}")
    return PipelineConfig(
        sources=tuple(dict.fromkeys(sources)),
        staging_dir=staging_dir if staging_dir.is_absolute() else REPO_ROOT / staging_dir,
        daily=_schedule(raw, "daily_ingest", file),
        watch=_schedule(raw, "emergency_watch", file),
        warehouse_pool=pool.get("name", "siaga_warehouse"),
        warehouse_queue=pool.get("queue", "warehouse"),
        analysis_chunk_posts=int(
            _number({"chunk_posts": 20_000, **analysis}, "chunk_posts", "analysis", minimum=1, file=file)
        ),
        spike_k=float(_number(alerts, "spike_k", "alerts", file=file)),
        baseline_days=int(_number(alerts, "baseline_days", "alerts", minimum=1, file=file)),
        min_count=int(_number(alerts, "min_count", "alerts", minimum=1, file=file)),
        delivery=_delivery(alerts, file),
    )


def _delivery(alerts: dict, file: str) -> AlertDelivery:
    channels = alerts.get("channels") or {}
    if not isinstance(channels, dict):
        raise SettingsError(
            file, "alerts.channels", "must be a mapping", f"map {', '.join(ALERT_KINDS)} to Connection ids"
        )
    resolved: dict[str, tuple[str, ...]] = {}
    for kind, conn_ids in channels.items():
        if kind not in (*ALERT_KINDS, "escalation"):
            raise SettingsError(
                file, f"alerts.channels.{kind}", "unknown alert kind", f"use {', '.join(ALERT_KINDS)} or escalation"
            )
        conn_ids = [conn_ids] if isinstance(conn_ids, str) else conn_ids or []
        wrong = [c for c in conn_ids if not isinstance(c, str) or not c.startswith(CHANNEL_PREFIX)]
        if wrong or not isinstance(conn_ids, list):
            raise SettingsError(
                file,
                f"alerts.channels.{kind}",
                f"got {wrong or conn_ids!r}",
                f"list Airflow Connection ids named {CHANNEL_PREFIX}*",
            )
        resolved[kind] = tuple(dict.fromkeys(conn_ids))
    ui = alerts.get("ui_base_url", "http://127.0.0.1:8080/siaga")
    if not isinstance(ui, str) or not ui.startswith(("http://", "https://")):
        raise SettingsError(
            file,
            "alerts.ui_base_url",
            f"must be an http(s) URL, got {ui!r}",
            "write the UI's address, e.g. http://127.0.0.1:8080/siaga",
        )
    settings = {**DELIVERY_DEFAULTS, **{k: v for k, v in alerts.items() if k in DELIVERY_DEFAULTS}}

    def number(key: str, minimum: float = 0) -> float:
        return _number(settings, key, "alerts", minimum, file=file)

    return AlertDelivery(
        channels=resolved,
        escalate_after_minutes=number("escalate_after_minutes"),
        digest_threshold=int(number("digest_threshold", minimum=1)),
        retry_for_hours=number("retry_for_hours"),
        repeat_after_hours=number("repeat_after_hours"),
        ui_base_url=ui,
        send_attempts=int(number("send_attempts", minimum=1)),
        send_backoff_s=number("send_backoff_s"),
    )


def window_ending_at(logical_date: datetime, hours: float) -> tuple[datetime, datetime]:
    """The extraction window of a run: the `hours` that end at its logical date.

    Airflow 3 gives an @daily run a zero-length data interval, so the window is defined here:
    the run scheduled at 00:00 UTC covers the previous UTC day, a manual run "now" covers the
    last 24 hours. The same logical date always gives the same window (re-runs change nothing).
    """
    if logical_date.tzinfo is None:
        raise ValueError("logical_date must carry a time zone (Airflow's are UTC)")
    end = logical_date
    return end - timedelta(hours=hours), end


def window_day(start: datetime, end: datetime) -> date:
    """The calendar day (UTC) a window reports on: the day of its last instant."""
    return (end - timedelta(microseconds=1)).date()


def staging_file(staging_dir: Path, run_kind: str, start: datetime, end: datetime, source: str) -> Path:
    """Where one source's extract for a window lands: <staging>/<day>/<source>.jsonl for the daily
    run, <staging>/<day>/watch-<HHMM>/<source>.jsonl for the emergency watch."""
    day = window_day(start, end).isoformat()
    folder = staging_dir / day
    if run_kind != "daily":
        folder = folder / f"{run_kind}-{end:%H%M}"
    return folder / f"{source}.jsonl"

"""The tasks both ingest DAGs wire together: extract, analyse, load, spike detection, emergency alerts,
sending.

Each task calls one function of extractors/ or warehouse/ (imported inside the task, never at
parse time), logs what it did in numbers, and returns a small JSON-able dict for the next task.
Tasks that write DuckDB take the one-slot pool, so only one of them runs at a time across DAGs.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path

from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException
from siaga_dag_config import PipelineConfig, load_pipeline_config, staging_file, window_day, window_ending_at

log = logging.getLogger("siaga.dags")
CONFIG: PipelineConfig = load_pipeline_config()
# Where tasks that write DuckDB run: one pool slot, and the queue of the worker beside the file.
WRITER = {"pool": CONFIG.warehouse_pool, "queue": CONFIG.warehouse_queue}


def run_window(window_hours: float) -> tuple[datetime, datetime]:
    """This run's extraction window, from its logical date (see window_ending_at). A manual run may
    widen it with the conf {"window_hours": N} (a first run after installation, `make run`)."""
    context = get_current_context()
    logical_date = context.get("logical_date") or context["dag_run"].run_after
    wider = (context["dag_run"].conf or {}).get("window_hours")
    if wider is not None:
        if isinstance(wider, bool) or not isinstance(wider, (int, float)) or wider <= 0:
            raise AirflowFailException(f"conf window_hours must be a positive number of hours, got {wider!r}")
        window_hours = float(wider)
    return window_ending_at(logical_date, window_hours)


@task(**WRITER)
def plan_extracts() -> list[dict]:
    """One entry per source to extract, with the cursors the warehouse stored after its last run.
    Sources: the run's conf `sources` if given (a manual re-run of one source), else
    config/pipeline.yaml, read at run time so a change needs no re-parse."""
    from warehouse.cursors import read_cursors

    conf = get_current_context()["dag_run"].conf or {}
    sources = list(dict.fromkeys(conf.get("sources") or load_pipeline_config().sources))
    plan = [{"source": source, "cursors": read_cursors(source)} for source in sources]
    log.info(
        "siaga sources: %d enabled: %s; with stored cursors: %s",
        len(plan),
        ", ".join(sources),
        ", ".join(item["source"] for item in plan if item["cursors"]) or "none",
    )
    return plan


@task(map_index_template="{{ task.op_kwargs['source'] }}")
def extract(source: str, cursors: dict, window_hours: float, run_kind: str) -> dict:
    """One source's posts for the window into its staging file (JSONL), never into DuckDB."""
    from extractors import run_source

    began = time.perf_counter()
    start, end = run_window(window_hours)
    out = staging_file(load_pipeline_config().staging_dir, run_kind, start, end, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    # Written aside and renamed when complete, so a failed try leaves no half file to load.
    result = run_source(source, start, end, partial, cursors=cursors or None)
    Path(result.staging_path).replace(out)
    seconds = round(time.perf_counter() - began, 3)
    log.info(
        "siaga extract %s: %d posts, %d quarantined, %d API calls in %.2f s, window %s .. %s -> %s",
        source,
        result.posts,
        result.quarantined,
        result.api_calls,
        seconds,
        start.isoformat(),
        end.isoformat(),
        out,
    )
    return {
        "seconds": seconds,
        "source": source,
        "staging_path": str(out),
        "posts": result.posts,
        "quarantined": result.quarantined,
        "api_calls": result.api_calls,
        "cursors": result.cursors or {},
    }


def _succeeded(extracted) -> list[dict]:
    # A failed mapped extract has no return value; load goes on with the others.
    return [item for item in (extracted or []) if item]


@task(trigger_rule="all_done")
def plan_analysis(extracted: list[dict]) -> list[dict]:
    """The staged files cut into chunks for the mapped analyse task: config/pipeline.yaml
    analysis.chunk_posts posts each, or the run's conf {"chunk_posts": N}."""
    from nlp.staged import plan_chunks

    size = (get_current_context()["dag_run"].conf or {}).get("chunk_posts", CONFIG.analysis_chunk_posts)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise AirflowFailException(f"conf chunk_posts must be a whole number of posts >= 1, got {size!r}")
    chunks = plan_chunks([item["staging_path"] for item in _succeeded(extracted)], size)
    log.info("siaga analysis plan: %d chunks of at most %d posts", len(chunks), size)
    return chunks


@task(map_index_template="{{ task.op_kwargs['source'] }}#{{ task.op_kwargs['chunk'] }}")
def analyse(staging_path: str, source: str, chunk: int, first_line: int, lines: int, offset: int, length: int) -> dict:
    """The NLP for one chunk of a staging file, on any worker; its results land beside the file."""
    from nlp.staged import analyse_chunk

    began = time.perf_counter()
    result = analyse_chunk(staging_path, first_line=first_line, lines=lines, offset=offset, length=length)
    result["seconds"] = round(time.perf_counter() - began, 3)
    log.info(
        "siaga analyse %s#%d: lines %d..%d, %d posts, %s, %.2f s -> %s",
        source,
        chunk,
        first_line,
        first_line + lines - 1,
        result["posts"],
        "kept" if result["reused"] else "analysed",
        result["seconds"],
        result["path"],
    )
    return result


@task(**WRITER, trigger_rule="all_done")
def load(extracted: list[dict], window_hours: float, analysed: list[dict] | None = None) -> dict:
    """The single writer: load, deduplicate, cluster and draft what the extracts staged, with the
    analyses the mapped analyse tasks wrote (without them, or for what they miss, it analyses)."""
    from warehouse.pipeline import load_staged

    began = time.perf_counter()
    staged = _succeeded(extracted)
    start, end = run_window(window_hours)
    paths = [item["staging_path"] for item in staged]
    analysis_paths = None if analysed is None else [item["path"] for item in _succeeded(analysed)]
    counts = load_staged(paths, window_day(start, end), analysis_paths=analysis_paths)
    # Only now that the posts are stored may the sources' cursors move past them.
    from warehouse.cursors import save_cursors

    saved = sum(save_cursors(item["source"], item["cursors"]) for item in staged)
    seconds = round(time.perf_counter() - began, 3)
    log.info(
        "siaga load: %d staging files (%s) -> %s; %d cursors stored; %.2f s",
        len(paths),
        ", ".join(item["source"] for item in staged) or "none",
        json.dumps(counts, default=str, sort_keys=True),
        saved,
        seconds,
    )
    return {"counts": counts, "staged": staged, "seconds": seconds}


@task(**WRITER)
def detect_spikes(loaded: dict) -> dict:
    """Viral issues and spikes per category and kecamatan: the 24 hours ending at the logical date
    against the days before, whatever the extraction window was (hourly and daily alike)."""
    from warehouse.alerts import detect_spikes as detect

    began = time.perf_counter()
    config = load_pipeline_config()
    start, end = window_ending_at(get_current_context()["logical_date"], 24)
    alerts = detect(start, end, k=config.spike_k, baseline_days=config.baseline_days, min_count=config.min_count)
    seconds = round(time.perf_counter() - began, 3)
    log.info(
        "siaga alerts: %d spike/viral alerts for %s .. %s; %.2f s",
        len(alerts),
        start.isoformat(),
        end.isoformat(),
        seconds,
    )
    return {"alerts": len(alerts), "seconds": seconds}


@task(**WRITER, trigger_rule="all_done")
def alert_emergencies(loaded: dict | None) -> dict:
    """Emergency issues among the posts this run staged, recorded at once (what, where, evidence)."""
    from warehouse.alerts import post_keys_in, record_emergencies

    began = time.perf_counter()
    staged = (loaded or {}).get("staged") or []
    keys = post_keys_in([item["staging_path"] for item in staged])
    alerts = record_emergencies(keys)
    seconds = round(time.perf_counter() - began, 3)
    log.info("siaga emergency: %d emergency issues among %d staged posts; %.2f s", len(alerts), len(keys), seconds)
    return {"emergencies": len(alerts), "seconds": seconds}


def _deliver_owed(kinds: tuple[str, ...] | None = None, queue=None) -> dict:
    """Every message owed to its channels (for `kinds`; all by default), each recorded, so a re-run
    sends nothing twice; raises (and the task retries) when a channel did not take its messages.
    `queue(found_channels, settings)` first adds events of its own (the monthly report)."""
    from extractors.notify import SiagaAlertNotifier, available_channels
    from warehouse.alerts import prepare_deliveries, record_deliveries

    began = time.perf_counter()
    settings = load_pipeline_config().delivery
    found, missing = available_channels([c for ids in settings.channels.values() for c in ids])
    if missing:
        log.warning("siaga alerts: no Airflow Connection %s; those alerts go to the log only", ", ".join(missing))
    channels = {kind: [c for c in ids if c in found] for kind, ids in settings.channels.items()}
    if queue is not None:
        queue(channels, settings)
    messages = prepare_deliveries(
        **({"kinds": kinds} if kinds else {}),
        channels=channels,
        escalate_after_minutes=settings.escalate_after_minutes,
        repeat_after_hours=settings.repeat_after_hours,
        retry_for_hours=settings.retry_for_hours,
        digest_threshold=settings.digest_threshold,
        ui_base_url=settings.ui_base_url,
    )
    notifier = SiagaAlertNotifier(messages=messages, attempts=settings.send_attempts, backoff_s=settings.send_backoff_s)
    notifier(get_current_context())
    counts = record_deliveries(notifier.results)
    failed = sorted({message.channel for message, error in notifier.results if error})
    seconds = round(time.perf_counter() - began, 3)
    log.info(
        "siaga alerts: sent %d messages (%d digests) to %s: %d events sent, %d failed; %.2f s",
        len(messages),
        sum(m.is_digest for m in messages),
        ", ".join(sorted({m.channel for m in messages})) or "nobody",
        counts["sent"],
        counts["failed"],
        seconds,
    )
    if failed:
        raise RuntimeError(
            f"alert channels failed: {', '.join(failed)}; their messages are kept and tried "
            "again (this task's retry, then every run); see the log above"
        )
    return {"messages": len(messages), **counts, "seconds": seconds}


@task(**WRITER, trigger_rule="all_done")
def send_alerts(emergencies: dict | None, spikes: dict | None) -> dict:
    """Every message owed (new alerts, escalations, earlier failures) to its channels, once each."""
    return _deliver_owed()


@task(**WRITER)
def send_monev_report(written: dict) -> dict:
    """Tells the `report` channels (alerts.channels.report) once that the month's report is ready:
    its summary and download links; a re-run of the month sends nothing again."""
    from warehouse.alerts import queue_report
    from warehouse.report_writers import announcement

    def queue(channels: dict, settings) -> None:
        title, body = announcement(written, settings.ui_base_url)
        queue_report(written["month"], title, body, channels.get("report", ()))

    return _deliver_owed(kinds=("report",), queue=queue)


@task(trigger_rule="all_done")
def report(plan: list[dict], extracted: list[dict], loaded: dict | None) -> dict:
    """The run's numbers in one log line; fails the run (no retry) when a source failed, so it shows
    red while the others' posts are already in."""
    staged = _succeeded(extracted)
    sources = [item["source"] for item in plan or []]
    failed = sorted(set(sources) - {item["source"] for item in staged})
    counts = (loaded or {}).get("counts") or {}
    log.info(
        "siaga run: %d/%d sources ok, posts per source %s, load %s",
        len(staged),
        len(sources),
        {item["source"]: item["posts"] for item in staged},
        json.dumps(counts, default=str, sort_keys=True),
    )
    if failed or loaded is None:
        raise AirflowFailException(
            f"sources failed after their retries: {', '.join(failed) or 'none'}; "
            f"load ran: {loaded is not None}. The other sources are loaded; "
            "see the extract task logs, then clear the failed ones."
        )
    return {"sources_ok": len(staged), "counts": counts}


@task(**WRITER, trigger_rule="all_done")
def reply_posters() -> dict:
    """Replies to citizens (issue 14): drafts one per reporting thread of each ticket that got its
    tracking ID, then sends the approved ones exactly once (warehouse.replies.send_approved); runs
    after the status sync, also when sending to LAPOR! failed (tickets already made still get theirs)."""
    from warehouse.replies import send_approved

    began = time.perf_counter()
    counts = send_approved()
    seconds = round(time.perf_counter() - began, 3)
    log.info("siaga replies: %s; %.2f s", json.dumps(counts, default=str, sort_keys=True), seconds)
    return {**counts, "seconds": seconds}

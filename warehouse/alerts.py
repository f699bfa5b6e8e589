"""Alerts: viral issues, spikes per category and kecamatan, and emergencies for the 112 operator.

Spikes compare a window (the daily run's 24 hours) with the `baseline_days` windows before it:
a count is a spike when it exceeds mean + k·σ of those windows and is at least `min_count`.
Emergencies are the emergency issues among the posts a run staged, with what, where, when and
the evidence, and a summary an operator can read out when calling back.

Every write is an upsert on a key derived from what the alert is about, so re-running a day
changes nothing and a delivered alert is never sent again (`delivered_at` is kept).

Delivery (migration 011): what is said about an alert is an *event*, keyed (alert_id, stage): 'opened'
once when the alert is first found, 'escalated' once when an emergency still waits for its hand-off
(`handoff_status` 'pending') `escalate_after_minutes` after it was opened. Each event has one delivery
row per channel ('log' and the Airflow Connections configured for its kind) with its state, so a
re-run sends nothing twice and a channel that failed is tried again by the next run, for
`retry_for_hours`. Spike and viral alerts about the same scope within `repeat_after_hours` say nothing
new and are recorded as suppressed. When a run has more than `digest_threshold` messages for one
channel, that channel gets one digest instead. Sending itself is `extractors.notify`'s; this module
prepares the messages (`prepare_deliveries`) and records what became of them (`record_deliveries`).
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from core.domain import CATEGORY_LABELS as _CATEGORY_LABELS
from core.domain import MONTHS_SHORT as BULAN
from core.domain import WITA_OFFSET as WITA
from warehouse.db import connect

# category labels as they read inside a sentence ("banjir di Sangatta Utara")
CATEGORY_LABELS = {key: label.lower() for key, label in _CATEGORY_LABELS.items()}
MAX_EVIDENCE = 10
SUMMARY_EMERGENCIES = 5  # emergencies spelled out in the `make run` summary; the UI lists them all
ALERT_COLUMNS = (
    "alert_id",
    "kind",
    "day",
    "scope",
    "scope_key",
    "issue_id",
    "value",
    "baseline",
    "threshold",
    "message",
    "detail",
    "handoff_status",
    "delivered_at",
    "created_at",
)


def _alert_id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]


def _utc_naive(moment: datetime) -> datetime:
    """The warehouse stores UTC as TIMESTAMP without zone."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _category_label(category: str | None) -> str:
    return CATEGORY_LABELS.get(category or "", category or "tanpa kategori")


def format_wita(moment: datetime | None) -> str:
    """'23 Nov 2026 10.15 WITA' from a UTC timestamp (naive = UTC)."""
    if moment is None:
        return "waktu tidak diketahui"
    local = _utc_naive(moment) + WITA
    return f"{local.day} {BULAN[local.month - 1]} {local.year} {local:%H.%M} WITA"


# --- spikes and viral issues -------------------------------------------------------------------

_COUNTS_SQL = """
WITH recent AS (
    SELECT post_key,
           coalesce(created_at, fetched_at, loaded_at) AS ts,
           1 + coalesce(likes, 0) + coalesce(shares, 0) + coalesce(comments, 0) AS reach
    FROM posts
    WHERE coalesce(created_at, fetched_at, loaded_at) >= $base
      AND coalesce(created_at, fetched_at, loaded_at) < $end
), latest AS (
    -- both from the one latest analysis (a tie on analyzed_at goes to the newer model, never to chance)
    SELECT post_key, arg_max_null(category, (analyzed_at, model_version)) AS category,
           arg_max_null(kecamatan, (analyzed_at, model_version)) AS kecamatan
    FROM post_analysis WHERE post_key IN (SELECT post_key FROM recent) GROUP BY post_key
), tagged AS (
    SELECT r.reach, l.category, l.kecamatan, ip.issue_id,
           CAST(floor(date_diff('second', $base, r.ts) / $width) AS BIGINT) AS bucket
    FROM recent r LEFT JOIN latest l USING (post_key) LEFT JOIN issue_posts ip USING (post_key)
)
SELECT 'issue' AS scope, issue_id AS scope_key, bucket, count(*) AS posts, sum(reach) AS reach
FROM tagged WHERE issue_id IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'category', category, bucket, count(*), sum(reach) FROM tagged WHERE category IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'kecamatan', kecamatan, bucket, count(*), sum(reach)
FROM tagged WHERE category IS NOT NULL AND kecamatan IS NOT NULL GROUP BY ALL
"""


def _spike_message(scope: str, key: str, label: str, value: float, mean: float, threshold: float, n: int) -> str:
    if scope == "issue":
        return (
            f"Isu viral: {label} — jangkauan {value:.0f} (unggahan + suka + bagikan + komentar) hari ini, "
            f"rata-rata {mean:.1f} per hari dalam {n} hari sebelumnya (ambang {threshold:.1f})."
        )
    where = f"kategori {_category_label(key)}" if scope == "category" else f"Kecamatan {key}"
    return (
        f"Lonjakan keluhan {where}: {value:.0f} unggahan hari ini, rata-rata {mean:.1f} per hari "
        f"dalam {n} hari sebelumnya (ambang {threshold:.1f})."
    )


def find_spikes(
    counts: dict[tuple[str, str], dict[int, tuple[int, float]]],
    n_baseline: int,
    k: float,
    min_count: int,
) -> list[dict]:
    """Pure detection over counts[(scope, key)][bucket] = (posts, reach); bucket n_baseline is the
    window under test, 0..n_baseline-1 the baseline (missing buckets count as zero).
    Issues are judged on reach (viral), categories and kecamatan on the number of posts (spike)."""
    found = []
    for (scope, key), by_bucket in counts.items():
        posts_now, reach_now = by_bucket.get(n_baseline, (0, 0.0))
        if posts_now < min_count:
            continue
        metric = 1 if scope == "issue" else 0
        history = [float(by_bucket.get(b, (0, 0.0))[metric]) for b in range(n_baseline)]
        value = float(reach_now if scope == "issue" else posts_now)
        mean = statistics.fmean(history)
        sigma = statistics.pstdev(history)
        threshold = mean + k * sigma
        if value > threshold:
            found.append(
                {
                    "kind": "viral" if scope == "issue" else "spike",
                    "scope": scope,
                    "scope_key": key,
                    "value": value,
                    "baseline": mean,
                    "threshold": threshold,
                    "sigma": sigma,
                    "history": history,
                    "posts": posts_now,
                }
            )
    return found


def detect_spikes(
    start: datetime,
    end: datetime,
    *,
    k: float = 3.0,
    baseline_days: int = 7,
    min_count: int = 3,
    path: Path | str | None = None,
) -> list[dict]:
    """Viral issues and category/kecamatan spikes in [start, end) against the windows before it;
    upserts them into `alerts` and returns every alert of this window (new and already known)."""
    start, end = _utc_naive(start), _utc_naive(end)
    width_s = (end - start).total_seconds()
    if width_s <= 0:
        raise ValueError(f"empty window {start} .. {end}")
    n_baseline = max(1, round(baseline_days * 86400 / width_s))
    base = start - timedelta(seconds=width_s * n_baseline)
    day = (end - timedelta(microseconds=1)).date()
    with connect(write=True, path=path) as con:
        rows = con.execute(_COUNTS_SQL, {"base": base, "end": end, "width": width_s}).fetchall()
        counts: dict[tuple[str, str], dict[int, tuple[int, float]]] = defaultdict(dict)
        for scope, key, bucket, posts, reach in rows:
            counts[(scope, key)][int(bucket)] = (int(posts), float(reach))
        has_history = any(bucket < n_baseline for by_bucket in counts.values() for bucket in by_bucket)
        # A warehouse with no posts before this window (a fresh installation) has no baseline:
        # everything would look like a spike, so nothing is judged until there is history.
        found = find_spikes(counts, n_baseline, k, min_count) if has_history else []
        labels = _issue_labels(con, [f["scope_key"] for f in found if f["scope"] == "issue"])
        alerts = []
        for f in found:
            label = labels.get(f["scope_key"], f["scope_key"]) if f["scope"] == "issue" else f["scope_key"]
            alerts.append(
                {
                    "alert_id": _alert_id(f["kind"], day, f["scope"], f["scope_key"]),
                    "kind": f["kind"],
                    "day": day,
                    "scope": f["scope"],
                    "scope_key": f["scope_key"],
                    "issue_id": f["scope_key"] if f["scope"] == "issue" else None,
                    "value": f["value"],
                    "baseline": f["baseline"],
                    "threshold": f["threshold"],
                    "message": _spike_message(
                        f["scope"], f["scope_key"], label, f["value"], f["baseline"], f["threshold"], n_baseline
                    ),
                    "detail": json.dumps(
                        {
                            "window_start": start.isoformat(),
                            "window_end": end.isoformat(),
                            "k": k,
                            "sigma": f["sigma"],
                            "baseline_values": f["history"],
                            "posts": f["posts"],
                        }
                    ),
                    "handoff_status": None,
                }
            )
        _upsert(con, alerts, keep_day=False)
        return _fetch(con, [a["alert_id"] for a in alerts])


def _issue_labels(con, issue_ids: list[str]) -> dict[str, str]:
    if not issue_ids:
        return {}
    rows = con.execute(
        """SELECT i.issue_id, i.category, i.kecamatan, d.judul
           FROM issues i LEFT JOIN drafts d USING (issue_id) WHERE i.issue_id IN (SELECT unnest($ids))""",
        {"ids": issue_ids},
    ).fetchall()
    labels = {}
    for issue_id, category, kecamatan, judul in rows:
        place = f" di Kecamatan {kecamatan}" if kecamatan else ""
        labels[issue_id] = f"“{judul}”" if judul else f"{_category_label(category)}{place}"
    return labels


# --- emergencies -------------------------------------------------------------------------------


def post_keys_in(paths: Iterable[str | Path]) -> list[str]:
    """'platform:platform_post_id' of every post in staged JSONL files (lines without them are
    the loader's to quarantine, so they are skipped here)."""
    keys: dict[str, None] = {}
    for path in paths:
        with Path(path).open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("platform") and record.get("platform_post_id"):
                    keys[f"{record['platform']}:{record['platform_post_id']}"] = None
    return list(keys)


_EMERGENCY_ISSUES_SQL = """
WITH run AS (SELECT unnest($keys) AS post_key),
flagged AS (
    SELECT post_key, arg_max_null(is_emergency, (analyzed_at, model_version)) AS is_emergency
    FROM post_analysis WHERE post_key IN (SELECT post_key FROM run) GROUP BY post_key
)
SELECT DISTINCT coalesce(i.merged_into, i.issue_id)
FROM run JOIN issue_posts ip USING (post_key) JOIN issues i USING (issue_id)
LEFT JOIN flagged f USING (post_key)
WHERE i.is_emergency OR coalesce(f.is_emergency, false)
"""


def record_emergencies(
    post_keys: Iterable[str], *, day: date | None = None, path: Path | str | None = None
) -> list[dict]:
    """Emergency issues that the given posts belong to, recorded as 'emergency' alerts (one per
    issue, hand-off 'pending') with what, where, when and evidence; returns those alerts.
    A later run with more posts about the same issue refreshes the evidence, never re-alerts."""
    keys = list(post_keys)
    if not keys:
        return []
    day = day or datetime.now(UTC).date()
    with connect(write=True, path=path) as con:
        issue_ids = [row[0] for row in con.execute(_EMERGENCY_ISSUES_SQL, {"keys": keys}).fetchall()]
        alerts = [_emergency_alert(con, issue_id, day) for issue_id in issue_ids]
        alerts = [a for a in alerts if a]
        _upsert(con, alerts, keep_day=True)
        return _fetch(con, [a["alert_id"] for a in alerts])


def _emergency_alert(con, issue_id: str, day: date) -> dict | None:
    row = con.execute(
        """SELECT i.category, i.kecamatan, i.desa, i.region_code, i.lat, i.lon, i.first_seen, i.last_seen,
                  i.post_count, i.reach, d.draft_id, d.judul, d.isi
           FROM issues i LEFT JOIN drafts d USING (issue_id) WHERE i.issue_id = $id""",
        {"id": issue_id},
    ).fetchall()
    if not row:
        return None
    (
        category,
        kecamatan,
        desa,
        region_code,
        lat,
        lon,
        first_seen,
        last_seen,
        post_count,
        reach,
        draft_id,
        judul,
        isi,
    ) = row[0]
    evidence = con.execute(
        """SELECT p.post_key, p.platform, p.url, p.created_at, p.lat, p.lon
           FROM issue_posts ip JOIN posts p USING (post_key)
           WHERE ip.issue_id = $id ORDER BY p.created_at NULLS LAST, p.post_key LIMIT $n""",
        {"id": issue_id, "n": MAX_EVIDENCE},
    ).fetchall()
    if lat is None:  # the issue has no place coordinates: use the first geotagged evidence post
        lat, lon = next(((e[4], e[5]) for e in evidence if e[4] is not None), (None, None))
    what = _category_label(category)
    where_parts = [f"Desa/Kel. {desa}" if desa else None, f"Kec. {kecamatan}" if kecamatan else None]
    where = ", ".join(p for p in where_parts if p) or "lokasi belum pasti"
    code = f"kode wilayah {region_code}" if region_code else "kode wilayah belum diketahui"
    coords = f"koordinat {lat:.5f}, {lon:.5f}" if lat is not None and lon is not None else "tanpa koordinat"
    links = [e[2] for e in evidence if e[2]]
    summary = (
        f"DARURAT {what.upper()} di {where}, Kutai Timur ({code}; {coords}). "
        f"Pertama dilaporkan {format_wita(first_seen)}, terakhir {format_wita(last_seen)}; "
        f"{post_count} unggahan warga."
        + (f" Ringkasan: {judul}." if judul else "")
        + (f" Bukti: {' '.join(links[:3])}." if links else "")
    )
    detail = {
        "what": {"category": category, "label": what, "judul": judul, "isi": isi, "draft_id": draft_id},
        "where": {"kecamatan": kecamatan, "desa": desa, "region_code": region_code, "lat": lat, "lon": lon},
        "when": {
            "first_seen": first_seen.isoformat() if first_seen else None,
            "last_seen": last_seen.isoformat() if last_seen else None,
        },
        "evidence": [
            {"post_key": e[0], "platform": e[1], "url": e[2], "created_at": e[3].isoformat() if e[3] else None}
            for e in evidence
        ],
        "reports": post_count,
        "reach": reach,
        "callback_summary": summary,
    }
    return {
        "alert_id": _alert_id("emergency", "issue", issue_id),  # one per issue, whatever the day
        "kind": "emergency",
        "day": day,
        "scope": "issue",
        "scope_key": issue_id,
        "issue_id": issue_id,
        "value": float(post_count or 0),
        "baseline": None,
        "threshold": None,
        "message": summary,
        "detail": json.dumps(detail, ensure_ascii=False, default=str),
        "handoff_status": "pending",
    }


# --- storage -----------------------------------------------------------------------------------


def _upsert(con, alerts: list[dict], *, keep_day: bool) -> None:
    """Insert or refresh alerts; never touches delivered_at, handoff_status or created_at, and an
    emergency keeps the day it was first found."""
    if not alerts:
        return
    import pyarrow as pa

    batch = pa.Table.from_pylist(alerts)
    con.register("incoming_alerts", batch)
    try:
        con.execute(
            f"""INSERT INTO alerts (alert_id, kind, day, scope, scope_key, issue_id, value, baseline,
                                   threshold, message, detail, handoff_status, created_at)
                SELECT alert_id, kind, day, scope, scope_key, issue_id, value, baseline, threshold,
                       message, CAST(detail AS JSON), handoff_status, now()::TIMESTAMP
                FROM incoming_alerts
                ON CONFLICT (alert_id) DO UPDATE SET
                    {"" if keep_day else "day = excluded.day,"}
                    value = excluded.value, baseline = excluded.baseline, threshold = excluded.threshold,
                    message = excluded.message, detail = excluded.detail"""
        )
    finally:
        con.unregister("incoming_alerts")


def _fetch(con, alert_ids: list[str]) -> list[dict]:
    if not alert_ids:
        return []
    rows = con.execute(
        f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts WHERE alert_id IN (SELECT unnest($ids)) "
        "ORDER BY kind, scope, value DESC",
        {"ids": alert_ids},
    ).fetchall()
    out = []
    for row in rows:
        alert = dict(zip(ALERT_COLUMNS, row, strict=True))
        alert["detail"] = json.loads(alert["detail"]) if alert["detail"] else {}
        out.append(alert)
    return out


def mark_delivered(alert_ids: list[str], *, path: Path | str | None = None) -> int:
    """Record that these alerts reached the channel (only the first delivery time is kept)."""
    if not alert_ids:
        return 0
    with connect(write=True, path=path) as con:
        rows = con.execute(
            "UPDATE alerts SET delivered_at = now()::TIMESTAMP "
            "WHERE alert_id IN (SELECT unnest($ids)) AND delivered_at IS NULL RETURNING alert_id",
            {"ids": alert_ids},
        ).fetchall()
    return len(rows)


def list_alerts(kind: str | None = None, *, path: Path | str | None = None) -> list[dict]:
    """Every alert (optionally of one kind), newest day first."""
    with connect(path=path) as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT alert_id FROM alerts WHERE $kind IS NULL OR kind = $kind", {"kind": kind}
            ).fetchall()
        ]
        alerts = _fetch(con, ids)
    return sorted(alerts, key=lambda a: (a["day"], a["created_at"]), reverse=True)


# --- delivery: each thing said once per channel, retried, digested ------------------------------

LOG_CHANNEL = "log"  # always a channel: with no Connection configured alerts still reach the task log
ALERT_KINDS = ("emergency", "spike", "viral", "report")  # report: the monthly monev report (no alert row)
ESCALATION = "escalation"  # channels key for escalations (defaults to the emergency channels)
DEFAULT_UI_BASE_URL = "http://127.0.0.1:8080/siaga"
DIGEST_LINES = 25  # events spelled out in a digest; the rest are counted
KIND_LABELS = {"emergency": "Darurat", "spike": "Lonjakan", "viral": "Isu viral", "report": "Laporan monev"}
_HANDLE = re.compile(r"(?<![\w@*.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class AlertMessage:
    """One message for one channel: one event, or a digest of several (`keys`: (alert_id, stage))."""

    channel: str
    title: str
    body: str
    keys: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...]

    @property
    def is_digest(self) -> bool:
        return len(self.keys) > 1


def mask_for_channel(text: str | None) -> str:
    """Text for people outside the UI: phone numbers, NIK and e-mail masked (nlp.pii), @handles cut to
    their first letter and links cut to their site, as humas reads them (plugins' fmt.mask_for_humas)."""
    from nlp.pii import mask_pii

    masked = _HANDLE.sub(lambda m: f"@{m.group(1)[0]}***", mask_pii(text or ""))
    return _URL.sub(lambda m: f"{urlparse(m.group(0)).hostname or 'tautan'}/...", masked)


def _where(detail: dict) -> str:
    where = detail.get("where") or {}
    parts = [
        f"Desa/Kel. {where['desa']}" if where.get("desa") else None,
        f"Kec. {where['kecamatan']}" if where.get("kecamatan") else None,
    ]
    place = ", ".join(p for p in parts if p) or "lokasi belum pasti"
    code = f"kode wilayah {where['region_code']}" if where.get("region_code") else "kode wilayah belum diketahui"
    return f"{place}, Kutai Timur ({code})"


def _issue_facts(con, issue_id: str | None) -> dict:
    if not issue_id:
        return {}
    row = con.execute(
        """SELECT i.category, i.kecamatan, i.desa, i.region_code, i.first_seen, i.post_count, d.draft_id, d.judul
           FROM issues i LEFT JOIN drafts d USING (issue_id) WHERE i.issue_id = $id""",
        {"id": issue_id},
    ).fetchone()
    keys = ("category", "kecamatan", "desa", "region_code", "first_seen", "post_count", "draft_id", "judul")
    return dict(zip(keys, row, strict=True)) if row else {}


def compose_event(
    con, alert: dict, stage: str, *, now: datetime, ui_base_url: str, waited_minutes: float | None = None
) -> tuple[str, str]:
    """(title, body) in Bahasa Indonesia: what, where (desa, kecamatan, code), since when, how many posts,
    the link to the page; personal data masked (`mask_for_channel`)."""
    detail = alert.get("detail") or {}
    if isinstance(detail, str):
        detail = json.loads(detail)
    ui = ui_base_url.rstrip("/")
    facts = _issue_facts(con, alert.get("issue_id"))
    if alert["kind"] == "emergency":
        what = _category_label((detail.get("what") or {}).get("category") or facts.get("category"))
        where = _where(detail)
        since = (detail.get("when") or {}).get("first_seen") or facts.get("first_seen")
        since = datetime.fromisoformat(since) if isinstance(since, str) else since
        posts = int(detail.get("reports") or facts.get("post_count") or alert.get("value") or 0)
        judul = mask_for_channel((detail.get("what") or {}).get("judul") or facts.get("judul"))
        judul = judul.removeprefix("[DARURAT] ")  # the title says it already
        draft_id = (detail.get("what") or {}).get("draft_id") or facts.get("draft_id")
        link = f"{ui}/darurat" + (f"\nDraf: {ui}/draf/{draft_id}" if draft_id else "")
        lines = [
            f"Apa: {what}" + (f" ({judul})" if judul else ""),
            f"Di mana: {where}",
            f"Sejak: {format_wita(since)}",
            f"Unggahan warga: {posts}",
        ]
        place = where.split(", Kutai Timur")[0]
        if stage == "escalated":
            title = f"ESKALASI DARURAT {what.upper()} di {place}: belum diteruskan ke 112"
            lines.insert(
                0,
                f"Sudah {waited_minutes:.0f} menit sejak peringatan pertama dan belum diteruskan ke "
                "112 atau ditandai bukan darurat. Mohon segera ditindaklanjuti.",
            )
        else:
            title = f"DARURAT {what.upper()} di {place}"
            lines.append("Status: belum diteruskan ke 112")
        lines.append(f"Buka: {link}")
        return title, "\n".join(lines)
    window = detail.get("window_start")
    since = datetime.fromisoformat(window) if window else None
    posts = int(detail.get("posts") or 0)
    if alert["kind"] == "viral":
        label = mask_for_channel(facts.get("judul")) or _category_label(facts.get("category"))
        where = _where({"where": facts})
        link = f"{ui}/draf/{facts['draft_id']}" if facts.get("draft_id") else f"{ui}/viral"
        title = f"Isu viral: {label}"
        what = f"Apa: {label}, jangkauan {alert['value']:.0f} (rata-rata {alert['baseline']:.1f} per hari)"
        posts_line = f"Unggahan dalam 24 jam: {posts}" + (
            f" (seluruhnya {facts['post_count']})" if facts.get("post_count") else ""
        )
    else:
        if alert["scope"] == "category":
            label, where = f"kategori {_category_label(alert['scope_key'])}", "seluruh Kutai Timur"
        else:
            label, where = f"Kecamatan {alert['scope_key']}", f"Kec. {alert['scope_key']}, Kutai Timur"
        link, title = f"{ui}/", f"Lonjakan keluhan {label}"
        what = f"Apa: lonjakan keluhan {label}, rata-rata {alert['baseline']:.1f} per hari sebelumnya"
        posts_line = f"Unggahan dalam 24 jam: {posts}"
    body = "\n".join([what, f"Di mana: {where}", f"Sejak: {format_wita(since)}", posts_line, f"Buka: {link}"])
    return title, body


def _alerts_by_id(con, alert_ids: list[str]) -> dict[str, dict]:
    return {alert["alert_id"]: alert for alert in _fetch(con, alert_ids)}


def _insert_event(
    con,
    alert: dict,
    stage: str,
    title: str,
    body: str,
    channels: Sequence[str],
    now: datetime,
    suppressed_by: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO alert_events VALUES ($id, $stage, $kind, $title, $body, $by, $now) ON CONFLICT DO NOTHING",
        {
            "id": alert["alert_id"],
            "stage": stage,
            "kind": alert["kind"],
            "title": title,
            "body": body,
            "by": suppressed_by,
            "now": now,
        },
    )
    if suppressed_by:
        return
    for channel in dict.fromkeys([LOG_CHANNEL, *channels]):
        con.execute(
            "INSERT INTO alert_deliveries (alert_id, stage, channel, status, attempts, created_at) "
            "VALUES ($id, $stage, $channel, 'pending', 0, $now) ON CONFLICT DO NOTHING",
            {"id": alert["alert_id"], "stage": stage, "channel": channel, "now": now},
        )


def queue_report(
    month: str,
    title: str,
    body: str,
    channels: Sequence[str],
    *,
    now: datetime | None = None,
    path: Path | str | None = None,
) -> str:
    """The month's monev report as one event (kind 'report', id monev-YYYY-MM) owed once to `channels` and
    the log: a re-run of the month adds nothing, and a channel that failed is tried again by later runs
    (`prepare_deliveries`) like any alert. Returns the event's id."""
    event = {"alert_id": f"monev-{month}", "kind": "report"}
    with connect(write=True, path=path) as con:
        _insert_event(con, event, "opened", title, body, channels, _utc_naive(now or datetime.now(UTC)))
    return event["alert_id"]


def _open_events(
    con,
    kinds: Sequence[str],
    channels: Mapping[str, Sequence[str]],
    now: datetime,
    repeat_after_hours: float,
    retry_for_hours: float,
    ui_base_url: str,
) -> int:
    """'opened' events for alerts not yet announced (found within retry_for_hours)."""
    ids = [
        row[0]
        for row in con.execute(
            """SELECT a.alert_id FROM alerts a
           WHERE a.kind IN (SELECT unnest($kinds)) AND a.created_at >= $oldest
             AND NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.alert_id AND e.stage = 'opened')
           ORDER BY a.created_at, a.alert_id""",
            {"kinds": list(kinds), "oldest": now - timedelta(hours=retry_for_hours)},
        ).fetchall()
    ]
    alerts = _alerts_by_id(con, ids)
    for alert_id in ids:
        alert = alerts[alert_id]
        earlier = None
        if alert["kind"] in ("spike", "viral"):  # the same scope still spiking says nothing new
            earlier = con.execute(
                """SELECT e.alert_id FROM alert_events e JOIN alerts a USING (alert_id)
                   WHERE e.stage = 'opened' AND e.suppressed_by IS NULL AND a.kind = $kind
                     AND a.scope = $scope AND a.scope_key = $key AND a.alert_id <> $id AND e.created_at >= $since
                   LIMIT 1""",
                {
                    "kind": alert["kind"],
                    "scope": alert["scope"],
                    "key": alert["scope_key"],
                    "id": alert_id,
                    "since": now - timedelta(hours=repeat_after_hours),
                },
            ).fetchone()
        title, body = compose_event(con, alert, "opened", now=now, ui_base_url=ui_base_url)
        _insert_event(
            con,
            alert,
            "opened",
            title,
            body,
            channels.get(alert["kind"], ()),
            now,
            suppressed_by=earlier[0] if earlier else None,
        )
    return len(ids)


def _escalate(
    con, channels: Mapping[str, Sequence[str]], now: datetime, escalate_after_minutes: float, ui_base_url: str
) -> int:
    """'escalated' events, once, for emergencies still waiting for their hand-off since they were opened
    (no decision in `emergency_handoffs`, `alerts.handoff_status` pending) longer than
    escalate_after_minutes."""
    rows = con.execute(
        """SELECT a.alert_id, e.created_at FROM alerts a
           JOIN alert_events e ON e.alert_id = a.alert_id AND e.stage = 'opened' AND e.suppressed_by IS NULL
           WHERE a.kind = 'emergency' AND coalesce(a.handoff_status, 'pending') = 'pending'
             -- a decision on the Darurat page (warehouse/emergencies.py) counts even for a newer alert row
             AND NOT EXISTS (SELECT 1 FROM emergency_handoffs h WHERE h.issue_id = a.issue_id)
             AND e.created_at <= $due
             AND NOT EXISTS (SELECT 1 FROM alert_events x WHERE x.alert_id = a.alert_id AND x.stage = 'escalated')
           ORDER BY e.created_at, a.alert_id""",
        {"due": now - timedelta(minutes=escalate_after_minutes)},
    ).fetchall()
    alerts = _alerts_by_id(con, [row[0] for row in rows])
    targets = channels.get(ESCALATION) or channels.get("emergency", ())
    for alert_id, opened_at in rows:
        waited = (now - opened_at).total_seconds() / 60
        title, body = compose_event(
            con, alerts[alert_id], "escalated", now=now, ui_base_url=ui_base_url, waited_minutes=waited
        )
        _insert_event(con, alerts[alert_id], "escalated", title, body, targets, now)
    return len(rows)


def plan_messages(due: Sequence[dict], *, digest_threshold: int, ui_base_url: str) -> list[AlertMessage]:
    """Messages per channel: one per event, or, above digest_threshold events for one channel in this
    run, one digest for that channel (no alert storm). The log always gets one line per event."""
    by_channel: dict[str, list[dict]] = defaultdict(list)
    for row in due:
        by_channel[row["channel"]].append(row)
    messages = []
    for channel, rows in by_channel.items():
        if channel == LOG_CHANNEL or len(rows) <= digest_threshold:
            messages.extend(
                AlertMessage(channel, row["title"], row["body"], ((row["alert_id"], row["stage"]),), (row["kind"],))
                for row in rows
            )
            continue
        counts: dict[str, int] = defaultdict(int)
        for row in rows:
            counts["Eskalasi" if row["stage"] == "escalated" else KIND_LABELS.get(row["kind"], row["kind"])] += 1
        summary = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
        lines = [f"{i}. {row['title']}" for i, row in enumerate(rows[:DIGEST_LINES], start=1)]
        if len(rows) > DIGEST_LINES:
            lines.append(f"... dan {len(rows) - DIGEST_LINES} lainnya")
        ui = ui_base_url.rstrip("/")
        page = f"{ui}/darurat" if any(row["kind"] == "emergency" for row in rows) else f"{ui}/"
        body = "\n".join(
            [
                f"{len(rows)} peringatan dalam satu putaran ({summary}); dirangkum menjadi satu pesan.",
                *lines,
                f"Buka: {page}",
            ]
        )
        messages.append(
            AlertMessage(
                channel,
                f"Kutim Siaga: ringkasan {len(rows)} peringatan ({summary})",
                body,
                tuple((row["alert_id"], row["stage"]) for row in rows),
                tuple(sorted({row["kind"] for row in rows})),
            )
        )
    return messages


def prepare_deliveries(
    kinds: Sequence[str] = ALERT_KINDS,
    *,
    channels: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
    escalate_after_minutes: float = 30.0,
    repeat_after_hours: float = 24.0,
    retry_for_hours: float = 24.0,
    digest_threshold: int = 10,
    ui_base_url: str = DEFAULT_UI_BASE_URL,
    path: Path | str | None = None,
) -> list[AlertMessage]:
    """Open the events due (new alerts, escalations), expire deliveries older than retry_for_hours, and
    return the messages still owed, per channel (`channels`: kind -> Connection ids; 'escalation'
    optional). One short write; nothing is sent here."""
    channels = channels or {}
    now = _utc_naive(now or datetime.now(UTC))
    with connect(write=True, path=path) as con:
        _open_events(con, kinds, channels, now, repeat_after_hours, retry_for_hours, ui_base_url)
        if "emergency" in kinds:
            _escalate(con, channels, now, escalate_after_minutes, ui_base_url)
        con.execute(
            """UPDATE alert_deliveries d SET status = 'expired' FROM alert_events e
               WHERE e.alert_id = d.alert_id AND e.stage = d.stage AND d.status IN ('pending', 'failed')
                 AND e.created_at < $oldest""",
            {"oldest": now - timedelta(hours=retry_for_hours)},
        )
        due = con.execute(
            """SELECT d.alert_id, d.stage, d.channel, d.attempts, e.kind, e.title, e.body
               FROM alert_deliveries d JOIN alert_events e USING (alert_id, stage)
               WHERE d.status IN ('pending', 'failed') AND e.kind IN (SELECT unnest($kinds))
               ORDER BY e.created_at, e.kind, d.alert_id, d.stage, d.channel""",
            {"kinds": list(kinds)},
        ).fetchall()
    columns = ("alert_id", "stage", "channel", "attempts", "kind", "title", "body")
    rows = [dict(zip(columns, row, strict=True)) for row in due]
    return plan_messages(rows, digest_threshold=digest_threshold, ui_base_url=ui_base_url)


def record_deliveries(
    results: Iterable[tuple[AlertMessage, str | None]], *, now: datetime | None = None, path: Path | str | None = None
) -> dict[str, int]:
    """Store what each channel did with each message (error None: sent; else failed, tried again by the
    next run), as `extractors.notify.deliver` returns them. An alert whose
    'opened' event reached every channel gets its `delivered_at`. Returns counts of sent and failed."""
    now = _utc_naive(now or datetime.now(UTC))
    rows = [
        (
            alert_id,
            stage,
            message.channel,
            "failed" if error else "sent",
            error,
            len(message.keys) if len(message.keys) > 1 else None,
        )
        for message, error in results
        for alert_id, stage in message.keys
    ]
    if not rows:
        return {"sent": 0, "failed": 0}
    import pyarrow as pa

    batch = pa.table(list(zip(*rows, strict=True)), names=["alert_id", "stage", "channel", "status", "error", "digest"])
    with connect(write=True, path=path) as con:
        con.register("outcomes", batch)
        try:
            con.execute(
                """UPDATE alert_deliveries d SET status = o.status, attempts = d.attempts + 1,
                       last_error = o.error, last_attempt_at = $now, digest_size = o.digest,
                       sent_at = CASE WHEN o.status = 'sent' THEN $now ELSE d.sent_at END
                   FROM outcomes o
                   WHERE d.alert_id = o.alert_id AND d.stage = o.stage AND d.channel = o.channel
                     AND d.status <> 'sent'""",
                {"now": now},
            )
            con.execute(
                """UPDATE alerts a SET delivered_at = $now
                   WHERE a.delivered_at IS NULL
                     AND a.alert_id IN (SELECT alert_id FROM outcomes WHERE stage = 'opened')
                     AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.alert_id
                                     AND d.stage = 'opened' AND d.status <> 'sent')""",
                {"now": now},
            )
        finally:
            con.unregister("outcomes")
    failed = sum(1 for row in rows if row[3] == "failed")
    return {"sent": len(rows) - failed, "failed": failed}


def list_deliveries(*, path: Path | str | None = None) -> list[dict]:
    """Every delivery row with its event, oldest first (for tests, audits and `siaga stats`)."""
    with connect(path=path) as con:
        cursor = con.execute(
            """SELECT d.alert_id, d.stage, d.channel, d.status, d.attempts, d.digest_size, d.last_error,
                      e.kind, e.title, e.suppressed_by
               FROM alert_deliveries d JOIN alert_events e USING (alert_id, stage)
               ORDER BY e.created_at, d.alert_id, d.stage, d.channel"""
        )
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# --- the run summary `make run` prints ---------------------------------------------------------


def _breakdown(counts: dict) -> str:
    return " (" + ", ".join(f"{key}: {n}" for key, n in sorted(counts.items())) + ")" if counts else ""


def summary_lines(stats: dict, alerts: list[dict]) -> list[str]:
    """Human summary (Bahasa Indonesia) of `siaga stats` plus the alerts."""
    drafts = stats.get("drafts") or {}
    by_kind: dict[str, int] = defaultdict(int)
    for alert in alerts:
        by_kind[alert["kind"]] += 1
    lines = ["== Ringkasan Kutim Siaga =="]
    sources = stats.get("sources") or {}
    lines.append(f"Unggahan: {stats.get('posts', 0)}{_breakdown(sources)}")
    lines.append(f"Isu: {stats.get('issues', 0)}")
    lines.append(f"Draf LAPOR!: {sum(drafts.values())}{_breakdown(drafts)}")
    lines.append(f"Karantina: {stats.get('quarantine', 0)}")
    lines.append(f"Darurat: {by_kind['emergency']}; isu viral: {by_kind['viral']}; lonjakan: {by_kind['spike']}")
    lines.extend(emergency_lines(alerts))
    return lines


def emergency_lines(alerts: list[dict]) -> list[str]:
    """The first emergencies spelled out (for `siaga summary`), then how many more the UI lists."""
    emergencies = [alert for alert in alerts if alert["kind"] == "emergency"]
    lines = [f"  - {alert['message']}" for alert in emergencies[:SUMMARY_EMERGENCIES]]
    if len(emergencies) > SUMMARY_EMERGENCIES:
        lines.append(f"  ... dan {len(emergencies) - SUMMARY_EMERGENCIES} lainnya (halaman Darurat di UI)")
    return lines

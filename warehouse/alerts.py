"""Alerts: viral issues, spikes per category and kecamatan, and emergencies for the 112 operator.

Spikes compare a window (the daily run's 24 hours) with the `baseline_days` windows before it:
a count is a spike when it exceeds mean + k·σ of those windows and is at least `min_count`.
Emergencies are the emergency issues among the posts a run staged, with what, where, when and
the evidence, and a summary an operator can read out when calling back.

Every write is an upsert on a key derived from what the alert is about, so re-running a day
changes nothing and a delivered alert is never sent again (`delivered_at` is kept).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from warehouse.db import connect

WITA = timedelta(hours=8)  # Kutim's local time (UTC+8), for what people read
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
CATEGORY_LABELS = {
    "jalan_jembatan": "jalan dan jembatan",
    "banjir": "banjir",
    "air_bersih": "air bersih",
    "listrik": "listrik",
    "lingkungan_sampah": "lingkungan dan sampah",
    "kesehatan": "kesehatan",
    "pendidikan": "pendidikan",
    "adminduk": "administrasi kependudukan",
    "sosial": "sosial",
    "kebakaran": "kebakaran",
    "bencana_alam": "bencana alam",
    "ketertiban_keamanan": "ketertiban dan keamanan",
    "transportasi": "transportasi",
    "lainnya": "lainnya",
}
MAX_EVIDENCE = 10
SUMMARY_EMERGENCIES = 5  # emergencies spelled out in the `make run` summary; the UI lists them all
ALERT_COLUMNS = (
    "alert_id", "kind", "day", "scope", "scope_key", "issue_id", "value", "baseline", "threshold",
    "message", "detail", "handoff_status", "delivered_at", "created_at",
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


def _spike_message(
    scope: str, key: str, label: str, value: float, mean: float, threshold: float, n: int
) -> str:
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
            found.append({
                "kind": "viral" if scope == "issue" else "spike",
                "scope": scope,
                "scope_key": key,
                "value": value,
                "baseline": mean,
                "threshold": threshold,
                "sigma": sigma,
                "history": history,
                "posts": posts_now,
            })
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
            alerts.append({
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
                "detail": json.dumps({
                    "window_start": start.isoformat(), "window_end": end.isoformat(), "k": k,
                    "sigma": f["sigma"], "baseline_values": f["history"], "posts": f["posts"],
                }),
                "handoff_status": None,
            })
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


def record_emergencies(post_keys: Iterable[str], *, day: date | None = None,
                       path: Path | str | None = None) -> list[dict]:
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
    (category, kecamatan, desa, region_code, lat, lon, first_seen, last_seen,
     post_count, reach, draft_id, judul, isi) = row[0]
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
            {"post_key": e[0], "platform": e[1], "url": e[2],
             "created_at": e[3].isoformat() if e[3] else None}
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
        ids = [r[0] for r in con.execute(
            "SELECT alert_id FROM alerts WHERE $kind IS NULL OR kind = $kind", {"kind": kind}
        ).fetchall()]
        alerts = _fetch(con, ids)
    return sorted(alerts, key=lambda a: (a["day"], a["created_at"]), reverse=True)


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
    lines.append(
        f"Darurat: {by_kind['emergency']}; isu viral: {by_kind['viral']}; lonjakan: {by_kind['spike']}"
    )
    emergencies = [alert for alert in alerts if alert["kind"] == "emergency"]
    lines.extend(f"  - {alert['message']}" for alert in emergencies[:SUMMARY_EMERGENCIES])
    if len(emergencies) > SUMMARY_EMERGENCIES:
        lines.append(f"  ... dan {len(emergencies) - SUMMARY_EMERGENCIES} lainnya (halaman Darurat di UI)")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["summary"]:
        print("usage: python -m warehouse.alerts summary < stats.json", file=sys.stderr)
        return 2
    stats = json.loads(sys.stdin.read() or "{}")
    print("\n".join(summary_lines(stats, list_alerts())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

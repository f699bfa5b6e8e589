"""TEMP shim (replaced at merge): the warehouse branch provides the real load_staged."""
# ruff: noqa: E501

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow as pa

from warehouse.db import connect

_CATEGORIES = {"kebakaran": ("kebakaran", True), "banjir": ("banjir", True), "jalan": ("jalan_jembatan", False),
               "pdam": ("air_bersih", False)}
_KECAMATAN = ["Sangatta Utara", "Sangatta Selatan", "Bengalon", "Muara Wahau"]


def _h(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def load_staged(paths: list[str], day: date) -> dict:
    posts, bad = [], []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            (posts if rec.get("text") else bad).append(rec)
    n_issues_before = 0
    with connect(write=True) as con:
        n_issues_before = con.execute("SELECT count(*) FROM issues").fetchall()[0][0]
        rows = []
        for p in posts:
            low = p["text"].lower()
            cat, emerg = next((v for k, v in _CATEGORIES.items() if k in low), ("lainnya", False))
            kec = next((k for k in _KECAMATAN if k.lower() in low), None)
            key = f"{p['platform']}:{p['platform_post_id']}"
            rows.append(dict(platform=p["platform"], platform_post_id=p["platform_post_id"], post_key=key,
                             url=p.get("url"), text=p["text"], created_at=p.get("created_at"),
                             likes=(p.get("metrics") or {}).get("likes"), cat=cat, emerg=emerg, kec=kec,
                             issue_id=_h(cat, kec)))
        if rows:
            con.register("b", pa.Table.from_pylist(rows))
            con.execute("""INSERT INTO posts (platform, platform_post_id, post_key, url, text, created_at, likes,
                loaded_at, updated_at) SELECT platform, platform_post_id, post_key, url, text,
                created_at::TIMESTAMPTZ AT TIME ZONE 'UTC', likes, now()::TIMESTAMP, now()::TIMESTAMP FROM b
                ON CONFLICT DO UPDATE SET likes = excluded.likes""")
            con.execute("""INSERT OR REPLACE INTO post_analysis SELECT post_key, 'shim', true, 0.9, cat, emerg, true,
                kec, NULL, NULL, NULL, 'pengaduan', '[]', now()::TIMESTAMP FROM b""")
            con.execute("""INSERT OR REPLACE INTO issue_posts SELECT post_key, issue_id, 'report', 1.0,
                now()::TIMESTAMP FROM b""")
            con.execute("""INSERT OR REPLACE INTO issues (issue_id, category, kecamatan, is_emergency, first_seen,
                last_seen, post_count, report_count, reach, created_at, updated_at)
                SELECT ip.issue_id, any_value(a.category), any_value(a.kecamatan), bool_or(a.is_emergency),
                min(p.created_at), max(p.created_at), count(*), count(*), sum(coalesce(p.likes, 0)),
                now()::TIMESTAMP, now()::TIMESTAMP FROM issue_posts ip JOIN posts p USING (post_key)
                JOIN post_analysis a USING (post_key) GROUP BY ip.issue_id""")
            con.execute("""INSERT INTO drafts (draft_id, issue_id, judul, isi, is_emergency, created_at, updated_at)
                SELECT 'd-' || issue_id, issue_id, category, category, is_emergency, now()::TIMESTAMP,
                now()::TIMESTAMP FROM issues ON CONFLICT DO NOTHING""")
        for rec in bad:
            raw = json.dumps(rec, sort_keys=True)
            con.execute("INSERT OR IGNORE INTO quarantine VALUES (?, 'shim', 'no text', ?, now()::TIMESTAMP)",
                        [_h(raw), raw])
        n_issues = con.execute("SELECT count(*) FROM issues").fetchall()[0][0]
    return {"posts": len(posts), "quarantined": len(bad), "issues_new": n_issues - n_issues_before,
            "issues_updated": 0, "drafts": n_issues, "day": str(day)}

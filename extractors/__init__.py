"""TEMP shim (replaced at merge): the extractors branch provides the real run_source."""
# ruff: noqa: E501

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

SOURCES = ("x", "facebook", "instagram", "whatsapp", "replay")
_SAMPLE = [
    ("Jalan poros Sangatta Utara rusak parah, berlubang dan becek", 12),
    ("Jalan di Sangatta Utara makin rusak, mohon PUPR perbaiki", 4),
    ("Kebakaran rumah warga di Bengalon, api besar, tolong damkar segera!", 40),
    ("Banjir merendam rumah di Muara Wahau sejak pagi", 9),
    ("Air PDAM mati tiga hari di Sangatta Selatan", 3),
]


@dataclass
class ExtractResult:
    source: str
    staging_path: str
    posts: int = 0
    quarantined: int = 0
    api_calls: int = 0
    cursors: dict = field(default_factory=dict)


def run_source(source: str, start: datetime, end: datetime, out_path: Path, cursors: dict | None = None):
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    if source == "replay":
        step = (end - start) / (len(_SAMPLE) + 1)
        for i, (text, likes) in enumerate(_SAMPLE):
            rows.append({"platform": "replay", "platform_post_id": f"{start:%Y%m%d%H%M}-{i}", "text": text,
                         "url": f"https://example.org/replay/{i}",
                         "created_at": (start + step * (i + 1)).isoformat(), "metrics": {"likes": likes}})
    if source == "replay" and os.environ.get("SIAGA_SAMPLE_DIR"):  # recorded X pages only
        pages = Path(os.environ["SIAGA_SAMPLE_DIR"], "x", "search_recent.jsonl").read_text().splitlines()
        lo, hi = start.isoformat()[:19], end.isoformat()[:19]
        rows = [{"platform": "x", "platform_post_id": t["id"], "text": t["text"], "created_at": t["created_at"],
                 "url": f"https://x.com/i/status/{t['id']}",
                 "metrics": {"likes": t["public_metrics"]["like_count"]}}
                for page in pages for t in json.loads(page)["response"]["data"] if lo <= t["created_at"][:19] < hi]
    with out_path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    return ExtractResult(source, str(out_path), posts=len(rows))




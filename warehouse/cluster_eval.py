"""Pairwise precision and recall of issue clustering against a labelled set.

A labelled line is a normalized post plus `group` (the real-world problem) and `gold`
(its analysis). Pairs are counted over distinct posts whose gold says complaint: a pair is
true when both posts share a group, predicted when both landed in one issue.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(gold: dict[str, str], predicted: dict[str, str | None]) -> dict:
    """`gold`: post -> group; `predicted`: post -> issue (None: in no issue, a cluster of its own)."""
    cells: Counter = Counter()
    issues: Counter = Counter()
    groups: Counter = Counter(gold.values())
    for post, group in gold.items():
        issue = predicted.get(post) or f"__alone__{post}"
        cells[(group, issue)] += 1
        issues[issue] += 1
    true_positive = sum(_pairs(n) for n in cells.values())
    predicted_pairs = sum(_pairs(n) for n in issues.values())
    true_pairs = sum(_pairs(n) for n in groups.values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    return {
        "posts": len(gold),
        "groups": len(groups),
        "issues": len({i for i in predicted.values() if i}),
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


class GoldAnalyzer:
    """Analysis read from each post's `gold` labels (keyed by post_key), so clustering is tested alone."""

    def __init__(self, posts: Iterable[dict]):
        self.by_key = {}
        for p in posts:
            if isinstance(p, dict) and "gold" in p:
                self.by_key[f"{p['platform']}:{p['platform_post_id']}"] = p["gold"]
        self.calls = 0

    def __call__(self, records: list[dict]) -> list[dict]:
        self.calls += len(records)
        out = []
        for r in records:
            gold = self.by_key.get(r["id"], {})
            out.append(
                {
                    "id": r["id"],
                    "is_complaint": gold.get("is_complaint", bool(gold.get("category"))),
                    "complaint_score": 1.0 if gold.get("category") else 0.0,
                    "category": gold.get("category"),
                    "is_emergency": gold.get("is_emergency", False),
                    "in_kutim": gold.get("in_kutim", True),
                    "lat": gold.get("lat"),
                    "lon": gold.get("lon"),
                    "kecamatan": gold.get("kecamatan"),
                    "desa": gold.get("desa"),
                    "region_code": gold.get("region_code"),
                    "opd": gold.get("opd"),
                    "lapor_classification": "pengaduan" if gold.get("category") else None,
                    "entities": [],
                    "model_version": "gold",
                }
            )
        return out


def evaluate_clustering(path: Path, analysis: str = "gold") -> dict:
    """Load the labelled set into a fresh warehouse and score the issues it forms.

    `analysis="gold"` analyses each post from its labels (the clustering alone);
    `analysis="nlp"` runs the project's NLP pipeline (the whole chain, as in production).
    """
    from warehouse.ingest import ingest_lines

    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    gold = {
        f"{r['platform']}:{r['platform_post_id']}": r["group"]
        for r in records
        if r.get("gold", {}).get("is_complaint", True)
    }
    analyzer = GoldAnalyzer(records) if analysis == "gold" else None
    previous = os.environ.get("SIAGA_WAREHOUSE")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SIAGA_WAREHOUSE"] = str(Path(tmp) / "eval.duckdb")
        try:
            ingest_lines(lines, analyze=analyzer)
            from warehouse.db import connect

            with connect() as con:
                predicted = dict(con.execute("SELECT post_key, issue_id FROM issue_posts").fetchall())
        finally:
            if previous is None:
                os.environ.pop("SIAGA_WAREHOUSE", None)
            else:
                os.environ["SIAGA_WAREHOUSE"] = previous
    scores = pairwise_scores(gold, predicted)
    scores["analysis"] = analysis
    return scores

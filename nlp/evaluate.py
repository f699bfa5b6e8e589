"""`siaga evaluate PATH`: precision, recall and F1 per field on a labelled JSONL file.

Each line: `id`, `text` and any of the expected fields `is_complaint`, `category`, `is_emergency`,
`in_kutim`, `kecamatan`, `desa`, `lapor_classification` (a missing field is not scored for that line).
- booleans (is_complaint, is_emergency, in_kutim): precision/recall/F1 of the value true;
- values (category, kecamatan, desa, lapor_classification): micro precision/recall/F1 over non-null values
  (a prediction counts as right only when equal to the gold value) and exact-match accuracy, null included.
  Category is scored on the lines whose gold is a complaint; kecamatan and desa on the lines whose gold
  place is in Kutim.
- `outside_marked_kutim`: the share of complaints from other regencies marked as in Kutim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BOOL_FIELDS = ("is_complaint", "is_emergency", "in_kutim")
VALUE_FIELDS = ("category", "kecamatan", "desa", "lapor_classification")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _applies(field: str, gold: dict) -> bool:
    if field not in gold:
        return False
    if field == "category":
        return gold.get("is_complaint") is True
    if field in ("kecamatan", "desa"):
        return gold.get("in_kutim") is True
    return True


def score(golds: list[dict], preds: list[dict]) -> dict[str, Any]:
    """The figures per field for predictions `preds` against `golds` (same order)."""
    report: dict[str, Any] = {"n": len(golds), "errors": sum("error" in p for p in preds)}
    for field in BOOL_FIELDS:
        tp = fp = fn = n = 0
        for gold, pred in zip(golds, preds, strict=True):
            if field not in gold or "error" in pred:
                continue
            n += 1
            g, p = bool(gold[field]), bool(pred.get(field))
            tp += g and p
            fp += p and not g
            fn += g and not p
        report[field] = {"n": n, **_prf(tp, fp, fn)}
    for field in VALUE_FIELDS:
        tp = fp = fn = n = correct = 0
        for gold, pred in zip(golds, preds, strict=True):
            if not _applies(field, gold) or "error" in pred:
                continue
            n += 1
            g, p = gold[field], pred.get(field)
            correct += g == p
            if p is not None and p == g:
                tp += 1
            else:
                fp += p is not None
                fn += g is not None
        report[field] = {"n": n, "accuracy": round(correct / n, 4) if n else 0.0, **_prf(tp, fp, fn)}
    outside = [
        (gold, pred)
        for gold, pred in zip(golds, preds, strict=True)
        if gold.get("in_kutim") is False and gold.get("is_complaint") is True and "error" not in pred
    ]
    marked = sum(bool(pred.get("in_kutim")) for _, pred in outside)
    report["outside_marked_kutim"] = {
        "n": len(outside),
        "rate": round(marked / len(outside), 4) if outside else 0.0,
    }
    return report


def read_labelled(path: str | Path) -> list[dict]:
    """The labelled records of a JSONL file; raises ValueError naming the first bad line."""
    records = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {number} is not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or "text" not in record:
                raise ValueError(f"{path}: line {number} needs a JSON object with 'text'")
            if isinstance(record.get("gold"), dict):
                record = _from_posts_with_gold(record)
                if record["id"] in seen:  # the same post fetched twice is scored once
                    continue
                seen.add(record["id"])
            records.append(record)
    return records


GOLD_FIELDS = ("is_complaint", "category", "is_emergency", "kecamatan", "desa")


def _from_posts_with_gold(record: dict) -> dict:
    """A normalized post with `gold` labels (the clustering set's format) as an evaluation record.

    That set labels every post with its group's place, all in Kutim (its out-of-Kutim cases are
    other groups' look-alikes, still labelled with their Kutim place); category only on complaints.
    """
    gold = record["gold"]
    flat = {"id": f"{record.get('platform')}:{record.get('platform_post_id')}", "text": record["text"]}
    flat.update({field: gold[field] for field in GOLD_FIELDS if field in gold})
    flat["in_kutim"] = True
    if not gold.get("is_complaint"):
        flat["category"] = None
    return flat


def evaluate_file(path: str | Path, nlp: Any = None) -> dict[str, Any]:
    """Analyses every labelled line of `path` and scores the result."""
    from nlp.analyze import analyze_records

    golds = read_labelled(path)
    preds = analyze_records(golds, nlp=nlp) if nlp is not None else analyze_records(golds)
    report = score(golds, preds)
    report["path"] = str(path)
    return report


def format_report(report: dict[str, Any]) -> str:
    """The figures as a table for the terminal."""
    lines = [f"{report.get('path', '')}: {report['n']} records, {report['errors']} errors", ""]
    lines.append(f"{'field':<22}{'n':>6}{'acc':>8}{'P':>8}{'R':>8}{'F1':>8}")
    for field in (*BOOL_FIELDS, *VALUE_FIELDS):
        figures = report[field]
        acc = f"{figures['accuracy']:.3f}" if "accuracy" in figures else "-"
        lines.append(
            f"{field:<22}{figures['n']:>6}{acc:>8}{figures['precision']:>8.3f}"
            f"{figures['recall']:>8.3f}{figures['f1']:>8.3f}"
        )
    outside = report["outside_marked_kutim"]
    lines.append("")
    lines.append(f"complaints outside Kutim marked in Kutim: {outside['rate']:.3%} of {outside['n']}")
    return "\n".join(lines)

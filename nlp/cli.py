"""The `siaga` subcommands of the NLP folder: `analyze`, `train`, `evaluate`.

Imports stay light here; spaCy is loaded inside the command functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

BATCH_LINES = 512


def register(subparsers: Any) -> None:
    analyze = subparsers.add_parser(
        "analyze", help="JSONL {id, text} on stdin -> one analysis object per line on stdout"
    )
    analyze.set_defaults(func=cmd_analyze)

    train = subparsers.add_parser("train", help="retrain the NLP model from the shipped data (deterministic)")
    train.add_argument("--out", default=None, help="model folder (default nlp/model)")
    train.add_argument("--epochs", type=int, default=None, help="training epochs (default from nlp.train)")
    train.set_defaults(func=cmd_train)

    evaluate = subparsers.add_parser(
        "evaluate", help="precision/recall/F1 per field on a labelled JSONL file"
    )
    evaluate.add_argument("path", help="labelled JSONL (id, text and the expected fields)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(func=cmd_evaluate)


def _parse_line(line: str, number: int) -> tuple[Any, dict | None, str | None]:
    """(id, record, error) for one input line; the id is null when the line has none to read."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"line {number}: not valid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(record, dict):
        return None, None, f"line {number}: not a JSON object"
    return record.get("id"), record, None


def analyze_stream(lines: TextIO, out: TextIO) -> int:
    """Reads JSONL posts, writes one JSON object per input line, same order; returns the number of errors."""
    from nlp.analyze import analyze_records

    errors = 0
    pending: list[tuple[Any, dict | None, str | None]] = []

    def flush() -> None:
        nonlocal errors
        good = [record for _, record, error in pending if error is None]
        analysed = iter(analyze_records(good)) if good else iter(())
        for record_id, _, error in pending:
            result = {"id": record_id, "error": error} if error else next(analysed)
            errors += "error" in result
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            # one output object per input line, so a blank line gets its error too
            pending.append((None, None, f"line {number}: empty line, expected a JSON object"))
        else:
            pending.append(_parse_line(line, number))
        if len(pending) >= BATCH_LINES:
            flush()
    flush()
    return errors


def cmd_analyze(args: argparse.Namespace) -> int:
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    errors = analyze_stream(stdin, sys.stdout)
    if errors:
        print(f"siaga analyze: {errors} baris tidak dapat dianalisis (lihat field 'error')", file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from nlp.train import train

    kwargs = {}
    if args.epochs:
        kwargs["epochs"] = args.epochs
    train(out_dir=args.out, **kwargs)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from nlp.evaluate import evaluate_file, format_report

    report = evaluate_file(args.path)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0

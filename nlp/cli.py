"""The `siaga` subcommands of the NLP folder: `analyze`, `train`, `evaluate`.

Imports stay light here; spaCy is loaded inside the command functions.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from typing import Any, BinaryIO, TextIO

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

    evaluate = subparsers.add_parser("evaluate", help="precision/recall/F1 per field on a labelled JSONL file")
    evaluate.add_argument("path", help="labelled JSONL (id, text and the expected fields)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(func=cmd_evaluate)


# Deeper JSON is refused before parsing: Python's parser would fail at a depth that depends on the stack
# it is called from, and one answer per line must not depend on that.
MAX_DEPTH = 500
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _too_deep(line: str) -> bool:
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for char in _STRING.sub('""', line):  # brackets inside strings do not nest
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def _parse_line(line: str, number: int) -> tuple[Any, dict | None, str | None]:
    """(id, record, error) for one input line; the id is null when the line has none to read."""
    if _too_deep(line):
        return None, None, f"line {number}: JSON nested more than {MAX_DEPTH} deep"
    try:
        record = json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return None, None, f"line {number}: not valid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return None, None, f"line {number}: JSON nested too deeply to read"
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        return None, None, f"line {number}: not valid JSON: {str(exc).split(':')[0]}"
    if not isinstance(record, dict):
        return None, None, f"line {number}: not a JSON object"
    return record.get("id"), record, None


def _dump(result: dict, number: int) -> str:
    """One output line that is always valid JSON and always writable as UTF-8."""
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        # a lone surrogate ("\ud800" in the input's id or text) has no UTF-8 form: keep it as an escape,
        # so the id reads back exactly as it came in
        return json.dumps(result, allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        return json.dumps({"id": None, "error": f"line {number}: its id cannot be written back as JSON"})


def _analyze_alone(analyze_records, record: dict) -> dict:
    try:
        return analyze_records([record])[0]
    except Exception as exc:
        return {"id": record.get("id"), "error": f"could not be analysed ({type(exc).__name__})"}


def analyze_stream(lines: TextIO, out: TextIO) -> int:
    """Reads JSONL posts, writes one JSON object per input line, same order; returns the number of errors.

    Nothing on a line can stop the stream: what cannot be read or analysed gets {"id", "error"}.
    """
    from nlp.analyze import analyze_records, get_nlp

    get_nlp()  # a missing or broken model is the command's error, not every line's
    errors = 0
    pending: list[tuple[int, Any, dict | None, str | None]] = []

    def flush() -> None:
        nonlocal errors
        good = [record for _, _, record, error in pending if error is None]
        try:
            analysed = iter(analyze_records(good))
        except Exception:  # a fault no record should cause: still one answer per line, one by one
            analysed = iter([_analyze_alone(analyze_records, record) for record in good])
        for number, record_id, _, error in pending:
            result = {"id": record_id, "error": error} if error else next(analysed)
            errors += "error" in result
            out.write(_dump(result, number) + "\n")
        out.flush()
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            # one output object per input line, so a blank line gets its error too
            pending.append((number, None, None, f"line {number}: empty line, expected a JSON object"))
        else:
            pending.append((number, *_parse_line(line, number)))
        if len(pending) >= BATCH_LINES:
            flush()
    flush()
    return errors


def run_analyze(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """`siaga analyze` on byte streams: UTF-8 in (a BOM is skipped, bad bytes become U+FFFD, a line ends
    at a newline byte only), UTF-8 out whatever the locale. Returns the number of lines answered with an error."""
    lines = io.TextIOWrapper(stdin, encoding="utf-8-sig", errors="replace", newline="\n")
    out = io.TextIOWrapper(stdout, encoding="utf-8", newline="\n", write_through=True)
    try:
        errors = analyze_stream(lines, out)
        out.flush()
        return errors
    finally:
        for stream in (out, lines):  # hand the caller's streams back open
            with contextlib.suppress(Exception):
                stream.detach()


def cmd_analyze(args: argparse.Namespace) -> int:
    errors = run_analyze(sys.stdin.buffer, sys.stdout.buffer)
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

"""`siaga ingest`, `siaga stats`, `siaga export issues|handoffs`."""

from __future__ import annotations

import argparse
import json
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ingest", help="load normalized posts (JSON Lines) into the warehouse")
    p.add_argument("path", help="a JSON Lines file of normalized posts, or - for standard input")
    p.add_argument("--source", default="ingest", help="name recorded with quarantined lines")
    p.set_defaults(func=cmd_ingest)

    p = subparsers.add_parser("evaluate-clustering", help="pairwise precision/recall on a labelled set")
    # no default: the team's labelled sets are test data (tests/warehouse/data/clustering_set.jsonl)
    p.add_argument("path", help="labelled JSON Lines, e.g. tests/warehouse/data/clustering_set.jsonl")
    p.add_argument(
        "--analysis",
        choices=["gold", "nlp"],
        default="gold",
        help="gold: analyse from the labels (clustering alone); nlp: the whole chain",
    )
    p.set_defaults(func=cmd_evaluate_clustering)

    p = subparsers.add_parser("stats", help="the warehouse's counts as JSON")
    p.set_defaults(func=cmd_stats)

    p = subparsers.add_parser("summary", help="a short human-readable summary of the warehouse")
    p.set_defaults(func=cmd_summary)

    p = subparsers.add_parser("export", help="export warehouse content as JSON Lines (or CSV)")
    p.add_argument(
        "what",
        choices=["issues", "handoffs"],
        help="issues: one object per issue; handoffs: the 112 hand-off decisions, labelled",
    )
    p.add_argument("--out", default="-", help="output file, or - for standard output")
    p.add_argument(
        "--format",
        choices=["jsonl", "csv"],
        default=None,
        help="jsonl (default) or csv (default when --out ends in .csv)",
    )
    p.set_defaults(func=cmd_export)


class _Progress:
    """Progress on stderr, at most a few lines a second; remembers which stages have written something."""

    def __init__(self) -> None:
        self._last = 0.0
        self.stages: list[str] = []

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self.stages:
            self.stages.append(stage)
        now = time.monotonic()
        if now - self._last < 0.5 and (total is None or done < total):
            return
        self._last = now
        of = f"/{total}" if total else ""
        print(f"  {stage}: {done}{of}", file=sys.stderr, flush=True)


# What each stage has committed when progress reports it (clustering commits only at its end).
STAGE_WRITES = {"load": "posts loaded", "analyze": "posts analysed"}


def cmd_ingest(args: argparse.Namespace) -> int:
    from warehouse import WarehouseBusy
    from warehouse.ingest import ingest_lines

    handle = sys.stdin if args.path == "-" else open(args.path, encoding="utf-8", errors="replace")  # noqa: SIM115
    progress = _Progress()
    try:
        counts = ingest_lines(handle, source=args.source, progress=progress)
    except WarehouseBusy as exc:
        written = [STAGE_WRITES[s] for s in progress.stages if s in STAGE_WRITES]
        if written:
            # say truthfully what this run did keep: each batch is committed whole, and a re-run
            # finishes the rest without writing anything twice
            raise WarehouseBusy(
                f"the warehouse became busy (another process holds it) after some {' and '.join(written)} "
                "were committed; nothing else was written. Run the same ingest again when the other process "
                "has finished: it continues where this one stopped and writes nothing twice."
            ) from exc
        raise
    finally:
        if handle is not sys.stdin:
            handle.close()
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from warehouse.stats import stats

    print(json.dumps(stats(), ensure_ascii=False, indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import os

    from warehouse.stats import dumps, export_issues

    fmt = args.format or ("csv" if args.out.lower().endswith(".csv") else "jsonl")
    if args.what == "handoffs":
        from warehouse.emergencies import EXPORT_FIELDS, export_handoffs

        rows, fields = export_handoffs, EXPORT_FIELDS
    else:
        rows, fields = export_issues, None

    def write(out) -> int:
        return _write_csv(out, rows(), fields) if fmt == "csv" else _write_jsonl(out, rows(), dumps)

    if args.out == "-":
        n = write(sys.stdout)
    elif os.path.exists(args.out) and not os.path.isfile(args.out):
        try:
            with open(args.out, "w", encoding="utf-8") as out:  # a device or pipe (a folder raises here)
                n = write(out)
        except OSError as exc:
            exc.filename = exc.filename or args.out  # a failed write does not say where it went
            raise
    else:
        # written beside the target and renamed at the end: a failure leaves no half-written file
        partial = f"{args.out}.part"
        try:
            with open(partial, "w", encoding="utf-8") as out:
                n = write(out)
            os.replace(partial, args.out)
        except BaseException as exc:
            if os.path.isfile(partial):
                os.unlink(partial)
            if isinstance(exc, OSError) and exc.filename in (partial, None):
                exc.filename = args.out  # the name the person asked for
            raise
    print(f"siaga export: {n} {args.what}", file=sys.stderr)
    return 0


def _write_csv(out, records, fields) -> int:
    """One row per record; lists and objects as JSON text in their cell."""
    import csv

    writer = None
    n = 0
    for record in records:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(fields or record), lineterminator="\n")
            writer.writeheader()
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, list | dict) else v
                for k, v in record.items()
            }
        )
        n += 1
    if writer is None and fields:
        csv.writer(out, lineterminator="\n").writerow(fields)
    out.flush()
    return n


def _write_jsonl(out, issues, dumps) -> int:
    n = 0
    for issue in issues:
        out.write(dumps(issue) + "\n")
        n += 1
    out.flush()
    return n


def cmd_evaluate_clustering(args: argparse.Namespace) -> int:
    from warehouse.cluster_eval import evaluate_clustering

    print(json.dumps(evaluate_clustering(args.path, analysis=args.analysis), ensure_ascii=False))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from warehouse.stats import stats

    s = stats()
    sources = ", ".join(f"{name} {n}" for name, n in s["sources"].items()) or "none"
    drafts = ", ".join(f"{status} {n}" for status, n in s["drafts"].items()) or "none"
    print("Kutim Siaga: ringkasan gudang data / warehouse summary")
    print(f"  posts:        {s['posts']} ({sources})")
    print(f"  complaints:   {s['complaints']} analysed as complaints; {s['copies']} copies/reposts linked")
    print(f"  issues:       {s['issues']} ({s['emergencies']} emergencies)")
    print(f"  drafts:       {drafts}")
    print(f"  quarantine:   {s['quarantine']} bad records kept with their reason")
    if s["alerts"]:
        print("  alerts:       " + ", ".join(f"{kind} {n}" for kind, n in s["alerts"].items()))
    if s["alerts"].get("emergency"):
        from warehouse.alerts import emergency_lines, list_alerts

        print("\n".join(emergency_lines(list_alerts())))
    return 0

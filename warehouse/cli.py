"""`siaga ingest`, `siaga stats`, `siaga export issues`."""

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
    p.add_argument("path", nargs="?", default="tests/warehouse/data/clustering_set.jsonl")
    p.add_argument("--analysis", choices=["gold", "nlp"], default="gold",
                   help="gold: analyse from the labels (clustering alone); nlp: the whole chain")
    p.set_defaults(func=cmd_evaluate_clustering)

    p = subparsers.add_parser("stats", help="the warehouse's counts as JSON")
    p.set_defaults(func=cmd_stats)

    p = subparsers.add_parser("summary", help="a short human-readable summary of the warehouse")
    p.set_defaults(func=cmd_summary)

    p = subparsers.add_parser("export", help="export warehouse content as JSON Lines")
    p.add_argument("what", choices=["issues"])
    p.add_argument("--out", default="-", help="output file, or - for standard output")
    p.set_defaults(func=cmd_export)


class _Progress:
    """Progress on stderr, at most a few lines a second."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and (total is None or done < total):
            return
        self._last = now
        of = f"/{total}" if total else ""
        print(f"  {stage}: {done}{of}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    from warehouse import WarehouseBusy
    from warehouse.ingest import ingest_lines

    handle = sys.stdin if args.path == "-" else open(args.path, encoding="utf-8", errors="replace")  # noqa: SIM115
    try:
        counts = ingest_lines(handle, source=args.source, progress=_Progress())
    except WarehouseBusy as exc:
        print(f"siaga ingest: {exc}", file=sys.stderr)
        return 3
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
    from warehouse.stats import dumps, export_issues

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        n = 0
        for issue in export_issues():
            out.write(dumps(issue) + "\n")
            n += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"siaga export: {n} issues", file=sys.stderr)
    return 0


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
    return 0

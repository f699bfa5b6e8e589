"""`siaga extract SOURCE`: the same `run_source` the DAG calls, from a shell."""

from __future__ import annotations

import argparse
import json
import sys

SOURCES = ("x", "facebook", "instagram", "whatsapp", "replay")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="collect posts from one source as normalized JSON Lines",
        description=(
            "Writes normalized posts (and quarantine lines for items that could not be read) as JSON "
            "Lines. `replay` without dates writes every bundled sample post."
        ),
    )
    parser.add_argument("source", choices=SOURCES)
    parser.add_argument("--since", help="window start, ISO 8601 (UTC when no offset)")
    parser.add_argument("--until", help="window end (exclusive), ISO 8601")
    parser.add_argument("--out", default="-", help="output file, or - for stdout (default)")
    parser.add_argument("--cursors", help="JSON object of cursors from the previous run (query key to cursor)")
    parser.add_argument(
        "--relative-to-today",
        action="store_true",
        help="replay: shift the sample's dates so that it ends yesterday (UTC)",
    )
    parser.add_argument("--relative-to", help="replay: shift the sample's dates so that it ends the day before DATE")
    parser.add_argument(
        "--chat",
        action="append",
        default=[],
        help="whatsapp: also import this exported chat .txt (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from datetime import UTC, date, datetime, timedelta

    from extractors.credentials import MissingCredentials
    from extractors.errors import ExtractorAuthError
    from extractors.run import run_source

    since = args.since
    until = args.until
    if args.source != "replay" and not (since and until):
        # A live source needs a window: default to the last 24 hours.
        now = datetime.now(UTC).replace(microsecond=0)
        until = until or now.isoformat()
        since = since or (datetime.fromisoformat(until.replace("Z", "+00:00")) - timedelta(days=1)).isoformat()
    options: dict = {}
    if args.source == "replay":
        if args.relative_to_today:
            options["relative_to"] = datetime.now(UTC).date()
        elif args.relative_to:
            options["relative_to"] = date.fromisoformat(args.relative_to)
    if args.chat:
        options["chats"] = args.chat
    try:
        cursors = json.loads(args.cursors) if args.cursors else None
        result = run_source(args.source, since, until, args.out, cursors, **options)
    except (ValueError, MissingCredentials, ExtractorAuthError) as exc:
        print(f"siaga extract: {exc}", file=sys.stderr)
        return 2
    # a file that cannot be written (OSError) is explained by `siaga` itself, with its own exit code
    summary = result.to_dict()
    print(json.dumps(summary, ensure_ascii=False), file=sys.stderr if args.out == "-" else sys.stdout)
    return 0 if result.complete else 3

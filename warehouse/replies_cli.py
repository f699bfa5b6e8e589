"""`siaga replies send|draft|list`: replies to citizens from a shell (the `reply_posters` step of the
`lapor_submit` DAG calls the same `warehouse.replies.send_approved`).

Outside Airflow the platforms' Connections come from `AIRFLOW_CONN_SIAGA_X`, `..._FACEBOOK`,
`..._INSTAGRAM`, `..._WHATSAPP` (docs/interfaces.md). Heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
import json
import sys


def _print(result) -> None:
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _settings():
    from warehouse.replies import reply_settings

    return reply_settings()


def cmd_send(args: argparse.Namespace) -> int:
    from warehouse.replies import send_approved
    from warehouse.settings import ConfigError

    try:
        counts = send_approved(_settings(), stale_sending_s=args.stale_after)
    except ConfigError as exc:
        print(f"siaga replies: {exc}", file=sys.stderr)
        return 2
    _print(counts)
    # A platform without its Connection keeps its approved replies: say so with the exit code.
    return 1 if counts.get("unavailable_platforms") else 0


def cmd_draft(args: argparse.Namespace) -> int:
    from warehouse.replies import draft_replies
    from warehouse.settings import ConfigError

    try:
        _print(draft_replies(_settings()))
    except ConfigError as exc:
        print(f"siaga replies: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from warehouse.moderation import InvalidChange
    from warehouse.replies import list_replies

    try:
        page = list_replies(status=args.status, draft_id=args.draft, limit=args.limit)
    except InvalidChange as exc:
        print(f"siaga replies: {exc}", file=sys.stderr)
        return 2
    keys = ("id", "draft_id", "platform", "in_reply_to", "text", "status", "reason", "kind", "tracking_id")
    _print({**page, "items": [{k: item[k] for k in keys} for item in page["items"]]})
    return 0


def register(subparsers) -> None:
    replies = subparsers.add_parser("replies", help="replies to citizens with their LAPOR! tracking ID")
    commands = replies.add_subparsers(dest="replies_command", metavar="ACTION", required=True)

    send = commands.add_parser("send", help="draft what is owed, then send the approved replies once; counts as JSON")
    send.add_argument(
        "--stale-after",
        type=float,
        default=None,
        help="seconds after which a 'sending' reply counts as left by a dead run (default: config "
        "send.stale_sending_s)",
    )
    send.set_defaults(func=cmd_send)

    draft = commands.add_parser("draft", help="draft the replies tickets with a tracking ID still lack")
    draft.set_defaults(func=cmd_draft)

    listing = commands.add_parser("list", help="replies as JSON (newest first)")
    listing.add_argument("--status", help="pending, approved, sending, sent, failed, skipped or uncertain")
    listing.add_argument("--draft", help="only the replies of this draft")
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(func=cmd_list)

"""`siaga lapor submit|export|sync|tickets|record`: the LAPOR! bridge from a shell.

Lives in warehouse/ because it wires both sides: the transports from `extractors.lapor.client`
and the exactly-once state machine in `warehouse.lapor` (extractors/ never imports warehouse/).
The same functions the `lapor_submit` DAG calls. Outside Airflow the `siaga_lapor` connection
comes from `AIRFLOW_CONN_SIAGA_LAPOR` (JSON or URI form). Heavy imports stay inside the commands.
"""

from __future__ import annotations

import argparse
import json
import sys


def _print(result) -> None:
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _client(force_export: bool = False):
    from dataclasses import replace

    from extractors.lapor.client import make_client, settings_from_env

    settings = settings_from_env()
    if force_export:
        settings = replace(settings, transport="export")
    return make_client(settings)


def cmd_submit(args: argparse.Namespace) -> int:
    from warehouse.lapor import SubmitPolicy, submit_approved

    policy = SubmitPolicy(stale_sending_s=args.stale_after) if args.stale_after is not None else None
    counts = submit_approved(_client(), policy)
    _print(counts)
    return 1 if "auth_error" in counts or "stopped" in counts else 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.lapor import export_approved

    _print(export_approved(_client(force_export=True)))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from warehouse.lapor import sync_statuses

    counts = sync_statuses(_client())
    _print(counts)
    return 1 if "auth_error" in counts else 0


def cmd_tickets(args: argparse.Namespace) -> int:
    from datetime import date

    from warehouse.lapor import sla_summary, tickets_with_sla

    today = date.fromisoformat(args.today) if args.today else None
    _print(sla_summary(today) if args.summary else tickets_with_sla(today))
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from warehouse.lapor import record_tracking_id

    try:
        draft_id = record_tracking_id(args.reference, args.tracking_id, actor=args.by)
    except (LookupError, ValueError) as exc:
        print(f"siaga lapor record: {exc}", file=sys.stderr)
        return 1
    _print({"draft_id": draft_id, "tracking_id": args.tracking_id})
    return 0


def register(subparsers) -> None:
    lapor = subparsers.add_parser("lapor", help="SP4N-LAPOR! bridge: send approved drafts, sync ticket status")
    commands = lapor.add_subparsers(dest="lapor_command", metavar="ACTION", required=True)

    submit = commands.add_parser("submit", help="send approved drafts (http, or export when no API is set)")
    submit.add_argument(
        "--stale-after",
        type=float,
        default=None,
        help="seconds after which a 'sending' row counts as left by a dead run (default 600)",
    )
    submit.set_defaults(func=cmd_submit)

    export = commands.add_parser("export", help="write approved drafts as a CSV + JSON batch for a LAPOR! admin")
    export.set_defaults(func=cmd_export)

    sync = commands.add_parser("sync", help="poll the status and tindak lanjut of open tickets")
    sync.set_defaults(func=cmd_sync)

    tickets = commands.add_parser("tickets", help="tickets with their SLA clocks, as JSON")
    tickets.add_argument("--today", help="ISO date to measure against (default: today in WITA)")
    tickets.add_argument("--summary", action="store_true", help="counts for the humas summary instead")
    tickets.set_defaults(func=cmd_tickets)

    record = commands.add_parser("record", help="store the tracking ID an admin got for an exported draft")
    record.add_argument("reference", help="kode_referensi from the batch (or the draft ID)")
    record.add_argument("tracking_id")
    record.add_argument("--by", default="admin_lapor", help="who entered it (for the audit trail)")
    record.set_defaults(func=cmd_record)


def main(argv: list[str] | None = None) -> int:
    """`python -m warehouse.lapor_cli ACTION`: the same commands without the `siaga` entry point."""
    import logging

    parser = argparse.ArgumentParser(prog="siaga")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["lapor", *(sys.argv[1:] if argv is None else argv)])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

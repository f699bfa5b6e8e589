"""`siaga report monev`: the monthly monitoring report as XLSX, PDF or CSV."""

from __future__ import annotations

import argparse
import sys

from warehouse.report_writers import FORMATS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="reports for humas and leadership (monev)")
    p.add_argument("what", choices=["monev"], help="monev: the monthly monitoring and evaluation report")
    p.add_argument("--month", required=True, help="the month, YYYY-MM (WITA calendar month)")
    p.add_argument("--format", choices=FORMATS, required=True, help="xlsx (one sheet per table), pdf, csv")
    p.add_argument("--out", required=True, help="the file to write")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import BadMonth, monthly_figures, parse_month
    from warehouse.report_writers import write_report

    try:
        month = parse_month(args.month)
    except BadMonth as exc:
        print(f"siaga report: {exc}; give the month as YYYY-MM", file=sys.stderr)
        return 2
    figures = monthly_figures(month)
    path = write_report(figures, args.format, args.out)
    said = "" if figures["has_data"] else " (tidak ada data untuk bulan ini; the file says so)"
    print(f"siaga report: {figures['month_label']} written to {path}{said}", file=sys.stderr)
    return 0

"""TEMP shim (replaced at merge): `siaga stats` only."""

import json


def register(subparsers) -> None:
    sub = subparsers.add_parser("stats", help="warehouse counts as JSON")
    sub.set_defaults(func=_stats)


def _stats(args) -> int:
    from warehouse.stats import stats

    print(json.dumps(stats(), ensure_ascii=False))
    return 0

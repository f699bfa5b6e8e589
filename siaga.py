"""The `siaga` command: the same functions the DAGs call, from a shell.

Each folder contributes its own subcommands through a `cli.py` module with
`register(subparsers)`; imports inside those modules stay light (heavy ones inside the
command functions) so `siaga --help` is quick.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Folders that contribute subcommands, in the order `siaga --help` lists them.
COMMAND_MODULES = ("extractors.cli", "nlp.cli", "warehouse.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="siaga",
        description="Kutim Siaga: social-media complaints to SP4N-LAPOR! drafts.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # that folder has no commands yet
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    result = args.func(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())

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
COMMAND_MODULES = ("extractors.cli", "nlp.cli", "warehouse.cli", "extractors.lapor.cli")


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
    bench = subparsers.add_parser("bench", help="benchmarks of every part, printed as JSON")
    bench.add_argument("--only", action="append", choices=sorted(BENCHES),
                       help="run only these parts (repeatable); default: all")
    bench.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    bench.set_defaults(func=cmd_bench)
    return parser


# Each part's benchmark: module, function, and its keyword arguments for a --quick run.
BENCHES = {
    "warehouse": ("warehouse.bench", "bench", {"sizes": (10_000, 100_000)}),
    "nlp": ("nlp", "bench", {"n": 5_000}),
    "extractors": ("extractors", "bench", {}),
    "ui": ("siaga_ui", "bench", {"posts": 10_000, "issues": 1_000, "rounds": 10}),
    "lapor": ("extractors.lapor.bench", "bench_lapor", {"drafts": 50}),
}


def cmd_bench(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    repo = Path(__file__).resolve().parent
    # Benchmarks run from a checkout: the UI package lives in Airflow's plugins folder, and the
    # LAPOR! benchmark talks to the team's fake LAPOR! from tests/fakes.
    for folder in (repo / "plugins", repo):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    figures: dict = {}
    for name in args.only or BENCHES:
        module_name, function, quick_kwargs = BENCHES[name]
        print(f"siaga bench: {name}…", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(module_name)
            run = getattr(module, function)
        except (ImportError, AttributeError) as exc:
            figures[name] = {"skipped": f"no benchmark available: {exc}"}
            continue
        figures[name] = run(**(quick_kwargs if args.quick else {}))
    print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0


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

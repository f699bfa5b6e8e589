"""The `siaga` command: the same functions the DAGs call, from a shell.

Each folder contributes its own subcommands through a `cli.py` module with
`register(subparsers)`; imports inside those modules stay light (heavy ones inside the
command functions) so `siaga --help` is quick.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys

# Exit codes (README, "Exit codes"): what a script calling `siaga` can tell apart.
EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and reports what failed (e.g. LAPOR! refused the credentials)
EXIT_USAGE = 2  # wrong arguments or settings
EXIT_INCOMPLETE = 3  # `siaga extract`: the source stopped early; the next run resumes from the cursors
EXIT_IO = 4  # a file or folder could not be read or written (missing, a directory, no permission, disk full)
EXIT_BUSY = 5  # another process holds the warehouse; nothing was written, try again later
EXIT_INTERRUPTED = 130  # Ctrl-C

# Folders that contribute subcommands, in the order `siaga --help` lists them.
COMMAND_MODULES = (
    "extractors.cli",
    "nlp.cli",
    "warehouse.cli",
    "warehouse.report_cli",
    "warehouse.lapor_cli",
    "warehouse.replies_cli",
)


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
    bench.add_argument(
        "--only", action="append", choices=sorted(BENCHES), help="run only these parts (repeatable); default: all"
    )
    bench.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    bench.add_argument(
        "--posts", type=int, metavar="N", help="ui: the generated warehouse's posts (issues: N / 10); default 100,000"
    )
    bench.set_defaults(func=cmd_bench)
    check = subparsers.add_parser("settings", help="validate every config file and SIAGA_* variable")
    check.set_defaults(func=cmd_settings)
    return parser


# Each part's benchmark: module, function, and its keyword arguments for a --quick run.
BENCHES = {
    "warehouse": ("tools.bench.warehouse", "run", {"sizes": (10_000, 100_000)}),
    "nlp": ("tools.bench.nlp", "run", {"n": 5_000}),
    "extractors": ("tools.bench.extractors", "run", {}),
    "ui": ("tools.bench.ui", "run", {"posts": 10_000, "issues": 1_000, "rounds": 10}),
    "lapor": ("tools.bench.lapor", "run", {"drafts": 50}),
}


def cmd_bench(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    repo = Path(__file__).resolve().parent
    # Benchmarks run from a checkout: the UI package lives in Airflow's plugins folder, and the
    # benchmarks that need the loopback fakes (tests/fakes) are tooling in tools/bench/.
    for folder in (repo / "plugins", repo):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    figures: dict = {}
    for name in args.only or BENCHES:
        module_name, function, quick_kwargs = BENCHES[name]
        print(f"siaga bench: {name}…", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # only an absent benchmark (an install without tools/ or tests/) is skipped; a broken one raises
            if exc.name is None or not (
                module_name == exc.name or module_name.startswith(exc.name + ".") or exc.name.split(".")[0] == "tests"
            ):
                raise
            figures[name] = {"skipped": f"needs the repository checkout ({exc.name} not found)"}
            continue
        run = getattr(module, function)
        kwargs = dict(quick_kwargs if args.quick else {})
        if name == "ui" and args.posts:
            kwargs.update(posts=args.posts, issues=max(1, args.posts // 10))
        figures[name] = run(**kwargs)
    print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0


# Every settings file, validated at start (before any command) by the function that reads it.
SETTINGS_CHECKS = (
    ("config/clustering.yaml", "warehouse.settings", "clustering_settings"),
    ("config/ingest.yaml", "warehouse.settings", "ingest_settings"),
    ("config/listening.yaml", "extractors.listening", "listening_settings"),
    ("config/opd_routing.yaml", "nlp.routing", "load"),
    ("config/pipeline.yaml", "dags.siaga_dag_config", "load_pipeline_config"),
    ("config/replies.yaml", "warehouse.replies", "reply_settings"),
    ("config/ui.yaml", "siaga_ui.config", "load_config"),
)


def check_settings() -> list[str]:
    """Validate every SIAGA_* variable and every settings file; raises core.settings.SettingsError on the
    first wrong one. Returns what was checked. The UI's file is skipped where the plugin is not installed."""
    from core.env import FIELDS, check_environment, variable

    check_environment()
    checked = [variable(name) for name in FIELDS]
    for label, module_name, function in SETTINGS_CHECKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module_name.startswith(exc.name):
                raise
            continue  # an install without the DAGs or the UI plugin
        getattr(module, function)()
        checked.append(label)
    return checked


def cmd_settings(args: argparse.Namespace) -> int:
    """`siaga settings`: what was validated (main has already checked everything)."""
    for name in check_settings():
        print(f"ok  {name}")
    return 0


def _io_message(exc: OSError) -> str:
    """What went wrong with a file, and what to do, in one line."""
    name = f"{exc.filename}: " if exc.filename is not None else ""
    if isinstance(exc, FileNotFoundError):
        return f"{name}no such file or folder; check the path"
    if isinstance(exc, IsADirectoryError):
        return f"{name}this is a folder; give a file"
    if isinstance(exc, FileExistsError):
        if exc.filename is not None and not os.path.isdir(exc.filename):
            return f"{name}this is a file, not a folder; check the path"
        return f"{name}already exists; remove it or choose another name"
    if isinstance(exc, NotADirectoryError):
        return f"{name}a part of this path is a file, not a folder; check the path"
    if isinstance(exc, PermissionError):
        return f"{name}permission denied; check the owner and mode, or use another location"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{name}no space left on the device; free some space or write elsewhere, then run it again"
    if exc.errno == errno.EROFS:
        return f"{name}read-only file system; use a writable location"
    return f"{name}{exc.strerror or exc}"


def _warehouse_message(exc: Exception) -> str:
    from warehouse.db import warehouse_path

    detail = str(exc).removeprefix("IO Error: ").splitlines()[0]
    return (
        f"cannot use the warehouse {warehouse_path()}: {detail}; check SIAGA_WAREHOUSE, the file's "
        "permissions and free space"
    )


def explain(exc: BaseException) -> tuple[int, str] | None:
    """(exit code, one-line message) for an error a person can act on; None for a bug (keep the traceback)."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted"
    if "warehouse.db" in sys.modules:  # only a command that used the warehouse can have its errors
        from warehouse.db import WarehouseBusy

        if isinstance(exc, WarehouseBusy):
            return EXIT_BUSY, str(exc)
    if "core.settings" in sys.modules:
        from core.settings import SettingsError

        if isinstance(exc, SettingsError):
            return EXIT_USAGE, str(exc)
    if "extractors.credentials" in sys.modules:
        from extractors.credentials import MissingCredentials

        if isinstance(exc, MissingCredentials):
            return EXIT_USAGE, str(exc)
    if isinstance(exc, OSError):
        return EXIT_IO, _io_message(exc)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.IOException | duckdb.PermissionException):
        return EXIT_IO, _warehouse_message(exc)
    return None


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit has nothing to complain about."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
        return EXIT_USAGE
    try:
        check_settings()  # one wrong setting anywhere stops every command before it starts (exit 2)
        result = args.func(args)
        try:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not as noise at exit
        except OSError as exc:
            exc.filename = exc.filename or "standard output"
            raise
    except BrokenPipeError:
        # the reader went away (`siaga export issues | head`): nothing to say; keep Python from saying it
        _drop_stdout()
        return EXIT_OK
    except (Exception, KeyboardInterrupt) as exc:
        known = explain(exc)
        if known is None:
            raise
        code, message = known
        if isinstance(exc, OSError) and exc.filename in (None, "standard output"):
            _drop_stdout()  # what stdout still buffers cannot be written either
        if args.verbose:
            logging.getLogger("siaga").exception("%s", message)
        print(f"siaga {args.command}: {message}", file=sys.stderr)
        return code
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())

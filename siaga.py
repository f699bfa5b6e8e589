"""The `siaga` command (placeholder until the CLI lands)."""


def main() -> None:
    raise SystemExit("siaga: not built yet")

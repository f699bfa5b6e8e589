"""Extractors: public posts from X, Facebook, Instagram and WhatsApp (and recorded replays) to
normalized posts in JSON Lines staging files. No DuckDB here: cursors go back to the caller.

`run_source` and `ExtractResult` are imported lazily so `import extractors` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.run import ExtractResult, run_source

__all__ = ["ExtractResult", "enabled_sources", "run_source"]


def __getattr__(name: str) -> Any:
    if name in ("run_source", "ExtractResult", "SOURCES", "enabled_sources"):
        from extractors import run

        return getattr(run, name)
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")

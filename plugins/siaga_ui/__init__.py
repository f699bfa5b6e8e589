"""Kutim Siaga's moderation and humas web UI (FastAPI), mounted by plugins/siaga_plugin.py at /siaga."""

from __future__ import annotations


def create_app():
    from siaga_ui.app import create_app as _create_app

    return _create_app()


def bench(**kwargs) -> dict:
    """p95 page times for queue, detail, dashboard and LAPOR! tickets on a generated warehouse (siaga_ui.bench)."""
    from siaga_ui.bench import run_bench

    return run_bench(**kwargs)


__all__ = ["bench", "create_app"]

"""Kutim Siaga's moderation and humas web UI (FastAPI), mounted by plugins/siaga_plugin.py at /siaga."""

from __future__ import annotations


def create_app():
    from siaga_ui.app import create_app as _create_app

    return _create_app()


__all__ = ["create_app"]

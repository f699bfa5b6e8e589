"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def warehouse_file(tmp_path, monkeypatch):
    """A fresh DuckDB warehouse file for one test, as SIAGA_WAREHOUSE."""
    path = tmp_path / "siaga.duckdb"
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path

"""The Darurat page at volume: 50 emergencies a page, the longest waiting first across pages, the counts
and the CSV over all of them (issue 17)."""

from __future__ import annotations

import re

import pytest

from tools.bench.ui import generate_warehouse
from warehouse import emergencies

HTML = {"Accept": "text/html"}


@pytest.fixture
def warehouse_path(tmp_path, monkeypatch):
    """The bench's generated warehouse: every 97th issue an emergency, 62 of 6,000, none handed over."""
    path = tmp_path / "siaga.duckdb"
    generate_warehouse(path, posts=12_000, issues=6_000)
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


def _shown(html: str) -> list[str]:
    return re.findall(r'<tr class="darurat [a-z]+" id="darurat-([^"]+)"', html)


def test_the_page_shows_fifty_at_a_time_longest_waiting_first(as_moderator):
    every = [e["issue_id"] for e in emergencies.list_emergencies()]
    assert len(every) == 62
    first = as_moderator.get("/siaga/darurat", headers=HTML).text
    second = as_moderator.get("/siaga/darurat?halaman=2", headers=HTML).text
    assert _shown(first) == every[:50] and _shown(second) == every[50:]
    assert "Halaman 1 dari 2" in first and "halaman=2" in first and "Halaman 2 dari 2" in second
    # the counts are over every emergency, not the page
    assert '<strong id="jumlah-menunggu">62</strong>' in first and '<strong id="jumlah-menunggu">62</strong>' in second


def test_the_csv_keeps_every_emergency(as_moderator):
    lines = as_moderator.get("/siaga/darurat.csv").text.strip().splitlines()
    assert len(lines) == 1 + 62

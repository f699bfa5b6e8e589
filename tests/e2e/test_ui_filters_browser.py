"""Isu viral in Chromium: filters kept in the URL across a reload, a chart click into the filtered
queue, and a CSV download."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_filters_survive_a_reload_and_a_chart_click_opens_the_filtered_queue(as_user):
    page = as_user("humas")
    p = page.page
    page.go("/siaga/viral")
    p.fill('#filter-viral input[name="dari"]', "2026-11-15")
    p.fill('#filter-viral input[name="sampai"]', "2026-11-22")
    p.select_option('#filter-viral select[name="kategori"]', "jalan_jembatan")
    p.click('#filter-viral button[type="submit"]')
    p.wait_for_url("**kategori=jalan_jembatan**")
    query = parse_qs(urlsplit(p.url).query)
    assert query["dari"] == ["2026-11-15"] and query["sampai"] == ["2026-11-22"]

    p.reload()
    assert p.input_value('#filter-viral select[name="kategori"]') == "jalan_jembatan"
    assert p.input_value('#filter-viral input[name="dari"]') == "2026-11-15"
    rows = p.locator("#viral tbody tr").all_inner_texts()
    assert rows and all("Jalan" in row for row in rows)
    page.shot("20-viral-filter")

    # a bar of the kecamatan chart
    p.click('a.tautan-antrian rect[data-label="Sangatta Utara"]')
    p.wait_for_url("**/siaga/antrian?**")
    query = parse_qs(urlsplit(p.url).query)
    assert query["kecamatan"] == ["Sangatta Utara"] and query["kategori"] == ["jalan_jembatan"]
    titles = p.locator("table.queue tbody tr td:nth-child(1) a").all_inner_texts()
    assert sorted(titles) == [
        "Jalan berlubang di Jl. Yos Sudarso, Swarga Bara",
        "Lubang besar di Jl. Yos Sudarso dekat simpang Swarga Bara",
    ]
    assert p.input_value('#filter select[name="kecamatan"]') == "Sangatta Utara"
    page.shot("21-antrian-dari-grafik")

    # a point of the trend line: that category on that day
    p.go_back()
    p.wait_for_url("**/siaga/viral?**")
    point = p.locator('a.tautan-antrian circle[data-kategori="jalan_jembatan"][data-hari="2026-11-22"]')
    point.click()
    p.wait_for_url("**/siaga/antrian?**")
    query = parse_qs(urlsplit(p.url).query)
    assert query["dari"] == query["sampai"] == ["2026-11-22"] and query["kategori"] == ["jalan_jembatan"]
    assert p.locator("table.queue tbody tr").count() >= 1
    assert page.problems == []


def test_the_viral_table_downloads_as_the_csv_the_page_shows(as_user):
    page = as_user("humas")
    p = page.page
    page.go("/siaga/viral?dari=2026-11-15&sampai=2026-11-22&sumber=facebook")
    shown = p.locator("#viral tbody tr td:nth-child(1)").all_inner_texts()
    with p.expect_download() as info:
        p.click("#unduh-isu")
    download = info.value
    assert download.suggested_filename == "isu-viral.csv"
    with open(download.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Isu", "Kategori", "Lokasi"]
    assert [r[0] for r in rows[1:]] == [s.strip() for s in shown] and shown
    assert page.problems == []

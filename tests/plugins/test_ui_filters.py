"""Isu viral filters kept in the URL, clear messages for bad values, and chart clicks into the queue."""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

HTML = {"Accept": "text/html"}


def _viral_rows(page: str) -> list[str]:
    table = page.split('<table id="viral">')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", "", row).strip() for row in table.split("<tbody>")[1].split("</tr>")[:-1]]


def _links(page: str, css_class: str = "tautan-antrian") -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(rf'<a href="([^"]+)" class="{css_class}"', page)]


def _queue_ids(page: str) -> set[str]:
    return set(re.findall(r'data-draft="([^"]+)"', page))


def test_filters_from_the_url_narrow_the_page_and_stay_in_the_form_and_downloads(as_humas):
    page = as_humas.get("/siaga/viral?kategori=banjir&sumber=instagram&dari=2026-11-15&sampai=2026-11-22").text
    rows = _viral_rows(page)
    assert rows and all("Banjir" in row for row in rows)
    assert '<option value="banjir" selected>' in page
    assert '<option value="instagram" selected>' in page
    assert 'name="dari" value="2026-11-15"' in page and 'name="sampai" value="2026-11-22"' in page
    csv_link = htmllib.unescape(re.search(r'href="([^"]+)" download id="unduh-isu"', page).group(1))
    assert parse_qs(urlsplit(csv_link).query) == {
        "dari": ["2026-11-15"],
        "sampai": ["2026-11-22"],
        "kategori": ["banjir"],
        "sumber": ["instagram"],
    }
    # the trend covers exactly the chosen period, one column per WITA day
    assert "Tren harian per kategori (8 hari)" in page
    unfiltered = _viral_rows(as_humas.get("/siaga/viral").text)
    assert len(unfiltered) > len(rows)


def test_the_platform_filter_counts_only_that_platforms_posts(as_humas):
    whatsapp = _viral_rows(as_humas.get("/siaga/viral?sumber=whatsapp&dari=2026-11-01&sampai=2026-11-30").text)
    # isu-003 (Sepaso) has a WhatsApp post; the flood in Sangkima has none
    assert any("Sepaso" in row for row in whatsapp)
    assert not any("Sangkima" in row for row in whatsapp)


def test_the_opd_and_kecamatan_filters_narrow_the_kecamatan_table(as_humas):
    page = as_humas.get("/siaga/viral?opd=Dinas+Lingkungan+Hidup").text
    table = page.split('<table class="compact" id="kecamatan">')[1].split("</table>")[0]
    assert "Sangatta Utara" in table and "Sangatta Selatan" not in table and "Bengalon" not in table
    page = as_humas.get("/siaga/viral?kecamatan=Bengalon").text
    assert all("Sepaso" in row for row in _viral_rows(page))


@pytest.mark.parametrize(
    "query, message",
    [
        ("dari=2026-13-01", "Tanggal 'dari' tidak valid"),
        ("dari=0001-01-01", "Tanggal 'dari' (0001-01-01) di luar rentang"),
        ("sampai=9999-12-31", "Tanggal 'sampai' (9999-12-31) di luar rentang"),
        ("dari=1999-12-31&sampai=2000-01-02", "Tanggal 'dari' (1999-12-31) di luar rentang"),
        ("dari=2026-11-22&sampai=2026-11-01", "harus sebelum atau sama dengan"),
        ("dari=2024-01-01&sampai=2026-01-01", "Periode paling panjang 366 hari"),
        ("kategori=bukan_kategori", "Kategori 'bukan_kategori' tidak dikenal"),
        ("sumber=x%27%3B--", "tidak dikenal"),
    ],
)
def test_a_bad_filter_value_says_what_is_wrong_and_never_500(as_humas, query, message):
    page = as_humas.get(f"/siaga/viral?{query}", headers=HTML)
    assert page.status_code == 422
    assert message in htmllib.unescape(page.text)
    assert 'role="alert"' in page.text
    assert "<svg" in page.text  # the page still shows, unfiltered
    download = as_humas.get(f"/siaga/viral/isu.csv?{query}")
    assert download.status_code == 422 and message in download.text


def test_clicking_a_bar_or_a_map_point_opens_the_queue_for_that_kecamatan(as_humas):
    page = as_humas.get("/siaga/viral?kategori=jalan_jembatan").text
    links = [link for link in _links(page) if "kecamatan=Sangatta+Utara" in link]
    assert len(links) == 2  # the bar and the map circle
    assert len(set(links)) == 1
    query = parse_qs(urlsplit(links[0]).query)
    assert query["kategori"] == ["jalan_jembatan"] and query["kecamatan"] == ["Sangatta Utara"]
    assert query["dari"] and query["sampai"]  # the period the bar counts
    queue = as_humas.get(links[0]).text
    assert _queue_ids(queue) == {"drf-001", "drf-007"}  # the two road issues in Sangatta Utara
    assert '<option value="Sangatta Utara" selected>' in queue


def test_clicking_a_line_point_opens_the_queue_for_that_category_and_day(as_humas):
    page = as_humas.get("/siaga/viral?dari=2026-11-22&sampai=2026-11-22").text
    points = re.findall(r'data-kategori="([^"]+)" data-hari="([^"]+)"', page)
    assert ("kebakaran", "2026-11-22") in points
    link = next(link for link in _links(page) if "kategori=kebakaran" in link)
    assert parse_qs(urlsplit(link).query) == {
        "dari": ["2026-11-22"],
        "sampai": ["2026-11-22"],
        "kategori": ["kebakaran"],
    }
    assert _queue_ids(as_humas.get(link).text) == {"drf-008"}


def test_a_period_without_posts_shows_empty_tables_not_an_error(as_humas):
    page = as_humas.get("/siaga/viral?dari=2025-01-01&sampai=2025-01-31", headers=HTML)
    assert page.status_code == 200
    assert "Belum ada unggahan pada periode ini." in page.text
    assert _links(page.text) == []

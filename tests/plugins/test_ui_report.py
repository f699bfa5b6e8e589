"""GET /siaga/api/reports/monev: the monev report's figures as JSON (the same as `warehouse.report` and
`siaga stats` give for the month) or as its XLSX / PDF / CSV file, for both roles; a bad month is a
documented 422; the Isu viral page links this month's report. Fixture: tests/plugins/data/seed.sql
(everything in November 2026)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from warehouse.report import monthly_figures
from warehouse.stats import stats

HTML = {"Accept": "text/html"}


def _without_stamp(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k != "generated_at"}


@pytest.mark.parametrize("role", ["moderator", "humas"])
def test_the_reports_figures_are_the_warehouses_and_agree_with_stats(client, tokens, role):
    client.headers["Authorization"] = f"Bearer {tokens[role]}"
    response = client.get("/siaga/api/reports/monev", params={"month": "2026-11"})
    assert response.status_code == 200
    body = response.json()
    counts = stats()
    assert body["month"] == "2026-11" and body["has_data"] is True
    assert body["totals"]["posts"]["month"] == counts["posts"]
    assert {r["platform"]: r["posts"] for r in body["posts_per_platform"]} == counts["sources"]
    assert body["totals"]["issues"]["month"] == counts["issues"]
    assert body["drafts"]["by_status"] == counts["drafts"]
    assert body["totals"]["emergencies"]["month"] == counts["emergencies"]
    assert _without_stamp(body) == _without_stamp(monthly_figures("2026-11"))


def test_the_report_counts_the_fixtures_decisions_ticket_and_emergencies(as_moderator):
    body = as_moderator.get("/siaga/api/reports/monev", params={"month": "2026-11"}).json()
    assert (body["drafts"]["approved"], body["drafts"]["rejected"]) == (1, 1)
    # drf-009: first post 12 Nov 02:00 UTC, approved 13 Nov 03:00 UTC
    assert body["drafts"]["median_hours_to_approval"] == 25.0
    assert body["tickets"]["total"] == 1
    assert body["tickets"]["sla_total"]["verifikasi_late"] == 1
    handed = [i for i in body["emergencies"]["items"] if i["handoff_status"] == "handed_to_112"]
    assert [i["issue_id"] for i in handed] == ["isu-008"]
    assert handed[0]["minutes_to_alert"] == 10.0  # first post 04:00, alert delivered 04:10
    assert body["top_issues"][0]["issue_id"] == "isu-002"  # reach 1250, the largest


def test_a_month_without_data_says_so(as_humas):
    body = as_humas.get("/siaga/api/reports/monev", params={"month": "2025-01"}).json()
    assert body["has_data"] is False and body["summary"].startswith("Tidak ada data")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "november", "0999-01"])
def test_a_bad_month_is_a_documented_422(as_humas, month):
    response = as_humas.get("/siaga/api/reports/monev", params={"month": month})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "month"]
    operation = as_humas.get("/siaga/openapi.json").json()["paths"]["/api/reports/monev"]["get"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }
    assert {"401", "403", "503"} <= set(operation["responses"])


@pytest.mark.parametrize("role", ["moderator", "humas"])
def test_the_report_downloads_as_xlsx_pdf_and_csv(client, tokens, role):
    client.headers["Authorization"] = f"Bearer {tokens[role]}"
    xlsx = client.get("/siaga/api/reports/monev", params={"month": "2026-11", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="monev-2026-11.xlsx"' in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Ringkasan" in book.sheetnames and "Definisi" in book.sheetnames
    assert book["Ringkasan"]["B3"].value == stats()["posts"]
    pdf = client.get("/siaga/api/reports/monev", params={"month": "2026-11", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    csv = client.get("/siaga/api/reports/monev", params={"month": "2026-11", "format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbf") and csv.headers["content-type"].startswith("text/csv")
    assert client.get("/siaga/api/reports/monev", params={"format": "docx"}).status_code == 422


def test_humas_reads_draft_titles_masked_as_the_drafts_api_masks_them(as_humas, warehouse_path):
    import warehouse

    with warehouse.connect(write=True) as con:
        con.execute(
            "UPDATE drafts SET judul = 'Banjir Sangkima, lihat https://x.com/warga/status/1' WHERE draft_id = 'drf-002'"
        )
    body = as_humas.get("/siaga/api/reports/monev", params={"month": "2026-11"}).json()
    titles = [i["judul"] for i in body["top_issues"]]
    assert not any("x.com/warga" in t for t in titles)
    assert any("x.com/..." in t for t in titles)


def test_the_report_needs_a_login(client):
    assert client.get("/siaga/api/reports/monev").status_code == 401


def test_isu_viral_links_this_months_report_and_the_link_downloads(as_humas):
    html = as_humas.get("/siaga/viral", headers=HTML).text
    assert "Unduh laporan bulan ini" in html
    links = [unquote(part.split('"')[0]).replace("&amp;", "&") for part in html.split('href="')[1:]]
    report_links = [link for link in links if "/api/reports/monev" in link]
    assert {link.rsplit("format=", 1)[1] for link in report_links} == {"xlsx", "pdf"}
    for link in report_links:
        response = as_humas.get(link)
        assert response.status_code == 200 and len(response.content) > 0
        assert "attachment" in response.headers["content-disposition"]

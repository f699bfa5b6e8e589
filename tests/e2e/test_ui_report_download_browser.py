"""The monthly monev report downloads from the Isu viral page in headless Chromium, as humas would."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize("role", ["humas", "moderator"])
def test_this_months_report_downloads_as_xlsx_and_pdf(as_user, role):
    page = as_user(role)
    page.go("/siaga/viral")
    with page.page.expect_download() as xlsx_download:
        page.page.click("#laporan-monev a:text('XLSX')")
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename.startswith("monev-") and xlsx.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))  # its temp name has no .xlsx
    assert "Definisi" in workbook.sheetnames and len(workbook.sheetnames) > 2

    with page.page.expect_download() as pdf_download:
        page.page.click("#laporan-monev a:text('PDF')")
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    body = Path(pdf.path()).read_bytes()
    assert body.startswith(b"%PDF") and b"/Type /Page" in body
    assert page.problems == []

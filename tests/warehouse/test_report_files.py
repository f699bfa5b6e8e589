"""The monev report's files: XLSX read back with openpyxl, PDF pages decoded, CSV with its BOM, and
`siaga report monev` with its exit codes. The warehouse is the bundled sample (see test_report.py)."""

from __future__ import annotations

import csv
import io
import re
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.warehouse.report_sample import MONTH, build_sample_warehouse, siaga
from warehouse.report import monthly_figures
from warehouse.report_writers import INDICATORS, csv_bytes, pdf_bytes, report_tables, write_report, xlsx_bytes

EXIT_USAGE, EXIT_IO = 2, 4


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    return build_sample_warehouse(tmp_path_factory.mktemp("report-files"))


@pytest.fixture
def sample(sample_warehouse, monkeypatch) -> Path:
    """The sample warehouse, read only by these tests."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(sample_warehouse))
    return sample_warehouse


def pdf_pages(data: bytes) -> list[bytes]:
    """Each page's decoded content stream, in page order (fpdf2 writes them in order, Flate-compressed)."""
    pages_object = next(m.group(1) for m in re.finditer(rb"<<([^<>]*)>>", data) if b"/Type /Pages" in m.group(1))
    count = int(re.search(rb"/Count (\d+)", pages_object).group(1))
    contents = []
    for match in re.finditer(rb"<<([^<>]*?/Filter /FlateDecode[^<>]*?)>>\s*stream\r?\n", data):
        start = match.end()
        length = int(re.search(rb"/Length (\d+)", match.group(1)).group(1))
        try:
            text = zlib.decompress(data[start : start + length])
        except zlib.error:
            continue
        if b"BT" in text and b"Halaman" in text:  # a page's text, not a picture or a font
            contents.append(text)
    assert len(contents) == count, (len(contents), count)
    return contents


def test_xlsx_has_a_sheet_per_table_with_real_numbers_and_frozen_headers(sample):
    figures = monthly_figures(MONTH)
    book = load_workbook(io.BytesIO(xlsx_bytes(figures)))
    tables = report_tables(figures)
    assert book.sheetnames == [t.sheet for t in tables] + ["Definisi"]
    main = book["Ringkasan"]
    assert main.freeze_panes == "A3"
    assert [c.value for c in main[2]] == ["Indikator", "November 2026", "Oktober 2026", "Selisih"]
    by_label = {row[0].value: row for row in main.iter_rows(min_row=3)}
    posts = by_label["Unggahan warga"]
    assert posts[1].value == figures["totals"]["posts"]["month"] and posts[1].data_type == "n"
    assert isinstance(posts[1].value, int)
    platforms = book["Platform"]
    values = [row[1].value for row in platforms.iter_rows(min_row=3)]
    assert values == [r["posts"] for r in figures["posts_per_platform"]]
    assert all(isinstance(v, int) for v in values)
    assert platforms.column_dimensions["A"].width >= len("Platform")
    category = book["Kategori"]
    assert category.freeze_panes == "A3"
    assert sum(row[1].value for row in category.iter_rows(min_row=3)) == figures["totals"]["issues"]["month"]
    emergencies = book["Darurat"]
    first_seen = [row[3].value for row in emergencies.iter_rows(min_row=3)]
    assert first_seen and all(hasattr(v, "hour") for v in first_seen)  # date-times, not text
    definitions = book["Definisi"]
    terms = [row[0].value for row in definitions.iter_rows(min_row=3)]
    assert {"Ringkasan", "Isu", "Batas waktu", "Darurat"} <= set(terms)


def test_pdf_is_a4_with_the_regency_period_and_page_number_on_every_page(sample):
    figures = monthly_figures(MONTH)
    data = pdf_bytes(figures)
    assert data.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 portrait, in points
    pages = pdf_pages(data)
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert b"Kabupaten Kutai Timur" in page
        assert b"November 2026" in page
        assert f"(Halaman {n} dari ) Tj ({len(pages)}) Tj".encode() in page  # the total is filled in at the end
    assert data.count(b"/Subtype /Image") >= 3  # the trend, the categories and the kecamatan map


def test_csv_is_the_main_table_in_utf8_with_a_bom(sample):
    figures = monthly_figures(MONTH)
    data = csv_bytes(figures)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Indikator", "November 2026", "Oktober 2026", "Selisih"]
    assert len(rows) == 1 + len(INDICATORS)
    assert rows[1] == [
        "Unggahan warga",
        str(figures["totals"]["posts"]["month"]),
        "0",
        str(figures["totals"]["posts"]["month"]),
    ]


def test_an_empty_month_gives_valid_files_that_say_so(sample, tmp_path):
    figures = monthly_figures("2025-02")
    book = load_workbook(io.BytesIO(xlsx_bytes(figures)))
    assert book["Kategori"]["A3"].value == "Tidak ada data untuk periode ini."
    assert book["Definisi"]["B3"].value.startswith("Tidak ada data")
    pages = pdf_pages(pdf_bytes(figures))
    assert b"Tidak ada data" in pages[0]
    text = csv_bytes(figures).decode("utf-8-sig")
    assert "Tidak ada data untuk Februari 2025" in text
    out = write_report(figures, "pdf", tmp_path / "kosong.pdf")
    assert out.stat().st_size > 0 and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_siaga_report_monev_writes_each_format(sample, tmp_path, fmt):
    out = tmp_path / f"monev.{fmt}"
    done = siaga("report", "monev", "--month", MONTH, "--format", fmt, "--out", str(out), warehouse_file=sample)
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith({"xlsx": b"PK", "pdf": b"%PDF", "csv": b"\xef\xbb\xbf"}[fmt])


def test_siaga_report_monev_on_an_empty_month_exits_0_and_says_so(sample, tmp_path):
    out = tmp_path / "kosong.xlsx"
    done = siaga("report", "monev", "--month", "2025-02", "--format", "xlsx", "--out", str(out), warehouse_file=sample)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0 and "tidak ada data" in done.stderr


def test_siaga_report_monev_refuses_a_bad_month_and_an_unwritable_path(sample, tmp_path):
    bad = siaga(
        "report",
        "monev",
        "--month",
        "2026-13",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "x.pdf"),
        warehouse_file=sample,
    )
    assert bad.returncode == EXIT_USAGE and "Traceback" not in bad.stderr
    assert [line for line in bad.stderr.splitlines() if line.startswith("siaga report: ")]
    assert not (tmp_path / "x.pdf").exists()
    missing = tmp_path / "no" / "such" / "folder" / "x.pdf"
    io_error = siaga(
        "report", "monev", "--month", MONTH, "--format", "pdf", "--out", str(missing), warehouse_file=sample
    )
    assert io_error.returncode == EXIT_IO and "Traceback" not in io_error.stderr
    assert str(missing) in io_error.stderr
    assert not Path(str(missing) + ".part").exists()

"""The monev report on paper: XLSX (one sheet per table), PDF (A4 with charts) and CSV (the main table).

Every writer takes the figures of `warehouse.report.monthly_figures` and lays out the same tables
(`report_tables`), so the three files and the JSON API never disagree. A file is written beside its
target and renamed at the end: a failure leaves no half-written report.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.domain import PLATFORM_LABELS
from core.env import setting

FORMATS = ("xlsx", "pdf", "csv")
TITLE = "Laporan Monitoring dan Evaluasi Kutim Siaga"
DECISION_LABELS = {"approved": "Disetujui", "rejected": "Ditolak", "merged": "Digabung", "waiting": "Menunggu moderasi"}
STAGE_LABELS = {
    "verifikasi": "Verifikasi",
    "tindak_lanjut": "Tindak lanjut",
    "penutupan": "Penutupan",
    "selesai": "Selesai",
    "-": "Belum berjalan",
}
HANDOFF_LABELS = {
    "pending": "Menunggu",
    "handed_to_112": "Diserahkan ke 112",
    "dismissed": "Diabaikan",
    None: "Tanpa peringatan",
}
DRAFT_STATUS_LABELS = {
    "pending": "Menunggu",
    "approved": "Disetujui",
    "sending": "Sedang dikirim",
    "submitted": "Terkirim ke LAPOR!",
    "failed_retryable": "Gagal, dicoba lagi",
    "failed_permanent": "Gagal",
    "exported": "Diekspor",
    "rejected": "Ditolak",
    "merged": "Digabung",
    None: "-",
}
INDICATORS = (  # the main table: (totals key, label, kind)
    ("posts", "Unggahan warga", "int"),
    ("issues", "Isu baru", "int"),
    ("emergencies", "Isu darurat", "int"),
    ("reach", "Jangkauan isu (suka + bagikan + komentar + unggah ulang)", "int"),
    ("drafts", "Draf laporan SP4N-LAPOR!", "int"),
    ("approved", "Draf disetujui", "int"),
    ("rejected", "Draf ditolak", "int"),
    ("merged", "Draf digabung", "int"),
    ("waiting", "Draf menunggu moderasi", "int"),
    ("median_hours_to_approval", "Median jam dari unggahan pertama sampai disetujui", "float"),
    ("tickets", "Draf yang diteruskan ke SP4N-LAPOR!", "int"),
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | int | float | share (0..1, shown as %) | time (ISO 8601 in WITA) | auto (row's _kind)
    weight: float = 1.0  # a text column's share of the PDF width left by the numbers


@dataclass(frozen=True)
class Table:
    sheet: str  # at most 31 characters (Excel's limit)
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]


def _compare_columns(measure: str, header: str) -> tuple[Column, ...]:
    return (Column(measure, header, "int"), Column("previous", "Bulan lalu", "int"), Column("change", "Selisih", "int"))


GROUP_COLUMNS = (
    Column("emergencies", "Darurat", "int"),
    Column("drafts", "Draf", "int"),
    Column("approved", "Disetujui", "int"),
    Column("rejected", "Ditolak", "int"),
    Column("waiting", "Menunggu", "int"),
    Column("posts", "Unggahan", "int"),
    Column("reach", "Jangkauan", "int"),
)


def report_tables(figures: dict[str, Any]) -> list[Table]:
    """The report's tables in reading order; the first is the main one (the CSV)."""
    from extractors.lapor import sla

    totals = figures["totals"]
    main_rows = [
        {"indicator": label, **{k: totals[key][k] for k in ("month", "previous", "change")}, "_kind": kind}
        for key, label, kind in INDICATORS
    ]
    sla_columns: list[Column] = [Column("opd", "OPD"), Column("tickets", "Tiket", "int")]
    for name, days, _start, _end in sla.STAGES:
        label = f"{STAGE_LABELS[name]} ({days} hari kerja)"
        sla_columns += [
            Column(f"{name}_met", f"{label}: tepat waktu", "int"),
            Column(f"{name}_late", f"{label}: terlambat", "int"),
            Column(f"{name}_running", f"{label}: berjalan", "int"),
            Column(f"{name}_share", f"{label}: % tepat waktu", "share"),
        ]
    tickets = figures["tickets"]
    drafts = figures["drafts"]
    return [
        Table(
            "Ringkasan",
            "Ringkasan bulan ini dibanding bulan lalu",
            (
                Column("indicator", "Indikator"),
                Column("month", figures["month_label"], "auto"),
                Column("previous", figures["previous_month_label"], "auto"),
                Column("change", "Selisih", "auto"),
            ),
            main_rows,
        ),
        Table(
            "Platform",
            "Unggahan per platform",
            (Column("platform_label", "Platform"), *_compare_columns("posts", "Unggahan")),
            [
                {**r, "platform_label": PLATFORM_LABELS.get(r["platform"], r["platform"])}
                for r in figures["posts_per_platform"]
            ],
        ),
        Table(
            "Tren harian",
            "Unggahan per hari (WITA)",
            (Column("day", "Tanggal"), Column("posts", "Unggahan", "int")),
            figures["daily_posts"],
        ),
        Table(
            "Kategori",
            "Isu dan draf per kategori",
            (Column("label", "Kategori"), *_compare_columns("issues", "Isu"), *GROUP_COLUMNS),
            [{**r, "label": r.get("label") or r["category"]} for r in figures["by_category"]],
        ),
        Table(
            "Kecamatan",
            "Isu dan draf per kecamatan",
            (Column("kecamatan", "Kecamatan"), *_compare_columns("issues", "Isu"), *GROUP_COLUMNS),
            figures["by_kecamatan"],
        ),
        Table(
            "OPD",
            "Isu dan draf per OPD tujuan",
            (Column("opd", "OPD", weight=3), *_compare_columns("issues", "Isu"), *GROUP_COLUMNS),
            figures["by_opd"],
        ),
        Table(
            "Draf",
            "Keputusan moderator atas draf bulan ini",
            (Column("decision", "Keputusan"), Column("drafts", "Draf", "int")),
            [{"decision": label, "drafts": drafts[key]} for key, label in DECISION_LABELS.items()],
        ),
        Table(
            "Tiket per status",
            "Tiket SP4N-LAPOR! per status pengiriman",
            (Column("label", "Status"), Column("state", "Kode"), Column("tickets", "Tiket", "int")),
            tickets["by_state"],
        ),
        Table(
            "Tiket per tahap",
            "Tiket SP4N-LAPOR! per tahap layanan",
            (Column("stage_label", "Tahap"), Column("tickets", "Tiket", "int"), Column("overdue", "Terlambat", "int")),
            [{**r, "stage_label": STAGE_LABELS.get(r["stage"], r["stage"])} for r in tickets["by_stage"]],
        ),
        Table(
            "Batas waktu per OPD",
            "Tiket yang memenuhi batas waktu SP4N-LAPOR! per OPD",
            tuple(sla_columns),
            [*tickets["sla_per_opd"], tickets["sla_total"]] if tickets["total"] else [],
        ),
        Table(
            "Darurat",
            "Kejadian darurat dan serah terima ke 112",
            (
                Column("judul", "Judul", weight=2.5),
                Column("category_label", "Kategori"),
                Column("kecamatan", "Kecamatan"),
                Column("first_seen", "Unggahan pertama", "time"),
                Column("alerted_at", "Peringatan", "time"),
                Column("minutes_to_alert", "Menit sampai peringatan", "float"),
                Column("handoff_label", "Serah terima"),
                Column("handoff_at", "Waktu serah terima", "time"),
                Column("minutes_to_handoff", "Menit sampai serah terima", "float"),
                Column("issue_id", "ID isu", weight=1.3),
            ),
            [
                {
                    **r,
                    "judul": r["judul"] or f"Isu {r['issue_id']}",
                    "handoff_label": HANDOFF_LABELS.get(r["handoff_status"], r["handoff_status"]),
                }
                for r in figures["emergencies"]["items"]
            ],
        ),
        Table(
            "10 isu teratas",
            "Sepuluh isu dengan jangkauan terbesar",
            (
                Column("rank", "No", "int"),
                Column("judul", "Judul", weight=2.5),
                Column("category_label", "Kategori"),
                Column("kecamatan", "Kecamatan"),
                Column("opd", "OPD", weight=1.8),
                Column("post_count", "Unggahan", "int"),
                Column("report_count", "Laporan", "int"),
                Column("reach", "Jangkauan", "int"),
                Column("draft_label", "Status draf"),
                Column("issue_id", "ID isu", weight=1.3),
            ),
            [
                {
                    **r,
                    "rank": n,
                    "judul": r["judul"] or f"Isu {r['issue_id']}",
                    "draft_label": DRAFT_STATUS_LABELS.get(r["draft_status"], r["draft_status"]),
                }
                for n, r in enumerate(figures["top_issues"], start=1)
            ],
        ),
    ]


def definitions(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """(term, meaning) for the "Definisi" sheet and the PDF's last section."""
    from extractors.lapor import sla

    deadlines = ", ".join(f"{STAGE_LABELS[n].lower()} {d} hari kerja" for n, d, _s, _e in sla.STAGES)
    return [
        (
            "Periode",
            f"{figures['month_label']}: {figures['period']['start']} sampai sebelum "
            f"{figures['period']['end']} (WITA, UTC+8). Pembanding: {figures['previous_month_label']}.",
        ),
        (
            "Unggahan",
            "Unggahan publik warga yang dikumpulkan (X, Facebook, Instagram, WhatsApp), termasuk salinan "
            "dan unggahan ulang; dihitung pada bulan waktu unggahnya (bila tidak ada: waktu diambil).",
        ),
        (
            "Isu",
            "Satu masalah nyata yang dilaporkan banyak unggahan; dihitung pada bulan unggahan pertamanya. "
            "Draf, tiket dan kejadian darurat mengikuti bulan isunya.",
        ),
        ("Jangkauan", "Jumlah suka, bagikan, komentar dan unggah ulang seluruh unggahan sebuah isu."),
        (
            "Draf",
            "Rancangan laporan SP4N-LAPOR! untuk satu isu. Disetujui: disetujui moderator (termasuk yang sudah "
            "dikirim); ditolak; digabung ke draf lain; menunggu: belum diputuskan.",
        ),
        (
            "Median waktu persetujuan",
            "Nilai tengah jam dari unggahan pertama sebuah isu sampai drafnya pertama kali "
            "disetujui moderator (dari jejak audit).",
        ),
        ("Tiket", "Draf yang diteruskan ke SP4N-LAPOR!, dengan status pengiriman dan tahap layanannya."),
        (
            "Batas waktu",
            f"Batas layanan SP4N-LAPOR!: {deadlines}; dihitung tanpa Sabtu, Minggu, libur nasional "
            "dan cuti bersama. Tepat waktu: tahap selesai sebelum batas; terlambat: selesai setelah "
            "batas atau melewati batas dan belum selesai; berjalan: belum selesai, batas belum lewat. "
            "% tepat waktu = tepat / (tepat + terlambat).",
        ),
        (
            "Darurat",
            "Isu yang perlu penanganan segera (kebakaran, banjir merendam rumah, kecelakaan dengan korban, "
            "longsor, orang hilang). Menit sampai peringatan: dari unggahan pertama sampai peringatan "
            "terkirim. Serah terima: status penyerahan ke layanan 112.",
        ),
        ("Selisih", "Nilai bulan ini dikurangi nilai bulan lalu."),
        ("Dibuat", f"{figures['generated_at']} oleh Kutim Siaga (Diskominfo Staper {figures['regency']})."),
    ]


# -- writing a file ----------------------------------------------------------------------------------
def write_report(figures: dict[str, Any], fmt: str, out: str | Path) -> Path:
    """Write the report as `fmt` to `out` (atomically); returns the path."""
    writers: dict[str, Callable[[dict[str, Any]], bytes]] = {"xlsx": xlsx_bytes, "pdf": pdf_bytes, "csv": csv_bytes}
    if fmt not in writers:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    data = writers[fmt](figures)
    out = Path(out)
    partial = out.with_name(out.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, out)
    except BaseException as exc:
        if partial.is_file():
            partial.unlink()
        if isinstance(exc, OSError) and exc.filename in (str(partial), None):
            exc.filename = str(out)  # the name the person asked for
        raise
    return out


def _heading(figures: dict[str, Any]) -> str:
    return f"{figures['regency']} - {TITLE} - {figures['month_label']}"


# -- CSV -----------------------------------------------------------------------------------------------
def csv_bytes(figures: dict[str, Any]) -> bytes:
    """The main table (Ringkasan), UTF-8 with a BOM so that Excel reads it as UTF-8."""
    table = report_tables(figures)[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    if not figures["has_data"]:
        writer.writerow(["Keterangan", figures["summary"], "", ""])
    for row in table.rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in table.columns])
    return out.getvalue().encode("utf-8-sig")


# -- XLSX ----------------------------------------------------------------------------------------------
NUMBER_FORMATS = {"int": "#,##0", "float": "#,##0.0", "share": "0.0%", "time": "yyyy-mm-dd hh:mm"}
NUMERIC_KINDS = ("int", "float", "share", "auto")


def xlsx_bytes(figures: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7EE")
    for table in report_tables(figures):
        sheet = book.create_sheet(table.sheet[:31])
        sheet.append([f"{_heading(figures)}: {table.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[2]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if not table.rows:
            sheet.append(["Tidak ada data untuk periode ini."])
        for row in table.rows:
            # times as Excel date-times (WITA wall clock), so they sort and filter as times
            values = [_local_time(row.get(c.key)) if c.kind == "time" else row.get(c.key) for c in table.columns]
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                kind = row.get("_kind", "text") if column.kind == "auto" else column.kind
                if kind in NUMBER_FORMATS and cell.value is not None:
                    cell.number_format = NUMBER_FORMATS[kind]
        sheet.freeze_panes = "A3"  # title and headers stay in view
        for n, column in enumerate(table.columns, start=1):
            cells = [column.header, *(_shown(row.get(column.key)) for row in table.rows)]
            width = 16 if column.kind == "time" else max(len(str(text)) for text in cells)
            sheet.column_dimensions[get_column_letter(n)].width = min(max(width + 2, 8), 60)
    sheet = book.create_sheet("Definisi")
    sheet.append([f"{_heading(figures)}: ringkasan dan definisi"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(["Istilah", "Arti"])
    for cell in sheet[2]:
        cell.font, cell.fill = bold, header_fill
    sheet.append(["Ringkasan", figures["summary"]])
    for term, meaning in definitions(figures):
        sheet.append([term, meaning])
    sheet.freeze_panes = "A3"
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 110
    for row in sheet.iter_rows(min_row=3):
        row[0].font = bold
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _local_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=None) if value else None


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# -- PDF -----------------------------------------------------------------------------------------------
# The PDF's built-in Helvetica knows Windows-1252; other characters get a near equivalent.
PDF_REPLACEMENTS = {"→": "->", "≥": ">=", "≤": "<=", "\u200b": "", "\u00a0": " "}


def _pdf_text(value: Any) -> str:
    text = _shown(value) if not isinstance(value, str) else value
    for char, replacement in PDF_REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("cp1252", "replace").decode("cp1252")


def _pdf_number(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "share":
        return f"{value * 100:.1f} %".replace(".", ",")
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return _pdf_text(value)


def pdf_bytes(figures: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    heading = _pdf_text(f"{figures['regency']} - {TITLE}")
    period = _pdf_text(f"Periode: {figures['month_label']} (WITA), dibanding {figures['previous_month_label']}")

    class Report(FPDF):
        def header(self) -> None:  # the regency and the period on every page
            self.set_font("Helvetica", "B", 9)
            self.set_text_color(33, 37, 41)
            self.cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110, 117, 125)
            self.cell(0, 4, period, new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(200, 205, 210)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(4)
            self.set_text_color(33, 37, 41)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "", 8)
            self.set_text_color(110, 117, 125)
            self.cell(0, 6, f"Halaman {self.page_no()} dari {{nb}}", align="C")

    pdf = Report(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_pdf_text(f"{TITLE} {figures['month_label']}"))
    pdf.set_author("Kutim Siaga")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _pdf_text(f"{TITLE}\n{figures['month_label']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, _pdf_text(figures["summary"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    tables = report_tables(figures)
    _pdf_table(pdf, tables[0])
    if figures["has_data"]:
        for picture in _charts(figures):
            _pdf_picture(pdf, picture)
        for table in tables[1:]:
            if table.sheet == "Tren harian":
                continue  # drawn above as the trend chart
            _pdf_table(pdf, table)
    else:
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(
            0, 6, _pdf_text(f"Tidak ada data untuk {figures['month_label']}."), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(2)
    _pdf_section(pdf, "Definisi")
    for term, meaning in definitions(figures):
        pdf.set_font("Helvetica", "B", 8)
        pdf.multi_cell(0, 4, _pdf_text(term), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(0, 4, _pdf_text(meaning), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    return bytes(pdf.output())


def _charts(figures: dict[str, Any]) -> list[bytes]:
    from nlp.regions import all_regions
    from warehouse import report_charts

    daily = figures["daily_posts"]
    categories = [r for r in figures["by_category"] if r["issues"]]
    regions = all_regions()
    per_kecamatan = {r["kecamatan"]: r["issues"] for r in figures["by_kecamatan"]}
    points = [
        (r.name, r.lat, r.lon, per_kecamatan.get(r.name, 0))
        for r in regions
        if r.level == "kecamatan" and r.lat is not None and r.lon is not None
    ]
    backdrop = [(r.lat, r.lon) for r in regions if r.level == "desa" and r.lat is not None and r.lon is not None]
    return [
        report_charts.trend_chart(
            [d["day"] for d in daily], [d["posts"] for d in daily], f"Unggahan per hari, {figures['month_label']}"
        ),
        report_charts.bar_chart(
            [r.get("label") or r["category"] for r in categories],
            [r["issues"] for r in categories],
            "Isu baru per kategori",
        ),
        report_charts.kecamatan_map(backdrop, points, "Peta isu baru per kecamatan"),
    ]


def _pdf_picture(pdf, png: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if pdf.get_y() + width * ratio > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width)
    pdf.ln(3)


def _pdf_section(pdf, title: str) -> None:
    if pdf.get_y() + 20 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 6, _pdf_text(title), new_x="LMARGIN", new_y="NEXT")


def _pdf_table(pdf, table: Table) -> None:
    _pdf_section(pdf, table.title)
    if not table.rows:
        pdf.set_font("Helvetica", "I", 9)
        pdf.multi_cell(0, 5, "Tidak ada data untuk periode ini.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    columns = table.columns
    numeric = [c.kind in NUMERIC_KINDS for c in columns]
    # Numbers get a fixed width, text columns share the rest by weight; the wide SLA table a smaller font.
    width = pdf.w - pdf.l_margin - pdf.r_margin
    size = 5.5 if len(columns) > 11 else 6.5 if sum(numeric) > 7 else 7
    number_w = min(17, max(12, width * 0.5 / max(sum(numeric), 1)))
    # A number column is at least as wide as the longest word of its heading, so no word breaks mid-way.
    pdf.set_font("Helvetica", "B", size)
    number_ws = [
        max(number_w, max(pdf.get_string_width(word) for word in _pdf_text(c.header).split()) + 2.5) if n else 0.0
        for c, n in zip(columns, numeric, strict=True)
    ]
    pdf.set_font("Helvetica", "", size)
    weights = sum(c.weight for c, n in zip(columns, numeric, strict=True) if not n)
    text_share = (width - sum(number_ws)) / max(weights, 1)
    widths = [w if n else max(c.weight * text_share, 14) for c, n, w in zip(columns, numeric, number_ws, strict=True)]
    aligns = ["RIGHT" if n else "LEFT" for n in numeric]
    with pdf.table(
        col_widths=widths,
        text_align=aligns,
        line_height=size * 0.55,
        first_row_as_headings=True,
        repeat_headings=1,
        width=width,
    ) as rendered:
        heading = rendered.row()
        for column in columns:
            heading.cell(_pdf_text(column.header))
        for row in table.rows:
            cells = rendered.row()
            for column in columns:
                kind = row.get("_kind", "text") if column.kind == "auto" else column.kind
                value = row.get(column.key)
                if kind == "time":
                    cells.cell(value[:16].replace("T", " ") if value else "-")
                elif kind in NUMERIC_KINDS:
                    cells.cell(_pdf_number(value, kind))
                else:
                    cells.cell(_pdf_text(value or "-"))
    pdf.ln(3)


# -- the monthly run (DAG monev_report) -----------------------------------------------------------------
def reports_dir() -> Path:
    """`SIAGA_REPORTS_DIR`, else ./data/reports (beside the default warehouse)."""
    return Path(setting("reports_dir"))


def write_month_files(month: str, folder: str | Path | None = None) -> dict[str, Any]:
    """The month's report in every format, as <folder>/monev-YYYY-MM.<format>; rewriting replaces them."""
    from warehouse.report import monthly_figures

    folder = Path(folder) if folder is not None else reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    figures = monthly_figures(month)  # one reading, so the three files agree
    files = {fmt: str(write_report(figures, fmt, folder / f"monev-{figures['month']}.{fmt}")) for fmt in FORMATS}
    return {
        "month": figures["month"],
        "month_label": figures["month_label"],
        "has_data": figures["has_data"],
        "files": files,
        "summary": figures["summary"],
    }


def announcement(written: dict[str, Any], ui_base_url: str) -> tuple[str, str]:
    """The message that tells the alert channels a month's report is ready (title, body in Bahasa
    Indonesia): the summary paragraph and where to download it (behind the UI's login)."""
    ui = ui_base_url.rstrip("/")
    month = written["month"]
    links = [f"{fmt.upper()}: {ui}/api/reports/monev?month={month}&format={fmt}" for fmt in ("xlsx", "pdf")]
    body = "\n".join(
        [
            written["summary"],
            "",
            "Unduh laporan (masuk dengan akun Kutim Siaga):",
            *links,
            f"Berkas di server: {', '.join(Path(path).name for path in written['files'].values())}",
        ]
    )
    return f"Laporan monev Kutim Siaga {written['month_label']}", body

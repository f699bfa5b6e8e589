"""Every table's CSV download: UTF-8 with BOM, ';' separated, the rows the page shows under its
filters, masked for the user's role as the page masks them."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re

import pytest

from tests.plugins.helpers import csrf_from

HTML = {"Accept": "text/html"}
BOM = b"\xef\xbb\xbf"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(BOM)
    text = response.content[len(BOM) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _table_cells(page: str, table_start: str) -> list[list[str]]:
    table = page.split(table_start)[1].split("</table>")[0].split("<tbody>")[1]
    rows = []
    for row in table.split("</tr>")[:-1]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _number(text: str) -> int:
    return int(text.replace(".", "").replace("+", ""))


@pytest.mark.parametrize(
    "path, header",
    [
        ("/siaga/viral/isu.csv", "Isu"),
        ("/siaga/viral/kecamatan.csv", "Kecamatan"),
        ("/siaga/viral/lapor.csv", "Tahap"),
        ("/siaga/antrian.csv", "Judul"),
        ("/siaga/lapor.csv", "Laporan"),
        ("/siaga/audit.csv", "Waktu (WITA)"),
        ("/siaga/darurat.csv", "Apa"),
    ],
)
def test_every_table_downloads_as_csv_with_bom_and_header_for_both_roles(as_humas, tokens, path, header):
    for role in ("humas", "moderator"):
        as_humas.headers["Authorization"] = f"Bearer {tokens[role]}"
        rows = _csv(as_humas.get(path))
        assert rows[0][0] == header
        assert all(len(row) == len(rows[0]) for row in rows)


def test_every_table_on_the_pages_links_its_download(as_moderator):
    for page, ids in (
        ("/siaga/viral", ("unduh-isu", "unduh-kecamatan", "unduh-ringkasan-lapor")),
        ("/siaga/antrian", ("unduh-antrian",)),
        ("/siaga/lapor", ("unduh-lapor",)),
        ("/siaga/audit", ("unduh-audit",)),
        ("/siaga/darurat", ("unduh-darurat",)),
    ):
        html = as_moderator.get(page, headers=HTML).text
        assert html.count("<table") == len(ids), page
        for link_id in ids:
            assert f'id="{link_id}"' in html, (page, link_id)


def test_csv_needs_a_login(client):
    response = client.get("/siaga/antrian.csv", follow_redirects=False)
    assert response.status_code in (302, 303, 307, 401)


def test_queue_csv_has_the_rows_the_filtered_page_shows_in_its_order(as_humas):
    query = "kecamatan=Sangatta+Utara"
    page = as_humas.get(f"/siaga/antrian?{query}", headers=HTML).text
    shown = re.findall(r'data-draft="([^"]+)"', page)
    cells = _table_cells(page, '<table class="queue">')
    rows = _csv(as_humas.get(f"/siaga/antrian.csv?{query}"))
    header, body = rows[0], rows[1:]
    assert [r[header.index("ID draf")] for r in body] == shown and len(shown) >= 2
    for row, page_row in zip(body, cells, strict=True):
        assert page_row[0].endswith(row[0])  # the title as shown (after any badge)
        assert row[1:5] == page_row[1:5]  # kategori, lokasi, OPD, sumber
        assert _number(page_row[5]) == int(row[5]) and _number(page_row[6]) == int(row[6])
        assert row[7] == page_row[7]
    everything = _csv(as_humas.get("/siaga/antrian.csv"))
    assert len(everything) > len(rows)


def test_viral_csvs_follow_the_dashboard_filters(as_humas):
    query = "dari=2026-11-15&sampai=2026-11-22&opd=Dinas+Pekerjaan+Umum+dan+Penataan+Ruang"
    page = as_humas.get(f"/siaga/viral?{query}", headers=HTML).text
    shown = _table_cells(page, '<table id="viral">')
    rows = _csv(as_humas.get(f"/siaga/viral/isu.csv?{query}"))[1:]
    assert [r[0] for r in rows] == [r[0] for r in shown] and rows
    assert [int(r[5]) for r in rows] == [_number(r[5]) for r in shown]
    kecamatan_page = _table_cells(page, '<table class="compact" id="kecamatan">')
    kecamatan = _csv(as_humas.get(f"/siaga/viral/kecamatan.csv?{query}"))[1:]
    assert [[r[0], int(r[1]), int(r[2]), int(r[3])] for r in kecamatan] == [
        [r[0], _number(r[1]), _number(r[2]), _number(r[3])] for r in kecamatan_page
    ]
    assert [r[0] for r in kecamatan] == ["Sangatta Utara"]


def test_lapor_and_audit_csvs_hold_what_their_pages_show(as_moderator):
    page = as_moderator.get("/siaga/lapor", headers=HTML).text
    shown = re.findall(r'<tr class="[^"]*" data-draf="([^"]+)"', page)
    rows = _csv(as_moderator.get("/siaga/lapor.csv"))
    assert [r[rows[0].index("ID draf")] for r in rows[1:]] == shown


def test_audit_csv_holds_the_filtered_rows_with_the_reason_masked_as_on_the_page(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-008", headers=HTML).text
    reason = "Sudah ditangani Damkar, pelapor 0812-7777-4321"
    as_moderator.post(
        "/siaga/draf/drf-008/tolak",
        data={"csrf_token": csrf_from(html), "version": "1", "alasan": reason},
        headers=HTML,
    )
    audit_page = as_moderator.get("/siaga/audit?draf=drf-008", headers=HTML).text
    shown = _table_cells(audit_page, '<table id="audit">')
    rows = _csv(as_moderator.get("/siaga/audit.csv?draf=drf-008"))[1:]
    assert rows and len(rows) == len(shown)
    assert [r[:5] for r in rows] == [r[:5] for r in shown]
    assert any(r[5].startswith("Alasan: Sudah ditangani Damkar") for r in rows)
    assert not any("0812-7777-4321" in r[5] for r in rows)
    assert [" ".join(r[5].split()) for r in rows] == [" ".join(r[5].split()) for r in shown]


def test_humas_gets_the_masked_text_the_page_shows_moderators_keep_links(as_humas, tokens, warehouse_path):
    from warehouse import connect, summaries

    phone, url = "0812-7777-4321", "https://x.com/warga_sangkima/status/1861000000000009999"
    with connect(write=True, path=warehouse_path) as con:
        con.execute(
            "UPDATE drafts SET judul = ? WHERE draft_id = 'drf-002'",
            [f"Banjir Sangkima, hubungi {phone}, video {url}"],
        )
        summaries.refresh_queue(con, draft_ids=["drf-002"])  # as the writers keep the queue's copy (016)
    humas = _csv(as_humas.get("/siaga/darurat.csv"))
    humas_cell = next(r[0] for r in humas if r[0].startswith("Banjir Sangkima"))
    page = as_humas.get("/siaga/darurat", headers=HTML).text
    assert htmllib.escape(humas_cell, quote=False) in page or humas_cell in htmllib.unescape(page)
    assert phone not in humas_cell and "warga_sangkima" not in humas_cell
    assert "x.com/..." in humas_cell

    as_humas.headers["Authorization"] = f"Bearer {tokens['moderator']}"
    moderator = _csv(as_humas.get("/siaga/darurat.csv"))
    moderator_cell = next(r[0] for r in moderator if r[0].startswith("Banjir Sangkima"))
    assert phone not in moderator_cell and url in moderator_cell
    # the queue masks personal data for both roles, as its page does
    queue = _csv(as_humas.get("/siaga/antrian.csv"))
    assert not any(phone in cell for row in queue for cell in row)
    assert any(r[0].startswith("Banjir Sangkima") for r in queue)


def test_the_csv_opens_in_a_spreadsheet_with_accents_and_numbers(as_humas):
    """Excel reads the BOM as UTF-8; the numbers are bare digits, not 1.250 with a thousands dot."""
    rows = _csv(as_humas.get("/siaga/viral/kecamatan.csv"))
    assert all(cell.isdigit() for row in rows[1:] for cell in row[1:])
    assert as_humas.get("/siaga/viral/kecamatan.csv").content.count(b"\xef\xbb\xbf") == 1

"""The HTML pages through FastAPI's TestClient: login redirect, escaping, CSRF, forms, roles."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from tests.plugins.helpers import csrf_from, draft_row, events

HTML = {"Accept": "text/html"}


def test_page_without_login_redirects_to_airflow_login(client):
    response = client.get("/siaga/antrian?kategori=banjir", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/auth/login")
    assert "next=%2Fsiaga%2Fantrian%3Fkategori%3Dbanjir" in location


def test_session_cookie_from_airflow_login_is_accepted(client, tokens):
    client.cookies.set("_token", tokens["moderator"])
    response = client.get("/siaga/antrian", headers=HTML)
    assert response.status_code == 200
    assert "Antrian draf" in response.text and "moderator" in response.text


def test_pages_send_a_strict_csp_and_no_inline_script(as_humas):
    for path in (
        "/siaga/antrian",
        "/siaga/draf/drf-004",
        "/siaga/viral",
        "/siaga/darurat",
        "/siaga/lapor",
        "/siaga/audit",
    ):
        response = as_humas.get(path, headers=HTML)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert response.headers["cache-control"] == "no-store"
        scripts = re.findall(r"<script\b[^>]*>", response.text)
        assert scripts and all("src=" in tag for tag in scripts), path
        assert " style=" not in response.text
        assert "http://" not in response.text.replace("http://www.w3.org/2000/svg", "")


def test_script_in_a_post_shows_as_text(as_humas):
    html = as_humas.get("/siaga/draf/drf-004", headers=HTML).text
    assert "mati semua &lt;script&gt;alert(1)&lt;/script&gt; tolong PLN" in html
    assert "<script>alert(1)" not in html


def test_a_javascript_url_in_a_post_is_not_linked(as_humas):
    html = as_humas.get("/siaga/draf/drf-007", headers=HTML).text
    assert "Lubang besar lagi" in html
    assert "javascript:" not in html


def test_queue_page_shows_filters_with_counts_and_dates_in_wita(as_moderator):
    html = as_moderator.get("/siaga/antrian", params={"kecamatan": "Sangatta Utara"}, headers=HTML).text
    assert "3 draf menunggu" in html
    assert '<option value="jalan_jembatan" >Jalan dan jembatan (2)</option>' in html
    assert '<option value="Sangatta Utara" selected>Sangatta Utara (3)</option>' in html
    # isu-001's last post, 22 Nov 03:40 UTC, is 11:40 WITA.
    assert "22 Nov 2026 11:40 WITA" in html


def test_personal_data_is_masked_until_a_moderator_unmasks_it_and_that_is_audited(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-003", headers=HTML).text
    assert "0812-5555-1234" not in html and "6408011203900001" not in html and "warga.bengalon" not in html
    assert "B*** S***" in html and "Bambang" not in html
    assert events("drf-003") == []
    unmasked = as_moderator.post("/siaga/draf/drf-003/buka-data", data={"csrf_token": csrf_from(html)}, headers=HTML)
    assert unmasked.status_code == 200
    assert "0812-5555-1234" in unmasked.text and "Bambang Sutrisno" in unmasked.text
    assert "tercatat di audit" in unmasked.text
    assert [(e["action"], e["actor"]) for e in events("drf-003")] == [("unmask", "moderator")]
    # The next plain visit is masked again.
    assert "0812-5555-1234" not in as_moderator.get("/siaga/draf/drf-003", headers=HTML).text


def test_a_form_without_the_csrf_token_is_refused(as_moderator):
    response = as_moderator.post(
        "/siaga/draf/drf-001/tolak", data={"alasan": "bukan wewenang", "version": "1"}, headers=HTML
    )
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert draft_row("drf-001")["status"] == "pending"


def test_edit_and_approve_from_the_detail_form(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-001", headers=HTML).text
    form = {
        "csrf_token": csrf_from(html),
        "version": "1",
        "judul": "Perbaikan Jl. Yos Sudarso, Swarga Bara",
        "isi": "Jalan berlubang besar, dua pengendara jatuh.",
        "kategori": "jalan_jembatan",
        "klasifikasi": "pengaduan",
        "region_code": "64.08.04.2012",
        "opd": "Dinas PUPR",
        "rahasia": "1",
        "aksi": "setujui",
    }
    response = as_moderator.post("/siaga/draf/drf-001/simpan", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/siaga/draf/drf-001?hasil=disetujui"
    row = draft_row("drf-001")
    assert (row["status"], row["judul"], row["opd"], row["rahasia"], row["anonim"]) == (
        "approved",
        "Perbaikan Jl. Yos Sudarso, Swarga Bara",
        "Dinas PUPR",
        True,
        False,
    )
    assert [e["action"] for e in events("drf-001")] == ["edit", "approve"]
    page = as_moderator.get(response.headers["location"], headers=HTML).text
    assert "Draf disetujui" in page and "Disetujui" in page


def test_a_stale_form_shows_the_conflict_and_keeps_what_was_typed(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-005", headers=HTML).text
    as_moderator.patch("/siaga/api/drafts/drf-005", json={"version": 1, "judul": "Diubah moderator lain"})
    form = {
        "csrf_token": csrf_from(html),
        "version": "1",
        "judul": "Judul ketikan saya",
        "isi": "Isi ketikan saya yang panjang",
        "kategori": "kesehatan",
        "klasifikasi": "pengaduan",
        "region_code": "64.08.05.2001",
        "opd": "Dinas Kesehatan",
        "aksi": "simpan",
    }
    response = as_moderator.post("/siaga/draf/drf-005/simpan", data=form, headers=HTML)
    assert response.status_code == 409
    assert "sudah diubah orang lain" in response.text
    assert 'value="Judul ketikan saya"' in response.text and "Isi ketikan saya yang panjang" in response.text
    assert "Diubah moderator lain" in response.text  # the newer version is shown beside it
    assert draft_row("drf-005")["judul"] == "Diubah moderator lain"


def test_reject_form_needs_a_reason_and_keeps_the_draft_pending(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-006", headers=HTML).text
    bad = as_moderator.post(
        "/siaga/draf/drf-006/tolak",
        data={"csrf_token": csrf_from(html), "version": "1", "alasan": "x"},
        headers=HTML,
    )
    assert bad.status_code == 422 and "Alasan penolakan wajib diisi" in bad.text
    assert draft_row("drf-006")["status"] == "pending"
    ok = as_moderator.post(
        "/siaga/draf/drf-006/tolak",
        data={"csrf_token": csrf_from(html), "version": "1", "alasan": "Duplikat laporan DLH"},
        headers=HTML,
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert draft_row("drf-006")["reject_reason"] == "Duplikat laporan DLH"


def test_bulk_approve_decides_each_selected_draft_with_its_own_audit_row(as_moderator):
    html = as_moderator.get("/siaga/antrian", headers=HTML).text
    form = {
        "csrf_token": csrf_from(html),
        "aksi": "approve",
        "pilih": ["drf-004:1", "drf-005:1"],
        "kembali": "kategori=listrik",
    }
    response = as_moderator.post("/siaga/antrian/massal", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/siaga/antrian?kategori=listrik&hasil=setuju:2:0"
    assert draft_row("drf-004")["status"] == draft_row("drf-005")["status"] == "approved"
    assert all(
        e["action"] == "approve" and '"bulk": true' in e["detail"] for e in events("drf-004") + events("drf-005")
    )
    page = as_moderator.get(response.headers["location"], headers=HTML).text
    assert "2 draf disetujui." in page


def test_bulk_skips_a_draft_changed_since_the_queue_was_shown(as_moderator):
    html = as_moderator.get("/siaga/antrian", headers=HTML).text
    as_moderator.patch("/siaga/api/drafts/drf-004", json={"version": 1, "opd": "PLN UP3 Berau"})
    form = {
        "csrf_token": csrf_from(html),
        "aksi": "reject",
        "alasan": "Bukan kewenangan daerah",
        "pilih": ["drf-004:1", "drf-005:1"],
    }
    response = as_moderator.post("/siaga/antrian/massal", data=form, headers=HTML)
    assert response.status_code == 200
    assert "1 draf ditolak; 1 dilewati" in response.text
    assert draft_row("drf-004")["status"] == "pending"
    assert draft_row("drf-005")["status"] == "rejected"


def test_bulk_reject_without_reason_keeps_the_selection(as_moderator):
    html = as_moderator.get("/siaga/antrian", headers=HTML).text
    form = {"csrf_token": csrf_from(html), "aksi": "reject", "alasan": "", "pilih": ["drf-004:1"]}
    response = as_moderator.post("/siaga/antrian/massal", data=form, headers=HTML)
    assert response.status_code == 422
    assert "Alasan penolakan wajib diisi" in response.text
    assert (
        'value="drf-004:1"\n          aria-label="Pilih Lampu penerangan jalan padam di Muara Wahau" checked'
        in response.text
    )
    assert draft_row("drf-004")["status"] == "pending"


def test_humas_form_post_is_403_and_changes_nothing(as_humas):
    html = as_humas.get("/siaga/draf/drf-001", headers=HTML).text
    assert 'id="setujui"' not in html and "Peran Humas hanya dapat melihat" in html
    from siaga_ui.auth import SiagaUser, csrf_token

    token = csrf_token(SiagaUser(name="humas", role="humas"))
    for path, data in (
        ("/siaga/draf/drf-001/simpan", {"version": "1", "judul": "X", "aksi": "setujui"}),
        ("/siaga/draf/drf-001/tolak", {"version": "1", "alasan": "tidak perlu"}),
        ("/siaga/draf/drf-001/buka-data", {}),
        ("/siaga/antrian/massal", {"aksi": "approve", "pilih": "drf-001:1"}),
    ):
        response = as_humas.post(path, data={"csrf_token": token, **data}, headers=HTML)
        assert response.status_code == 403, path
        assert "khusus moderator" in response.text
    assert draft_row("drf-001")["status"] == "pending" and draft_row("drf-001")["version"] == 1
    assert events() == [e for e in events() if e["draft_id"] in ("drf-009", "drf-010")]


def test_merging_a_nearby_issue_moves_its_posts_and_closes_its_draft(as_moderator, warehouse_path):
    html = as_moderator.get("/siaga/draf/drf-001", headers=HTML).text
    assert "Lubang besar di Jl. Yos Sudarso dekat simpang" in html  # isu-007 is offered as nearby
    response = as_moderator.post(
        "/siaga/draf/drf-001/gabung",
        data={"csrf_token": csrf_from(html), "isu": "isu-007"},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert draft_row("drf-007")["status"] == "merged" and draft_row("drf-007")["merged_into"] == "drf-001"
    from warehouse import connect

    with connect() as con:
        assert con.execute("SELECT count(*) FROM issue_posts WHERE issue_id = 'isu-001'").fetchone()[0] == 4
        assert con.execute("SELECT post_count, reach FROM issues WHERE issue_id = 'isu-001'").fetchone() == (
            4,
            442,
        )
        assert con.execute("SELECT status FROM issues WHERE issue_id = 'isu-007'").fetchone()[0] == "merged"
    assert events("drf-007")[0]["action"] == "merge"
    merged_page = as_moderator.get("/siaga/draf/drf-007", headers=HTML).text
    assert 'digabung ke <a href="/siaga/draf/drf-001">draf drf-001</a>' in merged_page


HOLD_LOCK = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
""")


@pytest.fixture
def locked_warehouse(warehouse_path, monkeypatch):
    """Another process (like the ingest DAG) holds the warehouse; the UI waits 0.3 s at most."""
    from warehouse import moderation

    monkeypatch.setattr(moderation, "_wait_s", 0.3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(warehouse_path), "20"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    yield
    holder.kill()
    holder.wait()


def test_a_busy_warehouse_keeps_the_moderators_form_and_says_so(as_moderator, warehouse_path, request):
    html = as_moderator.get("/siaga/draf/drf-002", headers=HTML).text
    request.getfixturevalue("locked_warehouse")
    form = {
        "csrf_token": csrf_from(html),
        "version": "1",
        "judul": "Banjir Sangkima: evakuasi lansia",
        "isi": "Isi yang diketik moderator dengan teliti",
        "kategori": "banjir",
        "klasifikasi": "pengaduan",
        "region_code": "64.08.12.2003",
        "opd": "BPBD",
        "rahasia": "1",
        "anonim": "1",
        "aksi": "setujui",
    }
    response = as_moderator.post("/siaga/draf/drf-002/simpan", data=form, headers=HTML)
    assert response.status_code == 503
    assert "keputusan Anda BELUM tersimpan: tidak ada yang ditulis" in response.text
    assert 'value="Banjir Sangkima: evakuasi lansia"' in response.text
    assert "Isi yang diketik moderator dengan teliti</textarea>" in response.text
    assert '<input type="hidden" name="aksi" value="setujui">' in response.text
    assert 'action="/siaga/draf/drf-002/simpan"' in response.text
    api = as_moderator.get("/siaga/api/drafts")
    assert api.status_code == 503 and api.headers["retry-after"] == "60"


def test_viral_page_draws_charts_and_the_kutim_map_server_side(as_humas):
    html = as_humas.get("/siaga/viral", headers=HTML).text
    assert html.count("<svg") == 3
    assert "Peta sebaran isu per kecamatan di Kutai Timur" in html
    assert html.count('r="1.8"') >= 100  # the desa points from the official coordinates
    assert "Sangatta Selatan: 1 isu, 3 unggahan, 1 darurat" in html
    first_row = html.split('<table id="viral">')[1].split("</tr>")[1]
    assert "Banjir merendam rumah warga di Sangkima" in first_row
    assert "Lonjakan unggahan kategori banjir" in html


def test_emergency_page_shows_what_where_when_and_the_112_handoff(as_humas):
    html = as_humas.get("/siaga/darurat", headers=HTML).text
    assert "Kebakaran rumah di Kaliorang" in html and "Diteruskan ke 112" in html
    assert "Banjir merendam rumah warga di Sangkima" in html and "Belum diteruskan" in html
    assert "22 Nov 2026 12:00 WITA" in html  # the fire's first post, 04:00 UTC


def test_audit_page_lists_who_did_what_and_when(as_moderator):
    html = as_moderator.get("/siaga/draf/drf-008", headers=HTML).text
    as_moderator.post(
        "/siaga/draf/drf-008/tolak",
        data={"csrf_token": csrf_from(html), "version": "1", "alasan": "Sudah ditangani Damkar"},
        headers=HTML,
    )
    audit = as_moderator.get("/siaga/audit", headers=HTML).text
    row = audit.split('<table id="audit">')[1].split("</tr>")[1]
    assert "moderator" in row and "Menolak" in row and "Alasan: Sudah ditangani Damkar" in row and "drf-008" in row
    assert "WITA" in row


def test_a_busy_warehouse_keeps_a_bulk_rejection_with_its_reason(as_moderator, request):
    html = as_moderator.get("/siaga/antrian", headers=HTML).text
    request.getfixturevalue("locked_warehouse")
    form = {
        "csrf_token": csrf_from(html),
        "aksi": "reject",
        "alasan": "Laporan ganda dari grup WhatsApp",
        "pilih": ["drf-004:1", "drf-005:1"],
        "kembali": "sumber=whatsapp",
    }
    response = as_moderator.post("/siaga/antrian/massal", data=form, headers=HTML)
    assert response.status_code == 503
    assert 'action="/siaga/antrian/massal"' in response.text
    assert '<input type="hidden" name="pilih" value="drf-004:1">' in response.text
    assert '<input type="hidden" name="pilih" value="drf-005:1">' in response.text
    assert "Laporan ganda dari grup WhatsApp</textarea>" in response.text
    assert "2 draf dipilih." in response.text


def test_the_apps_own_css_and_js_are_served_only_to_a_logged_in_user(client, tokens):
    assert client.get("/siaga/static/siaga.css", headers=HTML, follow_redirects=False).status_code == 303
    client.cookies.set("_token", tokens["humas"])
    css = client.get("/siaga/static/siaga.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.headers["cache-control"] == "private, max-age=3600"
    js = client.get("/siaga/static/siaga.js")
    assert js.status_code == 200 and "pilih-semua" in js.text
    assert client.get("/siaga/static/..%2Fapp.py").status_code == 404

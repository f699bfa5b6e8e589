"""One draft SP4N-LAPOR! ticket per issue, written in Bahasa Indonesia.

While a draft is pending and untouched, new posts joining its issue rewrite it. Once a
moderator has edited it, their text is kept and the new evidence is listed beside it
(`new_evidence`). Decided drafts (approved, rejected, merged, submitted...) keep their text.
Phone numbers, NIK and e-mail addresses are masked in `isi`; the unmasked text is kept
apart for a moderator who unmasks it (an audited act).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

import pyarrow as pa

from core.domain import JUDUL_MAX
from core.domain import MONTHS_SHORT as BULAN
from core.domain import PLATFORM_LABELS as PLATFORM_NAME
from core.domain import WITA_OFFSET as WITA

EXCERPTS = 5
EXCERPT_CHARS = 280
EVIDENCE_LINKS = 10

CATEGORY_TITLE = {
    "jalan_jembatan": "Jalan/jembatan rusak",
    "banjir": "Banjir",
    "air_bersih": "Gangguan air bersih",
    "listrik": "Gangguan listrik",
    "lingkungan_sampah": "Masalah sampah dan pencemaran",
    "kesehatan": "Keluhan layanan kesehatan",
    "pendidikan": "Keluhan layanan pendidikan",
    "adminduk": "Keluhan layanan adminduk",
    "sosial": "Keluhan bantuan sosial",
    "kebakaran": "Kebakaran",
    "bencana_alam": "Bencana alam",
    "ketertiban_keamanan": "Gangguan ketertiban dan keamanan",
    "transportasi": "Masalah transportasi dan lalu lintas",
    "lainnya": "Pengaduan warga",
}
UNDECIDED = ("pending",)


# Draft fields the generator rewrites as reports arrive, until a moderator edits or decides.
DRAFT_FIELDS_FOLLOWING_REPORTS = (
    "judul",
    "isi",
    "isi_unmasked",
    "kategori",
    "lokasi",
    "region_code",
    "opd",
    "klasifikasi",
)


def format_wita(ts: datetime | None) -> str:
    """'22 Nov 2026 14.05 WITA' from a UTC timestamp."""
    if ts is None:
        return "waktu tidak diketahui"
    local = ts + WITA
    return f"{local.day} {BULAN[local.month - 1]} {local.year} {local:%H.%M} WITA"


def desa_label(region_code: str | None, desa: str | None) -> str | None:
    """Kemendagri desa codes 1xxx are kelurahan, 2xxx desa."""
    if not desa:
        return None
    kind = "Kelurahan" if region_code and region_code.split(".")[-1].startswith("1") else "Desa"
    return f"{kind} {desa}"


def compose_judul(
    category: str | None, kecamatan: str | None, desa: str | None, region_code: str | None, is_emergency: bool
) -> str:
    what = CATEGORY_TITLE.get(category or "lainnya", "Pengaduan warga")
    place = ", ".join(p for p in (desa_label(region_code, desa), kecamatan) if p) or "Kutai Timur"
    judul = f"{'[DARURAT] ' if is_emergency else ''}{what} di {place}"
    if len(judul) > JUDUL_MAX:
        judul = judul[: JUDUL_MAX - 1].rstrip() + "…"
    return judul


def compose_lokasi(kecamatan: str | None, desa: str | None, region_code: str | None) -> str:
    parts = [desa_label(region_code, desa), f"Kecamatan {kecamatan}" if kecamatan else None, "Kabupaten Kutai Timur"]
    return ", ".join(p for p in parts if p)


def compose_isi(issue: dict, evidence: list[dict]) -> str:
    """The ticket body: what, where, since when, how many reports and how much reach, with evidence."""
    what = CATEGORY_TITLE.get(issue["category"] or "lainnya", "Pengaduan warga").lower()
    lokasi = compose_lokasi(issue["kecamatan"], issue["desa"], issue["region_code"])
    code = f" (kode wilayah {issue['region_code']})" if issue["region_code"] else ""
    platforms = Counter({PLATFORM_NAME.get(p, p): n for p, n in sorted((issue.get("platforms") or {}).items())})
    lines = [
        f"Warga melaporkan {what} di {lokasi}{code}.",
        f"Laporan pertama: {format_wita(issue['first_seen'])}; terakhir: {format_wita(issue['last_seen'])}.",
        f"Jumlah: {issue['report_count']} laporan dari {issue['post_count']} unggahan "
        f"({', '.join(f'{n} {p}' for p, n in platforms.most_common())}); "
        f"jangkauan {issue['reach']} interaksi.",
    ]
    if issue["is_emergency"]:
        lines.append("Sifat: DARURAT, perlu penanganan segera.")
    reports = [e for e in evidence if e["role"] == "report"][:EXCERPTS]
    if reports:
        lines += ["", "Kutipan laporan warga:"]
        for n, e in enumerate(reports, 1):
            text = " ".join(e["text"].split())
            if len(text) > EXCERPT_CHARS:
                text = text[: EXCERPT_CHARS - 1] + "…"
            lines.append(
                f'{n}. "{text}" ({PLATFORM_NAME.get(e["platform"], e["platform"])}, {format_wita(e["created_at"])})'
            )
    links = [e["url"] for e in evidence if e["url"]][:EVIDENCE_LINKS]
    if links:
        lines += ["", "Tautan bukti:"] + [f"- {url}" for url in links]
    lines += ["", "Draf disusun otomatis oleh Kutim Siaga dari unggahan publik; mohon diverifikasi moderator."]
    return "\n".join(lines)


def _most_reported(column: str) -> str:
    """SQL (a CTE body) for each issue's most frequent `column` among its reports. A tie goes to the value
    reported first (earliest created_at, then smallest post key), never to chance: two loads of the same
    posts route a draft to the same OPD."""
    return f"""
        SELECT issue_id, {column} FROM linked
        WHERE role = 'report' AND {column} IS NOT NULL
        GROUP BY issue_id, {column}
        QUALIFY row_number() OVER (PARTITION BY issue_id ORDER BY count(*) DESC, min(created_at) NULLS LAST,
                                   min(post_key), {column}) = 1
    """


def _issue_rows(con, issue_ids: list[str]) -> tuple[list[dict], dict[str, list[dict]]]:
    """The issues with what their drafts need, and at most EVIDENCE_LINKS evidence posts each."""
    con.register("draft_issue_ids", pa.table({"issue_id": issue_ids}))
    issues = _records(
        con.execute(
            f"""
        WITH linked AS (
            SELECT ip.issue_id, ip.role, ip.linked_at, ip.post_key, p.created_at, p.platform, p.url, a.opd,
                   a.lapor_classification
            FROM issue_posts ip JOIN draft_issue_ids USING (issue_id) JOIN posts p USING (post_key)
            LEFT JOIN (SELECT post_key, opd, lapor_classification FROM post_analysis QUALIFY row_number()
                       OVER (PARTITION BY post_key ORDER BY analyzed_at DESC, model_version DESC) = 1) a
                USING (post_key)
        ),
        top_opd AS ({_most_reported("opd")}),
        top_klasifikasi AS ({_most_reported("lapor_classification")}),
        per_issue AS (
            SELECT issue_id, top_opd.opd, top_klasifikasi.lapor_classification AS klasifikasi, platforms
            FROM (SELECT issue_id, histogram(platform) AS platforms FROM linked GROUP BY issue_id)
            LEFT JOIN top_opd USING (issue_id) LEFT JOIN top_klasifikasi USING (issue_id)
        )
        SELECT i.*, per_issue.opd, per_issue.klasifikasi, per_issue.platforms,
               d.draft_id, d.status AS draft_status, d.moderator_edited, d.updated_at AS draft_updated_at,
               (SELECT list(l.url ORDER BY l.linked_at, l.url) FROM linked l
                WHERE l.issue_id = i.issue_id AND l.url IS NOT NULL AND l.linked_at > d.updated_at) AS fresh_urls
        FROM issues i JOIN per_issue USING (issue_id) LEFT JOIN drafts d USING (issue_id)
        """
        )
    )
    evidence_rows = _records(
        con.execute(
            f"""
        SELECT ip.issue_id, ip.role, p.platform, p.url, p.text, p.created_at
        FROM issue_posts ip JOIN draft_issue_ids USING (issue_id) JOIN posts p USING (post_key)
        QUALIFY row_number() OVER (PARTITION BY ip.issue_id
                                   ORDER BY ip.role DESC, p.created_at NULLS LAST, p.post_key) <= {EVIDENCE_LINKS}
        ORDER BY ip.issue_id, ip.role DESC, p.created_at NULLS LAST, p.post_key
        """
        )
    )
    con.unregister("draft_issue_ids")
    evidence: dict[str, list[dict]] = {}
    for row in evidence_rows:
        evidence.setdefault(row["issue_id"], []).append(row)
    return issues, evidence


def _records(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def refresh_drafts(con, issue_ids: list[str], mask: Callable[[str], str] | None = None) -> dict:
    """Create or update the drafts of these issues inside the caller's transaction."""
    counts = {"drafts_created": 0, "drafts_updated": 0, "drafts_kept": 0}
    if not issue_ids:
        return counts
    if mask is None:
        from nlp import mask_pii as mask

    issues, evidence = _issue_rows(con, issue_ids)
    rows = []
    for issue in issues:
        posts = evidence.get(issue["issue_id"], [])
        isi_raw = compose_isi(issue, posts)
        new_evidence = None
        if issue["draft_status"] and (issue["draft_status"] not in UNDECIDED or issue["moderator_edited"]):
            new_evidence = "\n".join(f"- {url}" for url in issue["fresh_urls"] or []) or None
        rows.append(
            {
                "draft_id": "DRF-" + issue["issue_id"].removeprefix("ISU-"),
                "issue_id": issue["issue_id"],
                "judul": compose_judul(
                    issue["category"],
                    issue["kecamatan"],
                    issue["desa"],
                    issue["region_code"],
                    bool(issue["is_emergency"]),
                ),
                "isi": mask(isi_raw),
                "isi_unmasked": isi_raw,
                "kategori": issue["category"],
                "lokasi": compose_lokasi(issue["kecamatan"], issue["desa"], issue["region_code"]),
                "region_code": issue["region_code"],
                "opd": issue["opd"],
                "klasifikasi": issue["klasifikasi"] or "pengaduan",
                "is_emergency": bool(issue["is_emergency"]),
                "new_evidence": mask(new_evidence) if new_evidence else None,
            }
        )
        if not issue["draft_status"]:
            counts["drafts_created"] += 1
        elif issue["draft_status"] in UNDECIDED and not issue["moderator_edited"]:
            counts["drafts_updated"] += 1
        else:
            counts["drafts_kept"] += 1
    con.register("draft_rows", pa.Table.from_pylist(rows))
    still_generated = "drafts.status = 'pending' AND NOT drafts.moderator_edited"
    # Text and routing follow the reports while nobody has touched the draft (else the first day's OPD and
    # place would stay for ever); a moderator's edit or decision freezes them.
    follow_reports = ",\n".join(
        f"{col} = CASE WHEN {still_generated} THEN excluded.{col} ELSE drafts.{col} END"
        for col in DRAFT_FIELDS_FOLLOWING_REPORTS
    )
    con.execute(
        f"""
        INSERT INTO drafts (draft_id, issue_id, status, judul, isi, isi_unmasked, kategori, lokasi, region_code,
                            opd, klasifikasi, is_emergency, new_evidence, created_at, updated_at)
        SELECT draft_id, issue_id, 'pending', judul, isi, isi_unmasked, kategori, lokasi, region_code,
               opd, klasifikasi, is_emergency, NULL, now()::TIMESTAMP, now()::TIMESTAMP
        FROM draft_rows
        ON CONFLICT (draft_id) DO UPDATE SET
            {follow_reports},
            is_emergency = drafts.is_emergency OR excluded.is_emergency,
            version = CASE WHEN {still_generated}
                                AND (drafts.isi IS DISTINCT FROM excluded.isi
                                     OR drafts.opd IS DISTINCT FROM excluded.opd
                                     OR drafts.klasifikasi IS DISTINCT FROM excluded.klasifikasi)
                           THEN drafts.version + 1 ELSE drafts.version END,
            updated_at = CASE WHEN {still_generated} THEN excluded.updated_at ELSE drafts.updated_at END
        """
    )
    # New evidence for drafts a moderator has edited or decided: listed beside their text.
    con.execute(
        """
        UPDATE drafts SET new_evidence = r.new_evidence
        FROM draft_rows r
        WHERE drafts.draft_id = r.draft_id AND r.new_evidence IS NOT NULL
          AND (drafts.status <> 'pending' OR drafts.moderator_edited)
        """
    )
    con.unregister("draft_rows")
    return counts

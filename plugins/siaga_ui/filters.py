"""Queue filters from query parameters, shared by the queue page and GET /api/drafts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from warehouse import dashboard, moderation

FILTER_KEYS = ("kategori", "kecamatan", "opd", "darurat", "sumber", "dari", "sampai", "cari")
# Dates a filter may name: wide enough for any post, narrow enough that turning a WITA day into a UTC
# moment (and `sampai` into the next day) never leaves Python's or DuckDB's range.
FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
# A page number past this is no page anyone can reach; bounding it keeps OFFSET inside BIGINT.
LAST_PAGE = 1_000_000


def _date(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        # fromisoformat also takes 20261122 and 2026-W47-7; the filter's format is TTTT-BB-HH only.
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise moderation.InvalidChange(
            f"Tanggal '{name}' tidak valid ({value}); gunakan format TTTT-BB-HH, mis. 2026-11-22."
        )
    if not FIRST_DATE <= day <= LAST_DATE:
        raise moderation.InvalidChange(
            f"Tanggal '{name}' ({value}) di luar rentang {FIRST_DATE.isoformat()} s.d. {LAST_DATE.isoformat()}."
        )
    return day


def page_number(params: Mapping[str, str], key: str = "halaman") -> int:
    """The page a list was asked for: 1 when absent or unreadable, at most LAST_PAGE (then empty)."""
    value = (params.get(key) or "").strip()
    if not value.isdecimal() or len(value) > len(str(LAST_PAGE)):
        return LAST_PAGE if value.isdecimal() else 1
    return min(max(1, int(value)), LAST_PAGE)


def parse_filters(params: Mapping[str, str]) -> moderation.DraftFilters:
    """Queue filters from query parameters (the page's and the API's); empty values mean 'all'."""

    def get(key: str) -> str | None:
        value = (params.get(key) or "").strip()
        return value or None

    darurat = get("darurat")
    return moderation.DraftFilters(
        status=get("status") or "pending",
        kategori=get("kategori"),
        kecamatan=get("kecamatan"),
        opd=get("opd"),
        darurat=None if darurat is None else darurat.lower() in ("ya", "true", "1"),
        sumber=get("sumber"),
        dari=_date("dari", get("dari")),
        sampai=_date("sampai", get("sampai")),
        cari=get("cari"),
    )


# --- the Isu viral dashboard's filters (same names as the queue's, so a chart click carries them over)

DASHBOARD_KEYS = ("dari", "sampai", "kategori", "kecamatan", "opd", "sumber")
MAX_PERIOD_DAYS = 366
_SAFE_YEARS = range(2000, 2100)  # posts from before social media or after this century are a typo


def parse_dashboard_filters(params: Mapping[str, str]) -> dashboard.DashboardFilters:
    """The dashboard's filters from the query string; a bad value raises InvalidChange saying which."""

    def get(key: str) -> str | None:
        value = (params.get(key) or "").strip()
        return value or None

    dari, sampai = _date("dari", get("dari")), _date("sampai", get("sampai"))
    for name, day in (("dari", dari), ("sampai", sampai)):
        if day is not None and day.year not in _SAFE_YEARS:
            raise moderation.InvalidChange(
                f"Tanggal '{name}' ({day.isoformat()}) di luar rentang tahun 2000 s.d. 2099 yang dapat dipilih."
            )
    if dari and sampai and dari > sampai:
        raise moderation.InvalidChange("Tanggal 'dari' harus sebelum atau sama dengan 'sampai'.")
    if dari and sampai and (sampai - dari).days >= MAX_PERIOD_DAYS:
        raise moderation.InvalidChange(f"Periode paling panjang {MAX_PERIOD_DAYS} hari; persempit 'dari'–'sampai'.")
    kategori = get("kategori")
    if kategori and kategori not in moderation.CATEGORIES:
        raise moderation.InvalidChange(f"Kategori '{kategori}' tidak dikenal; pilih dari daftar kategori.")
    sumber = get("sumber")
    if sumber and not sumber.isalnum():
        raise moderation.InvalidChange(f"Sumber '{sumber}' tidak dikenal; pilih dari daftar sumber.")
    return dashboard.DashboardFilters(
        dari=dari, sampai=sampai, kategori=kategori, kecamatan=get("kecamatan"), opd=get("opd"), sumber=sumber
    )

"""Queue filters from query parameters, shared by the queue page and GET /api/drafts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from warehouse import moderation

FILTER_KEYS = ("kategori", "kecamatan", "opd", "darurat", "sumber", "dari", "sampai", "cari")


def _date(name: str, value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise moderation.InvalidChange(
            f"Tanggal '{name}' tidak valid ({value}); gunakan format TTTT-BB-HH, mis. 2026-11-22."
        ) from None


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

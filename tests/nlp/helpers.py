"""What the NLP tests ask of one sentence: its whole analysis, or only where it is."""

from __future__ import annotations

from nlp import analyze_records
from nlp.places import resolve


def analyse(text: str) -> dict:
    """The `siaga analyze` record of one text."""
    [result] = analyze_records([{"id": "t", "text": text}])
    return result


def where(text: str) -> tuple[bool, str | None, str | None]:
    """(in Kutim, kecamatan code, desa code) as the place finder decides them."""
    result = resolve(text)
    return result.in_kutim, result.kecamatan_code, result.desa_code

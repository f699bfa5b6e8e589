"""Indonesian NLP for Kutim posts: place (kecamatan/desa with Kemendagri code), category, complaint,
emergency, agency (OPD) and PII masking.

Importing `nlp` is light: spaCy is loaded only when a function that needs it is called, so
`from nlp import regions` stays quick for the UI and the warehouse.
"""

from __future__ import annotations

from nlp import regions
from nlp.pii import PiiSpan, find_pii, mask_pii

__all__ = ["PiiSpan", "analyze_records", "find_pii", "mask_pii", "regions"]


def analyze_records(records: list[dict]) -> list[dict]:
    """Each record ({"id", "text", ...}) analysed per the `siaga analyze` contract, same order."""
    from nlp.analyze import analyze_records as _analyze

    return _analyze(records)

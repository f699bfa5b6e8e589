"""TEMPORARY shim for the UI branch: `mask_pii` only (replaced by the nlp branch at merge)."""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<!\w)(?:\+62|62|0)8[\d\s-]{7,13}\d")


def mask_pii(text: str) -> str:
    """Masks e-mail addresses, NIK (16 digits) and Indonesian mobile numbers."""
    text = _EMAIL.sub("[email]", text)
    text = _NIK.sub("[NIK]", text)
    return _PHONE.sub("[telepon]", text)

"""Masking of personal data in drafts: Indonesian phone numbers, NIK and e-mail addresses.

How each is masked (so a moderator still sees that something was there):
- phone: country/trunk prefix and operator digits kept, middle hidden, last four kept:
  `0812-3456-7890` -> `0812****7890`, `+62 812 3456 7890` -> `+62812****7890`;
- NIK (16 digits, the resident number): replaced whole by `[NIK disembunyikan]`, because every part of it
  (region, birth date, serial) is personal;
- e-mail: first letter kept, rest of the local part hidden: `budi.santoso@gmail.com` -> `b***@gmail.com`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# 16 digits, alone (not part of a longer number); optional spaces every 4 digits as some people write it.
_NIK = re.compile(r"(?<![\d+])(?:\d{16}|\d{4}[ .]\d{4}[ .]\d{4}[ .]\d{4})(?!\d)")
# Mobile numbers: +62 8.., 62 8.., 08.., digits in groups separated by spaces, dashes or dots.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+62|62|0)[\s.-]?\(?8\d{1,3}\)?(?:[\s.-]?\d){6,9}(?!\d)"
    # Landlines with an area code in brackets or with a dash, e.g. (0549) 21234 or 0549-21234.
    r"|(?<![\w+])\(0\d{2,3}\)\s?\d{5,8}(?!\d)|(?<![\w+])0\d{2,3}-\d{5,8}(?!\d)"
)

# The fewest digits any phone or NIK pattern matches: a mobile number 0 8x + 6, (0xx) + 5, 0xx- + 5.
MIN_DIGITS = 8


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """A piece of personal data found in a text: character offsets, kind ('phone', 'nik', 'email')."""

    start: int
    end: int
    kind: str
    text: str


def find_pii(text: str) -> list[PiiSpan]:
    """The phone numbers, NIK and e-mail addresses in `text`, in order, never overlapping."""
    if not isinstance(text, str) or not text:
        return []
    # Every pattern needs an '@' or at least eight digits (str.isdigit counts all that \d matches, and more):
    # most titles and reasons have neither, and a CSV of 20k tickets masks one per row (issue 17).
    if "@" not in text and sum(map(str.isdigit, text)) < MIN_DIGITS:
        return []
    found: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in (("email", _EMAIL), ("nik", _NIK), ("phone", _PHONE)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(PiiSpan(start, end, kind, match.group(0)))
    return sorted(found, key=lambda span: span.start)


def _mask_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    plus = "+" if raw.lstrip().startswith("+") else ""
    keep_head = 5 if digits.startswith("62") else 4
    # At least four digits stay hidden whatever the length; short numbers show fewer trailing digits.
    keep_tail = min(4, max(0, len(digits) - keep_head - 4))
    tail = digits[len(digits) - keep_tail :] if keep_tail else ""
    return plus + digits[:keep_head] + "****" + tail


def _mask_email(raw: str) -> str:
    local, _, domain = raw.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_pii(text: str) -> str:
    """`text` with phone numbers, NIK and e-mail addresses masked (see the module doc for the format)."""
    if not isinstance(text, str):
        raise TypeError(f"mask_pii needs a str, got {type(text).__name__}")
    pieces: list[str] = []
    cursor = 0
    for span in find_pii(text):
        pieces.append(text[cursor : span.start])
        if span.kind == "phone":
            pieces.append(_mask_phone(span.text))
        elif span.kind == "email":
            pieces.append(_mask_email(span.text))
        else:
            pieces.append("[NIK disembunyikan]")
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)

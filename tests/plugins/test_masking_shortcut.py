"""The pages mask every title and reason they show (a CSV of 20k tickets masks 30k texts). `nlp.pii.find_pii`
returns at once when a text has no '@' and fewer digits than any phone or NIK pattern needs: that shortcut
must never skip what the patterns would find."""

from __future__ import annotations

import random

from nlp import pii


def _scan_without_shortcut(text: str) -> list[tuple[int, int, str]]:
    spans, taken = [], []
    for kind, pattern in (("email", pii._EMAIL), ("nik", pii._NIK), ("phone", pii._PHONE)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            spans.append((start, end, kind))
    return sorted(spans)


def test_the_shortest_numbers_the_patterns_mask_are_still_masked():
    for text in ("hubungi 0812345678", "(0549) 21234", "0549-21234", "telp 081234567 ya", "a@b.co"):
        assert pii.find_pii(text), text
        assert len([c for c in text if c.isdigit()]) >= pii.MIN_DIGITS or "@" in text


def test_the_shortcut_finds_what_the_full_scan_finds():
    rng = random.Random(17)
    pieces = ["0", "8", "62", "+62", "1", "5", " ", "-", ".", "(", ")", "@", "a", "x.co", "RT", "#", "٣", "²", "jalan"]
    checked = found = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        spans = [(s.start, s.end, s.kind) for s in pii.find_pii(text)]
        assert spans == _scan_without_shortcut(text), text
        checked += 1
        found += bool(spans)
    assert checked == 20_000 and found > 100  # the generated texts hold things to mask, not only misses

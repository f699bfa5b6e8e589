"""The CSV downloads are written column by column (issue 17): byte for byte what the csv module writes.

`views.csv_text` decides the quoting of a whole column at once instead of field by field; the files must
not change, so it is compared with csv.writer (';', CRLF, minimal quoting) on fields holding every character
that needs quoting, numbers, None, booleans and non-ASCII text. `formatting.mask_text`'s shortcut for text
with nothing to mask must give what nlp.mask_pii gives.
"""

from __future__ import annotations

import csv
import io
import random

from nlp import mask_pii
from siaga_ui.formatting import mask_text
from siaga_ui.views import CSV_DELIMITER, csv_text

PIECES = ["a", "Banjir", " ", ";", '"', "\r", "\n", "\r\n", ",", "é", "日", "0812", "3456", "7890", "@", "x.com", ""]


def _by_the_csv_module(header: list, rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def _field(rng: random.Random):
    kind = rng.random()
    if kind < 0.1:
        return None
    if kind < 0.2:
        return rng.randint(-5, 10**7)
    if kind < 0.25:
        return rng.choice([True, False, 1.5, 0.1 + 0.2])
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6)))


def test_the_columns_are_written_as_the_csv_module_writes_them():
    rng = random.Random(17)
    for _ in range(300):
        width = rng.randint(1, 8)
        header = [f"Kolom {n}" for n in range(width)]
        rows = [[_field(rng) for _ in range(width)] for _ in range(rng.randint(0, 30))]
        assert csv_text(header, rows) == _by_the_csv_module(header, rows), (header, rows)


def test_a_column_with_nothing_to_quote_and_one_with_something():
    header = ["Judul", "Jumlah"]
    rows = [["Jalan rusak", 12], ['Banjir "besar"; Sangkima', None], ["Dua\nbaris", 0]]
    text = csv_text(header, rows)
    assert text == _by_the_csv_module(header, rows)
    assert text.splitlines()[2] == '"Banjir ""besar""; Sangkima";'


def test_the_masking_shortcut_gives_what_mask_pii_gives():
    rng = random.Random(8)
    alphabet = "ab @.-+()0123456789²٣\n;"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    texts += ["Hubungi 0812-3456-7890", "budi@gmail.com", "NIK 6408012345678901", "0812٣٤٥٦٧٨٩٠", "", None]
    for text in texts:
        assert mask_text(text) == mask_pii(text or ""), text
    assert mask_text("Hubungi 0812-3456-7890 segera") == "Hubungi 0812****7890 segera"

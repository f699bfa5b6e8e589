"""A word that only collapses onto a place's name is no place after a route word: "lapor ke PU" is the
public works office, not Penajam Paser Utara (PPU). A complaint that names only the office stays a
complaint with no place found, which clustering may join to its issue on wording; "ke PPU" stays PPU."""

import pytest

from nlp.places import resolve


def outside_codes(text: str) -> list[str]:
    return [m.code for m in resolve(text).mentions if m.kept and m.kind == "outside"]


@pytest.mark.parametrize(
    "text",
    [
        "jembatan kayu di ujung kampung makin miring, sudah chat ke PU belum dibalas",
        "lapor ke PU katanya anggaran habis, jalannya tetap berlubang",
        "Kami sudah kirim surat ke PU sejak bulan lalu",
    ],
)
def test_the_public_works_office_after_a_route_word_is_no_place(text):
    assert outside_codes(text) == []


@pytest.mark.parametrize(
    "text",
    ["truk pengangkut sawit dari Sangatta ke PPU terguling", "Banjir di PPU makin tinggi, warga mengungsi"],
)
def test_the_regency_spelt_as_its_name_is_still_outside_kutim(text):
    assert outside_codes(text) == ["64.09"]

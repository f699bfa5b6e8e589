import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import find_pii, mask_pii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hub 0812-3456-7890 ya", "hub 0812****7890 ya"),
        ("wa +62 812 3456 7890", "wa +62812****7890"),
        ("nomor 6281234567890", "nomor 62812****7890"),
        ("08123456789", "0812****789"),
    ],
)
def test_phone_numbers_keep_only_prefix_and_last_digits(text, expected):
    assert mask_pii(text) == expected


def test_nik_is_hidden_whole():
    assert mask_pii("NIK 6408011203900001 a.n. Budi") == "NIK [NIK disembunyikan] a.n. Budi"
    assert mask_pii("nik 6408 0112 0390 0001") == "nik [NIK disembunyikan]"


def test_email_keeps_first_letter_and_domain():
    assert mask_pii("kirim ke budi.santoso@gmail.com ya") == "kirim ke b***@gmail.com ya"


def test_ordinary_numbers_are_left_alone():
    text = "jalan rusak km 37, tahun 2024, biaya 150000 rupiah, RT 05"
    assert mask_pii(text) == text
    assert find_pii(text) == []


def test_find_pii_reports_kinds_and_offsets():
    text = "hp 081234567890 email a@b.co.id"
    spans = find_pii(text)
    assert [s.kind for s in spans] == ["phone", "email"]
    assert text[spans[0].start : spans[0].end] == "081234567890"


def test_mask_pii_rejects_non_strings():
    with pytest.raises(TypeError):
        mask_pii(None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 +-.@abcXYZ_\n"), max_size=200) | st.text(max_size=200))
def test_masking_leaves_no_personal_data_and_is_stable(text):
    masked = mask_pii(text)
    assert find_pii(masked) == []
    assert mask_pii(masked) == masked

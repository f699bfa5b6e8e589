from nlp import regions
from nlp.normalize import normalize_text, normalize_word, split_hashtag


def test_slang_and_elongations_become_standard_words():
    assert normalize_text("jln rusak parahhh gak diperbaiki udh 3 bln yg lalu") == (
        "jalan rusak parah tidak diperbaiki sudah 3 bln yang lalu"
    )


def test_hashtags_are_split_and_emoji_dropped():
    assert split_hashtag("#JalanRusakParah") == ["jalan", "rusak", "parah"]
    assert normalize_text("banjir 😭😭 #SangattaUtara") == "banjir sangatta utara"


def test_no_word_of_a_kutim_region_name_is_changed():
    for region in regions.all_regions():
        for word in region.name.lower().split():
            assert normalize_word(word) == word, word

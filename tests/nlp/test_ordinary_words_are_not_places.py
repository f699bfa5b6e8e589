"""Ordinary Indonesian words are not places: "sangat" is not Sangatta, "pengadaan" is not Pengadan.

The class, not the words: every key the place finder matches (official names, aliases, doubled-letter
collapsed and run-together forms, spelling variants) and every one-typo reading is checked against the
50,000 most frequent Indonesian words of wordfreq, and sentences made of frequent words are checked for
places. The sentences are generated here (seeded); no text from elsewhere is used.
"""

import random

import pytest
import wordfreq

from nlp import gazetteer
from nlp.gazetteer import CORE_RANK, FREQUENT_WORDS, WORD, key_of, skeleton
from nlp.places import resolve

GAZ = gazetteer.load()
TOP = wordfreq.top_n_list("id", FREQUENT_WORDS)


def kutim_places(text: str) -> list[str]:
    """The Kutim mentions kept in `text`, and whether the text was placed in Kutim."""
    result = resolve(text, GAZ)
    kept = [m.text for m in result.mentions if m.kept and m.kind != "outside"]
    return kept + (["in_kutim"] if result.in_kutim else [])


def word_hits() -> dict[str, list[str]]:
    """Kutim key -> the frequent words (as wordfreq lists them) that reach it as one word."""
    hits: dict[str, list[str]] = {}
    for word in TOP:
        parts = WORD.findall(word)
        if len(parts) == 1 and skeleton(parts[0]) in GAZ.kutim:
            hits.setdefault(skeleton(parts[0]), []).append(word)
    return hits


def test_the_word_list_is_wordfreqs_own():
    expected: dict[str, int] = {}
    for rank, word in enumerate(TOP):
        for part in WORD.findall(word):
            expected.setdefault(part.lower(), rank)
    assert gazetteer.frequent_words() == expected
    assert len(expected) > 25_000  # the Indonesian list holds about 31,000 words


def test_every_key_that_a_frequent_word_reaches_needs_context():
    hits = word_hits()
    assert {"sangat", "pengadan", "sgt", "karangan", "telaga"} <= set(hits)  # the list does its job
    own = {key_of(name) for name in gazetteer._read_yaml()["own_names_in_word_lists"]}
    for key, words in hits.items():
        entry = GAZ.kutim[key]
        assert entry.everyday_rank is not None, (key, words)
        for word in words:
            if key in own:
                continue
            assert GAZ.everyday_rank(word) is not None, (key, word)


def test_names_of_several_everyday_words_need_context():
    common = {skeleton(word) for word in TOP[: gazetteer.COMMON_PHRASE_RANK]}
    phrases = [key for key in GAZ.kutim if " " in key and all(part in common for part in key.split())]
    assert "kali orang" in phrases and "mata air" in phrases
    for key in phrases:
        entry = GAZ.kutim[key]
        assert entry.needs_context or entry.everyday_rank is not None, key
        assert kutim_places(f"sudah dua {key} datang") == [], key


def test_short_names_one_slip_from_a_very_common_word_need_some_cue():
    near = [key for key, entry in GAZ.kutim.items() if entry.near_everyday]
    assert {"tepan", "tnk", "sangut"} <= set(near)  # depan/teman, tak, sangat
    for key in near:
        assert kutim_places(f"katanya {key} enak") == [], key
    assert resolve("banjir lagi di tepan", GAZ).kecamatan_code == "64.08.13"


def test_own_names_in_the_word_list_are_written_as_the_place_is():
    data = gazetteer._read_yaml()
    written = {name.lower() for name in data["town"]["aliases"]}
    written |= {r.name.lower() for r in gazetteer.regions.all_regions()}
    written |= {alias.lower() for aliases in data["aliases"].values() for alias in aliases}
    for name in data["own_names_in_word_lists"]:
        assert name.lower() in written, name
        assert name.lower() in TOP, f"{name} is no longer a frequent word: drop it from the list"


def test_a_frequent_word_in_a_plain_sentence_is_no_kutim_place():
    own = {key_of(name) for name in gazetteer._read_yaml()["own_names_in_word_lists"]}
    for key, words in word_hits().items():
        for word in words:
            if key in own:
                continue
            for text in (f"katanya {word} sekali", f"{word.capitalize()} sekali, katanya", f"yang {word} itu"):
                assert kutim_places(text) == [], text


def test_a_frequent_word_is_never_read_as_a_misspelt_place():
    for word in TOP:
        parts = [skeleton(part) for part in WORD.findall(word)]
        if len(parts) != 1 or parts[0] in GAZ.kutim:
            continue
        assert GAZ.fuzzy(parts[0]) is None, word
        # after "di" the finder tries one-typo readings: none may turn an everyday word into a place
        assert kutim_places(f"warga di {word} mengeluh") == [], word


def test_core_words_and_words_collapsing_onto_a_name_need_a_capital_after_any_cue():
    tested = set()
    for words in word_hits().values():
        for word in words:
            rank = GAZ.everyday_rank(word)
            if rank is None or (rank >= CORE_RANK and GAZ.spelled_as_name(word)):
                continue  # a name spelt as the place is ("karangan", "telaga"): the cues below count
            tested.add(word)
            for text in (
                f"suasana desa {word} ramai",
                f"rumahnya di {word} sekali",
                f"Warga {word.title()} Kecewa Dengan Pelayanan Puskesmas",
            ):
                assert kutim_places(text) == [], text
    assert {"sangat", "pengadaan"} <= tested


def test_a_name_spelt_as_the_place_keeps_its_admin_word_reading():
    assert resolve("air bersih mati di desa telaga", GAZ).desa_code == "64.08.17.2006"
    assert resolve("Warga Kecamatan Karangan Keluhkan Jalan Rusak", GAZ).kecamatan_code == "64.08.16"


def _sentences(seed: int, count: int) -> list[str]:
    """Sentences of frequent words, drawn with Zipf-like weights, in the shapes posts and news take.

    The place's own names ("sangatta": wordfreq counts the town) are left out: they are the place.
    """
    own = {key_of(name) for name in gazetteer._read_yaml()["own_names_in_word_lists"]}
    rng = random.Random(seed)
    words = [w for w in TOP if w.isalpha() and skeleton(w) not in own]
    weights = [1.0 / (rank + 20) for rank in range(len(words))]
    cues = ["di", "ke", "dari", "warga", "daerah", "desa", "kampung", "jl.", "pasar", "puskesmas", "sangat"]
    sentences = []
    for _ in range(count):
        sentence = rng.choices(words, weights, k=rng.randint(4, 25))
        for _ in range(rng.randint(0, 3)):  # place cues in front of ordinary words
            sentence.insert(rng.randrange(len(sentence)), rng.choice(cues))
        style = rng.random()
        if style < 0.2:
            sentence = [w.title() for w in sentence]  # a headline
        elif style < 0.3:
            sentence = [w.upper() for w in sentence]  # shouting
        else:
            sentence[0] = sentence[0].capitalize()
        sentences.append(" ".join(sentence) + rng.choice([".", "!", "?", " 😭", ""]))
    return sentences


@pytest.mark.slow
def test_sentences_of_frequent_words_are_placed_nowhere_in_kutim():
    sentences = _sentences(seed=11, count=4_000)
    assert sum("sangat" in s.lower().split() for s in sentences) > 100  # the commonest trap is in there
    placed = [(text, kutim_places(text)) for text in sentences if kutim_places(text)]
    assert placed == []


@pytest.mark.parametrize(
    "text",
    [
        "Pelayanan puskesmas sangat buruk",
        "Pelayanan Puskesmas Sangat Buruk, Warga Sangat Kecewa",
        "PELAYANAN DI KANTOR INI SANGAT LAMBAT",
        "antreannya sgt panjang, porsinya sanggat sedikit",
        "Pengadaan lahan pasar di kota kami bermasalah, kata warga",
        "Rumah saya di jl. Bangun Jaya no. 5 sering kebanjiran",
        "dari kecil sudah di tinggal ayahnya",
        "nongkrong di tepian sungai sambil ngopi",
        "di adonan kue ini telurnya kebanyakan",
        "season ke-5 serialnya tayang bulan depan",
        "belanja baju lebaran ke Pasar Tanah Abang",
        "berkas pengaduan sudah kami kirim ke kantor bupati",
        "kepala desa di Sanggau ramai-ramai mundur",
    ],
)
def test_ordinary_sentences_are_not_in_kutim(text):
    assert kutim_places(text) == []


@pytest.mark.parametrize(
    ("text", "kec", "desa"),
    [
        ("banjir lagi di Sangatta, air masuk rumah", "64.08.04", None),
        ("di sgt mati lampu dari subuh", "64.08.04", None),
        ("jalan rusak parah di Desa Pengadan", "64.08.16", "64.08.16.2003"),
        ("lampu jalan mati di Pengadan sudah seminggu", "64.08.16", "64.08.16.2003"),
        ("warga Desa Bangun Jaya keluhkan jalan berlumpur", "64.08.10", "64.08.10.2009"),
        ("air bersih belum masuk Desa Telaga, Kecamatan Batu Ampar", "64.08.17", "64.08.17.2006"),
        ("jl. Bangun Jaya di Kaliorang berlubang, tolong PU Kutim", "64.08.10", "64.08.10.2009"),
        ("Dinas PU Kutim lambat tambal jalan di Sangatta", "64.08.04", None),
        ("Banjir Rendam Desa Telaga, Warga Mengungsi", "64.08.17", "64.08.17.2006"),
        ("Banjir Di Sandaran Belum Surut Juga", "64.08.11", None),
    ],
)
def test_the_same_names_with_context_are_still_kutim_places(text, kec, desa):
    result = resolve(text, GAZ)
    assert (result.in_kutim, result.kecamatan_code, result.desa_code) == (True, kec, desa)


def test_ppu_is_still_outside_kutim_but_public_works_is_not_ppu():
    assert resolve("jalan rusak di PPU belum diperbaiki", GAZ).in_kutim is False
    result = resolve("dinas PU lambat, jalan di Sangatta rusak", GAZ)
    assert [m.kept for m in result.mentions if m.text == "PU"] == [False]
    assert result.in_kutim is True


def test_a_complaint_from_elsewhere_with_sangat_gets_no_place_from_the_analyser():
    from nlp import analyze_records

    [out] = analyze_records([{"id": "a", "text": "Pelayanan puskesmas sangat buruk"}])
    assert (out["in_kutim"], out["kecamatan"], out["desa"], out["region_code"]) == (False, None, None, None)
    assert out["entities"] == []

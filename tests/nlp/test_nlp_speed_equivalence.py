"""The fast paths of the analysis give what their straightforward forms give, on a few hundred posts.

Each optimisation of issue 11 (speed) replaced a loop per word or per token by C-level operations; here
each is checked against the plain form it replaced: the benchmark's realistic posts, the team's dev
examples and texts written to hit the edges (punctuation only, hashtags, capitals that change length
when lower-cased, repeated letters, place names inside the text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from spacy.attrs import IDX, IS_PUNCT, NORM
from spacy.ml.extract_ngrams import extract_ngrams

from nlp import analyze, pipeline, places, rules
from nlp.gazetteer import WORD, skeleton_words
from nlp.matcher import PhraseIndex, skeleton_keys
from nlp.rules import PhraseFinder, lexicon_phrases, ngrams
from tools.bench.nlp import make_posts

DEV = Path(pipeline.__file__).parent / "data" / "dev.jsonl"
EDGES = [
    "!!! ??? ...",
    "#JalanRusak #BanjirSangatta di #KutaiTimur",
    "İSTANBUL bukan KUTİM, tapi Sangatta Utara ya",
    "Jalannn rusakkk parahhh di Desa Sangatta Selatan, Kec. Sangatta Selatan!!!",
    "air pdam mati, air bersih tidak mengalir, tidak ada air bersih sama sekali",
    "Sangatta-Bontang km 12 longsor; luka-luka 3 orang 🙏🙏",
    "a",
    "Warga RT 05 Desa Swarga Bara mengeluh: jalan rusak berat, jembatan putus, banjir lagi",
    "sangat sangat buruk pelayanannya",
    "Jan. Feb. Mar. banjir terus",
    "Banjir 50 cm merendam rumah warga; air mencapai 1,5 meter di dapur, 30-40 cm di jalan",
    "genangan setinggi 40 Centimeter sejak pagi, jalan 2 km terendam 1 M",
    "lubang sedalam 30 cm, panjang 5 m; air keruh 3 hari",
    "Sangatta Sangatta Sangatta, sangatttt #SangattaUtara #kutimhebat 2026 2000 100m",
    "Baca juga: banjir di Desa Sangatta Selatan. BACA: air bersih di Bengalon",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    dev = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return make_posts(300, seed=23) + dev[:200] + EDGES


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load()


_REPEATS = re.compile(r"(.)\1+")


def test_skeleton_words_equal_the_regex_form(texts):
    for text in texts:
        assert skeleton_words(text) == WORD.findall(_REPEATS.sub(r"\1", text.lower())), text


def test_skeleton_keys_equal_skeleton_words(texts):
    for text in [*texts, *texts]:  # the second time from the cache
        assert skeleton_keys(text.lower()) == skeleton_words(text), text


def test_phrase_index_finds_what_the_phrase_finder_finds(nlp, texts):
    decide = nlp.get_pipe("kutim_decide")
    phrases = decide.find_phrases.phrases
    finder, index = PhraseFinder(phrases), PhraseIndex(phrases)
    longer = pairs = 0
    for doc in nlp.pipe(texts):
        for words in (decide._words(doc), [word.lower() for word in WORD.findall(doc.text)]):
            found = index(words)
            assert found == finder(words), doc.text
            longer += any(phrase.count(" ") > 1 for phrase in found)
            pairs += any(phrase.count(" ") == 1 for phrase in found)
    assert longer > 10 and pairs > 50  # phrases of two and of three words or more are exercised


def test_water_depth_is_checked_only_where_a_figure_has_a_unit(texts):
    def plain(text: str) -> float:
        deepest = 0.0
        for match in rules._WATER_DEPTH.finditer(text):
            low, high, unit = match.groups()
            value = float((high or low).replace(",", "."))
            deepest = max(deepest, value if unit.lower().startswith(("c", "s")) else value * 100)
        return deepest

    depths = [rules.water_depth_cm(text) for text in texts]
    assert depths == [plain(text) for text in texts]
    assert sum(depth > 0 for depth in depths) >= 2


def test_tokens_from_the_tokenizer_cache_equal_tokens_split_afresh(nlp, texts):
    uncached = _tokenizer_without_cache(nlp)
    assert nlp.tokenizer.max_cache_size >= 100_000
    for _ in range(2):  # the second time from the cache
        for text in texts:
            cached = [(t.text, t.norm_, t.whitespace_) for t in nlp.make_doc(text)]
            assert cached == [(t.text, t.norm_, t.whitespace_) for t in uncached(text)], text


def _tokenizer_without_cache(nlp):
    """The pipeline's tokenizer rebuilt with no cache: every chunk split by the rules each time."""
    from spacy.tokenizer import Tokenizer

    tok = nlp.tokenizer
    return Tokenizer(
        nlp.vocab,
        rules=tok.rules,
        prefix_search=tok.prefix_search,
        suffix_search=tok.suffix_search,
        infix_finditer=tok.infix_finditer,
        token_match=tok.token_match,
        url_match=tok.url_match,
        max_cache_size=0,
    )


def test_normalisation_shortens_elongations_as_the_template_form(texts):
    from nlp import normalize

    words = {word.lower() for text in texts for word in text.split()} | {"parahhhh", "bangeeettt", "😭😭😭"}
    for word in words:
        assert normalize._REPEAT3.sub(normalize._FIRST_GROUP, word) == normalize._REPEAT3.sub(r"\1", word)
    assert sum(normalize._REPEAT3.search(word) is not None for word in words) >= 3


def test_phrase_finder_finds_what_all_ngrams_find(texts):
    phrases = lexicon_phrases()
    finder = PhraseFinder(phrases)
    longest = max(len(phrase.split(" ")) for phrase in phrases)
    hits = 0
    for text in texts:
        words = [word.lower() for word in WORD.findall(text)]
        expected = set(ngrams(words, longest)) & phrases
        assert finder(words) == expected, text
        hits += len(expected)
    assert hits > len(texts)  # the texts do contain phrases of the lexicons


def _words_by_token_loop(doc) -> list[str]:
    """`KutimDecide._words` written plainly: token by token."""
    spans = places.name_spans(pipeline.doc_place(doc))
    words: list[str] = []
    for norm, punct, idx in doc.to_array([NORM, IS_PUNCT, IDX]).tolist():
        if punct or any(start <= idx < end for start, end in spans):
            continue
        words.extend(doc.vocab.strings[norm].split())
    return words


def test_decide_words_equal_a_token_loop(nlp, texts):
    decide = nlp.get_pipe("kutim_decide")
    docs = list(nlp.pipe(texts))
    with_places = sum(any(m.kept for m in pipeline.doc_place(doc).mentions) for doc in docs)
    assert with_places > 50  # the exclusion of place words is exercised
    for doc in docs:
        assert decide._words(doc) == _words_by_token_loop(doc), doc.text


def test_decide_words_of_a_batch_equal_words_doc_by_doc(nlp, texts):
    decide = nlp.get_pipe("kutim_decide")
    docs = list(nlp.pipe(texts))
    for start, size in ((0, 1), (0, 64), (5, len(docs)), (len(docs) - 3, 3)):
        batch = docs[start : start + size]
        assert decide.batch_words(batch) == [decide._words(doc) for doc in batch]
    assert decide.batch_words([]) == []


def test_decide_over_a_batch_equals_decide_doc_by_doc(nlp, texts):
    """In a batch, kutim_decide takes the token arrays the textcat left; alone it makes its own."""
    places_, textcat, decide = (nlp.get_pipe(name) for name in ("kutim_places", "textcat", "kutim_decide"))
    docs = list(textcat.pipe([places_(nlp.make_doc(text)) for text in texts], batch_size=100))
    assert all(pipeline.TOKENS_KEY in doc.user_data for doc in docs)
    batched = [dict(pipeline.doc_analysis(doc)) for doc in decide.pipe(docs, batch_size=100)]
    assert not any(pipeline.TOKENS_KEY in doc.user_data for doc in docs)  # taken, not kept
    assert batched == [dict(pipeline.doc_analysis(decide(doc))) for doc in docs]


def test_norm_counts_equal_spacy_extract_ngrams(nlp, texts):
    docs = [nlp.make_doc(text) for text in texts]
    ours, spacys = pipeline.norm_counts(1), extract_ngrams(1, attr=NORM)
    for start, size in ((0, 1), (0, 64), (5, len(docs)), (len(docs) - 3, 3)):
        batch = docs[start : start + size]
        (keys, values, lengths), _ = ours(batch, False)
        (ref_keys, ref_values, ref_lengths), _ = spacys(batch, False)
        for got, want in ((keys, ref_keys), (values, ref_values), (lengths, ref_lengths)):
            assert got.dtype == want.dtype and got.shape == want.shape and (got == want).all()


def test_component_by_component_equals_nlp_pipe(nlp, texts):
    records = [{"id": i, "text": text} for i, text in enumerate(texts)]
    fast = analyze.analyze_records(records, nlp=nlp)
    version = pipeline.model_version(nlp)
    streamed = []
    for record, doc in zip(records, nlp.pipe(texts), strict=True):
        place = pipeline.doc_place(doc)
        streamed.append(
            {
                "id": record["id"],
                **pipeline.doc_analysis(doc),
                **pipeline.place_fields(place),
                "entities": pipeline.entities(place),
                "model_version": version,
            }
        )
    assert fast == streamed
    assert sum(bool(result["entities"]) for result in fast) > 50


def test_bench_posts_are_news_length_with_a_place_in_about_half(nlp):
    posts = make_posts(400, seed=5)
    assert posts == make_posts(400, seed=5) and posts != make_posts(400, seed=6)  # seeded
    assert len(set(posts)) == len(posts)
    lengths = [len(doc) for doc in nlp.tokenizer.pipe(posts)]
    assert min(lengths) >= 30 and max(lengths) <= 60
    results = analyze.analyze_records([{"id": i, "text": text} for i, text in enumerate(posts)], nlp=nlp)
    placed = sum(bool(result["entities"]) for result in results) / len(posts)
    assert 0.35 <= placed <= 0.65
    news = sum(text[:1].isupper() for text in posts) / len(posts)  # news sentences open with a capital
    assert 0.25 <= news <= 0.55

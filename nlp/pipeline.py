"""The spaCy pipeline: `spacy.blank("id")` plus the project's own components, saved with a version.

Components, in order:
- (no step) the tokenizer `kutim.Tokenizer.v1` installs `lexeme_norm` as the vocabulary's NORM getter, so
  token.norm_ is the standard form of social-media words (the features of the textcat);
- `kutim_places`: place mentions and the problem's place (rules over the gazetteer), see `doc_place`;
- `textcat` (textcat_multilabel: the 14 categories, `complaint`, `emergency`): one bag-of-words linear
  model over token.norm_ (architecture `kutim.TextCatBOWNorm.v1`), trained by `siaga train` from
  nlp/data/train.jsonl; a non-complaint has no category label set;
- `kutim_decide`: blends textcat scores with rule evidence into the contract's fields, see `doc_analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from itertools import accumulate, compress, pairwise, repeat
from itertools import chain as chain_iterables
from operator import is_
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.attrs import IDX, IS_PUNCT, NORM
from spacy.language import Language
from spacy.ml.extract_ngrams import forward as extract_ngrams_forward
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, minibatch, registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu
from thinc.layers.resizable import resize_linear_weighted

from nlp import places, regions, routing
from nlp.matcher import PhraseIndex
from nlp.normalize import EMOJI, normalize_word, split_hashtag
from nlp.rules import (
    AT_WORK_VERBS,
    CATEGORIES,
    CREW_WORDS,
    RuleEvidence,
    border_cues,
    border_phrases,
    evidence,
    lexicon_phrases,
    mentions_homes,
    water_in_home,
)

PIPELINE_NAME = "kutim_siaga"
PIPELINE_VERSION = "1.1.0"
TEXTCAT_LABELS = (*CATEGORIES, "complaint", "emergency")
MODEL_DIR = Path(__file__).resolve().parent / "model"

# Results live in doc.user_data (a plain dict: faster than doc._ extensions on every post); read them with
# `doc_place(doc)` and `doc_analysis(doc)`.
PLACE_KEY = "kutim_place"
ANALYSIS_KEY = "kutim_analysis"
# The textcat's featuriser leaves each doc's token array (TOKEN_ATTRS) here for kutim_decide, which takes it.
TOKENS_KEY = "kutim_tokens"
TOKEN_ATTRS = [NORM, IS_PUNCT, IDX]


def _token_table(doc: Doc):
    """The doc's NORM, IS_PUNCT and IDX per token: the textcat's array when it left one, else made now."""
    table = doc.user_data.pop(TOKENS_KEY, None)
    return doc.to_array(TOKEN_ATTRS) if table is None else table


def doc_place(doc: Doc) -> places.PlaceResult:
    """The place result `kutim_places` stored on the doc."""
    return doc.user_data[PLACE_KEY]


def doc_analysis(doc: Doc) -> dict[str, Any]:
    """The fields `kutim_decide` stored on the doc."""
    return doc.user_data[ANALYSIS_KEY]


def norm_counts(ngram_size: int, attr: int = NORM) -> Model:
    """spaCy's `extract_ngrams` layer (same name, attributes and output), vectorised over the batch.

    For unigrams, each doc's sorted distinct keys and their counts come from one sort of the whole batch
    instead of one `numpy.unique` per doc; larger n-grams use spaCy's own forward.
    """
    model: Model = Model("extract_ngrams", _norm_counts_forward)
    model.attrs["ngram_size"] = ngram_size
    model.attrs["attr"] = attr
    return model


def _norm_counts_forward(model: Model, docs: list[Doc], is_train: bool):
    if model.attrs["ngram_size"] != 1 or not docs:
        return extract_ngrams_forward(model, docs, is_train)
    xp = model.ops.xp
    attr = model.attrs["attr"]
    if attr == NORM:
        # kutim_decide reads these tokens' NORM, IS_PUNCT and IDX too: one array per doc serves both (is_train
        # cannot tell inference apart here, as `with_cpu` runs its layers by `begin_update`)
        tables = [doc.to_array(TOKEN_ATTRS) for doc in docs]
        for doc, table in zip(docs, tables, strict=True):
            doc.user_data[TOKENS_KEY] = table
        arrays = [table[:, 0] for table in tables]
    else:
        arrays = [doc.to_array(attr) for doc in docs]
    keys = xp.concatenate(arrays).astype("uint64")
    doc_ids = xp.repeat(xp.arange(len(docs)), [len(array) for array in arrays])
    order = xp.lexsort((keys, doc_ids))  # by doc, then by key: numpy.unique's order within each doc
    keys, doc_ids = keys[order], doc_ids[order]
    first = xp.ones(len(keys), dtype=bool)  # where a run of one key in one doc begins
    first[1:] = (keys[1:] != keys[:-1]) | (doc_ids[1:] != doc_ids[:-1])
    starts = xp.flatnonzero(first)
    counts = xp.diff(xp.append(starts, len(keys)))
    lengths = model.ops.asarray(xp.bincount(doc_ids[starts], minlength=len(docs)), dtype="int32")
    values = model.ops.asarray(counts, dtype="f")

    def backprop(dY):
        return []

    return (keys[starts], values, lengths), backprop


@registry.architectures("kutim.TextCatBOWNorm.v1")
def build_bow_norm_classifier(
    exclusive_classes: bool, ngram_size: int, length: int = 262144, nO: int | None = None
) -> Model:
    """spaCy's TextCatBOW, but over token.norm_ (the normalised word) instead of the raw text."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill = {"b": -1e4 if exclusive_classes else 0.0, "W": 0.0}
    resize = partial(resize_linear_weighted, fill_defaults=fill)
    resizable_layer = resizable(sparse_linear, resize_layer=resize)
    output = softmax_activation() if exclusive_classes else Logistic()
    model = chain(
        with_cpu(chain(norm_counts(ngram_size, attr=NORM), resizable_layer), sparse_linear.ops),
        with_cpu(output, output.ops),
    )
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


def lexeme_norm(text: str) -> str:
    """The NORM of a word type: slang and elongations mapped, hashtags split, emoji marked."""
    if text.isalnum():  # most words: no "#", no hyphen, no emoji
        return normalize_word(text)
    if text.startswith("#") and len(text) > 1:
        return " ".join(normalize_word(part) for part in split_hashtag(text)) or text.lower()
    if EMOJI.fullmatch(text):
        return "<emoji>"
    if "-" in text.strip("-"):
        # "luka-luka" -> "luka" (reduplication); "Sangatta-Bontang" -> "sangatta bontang"
        parts = [normalize_word(part) for part in text.split("-") if part]
        return parts[0] if len(set(parts)) == 1 else " ".join(parts)
    return normalize_word(text)


# Chunks (text between spaces) whose tokens the tokenizer keeps. spaCy keeps 10,000 and then stops adding, so
# on real text every rarer word is split by its prefix, suffix and infix expressions again at each sight.
# 14,500 real posts have 39,000 distinct chunks, the bench's 100,000 posts 142,000; 200,000 take about 40 MB.
TOKENIZER_CACHE_CHUNKS = 200_000


@registry.tokenizers("kutim.Tokenizer.v1")
def create_kutim_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's Indonesian tokenizer without its ~15,600 hyphenated-word exceptions.

    Those exceptions only keep words like "bolak-balik" in one token, and building them takes seconds at
    every load; here such words are split at the hyphen instead. The vocabulary's NORM getter is set to
    `lexeme_norm`, so normalisation runs once per word type, not once per token.
    """

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        rules = {text: tokens for text, tokens in defaults.tokenizer_exceptions.items() if "-" not in text}
        nlp.vocab.lex_attr_getters[NORM] = lexeme_norm
        for lexeme in nlp.vocab:
            lexeme.norm_ = lexeme_norm(lexeme.orth_)
        return Tokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
            max_cache_size=TOKENIZER_CACHE_CHUNKS,
        )

    return tokenizer_factory


@Language.component("kutim_normalizer")
def kutim_normalizer(doc: Doc) -> Doc:  # kept registered so that models saved with it still load
    """Normalisation lives in the vocabulary (see `lexeme_norm`); kept as a step so the order reads well."""
    return doc


def doc_text(doc: Doc) -> str:
    """The doc's text, from user_data when the caller put it there (doc.text rebuilds it token by token)."""
    text = doc.user_data.get("text")
    return text if isinstance(text, str) else doc.text


@Language.factory("kutim_places", default_config={})
def make_kutim_places(nlp: Language, name: str) -> KutimPlaces:
    return KutimPlaces()


class KutimPlaces:
    """Finds Kutim kecamatan, desa, landmarks and places outside Kutim; decides the problem's place."""

    def __init__(self) -> None:
        self.gazetteer = places.load()

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[PLACE_KEY] = places.resolve(doc_text(doc), self.gazetteer)
        return doc


DECIDE_DEFAULTS: dict[str, Any] = {
    "category_rule_weight": 0.85,
    "complaint_rule_weight": 0.5,
    "complaint_threshold": 0.5,
    "emergency_threshold": 2.0,
    "emergency_model_weight": 1.0,
}


@Language.factory("kutim_decide", default_config=DECIDE_DEFAULTS)
def make_kutim_decide(
    nlp: Language,
    name: str,
    category_rule_weight: float,
    complaint_rule_weight: float,
    complaint_threshold: float,
    emergency_threshold: float,
    emergency_model_weight: float,
) -> KutimDecide:
    return KutimDecide(
        category_rule_weight,
        complaint_rule_weight,
        complaint_threshold,
        emergency_threshold,
        emergency_model_weight,
    )


# Categories in which a complaint commonly needs a response now; others need stronger evidence.
EMERGENCY_CATEGORIES = frozenset(
    {
        "kebakaran",
        "banjir",
        "bencana_alam",
        "transportasi",
        "ketertiban_keamanan",
        "listrik",
        "kesehatan",
        "jalan_jembatan",
        "lingkungan_sampah",
        "air_bersih",
    }
)


DISASTER_CATEGORIES = ("kebakaran", "bencana_alam", "banjir")
# The disasters that are often only the cause of what a complaint is about (a road, a water or power cut).
BORDER_DISASTERS = frozenset({"bencana_alam", "banjir"})
# Facilities a disaster can strike (the disaster is the problem) and disasters over within hours (their victims' needs
# afterwards are a social problem); see `KutimDecide._category_border`.
BORDER_FACILITIES = frozenset({"kesehatan", "pendidikan", "lainnya"})
BORDER_AFTERMATH = frozenset({"kebakaran", "bencana_alam"})
BORDER_CATEGORIES = BORDER_DISASTERS | BORDER_FACILITIES | BORDER_AFTERMATH


GOVERNMENT_ACTORS = frozenset(
    {
        "bupati",
        "wabup",
        "pemkab",
        "pemerintah",
        "dinas",
        "dinsos",
        "dinkes",
        "disdik",
        "disdikbud",
        "disdukcapil",
        "dishub",
        "dlh",
        "bpbd",
        "sekda",
        "kadis",
        "camat",
        "kades",
        "kapolres",
        "dandim",
        "gubernur",
        "pemprov",
        "pemkot",
        "walikota",
        "diskominfo",
        "kepala",
        "bappeda",
        "setkab",
    }
)


CREW_BEFORE_VERB = 6  # words between who works and the verb ("Dinas PUPR Kutim bersama warga telah memperbaiki")


def _crew_at_work(words: list[str]) -> bool:
    """Whether a crew or agency word comes shortly before a verb of doing the work ("petugas ... mengangkut")."""
    for i in compress(range(len(words)), map(AT_WORK_VERBS.__contains__, words)):  # the verbs' positions, in C
        if not CREW_WORDS.isdisjoint(words[max(0, i - CREW_BEFORE_VERB) : i]):
            return True
    return False


def _official_speaks(words: list[str]) -> bool:
    """Whether a government actor opens the text, or follows "menurut" ("Menurut Kepala BPBD, ...")."""
    if not GOVERNMENT_ACTORS.isdisjoint(words[:2]):
        return True
    return any(words[i + 1] in GOVERNMENT_ACTORS for i, word in enumerate(words[:-1]) if word == "menurut")


_DOC_STRIDE = 1 << 40  # more than any doc's length in characters


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


class KutimDecide:
    """Blends the text classifiers (when trained) with rule evidence into the `siaga analyze` fields."""

    IMMEDIATE_NEEDS_EVENT = 1.5  # emergency cue weight an urgency word needs beside it to count
    IMMEDIATE_CAP = 2.0  # urgency words add at most this much
    DISASTER_EVIDENCE = 4.0  # disaster evidence that names an emergency's category
    ROAD_AFTER_DISASTER = 2.5  # road evidence that names a past disaster's category
    UTILITY_OUTAGE = 3.0  # water evidence that keeps an outage in its own category during a disaster
    # A text with no topic word and no acute event (chat, a restaurant review) rarely is a complaint, but the
    # textcat, trained on posts that nearly all have a topic, votes "complaint" on unfamiliar words: its vote
    # then counts this much instead of half.
    TOPIC_MIN = 1.0
    NO_TOPIC_MODEL_WEIGHT = 0.3
    # A terse report ("got mampet", "banjir mulai naik"): a few words with a clear topic and no announcement
    # words is a report, though it has no complaint phrasing around it.
    TERSE_WORDS = 8
    TERSE_TOPIC = 2.0
    TERSE_BOOST = 2.0
    # An acute event this strongly told (people missing and searched for, water rising in homes) is a report to
    # act on, whatever the surrounding news wording: the rules decide and the textcat's vote counts this much.
    ACUTE_REPORT = 4.0
    ACUTE_MODEL_WEIGHT = 0.2
    # A problem reported as fixed ("sudah diperbaiki", "menyala kembali") with nothing saying it goes on ("masih",
    # "tapi", "rusak lagi") is news of a repair, not a complaint: this much announcement evidence, rules alone.
    RESOLVED_WEIGHT = 4.0
    # The utility named as the one that failed (PDAM, PLN, its customers, its pipes) beside a disaster that only
    # caused it, with no homes hit: a water or power outage, not a flood or landslide emergency.
    UTILITY_MIN = 3.0
    REPAIR_CALM = 1.5  # emergency evidence a repair word ("perbaikan", "belum diperbaiki") takes away
    # An agency or its crew doing the work ("petugas PPSU memperbaiki jalan berlubang"), nobody asking for it: news.
    AT_WORK_WEIGHT = 3.0
    # An official's statement ("Menurut Kepala BPBD ...", "Wabup mengimbau ...") with no resident's voice in it.
    OFFICIAL_WEIGHT = 2.5
    # When: an acute text framed as over (a search ended, last month's flood, a finished repair, a plan, a year's
    # figures) with no word saying it goes on now is no emergency; words that it goes on (still rising, not yet
    # found, spreading) add this much beside an acute event that nothing frames as over.
    OVER_MIN = 2.0
    ONGOING_CAP = 1.0
    # Round 10: a hazard told as not under way now (`not_now`: the search closed, damage being counted or repaired
    # after the event, a forecast or an alert level, a count over the years) with nothing saying the hazard itself is
    # still there (`hazard_now`) is news of it, no emergency, whatever generic "masih" / "saat ini" it carries.
    NOT_NOW_MIN = 2.0
    # Round 10: a traffic accident (a vehicle or accident word, no disaster named) whose victims are already in care
    # or whose scene the police examine (`in_care`) is reported after the fact: no emergency.
    IN_CARE_MIN = 2.0
    # Round 9: a hazard framed as over and reported as finished or counted (`done`: a year's figures, water gone, a
    # fire out, a repair or an emergency status ended), with nobody asking, blaming or saying it still goes on, is
    # news of it, not a report to act on (not the aftermath: disease after a flood, a flood with every rain).
    OVER_NEWS_WEIGHT = 3.0
    ONGOING_NEEDS_EVENT = 1.5
    # A road blocked or something buried is acute only when a disaster is named this strongly beside it.
    BLOCKED_NEEDS_DISASTER = 2.5
    # A facility struck by a disaster ("puskesmas kebanjiran") is the disaster's when it is named this strongly.
    BORDER_HIT_DISASTER = 3.5

    def __init__(
        self,
        category_rule_weight: float,
        complaint_rule_weight: float,
        complaint_threshold: float,
        emergency_threshold: float,
        emergency_model_weight: float,
    ) -> None:
        self.category_rule_weight = category_rule_weight
        self.complaint_rule_weight = complaint_rule_weight
        self.complaint_threshold = complaint_threshold
        self.emergency_threshold = emergency_threshold
        self.emergency_model_weight = emergency_model_weight
        self.routing = routing.load()
        self._split_cache: dict[int, tuple[str, ...]] = {}  # NORM hash -> its words
        routing_words = {
            keyword for rules in self.routing.rules.values() for rule in rules for keyword in rule.keywords
        }
        phrases = lexicon_phrases() | border_phrases() | routing_words
        self.find_phrases = PhraseIndex(phrases)  # finds what rules.PhraseFinder finds

    def _category_border(
        self, category: str, scores: dict[str, float], grams: set[str], text: str, ev: RuleEvidence, is_emergency: bool
    ) -> str:
        """What the complaint is about when a disaster is named beside it (issue 11, class 4).

        A road a landslide or flood broke months ago and nobody repairs is the road's problem, whatever happens to it
        now; a water or power cut the disaster caused ("air ledeng mati gara-gara banjir", "sejak banjir minggu
        lalu") is an outage once no emergency and no water in homes is told. The disaster stays the category when
        it is what goes on now (water in homes) or nothing places it in the past or as the cause. A health facility or
        school struck by a disaster ("puskesmas kebanjiran") is the disaster's problem; the victims of a fire or storm
        named only as victims, in shelters or waiting for aid, are a social one.
        """
        # the raw text is searched for "sudah 4 bulan" only where a road or an outage may follow from a disaster
        cues = border_cues(
            grams if isinstance(grams, set) else set(grams), text if category in BORDER_DISASTERS else None
        )
        if category in BORDER_FACILITIES:
            # a puskesmas or school under water or burnt: the disaster, named strongly, is the problem
            disaster = max(DISASTER_CATEGORIES, key=lambda c: scores[c])
            hit = cues.hit > 0 and scores[disaster] >= self.BORDER_HIT_DISASTER
            return disaster if hit else category
        # the victims of a fire or storm named only as victims, in shelters or waiting for aid: their needs
        if (
            category in BORDER_AFTERMATH
            and cues.victims > 0
            and cues.needs > 0
            and scores[category] < self.DISASTER_EVIDENCE
        ):
            return "sosial"
        if category not in BORDER_DISASTERS or (cues.long_ago <= 0 and cues.cause <= 0):
            return category
        if water_in_home(text):
            return category
        if (
            cues.road > 0
            and cues.long_ago > 0
            and (
                ev.damage > 0
                or ev.repair > 0
                or cues.road_fix > 0
                or scores["jalan_jembatan"] >= self.ROAD_AFTER_DISASTER
            )
        ):
            return "jalan_jembatan"
        utility = max(("air_bersih", "listrik"), key=lambda c: scores[c])
        if not is_emergency and scores[utility] >= self.UTILITY_OUTAGE:
            return utility
        return category

    def _words(self, doc: Doc) -> list[str]:
        """The normalised words of the doc, punctuation and kept place names left out (`places.name_spans`).

        Vectorised over the doc's arrays, with one C-level dictionary lookup per token (NORM hash -> its
        words, cached), so no Python code runs per token except for a NORM seen for the first time.
        """
        spans = places.name_spans(doc.user_data[PLACE_KEY])
        array = _token_table(doc)
        keep = array[:, 1] == 0
        if spans:
            idx = array[:, 2]
            for start, end in spans:
                keep &= (idx < start) | (idx >= end)
        return list(chain_iterables.from_iterable(self._split(array[:, 0][keep].tolist(), doc.vocab.strings)))

    def _split(self, norms: list[int], strings) -> list[tuple[str, ...]]:
        """The words of each NORM (by its hash), cached: one C-level lookup per token."""
        split_cache = self._split_cache
        parts = list(map(split_cache.get, norms))
        if None in parts:  # NORMs seen for the first time: only their positions are visited
            if len(split_cache) > 500_000:
                split_cache.clear()
            for i in compress(range(len(parts)), map(is_, parts, repeat(None))):
                parts[i] = split_cache[norms[i]] = tuple(strings[norms[i]].split())
        return parts  # type: ignore[return-value]

    def batch_words(self, docs: list[Doc]) -> list[list[str]]:
        """`_words` of every doc of a batch, with one array and one lookup pass for the whole batch.

        A punctuation token's NORM becomes hash 0 (the empty string, which has no words); a token that
        starts inside a kept place name is found by one binary search over the batch's token offsets, each
        doc's offsets lifted by its position in the batch so that the whole column is sorted.
        """
        if not docs:
            return []
        arrays = list(map(_token_table, docs))
        bounds = list(accumulate(map(len, arrays), initial=0))
        table = numpy.concatenate(arrays)
        norms = table[:, 0] * (table[:, 1] == 0)
        cuts: list[int] = []  # start and end of every kept place name, lifted like the offsets
        for d, doc in enumerate(docs):
            for start, end in places.name_spans(doc.user_data[PLACE_KEY]):
                cuts += (d * _DOC_STRIDE + start, d * _DOC_STRIDE + end)
        if cuts:
            doc_of_token = numpy.repeat(numpy.arange(len(docs), dtype="uint64"), numpy.diff(bounds))
            offsets = table[:, 2] + doc_of_token * numpy.uint64(_DOC_STRIDE)
            at = offsets.searchsorted(numpy.array(cuts, dtype="uint64")).tolist()
            for low, high in zip(at[::2], at[1::2], strict=True):
                norms[low:high] = 0
        parts = self._split(norms.tolist(), docs[0].vocab.strings)
        words = list(chain_iterables.from_iterable(parts))
        if len(words) != len(parts):  # not one word per token: the words' offsets of each doc's tokens
            ends = list(accumulate(map(len, parts), initial=0))
            bounds = [ends[bound] for bound in bounds]
        return [words[low:high] for low, high in pairwise(bounds)]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1024) -> Iterator[Doc]:
        """`__call__` over each batch, the words of the whole batch found at once (`batch_words`)."""
        for batch in minibatch(docs, batch_size):
            for doc, words in zip(batch, self.batch_words(batch), strict=True):
                yield self(doc, words)

    def __call__(self, doc: Doc, words: list[str] | None = None) -> Doc:
        # Words inside place names ("Jalan Poros ...", "RSUD Kudungga") say where, not what: left out.
        place = doc.user_data[PLACE_KEY]
        words = self._words(doc) if words is None else words
        grams = self.find_phrases(words)
        ev = evidence(grams, doc_text(doc))
        cats = doc.cats or {}

        # Category: keyword evidence decides (normalised to a distribution) and the textcat breaks ties; with
        # no keyword at all, the textcat alone decides.
        scores = ev.category_scores
        rule_total = sum(scores.values())
        model_total = sum(cats.get(c, 0.0) for c in CATEGORIES)
        weight = self.category_rule_weight if rule_total else 0.0
        rule_scale = weight / rule_total if rule_total else 0.0
        model_scale = (1 - weight) / model_total if model_total else 0.0
        category = (
            max(CATEGORIES, key=lambda c: rule_scale * scores[c] + model_scale * cats.get(c, 0.0))
            if (rule_total or model_total)
            else "lainnya"
        )

        # Complaint: rule cues against announcement cues, blended with the textcat probability.
        strongest_topic = max(ev.category_scores.values())
        # An acute event (a fire, a missing person) is a problem to act on even without complaint words.
        acute = max(0.0, ev.emergency - ev.not_emergency)
        # An acute event framed as over (found and buried, last week's fire, water gone) is news, not a report
        # of something to act on: its acute words no longer make it a complaint.
        framed_over = ev.over >= self.OVER_MIN and ev.ongoing <= 0
        if framed_over:
            acute = 0.0
        # A text that opens with a government actor ("Bupati ...", "Dinsos Kutim ...") and speaks like an
        # announcement is one, unless it also carries complaint words.
        if words[:1] and words[0] in GOVERNMENT_ACTORS and ev.non_complaint >= 1.5 and ev.complaint < 4:
            ev.non_complaint += 1.5
        resolved = ev.resolved > 0 and ev.still <= 0 and acute < self.ACUTE_REPORT
        if resolved:
            ev.non_complaint += self.RESOLVED_WEIGHT
        if framed_over and ev.done > 0 and ev.still <= 0 and not ev.demand and not ev.resident_voice:
            ev.non_complaint += self.OVER_NEWS_WEIGHT
        if ev.at_work and ev.crew and not ev.demand and acute < self.ACUTE_REPORT and _crew_at_work(words):
            ev.non_complaint += self.AT_WORK_WEIGHT
        if ev.official_says and not ev.resident_voice and acute < self.ACUTE_REPORT and _official_speaks(words):
            ev.non_complaint += self.OFFICIAL_WEIGHT
        rule_logit = ev.complaint - ev.non_complaint + 0.3 * min(strongest_topic, 6.0) + 0.6 * acute - 2.0
        if (
            len(words) <= self.TERSE_WORDS
            and strongest_topic >= self.TERSE_TOPIC
            and ev.non_complaint == 0
            and not ev.question
            and words[:1] != []
            and words[0] not in GOVERNMENT_ACTORS
        ):
            rule_logit += self.TERSE_BOOST
        rule_p = _sigmoid(0.9 * rule_logit)
        model_p = cats.get("complaint")
        model_weight = 1 - self.complaint_rule_weight
        if strongest_topic < self.TOPIC_MIN and acute < self.TOPIC_MIN:
            model_weight = self.NO_TOPIC_MODEL_WEIGHT
        if acute >= self.ACUTE_REPORT:
            model_weight = min(model_weight, self.ACUTE_MODEL_WEIGHT)
        if resolved:
            model_weight = 0.0
        score = rule_p if model_p is None else ((1 - model_weight) * rule_p + model_weight * model_p)
        is_complaint = score >= self.complaint_threshold

        # Emergency: only a complaint can be one; acute cues against chronic/preventive ones.
        emergency_score = ev.emergency - ev.not_emergency
        # "barusan", "malam ini", "mohon bantuan" make an event acute; without an event they mean nothing.
        if ev.emergency >= self.IMMEDIATE_NEEDS_EVENT:
            emergency_score += min(ev.immediate, self.IMMEDIATE_CAP)
        if cats.get("emergency") is not None:
            emergency_score += self.emergency_model_weight * (cats["emergency"] - 0.5) * 2
        # A road or slope waiting for (or asking for) repair is done damage, not a landslide happening now.
        if ev.repair > 0 and category in ("bencana_alam", "jalan_jembatan"):
            emergency_score -= self.REPAIR_CALM
        if ev.blocked > 0 and max(scores[c] for c in DISASTER_CATEGORIES) < self.BLOCKED_NEEDS_DISASTER:
            emergency_score -= ev.blocked  # rubbish or trucks blocking a road: no disaster, no emergency
        if (
            ev.ongoing > 0
            and ev.over <= 0
            and ev.repair <= 0  # a repair asked for: the damage is done, "makin lebar" is how it ages
            and ev.emergency >= self.ONGOING_NEEDS_EVENT
            and category in DISASTER_CATEGORIES  # prices that "terus naik", a love that "makin besar": no hazard
        ):
            emergency_score += min(ev.ongoing, self.ONGOING_CAP)
        # Outside the usual emergency categories the evidence must be stronger (a teacher's car in a river).
        threshold = self.emergency_threshold + (0.0 if category in EMERGENCY_CATEGORIES else 1.5)
        not_now = ev.not_now >= self.NOT_NOW_MIN and ev.hazard_now <= 0
        if ev.in_care >= self.IN_CARE_MIN and ev.hazard_now <= 0 and scores["transportasi"] > 0:  # a road accident
            not_now = not_now or max(scores[c] for c in DISASTER_CATEGORIES) < self.BLOCKED_NEEDS_DISASTER
        is_emergency = bool(is_complaint and emergency_score >= threshold and not framed_over and not not_now)
        # A water or power cut the disaster only caused (the PDAM intake under water, no homes hit) is an outage.
        if ev.utility >= self.UTILITY_MIN and max(scores[c] for c in DISASTER_CATEGORIES) >= self.TERSE_TOPIC:
            utility = max(("air_bersih", "listrik"), key=lambda c: scores[c])
            if (
                category in (*DISASTER_CATEGORIES, utility)
                and scores[utility] >= self.UTILITY_OUTAGE
                and not mentions_homes(doc_text(doc))
            ):
                category, is_emergency = utility, False
        # In an emergency the disaster names the problem, not what it hit: a landslide cutting a road is a
        # landslide, a fire at a bus terminal a fire (strong rule evidence only).
        if is_emergency and category not in DISASTER_CATEGORIES:
            disaster = max(DISASTER_CATEGORIES, key=lambda c: scores[c])
            # A water outage caused by a flood stays an outage (the PDAM intake under water).
            outage = category == "air_bersih" and scores[category] >= self.UTILITY_OUTAGE
            # A PLN substation or line that fails with fire or a blast, named more strongly than the fire, is PLN's.
            outage = outage or (
                category == "listrik" and ev.utility >= self.UTILITY_MIN and scores[category] > scores[disaster]
            )
            # Outside the categories that commonly have emergencies ("lansia" and "bantuan" beside water
            # rising in homes), a disaster named as strongly as the category itself names it.
            needed = self.DISASTER_EVIDENCE
            if category not in EMERGENCY_CATEGORIES:
                needed = max(1.0, min(needed, scores[category]))
            if scores[disaster] >= needed and not outage:
                category = disaster
        # Long after a landslide or a flood, what is left to complain about is the road or bridge it damaged: a
        # road a landslide ate away and nobody repairs, a bridge a past flood broke.
        elif (
            not is_emergency
            and category in ("bencana_alam", "banjir")
            and scores["jalan_jembatan"] >= self.ROAD_AFTER_DISASTER
            and (
                ev.not_emergency >= 2.0 or ev.repair > 0
                if category == "bencana_alam"
                else ev.not_emergency >= 2.0 and ev.damage > 0
            )
        ):
            category = "jalan_jembatan"
        if category in BORDER_CATEGORIES:
            category = self._category_border(category, scores, grams, doc_text(doc), ev, is_emergency)

        lapor = None
        if is_complaint:
            lapor = "aspirasi" if ev.aspiration >= 3.5 and ev.aspiration >= 0.5 * ev.complaint else "pengaduan"
            if ev.question and ev.info >= 2.5 and ev.complaint < 3:
                lapor = "permintaan_informasi"
        elif ev.question and ev.info >= 1.5:
            lapor = "permintaan_informasi"

        opd = None
        if is_complaint:
            landmark_names = {m.entry.name for m in place.mentions if m.kept and m.kind == "landmark"}
            opd = self.routing.route(category, grams, landmark_names, is_emergency)
        doc.user_data[ANALYSIS_KEY] = {
            "is_complaint": bool(is_complaint),
            "complaint_score": round(float(score), 4),
            "category": category if is_complaint else None,
            "is_emergency": is_emergency,
            "lapor_classification": lapor,
            "opd": opd,
        }
        return doc


def build_blank(with_textcat: bool = True) -> Language:
    """The untrained pipeline (textcat components added but not initialised)."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "kutim.Tokenizer.v1"}}})
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = PIPELINE_VERSION
    nlp.add_pipe("kutim_places")
    if with_textcat:
        nlp.add_pipe(
            "textcat_multilabel",
            name="textcat",
            config={
                "model": {
                    "@architectures": "kutim.TextCatBOWNorm.v1",
                    "exclusive_classes": False,
                    "ngram_size": 1,
                    "length": 32768,
                }
            },
        )
    nlp.add_pipe("kutim_decide")
    return nlp


def process(nlp: Language, docs: list[Doc], batch_size: int = 1024) -> list[Doc]:
    """The docs through every component of the pipeline, like `nlp.pipe`, one component at a time.

    Each component takes the whole list in turn (a batched component its batches) instead of docs
    streaming through all components one by one: each component's code and data stay warm in the CPU's
    caches, which makes analysis about 8 % faster than `nlp.pipe` on posts of about 45 tokens. The
    docs are the same; an error in a component is raised to the caller.
    """
    for _, proc in nlp.pipeline:
        pipe = getattr(proc, "pipe", None)
        docs = list(pipe(docs, batch_size=batch_size)) if pipe else [proc(doc) for doc in docs]
    return docs


def model_version(nlp: Language) -> str:
    """Name, version and the fingerprint of the data it was trained on: 'kutim_siaga-1.0.0+1a2b3c4d'."""
    version = f"{nlp.meta.get('name', PIPELINE_NAME)}-{nlp.meta.get('version', PIPELINE_VERSION)}"
    fingerprint = (nlp.meta.get("kutim") or {}).get("train_sha256_8")
    return f"{version}+{fingerprint}" if fingerprint else version


def load(path: Path | None = None) -> Language:
    """The trained pipeline from `path` (default nlp/model); the rules-only pipeline if none was trained."""
    path = Path(path or MODEL_DIR)
    if (path / "config.cfg").exists():
        return spacy.load(path)
    nlp = build_blank(with_textcat=False)
    nlp.meta["version"] = PIPELINE_VERSION + "-rules"
    return nlp


@lru_cache(maxsize=1024)
def _names_and_point(kecamatan_code: str | None, desa_code: str | None, region_code: str | None) -> tuple:
    kec = regions.by_code(kecamatan_code) if kecamatan_code else None
    desa = regions.by_code(desa_code) if desa_code else None
    most = regions.by_code(region_code) if region_code else None
    return (
        kec.name if kec else None,
        desa.name if desa else None,
        most.lat if most else None,
        most.lon if most else None,
    )


def place_fields(result: places.PlaceResult) -> dict[str, Any]:
    """The place fields of the contract, with lat/lon of the most specific place."""
    kecamatan, desa, lat, lon = _names_and_point(result.kecamatan_code, result.desa_code, result.region_code)
    return {
        "in_kutim": result.in_kutim,
        "kecamatan": kecamatan,
        "desa": desa,
        "region_code": result.region_code,
        "lat": lat,
        "lon": lon,
    }


ENTITY_LABELS = {
    "desa": "DESA",
    "kecamatan": "KECAMATAN",
    "kabupaten": "KABUPATEN",
    "town": "KOTA",
    "landmark": "LANDMARK",
    "outside": "LUAR_KUTIM",
}


def entities(result: places.PlaceResult) -> list[dict[str, Any]]:
    """Every kept place mention as {text, label, start, end, code}."""
    labels = ENTITY_LABELS
    return [
        {"text": m.text, "label": labels.get(m.kind, "PLACE"), "start": m.start, "end": m.end, "code": m.code}
        for m in result.mentions
        if m.kept
    ]

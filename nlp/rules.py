"""Keyword and cue rules over normalised words: category evidence, complaint cues, emergency, LAPOR! type.

The lexicons (nlp/data/lexicon.yaml) say what a word is evidence of; the pipeline blends this evidence with
the trained text classifier (see docs/nlp.md for which decides what). Phrases are matched as whole
normalised words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from itertools import chain, compress, pairwise

import yaml

from core.domain import CATEGORIES  # defined once; re-exported for the rules' users

# Cue tables the decisions read beside the weighted evidence (see KutimDecide in nlp/pipeline.py): a fix reported
# as done, words that the problem goes on, the utility that failed, a road waiting for repair, damage words; when
# the hazard happens (over, or going on now) and road-blocking words that need a disaster beside them; a hazard
# reported as finished or counted (`done`, round 9); a hazard not under way now whatever generic words surround it, and
# what says it still is (`not_now`, `hazard_now`, round 10); a traffic accident's victims already in care (`in_care`).
CUE_TABLES = (
    "resolved",
    "still",
    "utility",
    "repair",
    "damage",
    "over",
    "ongoing",
    "blocked",
    "at_work",
    "crew",
    "demand",
    "official_says",
    "resident_voice",
    "water_verbs",
    "done",
    "not_now",
    "hazard_now",
    "in_care",
)


def _load_lexicon() -> dict:
    """The lexicons of nlp/data/lexicon.yaml, checked: every category present, every weight a number."""
    text = resources.files("nlp").joinpath("data", "lexicon.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    tables = (
        "categories",
        "complaint",
        "non_complaint",
        "emergency",
        "not_emergency",
        "immediate",
        "aspiration",
        "info",
        *CUE_TABLES,
    )
    for table in tables:
        if not isinstance(data.get(table), dict):
            raise ValueError(f"nlp/data/lexicon.yaml: '{table}' must be a mapping")
    missing = [c for c in CATEGORIES if c not in data["categories"]]
    if missing:
        raise ValueError(f"nlp/data/lexicon.yaml: categories without words: {', '.join(missing)}")
    for table in tables[1:]:
        _check_weights(table, data[table])
    for category, words in data["categories"].items():
        if category not in CATEGORIES:
            raise ValueError(f"nlp/data/lexicon.yaml: unknown category '{category}'")
        _check_weights(category, words)
    return data


def _check_weights(name: str, words: dict) -> None:
    for phrase, weight in words.items():
        if not isinstance(weight, int | float):
            raise ValueError(f"nlp/data/lexicon.yaml: weight of '{phrase}' in '{name}' is not a number")


_LEXICON = _load_lexicon()
# category -> {phrase: weight}
CATEGORY_LEXICON: dict[str, dict[str, float]] = _LEXICON["categories"]
COMPLAINT_CUES: dict[str, float] = _LEXICON["complaint"]
NON_COMPLAINT_CUES: dict[str, float] = _LEXICON["non_complaint"]
EMERGENCY_CUES: dict[str, float] = _LEXICON["emergency"]
NOT_EMERGENCY_CUES: dict[str, float] = _LEXICON["not_emergency"]
# Time and urgency words ("barusan", "malam ini", "mohon bantuan"): they make an event acute, never alone.
IMMEDIATE_CUES: dict[str, float] = _LEXICON["immediate"]
ASPIRATION_CUES: dict[str, float] = _LEXICON["aspiration"]
INFO_CUES: dict[str, float] = _LEXICON["info"]
# An agency or its crew doing the work: its verbs and who does them (see KutimDecide in nlp/pipeline.py).
AT_WORK_VERBS: frozenset[str] = frozenset(_LEXICON["at_work"])
CREW_WORDS: frozenset[str] = frozenset(_LEXICON["crew"])
# Words that say more together than apart, anywhere in the same text ("jalan ... rusak parah").
PAIRS: tuple[tuple[str, str, str, float], ...] = tuple(
    (str(a), str(b), str(category), float(weight)) for a, b, category, weight in _LEXICON.get("pairs") or ()
)
PAIR_WORDS = frozenset(word for pair in PAIRS for word in pair[:2])


@dataclass(slots=True)
class RuleEvidence:
    """What the rules saw in one text."""

    category_scores: dict[str, float]
    complaint: float
    non_complaint: float
    emergency: float
    not_emergency: float
    immediate: float
    aspiration: float
    info: float
    question: bool
    resolved: float = 0.0
    still: float = 0.0
    utility: float = 0.0
    repair: float = 0.0
    damage: float = 0.0
    over: float = 0.0
    ongoing: float = 0.0
    blocked: float = 0.0
    at_work: float = 0.0
    crew: float = 0.0
    demand: float = 0.0
    official_says: float = 0.0
    resident_voice: float = 0.0
    done: float = 0.0
    not_now: float = 0.0
    hazard_now: float = 0.0
    in_care: float = 0.0


def ngrams(words: list[str], max_n: int = 3) -> list[str]:
    """All word n-grams up to `max_n`, as space-joined strings."""
    grams = list(words)
    for n in range(2, max_n + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


# phrase -> ((table, key, weight), ...): one pass over a text's n-grams finds every lexicon hit.
_INDEX: dict[str, list[tuple[str, str, float]]] = {}
for _category, _lexicon in CATEGORY_LEXICON.items():
    for _phrase, _weight in _lexicon.items():
        _INDEX.setdefault(_phrase, []).append(("category", _category, _weight))
for _table, _lexicon in (
    ("complaint", COMPLAINT_CUES),
    ("non_complaint", NON_COMPLAINT_CUES),
    ("emergency", EMERGENCY_CUES),
    ("not_emergency", NOT_EMERGENCY_CUES),
    ("immediate", IMMEDIATE_CUES),
    ("aspiration", ASPIRATION_CUES),
    ("info", INFO_CUES),
    *((table, _LEXICON[table]) for table in CUE_TABLES),
):
    for _phrase, _weight in _lexicon.items():
        _INDEX.setdefault(_phrase, []).append((_table, _table, _weight))


class PhraseFinder:
    """Finds which of a fixed set of phrases occur in a list of words, without building every n-gram."""

    def __init__(self, phrases: set[str] | frozenset[str]) -> None:
        self.phrases = frozenset(phrases)
        # first two words of the phrases of three words or more -> their longest number of words
        self.longer: dict[str, int] = {}
        for phrase in self.phrases:
            parts = phrase.split(" ")
            if len(parts) > 2:
                head = " ".join(parts[:2])
                self.longer[head] = max(self.longer.get(head, 0), len(parts))

    def __call__(self, words: list[str]) -> set[str]:
        # Words and word pairs are looked up by set operations in C; Python code runs only at the rare pair
        # that starts a longer phrase.
        found = set(words)
        found &= self.phrases
        pairs = list(map(" ".join, pairwise(words)))
        found.update(self.phrases.intersection(pairs))
        longer = self.longer
        if longer.keys().isdisjoint(pairs):
            return found
        phrases, n = self.phrases, len(words)
        for i in compress(range(len(pairs)), map(longer.__contains__, pairs)):
            for length in range(3, min(longer[pairs[i]], n - i) + 1):
                gram = " ".join(words[i : i + length])
                if gram in phrases:
                    found.add(gram)
        return found


def lexicon_phrases() -> set[str]:
    """Every phrase of every lexicon, and the words of `PAIRS`."""
    return set(_INDEX) | PAIR_WORDS


# Water depth told as a measure ("banjir 50 cm", "ketinggian air ±70 cm", "air mencapai 1,5 meter"): residents
# and news give flood depth in numbers as often as in body parts ("setinggi lutut"). A water word must come
# shortly before the figure, so a pothole "sedalam 30 cm" is no flood.
_WATER_DEPTH = re.compile(
    r"(?i)\b(?:banjir\w*|air|genangan|tergenang|terendam|merendam|direndam|luapan|rendaman)\b[^.\n]{0,40}?"
    r"(\d+(?:[.,]\d+)?)\s*(?:(?:-|–|hingga|sampai|s\.?d\.?)\s*(\d+(?:[.,]\d+)?)\s*)?"
    r"(cm|centi\w*|senti\w*|meter|m)\b"
)
_FIGURE_UNIT = re.compile(r"(?i)\d\s*(?:cm|centi\w*|senti\w*|meter|m)\b")
# ... and only where people live: water of 40 cm on a road with cars stalling is a nuisance, in homes it is not.
_HOMES = re.compile(r"(?i)\b(?:rumah\w*|permukiman|pemukiman|perumahan|hunian|kampung|dapur|kamar|pengungsi\w*)\b")
# Water inside a home told without a depth ("air udah masuk kamar", "air masih di dalam rumah") and water rising
# by a measure ("bertambah 20 cm", "naik 30 senti"): both say the flood is in homes or growing now. Searched in
# the lower-cased text, anchored on the rarer word (into a room, the flood verb, the figure) and only in texts
# that have one of the `water_verbs`.
_INTO_HOME = re.compile(r"\b(?:masuk|dalam)\s+(?:ke\s+)?(?:rumah|kamar|dapur|ruang tamu|ruangan|toko|masjid|sekolah)")
_WATER_BEFORE = re.compile(r"\b(?:air|banjir)")  # within the 40 characters before "masuk ke rumah"
# ... or flooding homes by the verb ("menggenangi ratusan rumah", "rumah warga terendam")
_FLOODED_HOMES = re.compile(
    r"\b(?:menggenangi|merendam|tergenang\w*|terendam\w*)\s+(?:\S+\s+){0,2}?(?:rumah|permukiman|pemukiman|perumahan)"
    r"|\b(?:rumah|permukiman|pemukiman|perumahan)\w*\s+(?:\S+\s+){0,3}?(?:terendam|tergenang|kebanjiran)\b"
)
# "jalan depan rumah tergenang": the road by the homes is under water, not the homes
_BY_THE_HOMES = re.compile(r"\b(?:depan|dekat|samping|belakang|sekitar|menuju|ke|jalan|jl|jln|gang|halaman)\s+$")
_WATER_WORD = re.compile(r"(?i)air|banjir|rendam|genang")
_WATER_RISING = re.compile(
    r"\b(?:bertambah|naik|meningkat|meninggi)\s+(?:tinggi\s+|lagi\s+|sekitar\s+|hingga\s+|±\s*)?"
    r"\d+(?:[.,]\d+)?\s*(?:cm|centi\w*|senti\w*|meter)\b"
)
# ... but not tap water that does not reach a home, nor rain through a leaking roof (in the sentence so far)
_NOT_FLOOD_WATER = re.compile(
    r"\b(?:tidak|tak|belum|gak|ga|nggak|enggak|pdam|pam|ledeng|bersih|keran|kran|bocor|atap|plafon)\b"
)
WATER_IN_HOME_WEIGHT = 2.5


def water_in_home(raw_text: str, figures: bool = True) -> bool:
    """Whether the text says flood water is inside or floods homes, or rises by a measure (when `figures`)."""
    text = raw_text.lower()
    if figures and _WATER_RISING.search(text):
        return True
    for match in chain(_INTO_HOME.finditer(text), _FLOODED_HOMES.finditer(text)):
        at = match.start()
        sentence = (
            max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at), text.rfind("\n", 0, at)) + 1
        )
        if _NOT_FLOOD_WATER.search(text, sentence, match.end()):
            continue
        if match.re is _INTO_HOME:
            if _WATER_BEFORE.search(text, max(sentence, at - 40), at):
                return True
        elif not _BY_THE_HOMES.search(text, max(sentence, at - 12), at):
            return True
    return False


WATER_DEPTH_CM = 30.0  # from about knee height water in homes and roads needs a response now
WATER_DEPTH_WEIGHT = 2.0


def mentions_homes(raw_text: str) -> bool:
    """Whether the text speaks of where people live (homes, settlements, evacuees)."""
    return _HOMES.search(raw_text) is not None


def water_depth_cm(raw_text: str) -> float:
    """The greatest water depth written as a measure in the text, in centimetres (0 when none)."""
    deepest = 0.0
    if not _FIGURE_UNIT.search(raw_text):  # the end of every match: a digit, then a unit (one C-level scan)
        return deepest
    for match in _WATER_DEPTH.finditer(raw_text):
        low, high, unit = match.groups()
        value = float((high or low).replace(",", "."))
        deepest = max(deepest, value if unit.lower().startswith(("c", "s")) else value * 100)
    return deepest


def evidence(grams: list[str] | set[str], raw_text: str) -> RuleEvidence:
    """Rule evidence from the phrases found in the normalised words (`PhraseFinder` or `ngrams`)."""
    totals = dict.fromkeys(
        ("complaint", "non_complaint", "emergency", "not_emergency", "immediate", "aspiration", "info", *CUE_TABLES),
        0.0,
    )
    category_scores = dict.fromkeys(CATEGORIES, 0.0)
    grams = grams if isinstance(grams, set) else set(grams)
    for first, second, category, weight in PAIRS:
        if first in grams and second in grams:
            category_scores[category] += weight
    for gram in grams:
        hits = _INDEX.get(gram)
        if hits is None:
            continue
        for table, key, weight in hits:
            if table == "category":
                category_scores[key] += weight
            else:
                totals[key] += weight
    figures = _FIGURE_UNIT.search(raw_text) is not None
    if (totals["water_verbs"] or figures) and _WATER_WORD.search(raw_text) and water_in_home(raw_text, figures):
        totals["emergency"] += WATER_IN_HOME_WEIGHT
        category_scores["banjir"] += WATER_IN_HOME_WEIGHT
    if figures and water_depth_cm(raw_text) >= WATER_DEPTH_CM:
        category_scores["banjir"] += 1.0
        if _HOMES.search(raw_text):
            totals["emergency"] += WATER_DEPTH_WEIGHT
    for category, value in category_scores.items():
        if value < 0:  # context phrases ("pulang sekolah") can only take evidence away, not below nothing
            category_scores[category] = 0.0
    return RuleEvidence(
        category_scores=category_scores,
        complaint=totals["complaint"],
        non_complaint=totals["non_complaint"],
        emergency=totals["emergency"],
        not_emergency=totals["not_emergency"],
        immediate=totals["immediate"],
        aspiration=totals["aspiration"],
        info=totals["info"],
        question="?" in raw_text,
        resolved=totals["resolved"],
        still=totals["still"],
        utility=totals["utility"],
        repair=totals["repair"],
        damage=totals["damage"],
        over=totals["over"],
        ongoing=totals["ongoing"],
        blocked=totals["blocked"],
        at_work=totals["at_work"],
        crew=totals["crew"],
        demand=totals["demand"],
        official_says=totals["official_says"],
        resident_voice=totals["resident_voice"],
        done=totals["done"],
        not_now=totals["not_now"],
        hazard_now=totals["hazard_now"],
        in_care=totals["in_care"],
    )


# --- category borders: what is broken now against the disaster that caused it (issue 11, class 4) -------------------
# Tables of nlp/data/lexicon.yaml read only by the category decision (KutimDecide._category_border): the disaster named
# as the cause of what is broken ("akibat longsor", "gara-gara banjir", "sejak banjir"), how long ago it happened
# ("bulan lalu", "berbulan-bulan", "sejak tahun lalu"; a number of months or years is found in the raw text), the road
# or bridge named, the road waiting for its repair ("belum dibenerin", "dibangun kembali"), a building the disaster
# struck ("kebanjiran") and the victims of a fire or storm that is over with what they lack now (shelter, aid).
BORDER_TABLES = (
    "border_cause",
    "border_long_ago",
    "border_road",
    "border_road_fix",
    "border_hit",
    "border_victims",
    "border_needs",
)
_BORDER_INDEX: dict[str, list[tuple[str, float]]] = {}
for _table in BORDER_TABLES:
    if not isinstance(_LEXICON.get(_table), dict):
        raise ValueError(f"nlp/data/lexicon.yaml: '{_table}' must be a mapping")
    _check_weights(_table, _LEXICON[_table])
    for _phrase, _weight in _LEXICON[_table].items():
        _BORDER_INDEX.setdefault(_phrase, []).append((_table, _weight))
# "sudah empat bulan", "sejak 2 tahun", "hampir setahun", "lebih dari 4 bulan": months or years, not days
_MONTHS_OR_YEARS = re.compile(
    r"(?i)\b(?:sudah|sdh|udah|udh|sejak|hampir|lebih dari|selama|sekitar)\s+(?:\d+|se|satu|dua|tiga|empat|lima|enam|"
    r"tujuh|delapan|sembilan|sepuluh|beberapa|berapa)\s*(?:bulan|thn|tahun|bln)\b|\b(?:setahun|sebulan)\b"
)


@dataclass(slots=True)
class BorderCues:
    """What the category border rules saw in one text."""

    cause: float = 0.0
    long_ago: float = 0.0
    road: float = 0.0
    road_fix: float = 0.0
    hit: float = 0.0
    victims: float = 0.0
    needs: float = 0.0


def border_cues(grams: set[str], raw_text: str | None = None) -> BorderCues:
    """The border tables' phrases among the text's phrases, and (given the raw text) months or years with a number."""
    cues = BorderCues()
    for gram in _BORDER_INDEX.keys() & grams:
        for table, weight in _BORDER_INDEX[gram]:
            name = table.removeprefix("border_")
            setattr(cues, name, getattr(cues, name) + weight)
    if raw_text is not None and cues.long_ago <= 0 and _MONTHS_OR_YEARS.search(raw_text):
        cues.long_ago += 1.0
    return cues


def border_phrases() -> set[str]:
    """Every phrase of the border tables (the phrase finder must look for them too)."""
    return set(_BORDER_INDEX)

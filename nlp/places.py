"""Finding where a post's problem is: place mentions, their role in the sentence, and the winner.

Rules, not a trained model: place names are a closed, official list, and the few hundred examples we can
write would teach a statistical model less than these rules say. The steps:
1. find every mention (longest match of up to five words, Kutim and outside-Kutim gazetteers);
2. give each a role from the words around it: where the problem is ("di", "warga", "Desa", "masuk
   wilayah"), a route ("dari ... ke ...", "menuju"), a person's origin ("asal"), or a news dateline ("SANGATTA –");
3. drop ambiguous names without context (ordinary words, names shared with other regencies);
4. score Kutim against outside mentions; the problem's place beats a place on the route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress, pairwise

from nlp import regions
from nlp.gazetteer import (
    CORE_RANK,
    LONG_WORD,
    MAX_NGRAM,
    RARE_EVERYDAY_RANK,
    WORD,
    Entry,
    Gazetteer,
    key_of,
    load,
    skeleton,
)
from nlp.matcher import skeleton_keys

# "Kades"/"Pemdes" X: the head or the government of village X ("Kades Sumber Agung menambahkan ...")
DESA_WORDS = frozenset(
    {"desa", "ds", "kel", "kelurahan", "kampung", "kp", "kmp", "dusun", "dsn", "lurah", "kades", "pemdes"}
)
KEC_WORDS = frozenset({"kec", "kecamatan", "kecamtan", "kcmtn", "kcm", "camat"})
KAB_WORDS = frozenset({"kabupaten", "kab", "kota", "pemkab", "pemkot", "bupati", "walikota"})
PROV_WORDS = frozenset({"provinsi", "prov", "propinsi"})
PROBLEM_WORDS = frozenset(
    {
        "di",
        "wilayah",
        "kawasan",
        "daerah",
        "lokasi",
        "tepatnya",
        "terletak",
        "berada",
        "warga",
        "wrg",
        "masyarakat",
        "penduduk",
        "sekitar",
        "dekat",
        "depan",
        "area",
        "seputaran",
        "kampung",
        "dlm",
        "dalam",
        "pelosok",
        "sepanjang",
        "ruas",
        "simpang",
        "masuk",
        "termasuk",
        "melanda",
        "landa",
        "rendam",
        "merendam",
        "terendam",
        "dikawasan",
        "diwilayah",
        "didesa",
        "dijalan",
        "jalan",
        "jln",
        "jl",
        "gang",
        "gg",
        "rt",
        "pasar",
        "puskesmas",
        "sekolah",
        "sd",
        "smp",
        "sma",
    }
)
ROUTE_WORDS = frozenset(
    {
        "dari",
        "ke",
        "menuju",
        "arah",
        "tujuan",
        "via",
        "lewat",
        "melalui",
        "hingga",
        "sampai",
        "pulang",
        "balik",
        "mudik",
        "jurusan",
        "trayek",
        "rute",
        "antar",
        "dr",
        "kearah",
        "perjalanan",
        "berangkat",
    }
)
# "melewati Kecamatan Muara Wahau" (on the way to Busang) is a place passed through; but "melewati Jalan Kabo
# Jaya" is the road itself, so only before an admin word.
PASS_WORDS = frozenset({"melewati", "melintasi", "lewati"})
# "masuk ke", "meluas ke" before a name: a hazard that has reached the place, not a route to it.
SPREAD_WORDS = frozenset({"masuk", "meluas", "merembet", "menjalar", "meluap", "merambat"})
# A road named after the towns it joins ("jalan poros Bontang-Samarinda"): an outside town in the name is a
# route point, not where the problem is (a Kutim town there still places the road in Kutim).
ROAD_NAME_WORDS = frozenset({"poros", "lintas", "trans"})
# A name right before an event word is where it happens: "Pulung Sari banjir", "Sangatta gelap lagi".
EVENT_AFTER_WORDS = frozenset(
    {"banjir", "kebanjiran", "longsor", "terendam", "tergenang", "kebakaran", "terbakar", "gelap", "macet"}
)
# A road between two places ("jalan penghubung Margo Mulyo ke Pulung Sari"): both ends are the road's place,
# not a route away from it.
ROAD_LINK_WORDS = frozenset({"penghubung", "menghubungkan", "menghubungi", "antara", "poros"})
LINK_BETWEEN = frozenset({"ke", "dengan", "dan", "-", "–", "—", "sampai", "hingga", "menuju"})
# A person's home ("nelayan asal Desa X"): weaker than where the problem is, stronger than a route point.
ORIGIN_WORDS = frozenset({"asal"})
ORIGIN_PENALTY = 1.5
# An official's office ("Kepala Desa Sepaso, Ahmad, mengatakan jalan di Desa Keraitan rusak"): who speaks,
# weaker than where the problem is; still the place when nothing else is named.
OFFICE_TITLE_WORDS = frozenset({"kades", "lurah", "sekdes", "kadus", "camat", "petinggi", "pj", "plt"})
OFFICE_HEAD_WORDS = frozenset({"kepala", "sekretaris", "sekertaris", "pemerintah", "perangkat", "aparat", "ketua"})
OFFICE_PENALTY = ORIGIN_PENALTY
# After these words a name one typo away from a Kutim name is read as that name.
FUZZY_AFTER = frozenset(
    {
        "di",
        "desa",
        "ds",
        "kel",
        "kelurahan",
        "kec",
        "kecamatan",
        "daerah",
        "warga",
        "wilayah",
        "kampung",
    }
)
# Not "dusun": a dusun (hamlet) has its own name inside a desa ("Dusun Lingai Jalung"), so a word after it that is
# one typo from a Kutim name is no Kutim desa.
# After a street abbreviation a name one typo away from a Kutim road landmark is that road ("jln kbo jaya").
FUZZY_STREET_AFTER = frozenset({"jln", "jl"})
TRIGGER_WORDS = FUZZY_AFTER | FUZZY_STREET_AFTER | DESA_WORDS | KEC_WORDS | KAB_WORDS | PROV_WORDS
HAMLET_WORDS = frozenset({"dusun", "dsn"})
# Right before a name in lower case, these say it is a place ("di telen", "warga busang"); "jalan", "sekitar"
# do not: "jalan re martadinata" is a street named after a hero in every town.
LOCATIVE_WORDS = frozenset({"di", "warga", "wrg", "masyarakat", "penduduk", "dikawasan", "diwilayah", "didesa"})
# "dekat perbatasan Bontang", "berbatasan dengan Kukar": a neighbour named as a reference point
BORDER_WORDS = frozenset({"perbatasan", "berbatasan", "batas", "tapal"})
# A capitalised word this long, no frequent word and no region's name elsewhere, that is one typo from a
# distinctive Kutim name is that name wherever it stands ("Dusun 2 Kliorang" is Kaliorang): a proper noun
# that long is rarely anything else, and everyday words and other regions' names never reach here.
FUZZY_ANYWHERE_MIN = LONG_WORD
# "akses jalan menuju Sandaran", "jalan darat menuju Desa X": the road to a place is that place's road.
ACCESS_WORDS = frozenset({"jalan", "jln", "jl", "akses", "jalur"})
TOWARD_WORDS = frozenset({"menuju", "ke"})
ACCESS_MODIFIERS = frozenset({"darat", "utama", "poros", "desa", "masuk", "tani", "usaha", "penghubung"})
# A place joined to a route point by "dan", "maupun" is a route point too ("baik dari A maupun B").
COORDINATORS = frozenset({"dan", "maupun", "atau", "serta", ",", "dan juga"})
_ADMIN_IN_GAP = re.compile(r"(?i)\b(?:desa|ds|kel|kelurahan|kampung|dusun|dsn|kec|kecamatan|kabupaten|kab|kota)\b\.?")
# Ordinary words often written after "di"/"warga": never read as a misspelt place name.
NOT_PLACE_WORDS = frozenset(
    skeleton(word)
    for word in (
        "sini",
        "sana",
        "mana",
        "situ",
        "rumah",
        "depan",
        "belakang",
        "samping",
        "dalam",
        "luar",
        "atas",
        "bawah",
        "tengah",
        "pinggir",
        "sekitar",
        "kampung",
        "kota",
        "kantor",
        "pasar",
        "sekolah",
        "lokasi",
        "tempat",
        "wilayah",
        "daerah",
        "kawasan",
        "area",
        "masjid",
        "gang",
        "perumahan",
        "komplek",
        "lingkungan",
        "kami",
        "kita",
        "sekitarnya",
        "jalan",
        "jalanan",
        "sungai",
        "pantai",
        "hutan",
        "kebun",
        "sawah",
        "lapangan",
        "puskesmas",
        "rumah_sakit",
        "bandara",
        "pelabuhan",
        "dermaga",
        "simpang",
        "perempatan",
        "pertigaan",
        "tikungan",
        "jembatan",
        "kecamatan",
        "kelurahan",
        "desa",
        "dusun",
        "kabupaten",
        "provinsi",
        "masyarakat",
        "warganya",
        "mereka",
        "semua",
        "banyak",
        "beberapa",
        "setiap",
        "seluruh",
        "sepanjang",
        "tepi",
        "ujung",
        "pojok",
        "belakangnya",
        "depannya",
        "dekat",
        "jauh",
    )
)
# Hashtags that contain these (skeleton) parts are about Kutim: #kutimhebat, #infosangatta.
KUTIM_TAG_PARTS = ("kutim", "kutaitimur", "sangata")
KUTIM_TAG_ENTRY = Entry(kind="kabupaten", code=regions.KABUPATEN_CODE, name="Kutai Timur")
FACILITY_WORDS = frozenset(
    {
        "sd",
        "sdn",
        "smp",
        "smpn",
        "sma",
        "sman",
        "smk",
        "smkn",
        "mi",
        "mts",
        "ma",
        "puskesmas",
        "pustu",
        "polsek",
        "koramil",
        "kua",
        "camat",
        "pasar",
        "pelabuhan",
        "dermaga",
        "jembatan",
        "sungai",
        "muara",
    }
)
# A name after these is a street address ("jl. Bangun Jaya"): towns everywhere give streets such names.
STREET_WORDS = frozenset({"jln", "jl", "gg", "lr"})
COMPARE_WORDS = frozenset({"seperti", "kayak", "kaya", "mirip", "layaknya", "bak", "ala", "kyk", "macam"})
_PUNCT_INSIDE = re.compile(r"[,.;:!?()\n]")
_KM = re.compile(r"^(?:km|kilometer)(\d{1,3})$")
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Za-z0-9.]+\.(?:com|co|id|co\.id)[ \t]*,[ \t]*)?"
    r"((?:[A-Z][A-Za-z]+[ \t]?){1,3})[ \t]*(?:,[^\n–—-]{0,40})?[ \t]*"
    r"(?:\([^)\n]{0,40}\))?[ \t]*[–—-]{1,2}[ \t]",
    re.MULTILINE,
)

# "Baca juga: <another story's headline>" lines in news pages name other stories' places.
_ASIDE = re.compile(r"(?i)\bbaca(?:\s+(?:juga|pula)\s*[:：]?|\s*[:：])[^\n]{0,150}")

SHORT_NAME = 4  # letters: a name this short, spelt otherwise than Kutim spells it, needs an admin word
TOWN_KECAMATAN = "64.08.04"  # Sangatta Utara, where the town of Sangatta and the regency's offices are
BASE_SCORE = {"desa": 3.0, "kecamatan": 2.0, "landmark": 2.5, "town": 1.0, "kabupaten": 1.0, "outside": 2.0}


@dataclass(slots=True)
class Mention:
    """One place mention in the text (character offsets) and what the resolver made of it."""

    start: int
    end: int
    text: str
    entry: Entry
    code: str | None
    kind: str
    # 'problem', 'route', 'origin', 'office' (an official's), 'dateline', 'tag' (a hashtag), 'aside', 'neutral'
    role: str = "neutral"
    admin: str | None = None  # the admin word before it: 'desa', 'kecamatan', 'kabupaten'
    score: float = 0.0
    kept: bool = True
    after_facility: bool = False  # written after a facility's name: "SDN 002 Sandaran", "Puskesmas Telen"
    after_area_word: bool = False  # written after "daerah", "wilayah", "kawasan"
    after_street: bool = False  # written after "jl", "gg": a street address
    after_locative: bool = False  # written right after "di", "warga" (not "jalan", "sekitar")
    misspelt: bool = False  # a capitalised typo of a name found with no cue around it (FUZZY_ANYWHERE_MIN)
    typo: bool = False  # one typo from the name it is read as (after "di", "desa"... or anywhere)
    in_road_name: bool = False  # part of a road's name: "jalan poros Bontang-Samarinda"
    everyday_rank: int | None = None  # as written, an everyday word or phrase of this frequency rank
    title_case: bool = False  # on a line written In Title Case or IN CAPITALS, where capitals say nothing
    spelled_as_name: bool = False  # an everyday word spelt as a Kutim name is spelt ("Telaga", not "pengadaan")
    # written with a capital where capitals mean something: after a lower-case word, a pin or as a
    # hashtag (not at a sentence start, not in a Title Case Headline)
    capitalised: bool = False


@dataclass(slots=True)
class PlaceResult:
    """Where the problem is, and every mention found (for the `entities` field)."""

    in_kutim: bool
    kecamatan_code: str | None
    desa_code: str | None
    region_code: str | None
    mentions: list[Mention] = field(default_factory=list)


_SPAN = re.Match.span


def _spans(text: str, keys: list[str]) -> list[tuple[int, int]]:
    """Offsets of the words whose skeletons are `keys` (redone word by word in the rare text where
    lower-casing changed a letter's length, e.g. a dotted capital I)."""
    spans = list(map(_SPAN, WORD.finditer(text)))
    if len(spans) != len(keys):
        keys[:] = [skeleton(text[start:end]) for start, end in spans]
    return spans


def _dateline_end(text: str) -> int:
    """End offset of a news dateline ("SANGATTA –", "KUTAI TIMUR, Kompas.com -") in the first lines."""
    end = 0
    head = text[:400]
    if "-" not in head and "–" not in head and "—" not in head:
        return 0  # no dash, no dateline
    for match in _DATELINE.finditer(head):
        # only at the start of the text or of one of the first lines
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start : match.start()].strip():
            continue
        if text.count("\n", 0, match.start()) > 3:
            break
        end = max(end, match.end(1))
    return end


def _lookup_outside_national(gaz: Gazetteer, admin: str, key: str) -> str | bool | None:
    """Code (or True when no single code) of an outside region written after an admin word."""
    if admin == "desa":
        return True if key in gaz.outside_desa else None
    if admin == "kecamatan":
        return gaz.outside_kecamatan.get(key)
    if admin == "kabupaten":
        return gaz.outside_kabkota.get(key)
    if admin == "provinsi":
        return gaz.outside_provinsi.get(key)
    return None


# Admin words after which any Indonesian region name is looked up ("kampung", "dusun" are too loose).
NATIONAL_LOOKUP_AFTER = frozenset(
    {
        "desa",
        "ds",
        "kel",
        "kelurahan",
        "kec",
        "kecamatan",
        "kabupaten",
        "kab",
        "kota",
        "provinsi",
        "prov",
        "propinsi",
    }
)


def _may_be_outside_name(text: str, spans: list[tuple[int, int]], i: int, prev: str, admin: str) -> bool:
    """Whether the words after an admin word may be a region elsewhere in Indonesia.

    Desa names are countless and often ordinary words ("Desa Gelap"), so a desa/kelurahan name must be
    written with a capital letter; other levels need at least four letters.
    """
    if prev not in NATIONAL_LOOKUP_AFTER:
        return False
    first = text[spans[i][0] : spans[i][1]]
    if admin == "desa":
        return first[:1].isupper()
    return len(first) >= 4


def _admin_of(word: str) -> str | None:
    if word in DESA_WORDS:
        return "desa"
    if word in KEC_WORDS:
        return "kecamatan"
    if word in KAB_WORDS:
        return "kabupaten"
    if word in PROV_WORDS:
        return "provinsi"
    return None


def find_mentions(text: str, gaz: Gazetteer | None = None) -> list[Mention]:
    """Every place mention, left to right, longest match first; roles and admin words filled in."""
    gaz = gaz or load()
    lowered = text.lower()
    keys = skeleton_keys(lowered)  # skeleton_words(text), faster
    starts = gaz.starts
    hashtags = "#" in text
    if not hashtags and starts.keys().isdisjoint(keys) and TRIGGER_WORDS.isdisjoint(keys):
        return []  # many posts: no word that may start a name or asks for one (nor a Kutim name a typo needs)
    misspelt = _misspelt_names(gaz, keys)
    spans = _spans(text, keys)
    # Only positions where a name may start, or that follow a word asking for a lookup, or hashtags
    # (found by C-level maps: no Python code runs per word).
    positions = range(len(keys))
    candidates = set(compress(positions, map(starts.__contains__, keys)))
    candidates.update(map((1).__add__, compress(positions, map(TRIGGER_WORDS.__contains__, keys))))
    if misspelt:
        candidates.update(compress(positions, map(misspelt.__contains__, keys)))
    if hashtags:
        candidates.update(i for i, (start, _) in enumerate(spans) if start and text[start - 1] == "#")
    mentions: list[Mention] = []
    n = len(keys)
    all_sizes = tuple(range(MAX_NGRAM, 0, -1))
    next_free = 0
    for i in sorted(candidates):
        if i >= n or i < next_free:
            continue
        prev = keys[i - 1] if i > 0 else ""
        sizes = starts.get(keys[i])
        found = None
        admin = _admin_of(prev)
        hamlet = admin is None and prev.isdigit() and i > 1 and keys[i - 2] in HAMLET_WORDS
        if hamlet:
            admin = "desa"  # "Dusun 2 Kaliorang": a hamlet numbered within the desa
        national = admin is not None and _may_be_outside_name(text, spans, i, prev, admin)
        for size in all_sizes if national else sizes or ():
            if size > n - i:
                continue
            if size > 1 and _PUNCT_INSIDE.search(text, spans[i][1], spans[i + size - 1][0]):
                continue  # "di sangatta, muara wahau": two places, not one name across the comma
            key = " ".join(keys[i : i + size])
            entry = gaz.kutim.get(key) or gaz.outside.get(key)
            if entry is None and national:
                found_code = _lookup_outside_national(gaz, admin, key)
                if found_code:
                    code = found_code if isinstance(found_code, str) else None
                    entry = Entry(kind="outside", code=code, name=text[spans[i][0] : spans[i + size - 1][1]])
            if entry is not None:
                found = (size, entry)
                break
        if found is not None and _overlapped_by_longer(gaz, keys, i, found[0]):
            continue  # "pasar Sangatta Selatan": the kecamatan, not the "pasar Sangatta" landmark
        street = prev in FUZZY_STREET_AFTER
        fuzzy_found = False
        # "Kecamatan Muara Bengkan": a one-word name elsewhere (Muara, Tapanuli Utara) found after the admin
        # word is no match when the two words are one typo from a Kutim name
        shorter_elsewhere = found is not None and found[0] == 1 and found[1].kind == "outside" and national
        if (
            (found is None or shorter_elsewhere)
            and (prev in FUZZY_AFTER or street or hamlet)
            and len(keys[i]) >= (3 if street else 4)
            and keys[i] not in NOT_PLACE_WORDS
            and keys[i].isalpha()
        ):
            for size in range(min(2, n - i), 1 if shorter_elsewhere else 0, -1):
                entry = gaz.fuzzy(" ".join(keys[i : i + size]))
                if entry is not None and (not street or (entry.kind == "landmark" and size == 2)):
                    found = (size, entry)
                    fuzzy_found = True
                    break
        typo = found is None and keys[i] in misspelt and text[spans[i][0]].isupper()
        if typo:
            found = (1, misspelt[keys[i]])
        if found is None and spans[i][0] and text[spans[i][0] - 1] == "#":
            tag = keys[i]
            if any(anchor in tag for anchor in KUTIM_TAG_PARTS):
                found = (1, KUTIM_TAG_ENTRY)
        if found is None:
            continue
        size, entry = found
        start, end = spans[i][0], spans[i + size - 1][1]
        mention = Mention(start, end, text[start:end], entry, entry.code, entry.kind, admin=admin, misspelt=typo)
        mention.typo = typo or fuzzy_found
        if entry.everyday_rank is not None:
            mention.everyday_rank = gaz.everyday_rank(mention.text)
            mention.title_case = _title_case_line(text, start)
            mention.spelled_as_name = gaz.spelled_as_name(mention.text)
        if entry.kind == "kecamatan" and admin == "desa" and entry.alt_desa:
            mention.kind, mention.code = "desa", entry.alt_desa
        if entry.km_segments:
            mention.code = _km_segment(keys, i, size, entry) or entry.code
        mention.role = "tag" if start and text[start - 1] == "#" else _role(keys, i, size)
        if mention.role == "road_to":
            # "jalan menuju Sandaran": the place's road; "jalan menuju Bontang" from Kutim is still Kutim's road
            mention.role = "route" if entry.kind == "outside" else "problem"
        if text[max(0, start - 3) : start].rstrip().endswith(("📍", "@")):
            mention.role = "problem"  # a location pin or a check-in
        before = keys[max(0, i - 2) : i]
        mention.after_area_word = bool(before) and before[-1] in ("daerah", "wilayah", "kawasan", "derah")
        mention.after_street = bool(before) and before[-1] in STREET_WORDS
        mention.after_locative = bool(before) and before[-1] in LOCATIVE_WORDS
        mention.in_road_name = any(word in ROAD_NAME_WORDS for word in keys[max(0, i - 3) : i])
        previous = text[spans[i - 1][0] : spans[i - 1][1]] if i > 0 else ""
        mention.capitalised = mention.text[:1].isupper() and (
            text[max(0, start - 3) : start].rstrip().endswith(("📍", "@", "#"))
            or previous.islower()
            or (previous.isupper() and mention.text.isupper())  # "DI TELEN": a text in capitals
        )
        mention.after_facility = bool(before) and (
            before[-1] in FACILITY_WORDS or (before[-1].isdigit() and len(before) > 1 and before[0] in FACILITY_WORDS)
        )
        mentions.append(mention)
        next_free = i + size
    if len(mentions) > 1:
        _inherit_route_roles(text, mentions)
        _link_road_ends(text, keys, spans, mentions)
    dateline_end = _dateline_end(text)
    asides = [m.span() for m in _ASIDE.finditer(text)] if "baca" in lowered else []
    for mention in mentions:
        if mention.end <= dateline_end:
            mention.role = "dateline"
        if any(start <= mention.start < end for start, end in asides):
            mention.role = "aside"
            mention.kept = False
    return mentions


def _misspelt_names(gaz: Gazetteer, keys: list[str]) -> dict[str, Entry]:
    """Words of the text one typo from a distinctive Kutim name (see FUZZY_ANYWHERE_MIN), with that name.

    Only words that are no frequent word, no key and no region's name elsewhere are looked at: set
    operations in C leave a handful per text, each looked up once per process (`Gazetteer.fuzzy` caches).
    """
    long_words = set(compress(keys, map(FUZZY_ANYWHERE_MIN.__le__, map(len, keys))))
    if not long_words:
        return {}
    unknown = long_words.difference(gaz.long_known)  # a frozenset: only the text's few words are visited
    if not unknown:
        return {}
    found = {}
    typo_of = _TYPO_OF
    for key in unknown:
        entry = typo_of.get(key, _UNSEEN)
        if entry is _UNSEEN:
            if len(typo_of) > 200_000:
                typo_of.clear()
            entry = typo_of[key] = _typo_of(gaz, key)
        if entry is not None:
            found[key] = entry
    return found


_UNSEEN = Entry(kind="", code=None, name="")
_TYPO_OF: dict[str, Entry | None] = {}  # word -> the Kutim desa/kecamatan it is a typo of, or None


def _typo_of(gaz: Gazetteer, key: str) -> Entry | None:
    if not key.isalpha() or key in gaz.outside_desa or key in gaz.outside_kecamatan or key in gaz.outside_kabkota:
        return None
    entry = gaz.fuzzy(key)
    return entry if entry is not None and entry.kind in ("desa", "kecamatan") else None


def _inherit_route_roles(text: str, mentions: list[Mention]) -> None:
    """A name joined by "dan", "maupun", "atau" to a route point or an origin has that role: "jalan menuju
    Sandaran baik dari Tanjung Mangkalihat maupun Rantau Pulung" (both are where one comes from)."""
    for first, second in pairwise(mentions):
        if first.role not in ("route", "origin") or second.role not in ("neutral", "problem"):
            continue
        gap = _ADMIN_IN_GAP.sub(" ", text[first.end : second.start]).lower()
        if " ".join(gap.replace(",", " , ").split()) in COORDINATORS:
            second.role = first.role


def _link_road_ends(text: str, keys: list[str], spans: list[tuple[int, int]], mentions: list[Mention]) -> None:
    """Both ends of a road named by the places it joins ("jalan penghubung A ke B") are where it is."""
    starts = {start: i for i, (start, _) in enumerate(spans)}
    for first, second in pairwise(mentions):
        between = text[first.end : second.start].strip().lower()
        i = starts.get(first.start)
        if between not in LINK_BETWEEN or i is None:
            continue
        if any(word in ROAD_LINK_WORDS for word in keys[max(0, i - 2) : i]):
            for mention in (first, second):
                if mention.kind != "outside" and mention.role in ("route", "neutral"):
                    mention.role = "problem"


def _title_case_line(text: str, at: int) -> bool:
    """Whether the line around offset `at` is a Title Case Headline or in capitals (most longer words are)."""
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    longer = [word for word in WORD.findall(line) if len(word) >= 4 and word.isalpha()]
    return len(longer) >= 3 and sum(word[0].isupper() for word in longer) >= 0.8 * len(longer)


def _overlapped_by_longer(gaz: Gazetteer, keys: list[str], i: int, size: int) -> bool:
    """Whether a Kutim name starting inside the match at `i` runs past its end (leftmost-longest is wrong)."""
    end = i + size
    for j in range(i + 1, end):
        for other in gaz.starts.get(keys[j], ()):
            if j + other > end and j + other <= len(keys) and " ".join(keys[j : j + other]) in gaz.kutim:
                return True
    return False


def _km_segment(keys: list[str], i: int, size: int, entry: Entry) -> str | None:
    """The road segment's code from a km marker written near the road's name."""
    window = keys[max(0, i - 6) : i + size + 6]
    for j, word in enumerate(window):
        number = None
        match = _KM.match(word)
        if match:
            number = int(match.group(1))
        elif word in ("km", "kilometer") and j + 1 < len(window) and window[j + 1].isdigit():
            number = int(window[j + 1])
        if number is not None:
            for low, high, code in entry.km_segments:
                if low <= number <= high:
                    return code
    return None


def _role(keys: list[str], i: int, size: int) -> str:
    before = keys[max(0, i - 3) : i]
    after = keys[i + size : i + size + 1]
    near = before[-1] if before else ""
    near2 = before[-2] if len(before) > 1 else ""
    if near == "ke" and near2 in SPREAD_WORDS:
        return "problem"  # "banjir sudah masuk ke Sepaso Induk": where the hazard has reached
    if (near in TOWARD_WORDS or near2 in TOWARD_WORDS) and _road_to(keys, i):
        return "road_to"  # "akses jalan menuju Sandaran rusak": the road to the place
    if near in BORDER_WORDS or (near == "dengan" and near2 in BORDER_WORDS):
        return "route"  # "km 52 dekat perbatasan Bontang": a reference point, not where it is
    if near in ROUTE_WORDS or (near2 in ROUTE_WORDS | PASS_WORDS and _admin_of(near)):
        return "route"
    if near in ORIGIN_WORDS or (near2 in ORIGIN_WORDS and _admin_of(near)):
        return "origin"
    if near in OFFICE_TITLE_WORDS or (near2 in OFFICE_HEAD_WORDS and _admin_of(near) in ("desa", "kecamatan")):
        return "office"  # "Kades Sepaso", "Kepala Desa Sepaso", "Camat Bengalon": who speaks
    if near in COMPARE_WORDS or (near2 in COMPARE_WORDS and near in ("di", "dengan", "dgn")):
        return "route"  # a comparison ("seperti di Bandung") is not where the problem is
    if after and after[0] in ("ke", "menuju", "hingga", "sampai", "kearah") and not _admin_of(near):
        return "route"  # "Sangatta ke Bontang"; but "Desa A menuju Desa B" is a road between two Kutim desa
    if near in PROBLEM_WORDS or _admin_of(near) or near2 in PROBLEM_WORDS:
        return "problem"
    if after and after[0] in EVENT_AFTER_WORDS:
        return "problem"
    return "neutral"


def _road_to(keys: list[str], i: int) -> bool:
    """Whether the name at `i` follows "jalan/akses/jalur (darat|utama...) menuju (Desa)" or "akses/jalur ke"."""
    j = i - 1
    if j >= 0 and _admin_of(keys[j]):
        j -= 1  # "jalan menuju Desa Sepaso Barat"
    if j < 1 or keys[j] not in ("menuju", "ke"):
        return False
    toward = keys[j]
    k = j - 1
    if keys[k] in ACCESS_MODIFIERS and k > 0:
        k -= 1  # "jalan darat menuju Sandaran"
    # "jalan ke Bontang" is also "going to Bontang": after "ke" only "akses"/"jalur" say road
    return keys[k] in (ACCESS_WORDS if toward == "menuju" else ("akses", "jalur"))


def _local_context(mention: Mention, anchored: bool, roles: tuple[str, ...] = ("problem", "tag")) -> bool:
    """Whether the words around a name that is also an everyday word or a common village name make it a place.

    An admin word ("Desa Telaga"), a facility ("SDN 002 Sandaran"), an area word ("daerah Telen") or a
    capital after a locative ("di Telaga") counts. Not a street address of a name found in other regencies
    too ("jl. Bangun Jaya" is a street in many towns), nor a facility named after a kecamatan elsewhere
    ("Pasar Tanah Abang"), unless the text names Kutim otherwise. A core word ("sangat", "mata air"), or a
    word that only collapses onto a name's key ("pengadaan" onto Pengadan, "sanggat"), needs a capital
    that means something whatever the cue ("suasana desa sangat kental" is no village): not in a Title
    Case Headline or a line in capitals, not at a sentence start. A rare one ("sgt") also counts in lower
    case right after a locative ("di sgt"), as does a name that is no everyday word and no region's name
    elsewhere ("di telen").
    """
    rank = mention.everyday_rank
    everyday = rank is not None
    strict = everyday and (rank < CORE_RANK or not mention.spelled_as_name)
    if strict and not (mention.text[:1].isupper() and not mention.title_case):
        return False
    if mention.admin in ("desa", "kecamatan"):
        return True
    if mention.after_street and (mention.entry.shared_elsewhere or everyday) and not anchored:
        return False
    if mention.after_facility and mention.entry.kecamatan_elsewhere and not anchored:
        return False  # "Pasar Tanah Abang", "Puskesmas Telaga": the market, the clinic of another district
    if mention.after_facility or mention.after_area_word:
        return True
    if mention.role not in roles:
        return False
    if strict:
        return mention.capitalised
    if mention.text[:1].isupper():
        return True
    if mention.role != "problem":
        return False
    # in lower case after a locative: a rare everyday word ("di sgt"); and right after "di", "warga" a
    # name that is no everyday word and no village or kecamatan elsewhere ("jalan rusak di telen")
    if everyday:
        return rank >= RARE_EVERYDAY_RANK
    return mention.after_locative and not mention.entry.shared_elsewhere


def resolve(text: str, gaz: Gazetteer | None = None) -> PlaceResult:
    """Where the problem described in `text` is (see the module doc for how)."""
    gaz = gaz or load()
    mentions = find_mentions(text, gaz)
    if not mentions:
        return PlaceResult(False, None, None, None, mentions)
    kutim = [m for m in mentions if m.kind != "outside"]
    outside = [m for m in mentions if m.kind == "outside"]
    # Strong Kutim evidence: a Kutim name that is neither an ordinary word nor found in other regencies.
    mentioned_kec = {m.code for m in kutim if m.kind == "kecamatan"}
    # Outside places that may be the problem's place (not a dateline, not a mere destination).
    for mention in outside:
        if mention.role == "origin" or mention.in_road_name:
            mention.role = "route"  # someone from Samarinda in a Kutim story: not where the problem is
    for mention in outside:
        if mention.everyday_rank is not None and mention.admin is None:
            # "PU" (public works) is not PPU, "sambutan" is a speech: an everyday word needs a capital after
            # a locative or a route word ("ke Penajam"); one that only collapses onto the name's key needs a
            # locative ("lapor ke PU" is the public works office, not PPU)
            roles = ("problem", "route", "tag") if mention.spelled_as_name else ("problem", "tag")
            mention.kept = _local_context(mention, anchored=True, roles=roles)
    _drop_villages_of_kutim_kecamatan(text, mentions)
    real_outside = [m for m in outside if m.kept and m.role not in ("dateline", "route")]
    # A desa name found only in the national list (no code: one of ~80,000 village names, many spelt one
    # letter off a Kutim name, "Desa Pengadang") does not veto a Kutim name shared with other regencies.
    vetoing_outside = [m for m in real_outside if m.code]
    uncoded_villages = [m for m in real_outside if not m.code and m.admin == "desa"]
    if len(uncoded_villages) >= 2:
        # "berbatasan dengan Desa Klecorejo, Desa Wonorejo dan Desa Kebonagung": among several villages known
        # only elsewhere, a village name shared with other regencies is one of theirs too
        vetoing_outside += uncoded_villages
    anchors = [
        m
        for m in kutim
        if not m.entry.needs_context
        and m.everyday_rank is None
        and not m.entry.shared_elsewhere
        and not m.entry.weak
        and not m.misspelt
    ]
    for mention in kutim:
        entry = mention.entry
        parent = regions.kecamatan_of(mention.code).code if mention.code and mention.kind == "desa" else None
        parent_named = parent in mentioned_kec if parent else False
        anchored = any(a is not mention for a in anchors)
        if entry.needs_context or mention.everyday_rank is not None:
            mention.kept = parent_named or _local_context(mention, anchored)
            if mention.kept and len(mention.text) <= SHORT_NAME and not gaz.spelled_as_name(mention.text):
                # "Bay" (of Plenty) only collapses onto Baay: a short name not spelt as Kutim spells it needs
                # an admin word ("Desa Bay") or its kecamatan
                mention.kept = parent_named or mention.admin in ("desa", "kecamatan")
        elif entry.near_everyday:
            # "tepan" is also a slip for "depan": bare, in lower case, with nothing around it, it is no place
            mention.kept = (
                parent_named
                or anchored
                or mention.text[:1].isupper()
                or mention.admin is not None
                or mention.role != "neutral"
                or mention.after_facility
                or mention.after_area_word
            )
        if entry.weak and not anchors:
            mention.kept = False
        if mention.misspelt and not anchors:
            # a proper noun one letter from a Kutim name ("Senembah", "Kerapian") is one only in a text that
            # names Kutim otherwise: names of people and places elsewhere are countless
            mention.kept = False
        if mention.kept and (entry.shared_elsewhere or mention.typo) and vetoing_outside and not parent_named:
            other_anchors = [a for a in anchors if a is not mention]
            mention.kept = bool(other_anchors)
        if parent_named:
            mention.score += 2.0
    _drop_namesakes(text, mentions)
    for mention in mentions:
        if not mention.kept:
            continue
        mention.score += BASE_SCORE.get(mention.kind, 1.0)
        if mention.role == "problem":
            mention.score += 3.0
        elif mention.role == "route":
            mention.score -= 2.5
        elif mention.role == "origin":
            mention.score -= ORIGIN_PENALTY
        elif mention.role == "office":
            mention.score += 3.0  # a Kutim official speaking is as much Kutim as the problem's place...
        elif mention.role == "dateline":
            mention.score = 0.5 if mention.kind != "outside" else 0.0
        if mention.admin in ("desa", "kecamatan"):
            mention.score += 1.0
        if mention.kind == "outside" and mention.code is None and mention.admin == "desa":
            mention.score -= 1.0  # only in the national village list: weaker than a coded place
    kept_kutim = [m for m in kutim if m.kept]
    kept_outside = [m for m in outside if m.kept]
    kutim_score = _side_score(kept_kutim)
    outside_score = _side_score(kept_outside)
    if not kept_kutim or outside_score >= kutim_score:
        return PlaceResult(False, None, None, None, mentions)
    return _kutim_result(kept_kutim, mentions, text)


# used with `match(text, pos, endpos)`, which anchors at `pos` by itself (a "^" would only match at 0)
_CHAIN_GAP = re.compile(r"[\s,.;:()/–—-]*$")
# Between a village name and the Kutim kecamatan it lies in: the rest of its name, then ",", "di", "(",
# "Kecamatan": "Desa Bea Nehas di Muara Wahau", "Desa Pinang Raya, Kec. Sangatta Selatan".
_IN_KECAMATAN_GAP = re.compile(
    r"(?:\s+[A-Z][A-Za-z]*){0,2}\s*[,(]?\s*(?:(?:[Dd]i|DI|[Kk]ecamatan|KECAMATAN|[Kk]ec\.?|KEC\.?)\s+)?$"
)


def _drop_villages_of_kutim_kecamatan(text: str, mentions: list[Mention]) -> None:
    """A village known only from the national list (no code), written with a Kutim kecamatan right after it,
    is a Kutim village the list does not have yet (a new desa, a dusun), not a village elsewhere."""
    for mention, following in pairwise(mentions):
        if (
            mention.kind == "outside"
            and mention.code is None
            and mention.admin == "desa"
            and following.kind == "kecamatan"
            and following.kept
            and following.start - mention.end <= 30
            and _IN_KECAMATAN_GAP.match(text, mention.end, following.start) is not None
        ):
            mention.kept = False


def _drop_namesakes(text: str, mentions: list[Mention]) -> None:
    """A Kutim name followed by its own kecamatan or kabupaten outside Kutim is a namesake elsewhere: "Desa
    Suka Maju Kec. Tanjung Tiram Kab. Batu Bara", "Kecamatan Batu Ampar, Kabupaten Kubu Raya"."""
    for mention, following in pairwise(mentions):
        if (
            mention.kind in ("desa", "kecamatan")
            and following.kind == "outside"
            and following.admin in ("kecamatan", "kabupaten", "provinsi")
            and following.start - mention.end <= 20
            and _CHAIN_GAP.match(_admin_gap(text, mention.end, following.start)) is not None
        ):
            mention.kept = False


_ROAD_WORD = re.compile(r"(?i)^(?:jalan|jln|jl|gang|gg)\b\.?\s*")


def name_spans(result: PlaceResult) -> list[tuple[int, int]]:
    """Character spans of the kept place names, whose words say where and not what (left out of the category
    evidence). A road's leading word stays in: "Jalan Kabo Jaya ... berlubang" is about a road."""
    spans = []
    for mention in result.mentions:
        if not mention.kept:
            continue
        road = _ROAD_WORD.match(mention.text) if mention.kind == "landmark" else None
        spans.append((mention.start + road.end() if road else mention.start, mention.end))
    return sorted(spans)


def _pick_key(mention: Mention) -> tuple[float, int]:
    """How a Kutim mention ranks as the problem's place: score, then the earliest. ...but the official's own
    office ranks below where the problem is written ("Kepala Desa A mengatakan jalan di Desa B rusak": B)."""
    penalty = 3.0 + OFFICE_PENALTY if mention.role == "office" else 0.0
    return (mention.score - penalty, -mention.start)


def _side_score(mentions: list[Mention]) -> float:
    scores = sorted((m.score for m in mentions), reverse=True)
    if not scores:
        return float("-inf")
    return scores[0] + 0.5 * min(len(scores) - 1, 4)


def _kecamatan_written_after(village: Mention, mentions: list[Mention], text: str) -> str | None:
    """The code of a Kutim kecamatan written right after a desa ("Desa X, Kecamatan Y"), or None."""
    for mention in mentions:
        if (
            mention.kind == "kecamatan"
            and mention.admin == "kecamatan"
            and 0 <= mention.start - village.end <= 16
            and _CHAIN_GAP.match(_admin_gap(text, village.end, mention.start)) is not None
        ):
            return mention.code
    return None


def _admin_gap(text: str, start: int, end: int) -> str:
    """The text between two names with the admin word before the second left out (", Kec. " -> ", . ")."""
    return _GAP_ADMIN.sub(" ", text[start:end])


_GAP_ADMIN = re.compile(r"(?i)\b(?:kecamatan|kec|kecamtan|kcm|kcmtn|kabupaten|kab|kota|provinsi|prov)\b")


def _desa_named_in(village: Mention, kecamatan_code: str) -> str | None:
    """The one desa of that kecamatan whose name starts with the words written ("Benua Baru" -> Benua Baru
    Ilir or Ulu: two, so None)."""
    written = key_of(village.text)
    found = [r.code for r in regions.villages_of(kecamatan_code) if key_of(r.name).startswith(written)]
    return found[0] if len(found) == 1 else None


# A street-level address (street, alley, RT, housing estate): a local story, not one about the regency.
_LOCAL_ADDRESS = re.compile(
    r"\b(?:[Jj][Ll][Nn]?|[Gg][Gg]|[Gg]ang|GANG|RT|[Rr]t|[Pp]erum|[Pp]erumahan|[Kk]omplek)\b\.?\s*[A-Za-z0-9]"
    r"|\b(?:Jalan|JALAN)\s+[A-Z0-9]"  # a named street, not "jalan rusak"
)


def _kutim_result(kutim: list[Mention], mentions: list[Mention], text: str = "") -> PlaceResult:
    specific = [
        m for m in kutim if m.role != "dateline" and m.code and m.code != regions.KABUPATEN_CODE and m.kind != "town"
    ]
    if not specific:
        # Bare "Sangatta" (not a dateline, not a mere route point) is the town, the regency seat in
        # Sangatta Utara: read as that kecamatan, with no desa, as people and newsrooms mean it.
        if any(m.kind == "town" and m.role not in ("dateline", "route") for m in kutim):
            return PlaceResult(True, TOWN_KECAMATAN, None, TOWN_KECAMATAN, mentions)
        if any(m.kind == "town" and m.role == "dateline" for m in kutim) and _LOCAL_ADDRESS.search(text):
            # "SANGATTA – Warga Gang Masjid RT 12 ...": a street under the town's dateline is in the town
            return PlaceResult(True, TOWN_KECAMATAN, None, TOWN_KECAMATAN, mentions)
        dateline = next((m for m in kutim if m.role == "dateline" and m.kind in ("kecamatan", "desa")), None)
        if dateline is not None:
            # "MUARA ANCALONG – Banjir melanda ...": a story filed from a kecamatan, naming no other place, is
            # about it (the regency seat's "SANGATTA –" heads stories from anywhere in Kutim, so not the town)
            kec = regions.kecamatan_of(dateline.code)
            desa = dateline.code if dateline.kind == "desa" else None
            return PlaceResult(True, kec.code if kec else None, desa, dateline.code, mentions)
        return PlaceResult(True, None, None, regions.KABUPATEN_CODE, mentions)
    not_route = [m for m in specific if m.role != "route"]
    if not not_route and any(m.kind == "town" and m.role == "problem" for m in kutim):
        # "blanko KTP di capil Sangatta kosong ... bolak balik dari Bengalon": the town, not where one came from
        return PlaceResult(True, TOWN_KECAMATAN, None, TOWN_KECAMATAN, mentions)
    # Specificity first among mentions that are not mere route points; then score; then the earliest.
    not_route = not_route or specific
    villages = [m for m in not_route if len(m.code.split(".")) == 4]
    best_village = max(villages, key=_pick_key) if villages else None
    best_any = max(not_route, key=_pick_key)
    if best_village is not None and _pick_key(best_village)[0] >= _pick_key(best_any)[0] - 2.5:
        desa_code = best_village.code
        kec = regions.kecamatan_of(desa_code)
        own = _kecamatan_written_after(best_village, not_route, text)
        if own is not None and kec is not None and own != kec.code:
            # "Desa Benua Baru Kecamatan Sangkulirang": the kecamatan written with the desa says which one
            desa_code = _desa_named_in(best_village, own)
            return PlaceResult(True, own, desa_code, desa_code or own, mentions)
        return PlaceResult(True, kec.code if kec else None, desa_code, desa_code, mentions)
    if best_any.kind == "landmark" and len(best_any.code.split(".")) == 3:
        named = {m.code for m in not_route if m.kind == "kecamatan"}
        if len(named) == 1 and best_any.code not in named:
            # "Kampung X di kawasan Sangatta Utara": the kecamatan written out beats the one a landmark implies
            best_any = next(m for m in not_route if m.kind == "kecamatan")
    kec = regions.kecamatan_of(best_any.code)
    if kec is None:
        return PlaceResult(True, None, None, regions.KABUPATEN_CODE, mentions)
    if len(best_any.code.split(".")) == 4:
        return PlaceResult(True, kec.code, best_any.code, best_any.code, mentions)
    return PlaceResult(True, kec.code, None, kec.code, mentions)

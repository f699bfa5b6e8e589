"""A normaliser for social-media Indonesian: one standard form per word, for the classifiers.

It works word by word on lower-cased words and is only used for classification features (token.norm_)
and keyword rules: place matching runs on the original text first, so place names are never changed.
Elongations ("bangeeettt", "parahhh") are shortened, slang and abbreviations mapped ("gak" -> "tidak",
"jln" -> "jalan"), hashtags split ("#JalanRusak" -> "jalan rusak"), emoji dropped.
"""

from __future__ import annotations

import re
from functools import cache
from operator import itemgetter

SLANG = {
    # negation and particles
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "kagak": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "gag": "tidak",
    "g": "tidak",
    "blm": "belum",
    "blum": "belum",
    "belom": "belum",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "sudh": "sudah",
    "lg": "lagi",
    "lgi": "lagi",
    "bgt": "banget",
    "bngt": "banget",
    "bgd": "banget",
    "sgt": "sangat",
    "jg": "juga",
    "jga": "juga",
    "aja": "saja",
    "aj": "saja",
    "sj": "saja",
    "doang": "saja",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "soalnya": "karena",
    "utk": "untuk",
    "untk": "untuk",
    "buat": "untuk",
    "dgn": "dengan",
    "dg": "dengan",
    "dngn": "dengan",
    "sm": "sama",
    "ama": "sama",
    "yg": "yang",
    "yng": "yang",
    "dr": "dari",
    "dri": "dari",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "skrg": "sekarang",
    "skrang": "sekarang",
    "sekarang2": "sekarang",
    "tp": "tapi",
    "tpi": "tapi",
    "trs": "terus",
    "terus2": "terus",
    "trus": "terus",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "gmna": "bagaimana",
    "knp": "kenapa",
    "napa": "kenapa",
    "kpn": "kapan",
    "brp": "berapa",
    "dmn": "dimana",
    "dmna": "dimana",
    "org": "orang",
    "orng": "orang",
    "bnyk": "banyak",
    "byk": "banyak",
    "sdikit": "sedikit",
    "dikit": "sedikit",
    "hrs": "harus",
    "msh": "masih",
    "masi": "masih",
    "bs": "bisa",
    "bsa": "bisa",
    "mau": "mau",
    "mo": "mau",
    "pengen": "ingin",
    "pgn": "ingin",
    "tebel": "tebal",
    "dpn": "depan",
    "blkg": "belakang",
    "tau": "tahu",
    "tw": "tahu",
    "liat": "lihat",
    "lht": "lihat",
    "ampe": "sampai",
    "sampe": "sampai",
    "smpe": "sampai",
    "smp2": "sampai",
    "pdhl": "padahal",
    "emg": "memang",
    "emang": "memang",
    "mmg": "memang",
    "bener": "benar",
    "bnr": "benar",
    "dpt": "dapat",
    "dapet": "dapat",
    "td": "tadi",
    "tdi": "tadi",
    "ni": "ini",
    "nih": "ini",
    "tu": "itu",
    "tuh": "itu",
    "gitu": "begitu",
    "gini": "begini",
    "kyk": "seperti",
    "kayak": "seperti",
    "kek": "seperti",
    "cuma": "hanya",
    "cuman": "hanya",
    "cm": "hanya",
    "sy": "saya",
    "aku": "saya",
    "ak": "saya",
    "gw": "saya",
    "gue": "saya",
    "kmi": "kami",
    "pak": "bapak",
    "bpk": "bapak",
    "bu": "ibu",
    "mhn": "mohon",
    "tlg": "tolong",
    "tolongin": "tolong",
    "plis": "tolong",
    "pls": "tolong",
    "please": "tolong",
    "min": "admin",
    "mimin": "admin",
    # places in a street address (not names)
    "jln": "jalan",
    "jl": "jalan",
    "jaln": "jalan",
    "gg": "gang",
    "rt": "rt",
    "perum": "perumahan",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "kab": "kabupaten",
    # public services
    "pdam": "pdam",
    "perumdam": "pdam",
    "pln": "pln",
    "lampu": "lampu",
    "listrik": "listrik",
    "mati2": "mati",
    "pdm": "padam",
    "ktp": "ktp",
    "ektp": "ktp",
    "kk": "kk",
    "dukcapil": "disdukcapil",
    "capil": "disdukcapil",
    "rs": "rumah_sakit",
    "rsud": "rumah_sakit",
    "pkm": "puskesmas",
    "bpjs": "bpjs",
    "sklh": "sekolah",
    "skolah": "sekolah",
    "guru2": "guru",
    "jembtn": "jembatan",
    "jembatan2": "jembatan",
    "lobang": "lubang",
    "lubang2": "lubang",
    "bolong": "lubang",
    "brg": "barang",
    "smpah": "sampah",
    "sampah2": "sampah",
    "bnjir": "banjir",
    "banjir2": "banjir",
    "kebakarn": "kebakaran",
    "bakar2": "bakar",
    "kcelakaan": "kecelakaan",
    "laka": "kecelakaan",
    "tabrakan": "tabrakan",
    "maling": "pencuri",
    "begal": "begal",
    "pemkab": "pemkab",
    "dprd": "dprd",
    "dinas": "dinas",
    "pupr": "pupr",
    "dlh": "dlh",
    "parah2": "parah",
    "rusak2": "rusak",
    "rusakk": "rusak",
    "ancur": "hancur",
    "hancurr": "hancur",
    "bau2": "bau",
    "kotor2": "kotor",
    "keruh2": "keruh",
    "macet2": "macet",
    # spoken verb forms and shortenings met in posts
    "cepet": "cepat",
    "cpt": "cepat",
    "msk": "masuk",
    "dkt": "dekat",
    "deket": "dekat",
    "ngalir": "mengalir",
    "kebakar": "terbakar",
    "kerendam": "terendam",
    "nimpa": "menimpa",
    "ilang": "hilang",
    "ngungsi": "mengungsi",
    "nyebrang": "menyeberang",
    "jalanan": "jalan",
    "lakalantas": "kecelakaan",
}
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u200d\ufe0f\u2b50\u2b55\u2934\u2935]+"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_REPEAT3 = re.compile(r"(.)\1{2,}")
_FIRST_GROUP = itemgetter(1)  # as the template r"\1", without the template's Python-level expansion per call
_REDUP = re.compile(r"^([a-z]+)2$")


@cache
def normalize_word(word: str) -> str:
    """The standard form of one word (already lower-cased or not)."""
    lowered = word.lower()
    if lowered in SLANG:
        return SLANG[lowered]
    shortened = _REPEAT3.sub(_FIRST_GROUP, lowered)  # "parahhhh" -> "parah"
    if shortened in SLANG:
        return SLANG[shortened]
    redup = _REDUP.match(shortened)  # "rumah2" -> "rumah" (reduplication written with 2)
    if redup:
        return SLANG.get(redup.group(1), redup.group(1))
    return shortened


def split_hashtag(tag: str) -> list[str]:
    """'#JalanRusakParah' -> ['jalan', 'rusak', 'parah']."""
    body = tag.lstrip("#")
    return [part.lower() for part in _CAMEL.sub(" ", body).split() if part]


def normalize_text(text: str) -> str:
    """The whole text normalised word by word (for keyword rules and debugging)."""
    text = EMOJI.sub(" ", text)
    words: list[str] = []
    for raw in re.findall(r"#?\w+", text):
        if raw.startswith("#"):
            words.extend(normalize_word(part) for part in split_hashtag(raw))
        else:
            words.append(normalize_word(raw))
    return " ".join(words)

"""The team's labelled examples: posts in the styles of X, Facebook comments, Instagram captions, WhatsApp
messages and local news, over the 14 categories, emergencies and non-complaints.

Deterministic (fixed seed). Every phrase pool is split in two: the training set is written only from one
part, the dev set only from the other, so dev measures phrasing the model has never seen; the dev set
also gets the hand-written `dev_handwritten*.jsonl` and `dev_blind*.jsonl` files. `HARD_CASES` adds the
pairs that are easy to confuse (acute vs chronic, aftermath, category borders), split the same way. Run
`python -m tools.datagen` (from the repository) to rewrite nlp/data/train.jsonl and nlp/data/dev.jsonl;
`siaga train` then retrains nlp/model from them. Tooling: the runtime never imports this module.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from nlp import regions

DATA_DIR = Path(__file__).resolve().parent.parent / "nlp" / "data"
SEED = 20261123
N_TRAIN = 2600
N_DEV = 500
DEV_NEWS_STYLE = "dev_news_style.jsonl"

# The phrase pools (what the examples say) live in tools/data/nlp_phrases.yaml, each with a comment on its
# fields; rows keep the tuple shapes the generator unpacks. The code below only says how they are combined.
PHRASES = Path(__file__).resolve().parent / "data" / "nlp_phrases.yaml"
_POOLS: dict = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))


def _rows(pool: list) -> list:
    return [tuple(row) if isinstance(row, list) else row for row in pool]


PROBLEMS: dict[str, list[tuple[str, str, bool]]] = {cat: _rows(rows) for cat, rows in _POOLS["PROBLEMS"].items()}
NON_COMPLAINTS: list[str] = _POOLS["NON_COMPLAINTS"]
INFO_REQUESTS: list[str] = _POOLS["INFO_REQUESTS"]
ASPIRATIONS: list[tuple[str, str]] = _rows(_POOLS["ASPIRATIONS"])
# (template, complaint?, category, emergency?)
HARD_CASES: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["HARD_CASES"])
# Variants of every hard case in the data set (each with another place and style).
HARD_VARIANTS = 3
TERSE_REPORTS: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["TERSE_REPORTS"])
ONGOING_AND_PAST: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["ONGOING_AND_PAST"])
BORDERS: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["BORDERS"])
NEWS_NOT_COMPLAINTS: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["NEWS_NOT_COMPLAINTS"])
CHITCHAT: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["CHITCHAT"])
ROUND4_VARIANTS = 2
SERVICE_FAILURES: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["SERVICE_FAILURES"])
AGENCY_AT_WORK: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["AGENCY_AT_WORK"])
FIGURATIVE: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["FIGURATIVE"])
REVIEWS: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["REVIEWS"])
SPREADING_NOW: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["SPREADING_NOW"])
NEWS_ACUTE_NOW: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["NEWS_ACUTE_NOW"])
NEWS_OVER_OR_PLANNED: list[tuple[str, bool, str | None, bool]] = _rows(_POOLS["NEWS_OVER_OR_PLANNED"])
ROUND9_VARIANTS = 3
GREETINGS: list[str] = _POOLS["GREETINGS"]
PLEAS: list[str] = _POOLS["PLEAS"]
EMERGENCY_PLEAS: list[str] = _POOLS["EMERGENCY_PLEAS"]
HASHTAGS: list[str] = _POOLS["HASHTAGS"]
KUTIM_TAGS: tuple[str, ...] = tuple(_POOLS["KUTIM_TAGS"])
EMOJI: list[str] = _POOLS["EMOJI"]
REPORTERS: list[str] = _POOLS["REPORTERS"]
SPEAKERS: list[tuple[str, str]] = _rows(_POOLS["SPEAKERS"])
DATELINES: list[str] = _POOLS["DATELINES"]
OUTLETS: list[str] = _POOLS["OUTLETS"]
OUTSIDE: list[str] = _POOLS["OUTSIDE"]
LANDMARKS: list[tuple[str, str | None]] = _rows(_POOLS["LANDMARKS"])
SLANG_OUT: dict[str, list[str]] = _POOLS["SLANG_OUT"]


@dataclass
class Place:
    phrase: str
    formal: str
    in_kutim: bool
    kecamatan: str | None
    desa: str | None


def _split(pool: list, part: str) -> list:
    """Train gets three items in four, dev the fourth: dev phrasing is never trained on."""
    if len(pool) < 2:
        return pool
    return [item for i, item in enumerate(pool) if (i % 4 == 3) == (part == "dev")]


def _kutim_place(rng: random.Random, part: str) -> Place:
    villages = regions.villages()
    kind = rng.random()
    if kind < 0.5:
        desa = rng.choice(villages)
        kec = regions.by_code(desa.parent)
        prefix = "Kelurahan" if desa.kind == "kelurahan" else "Desa"
        short = "Kel." if desa.kind == "kelurahan" else rng.choice(["Desa", "Ds.", "desa"])
        forms = [
            (f"di {short} {desa.name}", f"di {prefix} {desa.name}, Kecamatan {kec.name}"),
            (f"di {short} {desa.name} kec. {kec.name}", f"di {prefix} {desa.name}, Kecamatan {kec.name}"),
            (
                f"{short} {desa.name}, {kec.name}",
                f"di {prefix} {desa.name}, Kecamatan {kec.name}, Kutai Timur",
            ),
            (
                f"di {desa.name.lower()} {kec.name.lower()}" if desa.name != kec.name else f"di desa {desa.name}",
                f"di {prefix} {desa.name}",
            ),
            (f"warga {short.lower()} {desa.name}", f"warga {prefix} {desa.name}, Kecamatan {kec.name}"),
            (
                f"RT 0{rng.randint(1, 9)} {short} {desa.name}",
                f"di RT {rng.randint(1, 30)} {prefix} {desa.name}",
            ),
        ]
        informal, formal = rng.choice(_split(forms, part) if part == "dev" else forms)
        return Place(informal, formal, True, kec.name, desa.name)
    if kind < 0.75:
        kec = rng.choice(regions.kecamatan())
        tag = "#" + kec.name.replace(" ", "")
        forms = [
            (f"di {kec.name}", f"di Kecamatan {kec.name}"),
            (f"di kec. {kec.name.lower()}", f"di Kecamatan {kec.name}, Kutai Timur"),
            (f"{tag}", f"di wilayah Kecamatan {kec.name}"),
            (f"daerah {kec.name}", f"di Kecamatan {kec.name}"),
        ]
        informal, formal = rng.choice(forms)
        return Place(informal, formal, True, kec.name, None)
    if kind < 0.9:
        phrase, code = rng.choice(LANDMARKS)
        if code is None:
            km = rng.randint(5, 55)
            code = "64.08.13" if km <= 30 else "64.08.12"
            phrase = phrase.format(km=km)
        region = regions.by_code(code)
        kec = regions.kecamatan_of(code)
        desa = region.name if region.is_village else None
        return Place(f"di {phrase}", f"di {phrase}", True, kec.name if kec else None, desa)
    return Place("", "", False, None, None)


def _outside_place(rng: random.Random, part: str) -> Place:
    name = rng.choice(OUTSIDE)
    return Place(f"di {name}", f"di {name}", False, None, None)


def _slangify(text: str, rng: random.Random, rate: float, keep: str = "") -> str:
    """Slang, abbreviations and dropped letters; the `keep` phrase (the place) is left as written."""
    if keep and keep in text:
        head, _, tail = text.partition(keep)
        return f"{_slangify(head, rng, rate)}{keep}{_slangify(tail, rng, rate)}"
    words = text.split(" ")
    out = []
    for word in words:
        options = SLANG_OUT.get(word.lower())
        if options and rng.random() < rate:
            out.append(rng.choice(options))
        elif len(word) > 5 and word.isalpha() and word.islower() and rng.random() < rate / 8:
            i = rng.randrange(1, len(word) - 1)
            out.append(word[:i] + word[i + 1 :])  # a dropped letter, as typed in a hurry
        else:
            out.append(word)
    return " ".join(out)


def _complaint_text(rng: random.Random, part: str, category: str, place: Place) -> tuple[str, bool]:
    informal, formal, emergency = rng.choice(_split(PROBLEMS[category], part))
    style = rng.choice(["x", "facebook", "instagram", "whatsapp", "news", "news"])
    plea = rng.choice(EMERGENCY_PLEAS if emergency and rng.random() < 0.6 else _split(PLEAS, part))
    loc = place.phrase
    tags = ""
    if style == "x":
        tags = " ".join(rng.sample(HASHTAGS, rng.randint(0, 2)))
        text = f"{informal} {loc} {plea} {rng.choice(EMOJI)} {tags}"
    elif style == "facebook":
        text = f"{rng.choice(GREETINGS)}{loc} {informal}, {plea}"
    elif style == "instagram":
        tags = " ".join(rng.sample(HASHTAGS, rng.randint(2, 4)))
        pin = f"\n📍{loc.removeprefix('di ')}" if loc else ""
        text = f"{informal.capitalize()} {rng.choice(EMOJI)}{rng.choice(EMOJI)}{pin}\n.\n{tags}"
    elif style == "whatsapp":
        text = f"{rng.choice(GREETINGS)}mau lapor {informal} {loc}. {plea}. Terima kasih"
    else:
        dateline = rng.choice(DATELINES).format(outlet=rng.choice(OUTLETS))
        name, role = rng.choice(SPEAKERS)
        reporter = rng.choice(REPORTERS)
        tail = rng.choice(
            [
                f'"Kami berharap pemerintah segera turun tangan," kata {name}, {role}.',
                f"Menurut {name}, kondisi tersebut sudah dilaporkan ke pemerintah desa namun belum ada tindak lanjut.",
                f'"Sudah sering kami sampaikan, tapi belum ada perbaikan," ujar {name}.',
                "Warga meminta instansi terkait segera menangani persoalan tersebut.",
            ]
        )
        where = place.formal.removeprefix("di ").removeprefix("warga ")
        text = f"{dateline} Warga {where} mengeluhkan {formal}. {tail}"
        if not place.formal:
            text = f"{dateline} Warga mengeluhkan {formal}. {tail}"
            if dateline.upper().startswith(("SANGATTA", "KUTIM", "KUTAI TIMUR")):
                place.in_kutim = True  # a Kutim dateline and no other place: the story is about Kutim
        if "mengeluhkan" in text and emergency:
            text = f"{dateline} {formal[0].upper()}{formal[1:]} {place.formal}. {tail}"
        text += f" (Penulis: {reporter})" if rng.random() < 0.3 else ""
        return " ".join(text.split()), emergency
    if place.phrase == "" and any(tag in tags.split() for tag in KUTIM_TAGS):
        place.in_kutim = True  # no place written, but the post is tagged as Kutim
    text = _slangify(text, rng, 0.5, keep=loc.removeprefix("di "))
    if rng.random() < 0.1:
        text = text.upper()
    return " ".join(text.replace(" ,", ",").split(" ")).strip(), emergency


KUTIM_WORDS = re.compile(r"kutim|kutai timur|kutaitimur|sangatta|sangata", re.IGNORECASE)


def _record(
    uid: str,
    text: str,
    is_complaint: bool,
    category: str | None,
    emergency: bool,
    place: Place,
    lapor: str | None,
) -> dict:
    if not place.phrase and not place.in_kutim and KUTIM_WORDS.search(text):
        # No place written, but the text names Kutim (hashtag, @pemkabkutim, "Sangatta"), as annotators do.
        place = Place("", "", True, None, None)
    return {
        "id": uid,
        "text": text,
        "is_complaint": is_complaint,
        "category": category if is_complaint else None,
        "is_emergency": emergency and is_complaint,
        "in_kutim": place.in_kutim,
        "kecamatan": place.kecamatan,
        "desa": place.desa,
        "lapor_classification": lapor,
    }


def generate(n: int, part: str, seed: int = SEED) -> list[dict]:
    """`n` labelled examples from the `part` ('train' or 'dev') half of every phrase pool."""
    rng = random.Random(f"{seed}-{part}")
    records = []
    categories = list(PROBLEMS)
    for i in range(n):
        uid = f"{part}-{i:05d}"
        roll = rng.random()
        place = _outside_place(rng, part) if rng.random() < 0.15 else _kutim_place(rng, part)
        if roll < 0.62:
            category = categories[i % len(categories)]
            text, emergency = _complaint_text(rng, part, category, place)
            records.append(_record(uid, text, True, category, emergency, place, "pengaduan"))
        elif roll < 0.68:
            template, category = rng.choice(_split(ASPIRATIONS, part))
            where = place.phrase.replace("di ", "")
            text = _slangify(template.format(loc=where), rng, 0.3, keep=where)
            records.append(_record(uid, text, True, category, False, place, "aspirasi"))
        elif roll < 0.72:
            template = rng.choice(_split(INFO_REQUESTS, part))
            if "{loc" not in template:
                place = Place("", "", "Kutim" in template, None, None)
            text = template.format(loc=place.phrase)
            records.append(_record(uid, " ".join(text.split()), False, None, False, place, "permintaan_informasi"))
        else:
            template = rng.choice(_split(NON_COMPLAINTS, part))
            if "{loc" not in template:
                in_kutim = any(word in template for word in ("Kutim", "Sangatta", "Kutai Timur"))
                place = Place("", "", in_kutim, None, None)
            text = template.format(loc=place.phrase, loc_formal=place.formal)
            if rng.random() < 0.3:
                text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
            records.append(_record(uid, " ".join(text.split()), False, None, False, place, None))
    return records


def generate_hard(part: str, seed: int = SEED) -> list[dict]:
    """`HARD_VARIANTS` examples of every hard case in the `part` half of the pool."""
    rng = random.Random(f"{seed}-{part}-hard")
    records = []
    for i, (template, is_complaint, category, emergency) in enumerate(_split(HARD_CASES, part)):
        for j in range(HARD_VARIANTS):
            place = _outside_place(rng, part) if rng.random() < 0.1 else _kutim_place(rng, part)
            formal = place.formal.removeprefix("warga ") if "Warga {loc_formal}" in template else place.formal
            text = template.format(loc=place.phrase, loc_formal=formal)
            if "{loc" not in template:
                place = Place("", "", "Kutim" in template, None, None)
            elif rng.random() < 0.4:
                text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
            lapor = "pengaduan" if is_complaint else None
            record = _record(
                f"{part}-hard-{i:03d}-{j}", " ".join(text.split()), is_complaint, category, emergency, place, lapor
            )
            records.append(record)
    return records


def _pool_records(rng: random.Random, part: str, prefix: str, pools: tuple, variants: int) -> list[dict]:
    """`variants` examples of every template in the `part` half of each (name, pool)."""
    records = []
    for name, pool in pools:
        for i, (template, is_complaint, category, emergency) in enumerate(_split(pool, part)):
            for j in range(variants):
                place = _outside_place(rng, part) if rng.random() < 0.1 else _kutim_place(rng, part)
                formal = place.formal.removeprefix("warga ")
                if "di {loc_formal}" in template:
                    formal = formal.removeprefix("di ")
                text = template.format(loc=place.phrase, loc_formal=formal)
                if "{loc" not in template:
                    place = Place("", "", "Kutim" in template or "Sangatta" in template, None, None)
                elif not name.startswith("news") and rng.random() < 0.4:
                    text = _slangify(text, rng, 0.4, keep=place.phrase.removeprefix("di "))
                if name == "terse" and rng.random() < 0.3:
                    text = text.lower()
                lapor = "pengaduan" if is_complaint else None
                records.append(
                    _record(
                        f"{part}-{prefix}{name}-{i:03d}-{j}",
                        " ".join(text.split()),
                        is_complaint,
                        category,
                        emergency,
                        place,
                        lapor,
                    )
                )
    return records


def generate_round4(part: str, seed: int = SEED) -> list[dict]:
    """`ROUND4_VARIANTS` examples of every round-4 template in the `part` half of each pool."""
    rng = random.Random(f"{seed}-{part}-round4")
    pools = (
        ("terse", TERSE_REPORTS),
        ("now", ONGOING_AND_PAST),
        ("border", BORDERS),
        ("news", NEWS_NOT_COMPLAINTS),
        ("chat", CHITCHAT),
        ("fail", SERVICE_FAILURES),
        ("agency", AGENCY_AT_WORK),
        ("figure", FIGURATIVE),
        ("review", REVIEWS),
        ("spread", SPREADING_NOW),
    )
    return _pool_records(rng, part, "r4", pools, ROUND4_VARIANTS)


def generate_round9(seed: int = SEED) -> list[dict]:
    """`ROUND9_VARIANTS` examples of every news-style acute / over-or-planned template (both halves of the pools).

    A dev set only (`DEV_NEWS_STYLE`), with its own random stream, so every other file stays byte for byte.
    """
    rng = random.Random(f"{seed}-round9")
    pools = (("newsnow", NEWS_ACUTE_NOW), ("newsover", NEWS_OVER_OR_PLANNED))
    records = _pool_records(rng, "train", "r9a", pools, ROUND9_VARIANTS)
    records += _pool_records(rng, "dev", "r9b", pools, ROUND9_VARIANTS)
    for record in records:
        record["id"] = "news-" + record["id"].split("-", 1)[1]
    return records


def load_handwritten() -> list[dict]:
    """The hand-written dev examples (news and posts written to look like real ones)."""
    records = []
    for name in (
        "dev_handwritten.jsonl",
        "dev_blind.jsonl",
        "dev_blind2.jsonl",
        "dev_blind3.jsonl",
        "dev_blind4.jsonl",
        "dev_blind5.jsonl",
        "dev_handwritten2.jsonl",
        "dev_handwritten3.jsonl",
        "dev_handwritten4.jsonl",
        "dev_handwritten5.jsonl",
        "dev_handwritten6.jsonl",
        "dev_handwritten7.jsonl",
        "dev_handwritten8.jsonl",
        "dev_handwritten9.jsonl",
        "dev_handwritten10.jsonl",
    ):
        path = resources.files("nlp").joinpath("data", name)
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            records.extend(json.loads(line) for line in lines if line.strip())
    return records


def write(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Writes train.jsonl and dev.jsonl; returns their sizes."""
    train = generate(N_TRAIN, "train") + generate_hard("train") + generate_round4("train")
    dev = generate(N_DEV, "dev") + generate_hard("dev") + load_handwritten() + generate_round4("dev")
    # The round-9 news-style pools are a dev set of their own, both halves, never trained on: retraining the
    # textcat on them (round 9) raised its emergency vote on real acute news but moved no held-out decision and
    # cost the tune sets, so they measure the rules instead. dev.jsonl stays comparable with earlier rounds.
    dev_news = generate_round9()
    for name, records in (("train.jsonl", train), ("dev.jsonl", dev), (DEV_NEWS_STYLE, dev_news)):
        with open(data_dir / name, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(train), len(dev)


if __name__ == "__main__":
    print(write())

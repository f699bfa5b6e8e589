import pytest

from extractors.post import MalformedPost, author_hash, iso_utc, quarantine_record, validate_post


def test_validate_post_fills_optional_fields_with_empty_values():
    post = validate_post({"platform": "x", "platform_post_id": 123, "text": "jalan rusak"})
    assert post["platform_post_id"] == "123"
    assert post["metrics"] == {"likes": None, "shares": None, "comments": None, "views": None}
    assert post["media"] == [] and post["geo"] is None and post["created_at"] is None
    assert set(post) >= {"url", "author_id", "lang", "parent_id", "shared_from", "source_query", "raw"}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"platform_post_id": "1", "text": "a"}, "platform is missing"),
        ({"platform": "x", "text": "a"}, "platform_post_id is missing"),
        ({"platform": "x", "platform_post_id": "1"}, "text is missing"),
        ({"platform": "x", "platform_post_id": "1", "text": "   "}, "text is empty"),
        ({"platform": "x", "platform_post_id": "1", "text": "a", "metrics": {"likes": -1}}, "negative"),
        (
            {"platform": "x", "platform_post_id": "1", "text": "a", "geo": {"lat": 95, "lon": 1}},
            "out of range",
        ),
        ({"platform": "x", "platform_post_id": "1", "text": "a", "created_at": "kemarin"}, "ISO 8601"),
    ],
)
def test_malformed_post_says_what_is_wrong(record, reason):
    with pytest.raises(MalformedPost) as caught:
        validate_post(record)
    assert reason in caught.value.reason


def test_times_in_any_offset_become_utc():
    assert iso_utc("2026-11-20T11:15:00+0800") == "2026-11-20T03:15:00Z"  # Graph API style offset
    assert iso_utc("2026-11-20T03:15:00.000Z") == "2026-11-20T03:15:00Z"
    assert iso_utc(1795144500) == "2026-11-20T03:15:00Z"
    assert iso_utc("1795144500") == "2026-11-20T03:15:00Z"


def test_author_hash_is_keyed_and_hides_the_handle(monkeypatch):
    monkeypatch.delenv("SIAGA_AUTHOR_HASH_KEY", raising=False)
    demo = author_hash("x", "warga_sangatta")
    monkeypatch.setenv("SIAGA_AUTHOR_HASH_KEY", "another-secret")
    keyed = author_hash("x", "warga_sangatta")
    assert demo != keyed and "warga" not in keyed and len(keyed) == 32
    assert author_hash("x", "warga_sangatta") == keyed
    assert author_hash("facebook", "warga_sangatta") != keyed
    assert author_hash("x", None) is None


def test_quarantine_record_keeps_raw_and_reason():
    line = quarantine_record("x", "tweet has no id", {"text": "a"}, "2026-11-20T00:00:00Z")
    assert line == {
        "_quarantine": True,
        "source": "x",
        "reason": "tweet has no id",
        "raw": {"text": "a"},
        "received_at": "2026-11-20T00:00:00Z",
    }

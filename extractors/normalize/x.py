"""X API v2 tweets (`GET /2/tweets/search/recent` with expansions) to normalized posts.

A page is `{"data": [tweet...], "includes": {"users", "tweets", "places", "media"}, "meta"}`.
Retweets keep their own text ("RT @user: ..."); `shared_from` points at the retweeted or quoted
tweet and `parent_id` at the tweet replied to, so the warehouse can count them as reach.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractors.post import MalformedPost, author_hash, post_key, validate_post

PLATFORM = "x"
LANGS = {"in": "id", "iw": "he"}  # X still writes the old codes for Indonesian and Hebrew


class Includes:
    """`includes` of one response page, indexed by id (built once per page)."""

    __slots__ = ("media", "places", "tweets", "users")

    def __init__(self, includes: dict[str, Any] | None):
        includes = includes or {}
        self.users = {u.get("id"): u for u in includes.get("users") or () if isinstance(u, dict)}
        self.tweets = {t.get("id"): t for t in includes.get("tweets") or () if isinstance(t, dict)}
        self.places = {p.get("id"): p for p in includes.get("places") or () if isinstance(p, dict)}
        self.media = {m.get("media_key"): m for m in includes.get("media") or () if isinstance(m, dict)}


def _geo(tweet: dict[str, Any], includes: Includes) -> dict[str, float] | None:
    geo = tweet.get("geo") or {}
    point = (geo.get("coordinates") or {}).get("coordinates")
    if point and len(point) == 2:
        return {"lat": point[1], "lon": point[0]}  # GeoJSON order is [lon, lat]
    place = includes.places.get(geo.get("place_id"))
    bbox = ((place or {}).get("geo") or {}).get("bbox")
    if bbox and len(bbox) == 4:
        west, south, east, north = bbox
        return {"lat": (south + north) / 2, "lon": (west + east) / 2}
    return None


def _media(tweet: dict[str, Any], includes: Includes) -> list[dict[str, Any]]:
    keys = (tweet.get("attachments") or {}).get("media_keys") or ()
    out = []
    for key in keys:
        item = includes.media.get(key) or {}
        out.append({"id": key, "type": item.get("type"), "url": item.get("url") or item.get("preview_image_url")})
    return out


def normalize_tweet(
    tweet: dict[str, Any],
    includes: Includes | None = None,
    source_query: str | None = None,
    fetched_at: str | None = None,
) -> dict[str, Any]:
    """One tweet object (API v2) to a normalized post."""
    if not isinstance(tweet, dict):
        raise MalformedPost(f"tweet is not an object: {tweet!r}"[:200])
    includes = includes or Includes(None)
    tweet_id = tweet.get("id")
    if not tweet_id:
        raise MalformedPost("tweet has no id")
    note = tweet.get("note_tweet") or {}
    text = note.get("text") or tweet.get("text")
    if not isinstance(text, str):
        raise MalformedPost(f"tweet {tweet_id} has no text")
    author_id = tweet.get("author_id")
    user = includes.users.get(author_id) or {}
    username = user.get("username")
    parent_id = shared_from = None
    for ref in tweet.get("referenced_tweets") or ():
        kind, ref_id = ref.get("type"), ref.get("id")
        if not ref_id:
            continue
        if kind == "replied_to":
            parent_id = post_key(PLATFORM, ref_id)
        elif kind in ("retweeted", "quoted") and shared_from is None:
            shared_from = post_key(PLATFORM, ref_id)
    pm = tweet.get("public_metrics") or {}
    retweets, quotes = pm.get("retweet_count"), pm.get("quote_count")
    shares = None if retweets is None and quotes is None else (retweets or 0) + (quotes or 0)
    url = f"https://x.com/{username}/status/{tweet_id}" if username else f"https://x.com/i/web/status/{tweet_id}"
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(tweet_id),
            "url": url,
            "author_id": author_hash(PLATFORM, author_id),
            "author_name": user.get("name"),
            "text": text,
            "created_at": tweet.get("created_at"),
            "lang": LANGS.get(tweet.get("lang"), tweet.get("lang")),
            "parent_id": parent_id,
            "shared_from": shared_from,
            "metrics": {
                "likes": pm.get("like_count"),
                "shares": shares,
                "comments": pm.get("reply_count"),
                "views": pm.get("impression_count"),
            },
            "geo": _geo(tweet, includes),
            "media": _media(tweet, includes),
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": {"tweet": tweet, "user": user or None},
        }
    )


def iter_page(
    page: dict[str, Any], source_query: str | None = None, fetched_at: str | None = None
) -> Iterator[tuple[dict[str, Any] | None, MalformedPost | None, Any]]:
    """(post, None, raw) or (None, error, raw) for each tweet in one search response page."""
    includes = Includes(page.get("includes"))
    for tweet in page.get("data") or ():
        try:
            yield normalize_tweet(tweet, includes, source_query, fetched_at), None, tweet
        except MalformedPost as exc:
            yield None, exc, tweet

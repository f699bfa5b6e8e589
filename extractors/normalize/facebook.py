"""Graph API page posts and their comments to normalized posts.

A page post is requested with the fields in `extractors.facebook.POST_FIELDS` (message,
created_time, permalink_url, shares, reactions and comments summaries, nested comments). Its id is
"<page id>_<post id>"; a comment's is "<post id>_<comment id>". Comments become posts of their own
with `parent_id` pointing at the post (or at the comment they answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractors.post import MalformedPost, author_hash, post_key, validate_post

PLATFORM = "facebook"


def _summary_count(edge: Any) -> int | None:
    if not isinstance(edge, dict):
        return None
    return (edge.get("summary") or {}).get("total_count")


def _geo(item: dict[str, Any]) -> dict[str, float] | None:
    location = (item.get("place") or {}).get("location") or {}
    if location.get("latitude") is not None and location.get("longitude") is not None:
        return {"lat": location["latitude"], "lon": location["longitude"]}
    return None


def _media(item: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for attachment in (item.get("attachments") or {}).get("data") or ():
        target = attachment.get("target") or {}
        image = (attachment.get("media") or {}).get("image") or {}
        out.append({"id": target.get("id"), "type": attachment.get("type"), "url": image.get("src")})
    return out


def normalize_post(
    item: dict[str, Any], source_query: str | None = None, fetched_at: str | None = None
) -> dict[str, Any]:
    """One page post (feed/posts edge item) to a normalized post."""
    if not isinstance(item, dict):
        raise MalformedPost(f"Graph API post is not an object: {item!r}"[:200])
    post_id = item.get("id")
    if not post_id:
        raise MalformedPost("Graph API post has no id")
    text = item.get("message")
    if not isinstance(text, str):
        raise MalformedPost(f"Graph API post {post_id} has no message")
    author = item.get("from") or {}
    shared = item.get("parent_id")  # set when this post shares another post
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(post_id),
            "url": item.get("permalink_url") or f"https://www.facebook.com/{post_id}",
            "author_id": author_hash(PLATFORM, author.get("id")),
            "author_name": author.get("name"),
            "text": text,
            "created_at": item.get("created_time"),
            "lang": None,
            "parent_id": None,
            "shared_from": post_key(PLATFORM, shared) if shared else None,
            "metrics": {
                "likes": _summary_count(item.get("reactions")),
                "shares": (item.get("shares") or {}).get("count"),
                "comments": _summary_count(item.get("comments")),
                "views": None,
            },
            "geo": _geo(item),
            "media": _media(item),
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": {key: value for key, value in item.items() if key != "comments"},
        }
    )


def normalize_comment(
    comment: dict[str, Any], post_id: str, source_query: str | None = None, fetched_at: str | None = None
) -> dict[str, Any]:
    """One comment (comments edge item) on page post `post_id` to a normalized post."""
    if not isinstance(comment, dict):
        raise MalformedPost(f"Graph API comment is not an object: {comment!r}"[:200])
    comment_id = comment.get("id")
    if not comment_id:
        raise MalformedPost(f"a comment on {post_id} has no id")
    text = comment.get("message")
    if not isinstance(text, str):
        raise MalformedPost(f"Graph API comment {comment_id} has no message")
    author = comment.get("from") or {}
    parent = (comment.get("parent") or {}).get("id") or post_id
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(comment_id),
            "url": comment.get("permalink_url") or f"https://www.facebook.com/{comment_id}",
            "author_id": author_hash(PLATFORM, author.get("id")),
            "author_name": author.get("name"),
            "text": text,
            "created_at": comment.get("created_time"),
            "parent_id": post_key(PLATFORM, parent),
            "metrics": {
                "likes": comment.get("like_count"),
                "shares": None,
                "comments": comment.get("comment_count"),
                "views": None,
            },
            "media": _media(comment) if comment.get("attachments") else [],
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": comment,
        }
    )


def iter_post_and_comments(
    item: Any, source_query: str | None = None, fetched_at: str | None = None
) -> Iterator[tuple[dict[str, Any] | None, MalformedPost | None, Any]]:
    """The post, then each nested comment: (post, None, raw) or (None, error, raw)."""
    try:
        yield normalize_post(item, source_query, fetched_at), None, item
    except MalformedPost as exc:
        yield None, exc, item
    if not isinstance(item, dict) or not item.get("id"):
        return  # comments of an unidentifiable post stay inside its quarantined raw payload
    for comment in (item.get("comments") or {}).get("data") or ():
        try:
            yield normalize_comment(comment, item["id"], source_query, fetched_at), None, comment
        except MalformedPost as exc:
            yield None, exc, comment

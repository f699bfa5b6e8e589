"""Instagram media nodes (as instaloader holds them) to normalized posts.

Two documented shapes reach us: the web GraphQL node (`shortcode`, `edge_media_to_caption`,
`taken_at_timestamp`, `edge_media_preview_like`, `edge_media_to_comment`, `owner`) used for profile
timelines, and the app's media struct (`code`, `pk`, `caption.text`, `taken_at`, `like_count`,
`comment_count`, `user`) used by hashtag sections. Both become the same post. Comments
(`{id, text, created_at, owner, edge_liked_by}`) become posts with `parent_id` set.
"""

from __future__ import annotations

from typing import Any

from extractors.post import MalformedPost, author_hash, post_key, validate_post

PLATFORM = "instagram"


def _caption(node: dict[str, Any]) -> str | None:
    edges = (node.get("edge_media_to_caption") or {}).get("edges")
    if edges:
        return ((edges[0] or {}).get("node") or {}).get("text")
    caption = node.get("caption")
    if isinstance(caption, dict):
        return caption.get("text")
    return caption if isinstance(caption, str) else None


def _count(node: dict[str, Any], *edges: str) -> int | None:
    for name in edges:
        edge = node.get(name)
        if isinstance(edge, dict) and edge.get("count") is not None:
            return edge["count"]
        if isinstance(edge, int):
            return edge
    return None


def _geo(node: dict[str, Any]) -> dict[str, float] | None:
    location = node.get("location") or {}
    if location.get("lat") is not None and location.get("lng") is not None:
        return {"lat": location["lat"], "lon": location["lng"]}
    return None


def normalize_media(
    node: dict[str, Any], source_query: str | None = None, fetched_at: str | None = None
) -> dict[str, Any]:
    """One media node (GraphQL node or app media struct) to a normalized post."""
    if not isinstance(node, dict):
        raise MalformedPost(f"Instagram media is not an object: {node!r}"[:200])
    # The media id: `pk` in the app struct (whose `id` is "<pk>_<owner pk>"), `id` in a GraphQL node.
    media_id = node.get("pk") or node.get("id")
    if not media_id:
        raise MalformedPost("Instagram media has no id")
    shortcode = node.get("shortcode") or node.get("code")
    text = _caption(node)
    if not isinstance(text, str):
        raise MalformedPost(f"Instagram media {media_id} has no caption")
    owner = node.get("owner") or node.get("user") or {}
    owner_id = owner.get("id") or owner.get("pk")
    typename = node.get("__typename") or {1: "GraphImage", 2: "GraphVideo", 8: "GraphSidecar"}.get(
        node.get("media_type")
    )
    display = node.get("display_url")
    if display is None:
        candidates = (node.get("image_versions2") or {}).get("candidates") or ()
        display = candidates[0].get("url") if candidates else None
    media = [{"id": str(media_id), "type": typename, "url": display}] if display or typename else []
    likes = _count(node, "edge_media_preview_like", "edge_liked_by")
    if likes is None:
        likes = node.get("like_count")
    comments = _count(node, "edge_media_to_comment", "edge_media_to_parent_comment")
    if comments is None:
        comments = node.get("comment_count")
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(media_id),
            "url": f"https://www.instagram.com/p/{shortcode}/" if shortcode else None,
            "author_id": author_hash(PLATFORM, str(owner_id) if owner_id else owner.get("username")),
            "author_name": owner.get("full_name") or owner.get("username"),
            "text": text,
            "created_at": node.get("taken_at_timestamp") or node.get("taken_at") or node.get("date"),
            "metrics": {
                "likes": likes,
                "shares": None,
                "comments": comments,
                "views": node.get("video_view_count") or node.get("view_count"),
            },
            "geo": _geo(node),
            "media": media,
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": node,
        }
    )


def normalize_comment(
    comment: dict[str, Any], media_id: str, source_query: str | None = None, fetched_at: str | None = None
) -> dict[str, Any]:
    """One comment node on media `media_id` to a normalized post."""
    if not isinstance(comment, dict):
        raise MalformedPost(f"Instagram comment is not an object: {comment!r}"[:200])
    comment_id = comment.get("id") or comment.get("pk")
    if not comment_id:
        raise MalformedPost(f"a comment on Instagram media {media_id} has no id")
    text = comment.get("text")
    if not isinstance(text, str):
        raise MalformedPost(f"Instagram comment {comment_id} has no text")
    owner = comment.get("owner") or comment.get("user") or {}
    owner_id = owner.get("id") or owner.get("pk")
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(comment_id),
            "author_id": author_hash(PLATFORM, str(owner_id) if owner_id else owner.get("username")),
            "author_name": owner.get("full_name") or owner.get("username"),
            "text": text,
            "created_at": comment.get("created_at"),
            "parent_id": post_key(PLATFORM, str(media_id)),
            "metrics": {
                "likes": _count(comment, "edge_liked_by", "comment_like_count"),
                "shares": None,
                "comments": None,
                "views": None,
            },
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": comment,
        }
    )

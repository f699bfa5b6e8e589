"""WhatsApp Business Cloud API webhook messages to normalized posts.

A webhook body is `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
"value": {"metadata", "contacts", "messages", "statuses"}}]}]}`. Each message becomes a post whose id is
the `wamid`; the sender's number (`from`) is only ever stored as a keyed hash. Media messages keep
their caption as text and the media id in `media`; a reply keeps the quoted message in `parent_id`.
Delivery statuses and reactions are not posts and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractors.post import MalformedPost, author_hash, post_key, validate_post

PLATFORM = "whatsapp"
MEDIA_TYPES = ("image", "video", "document", "audio", "sticker")
NOT_POSTS = ("reaction", "system", "ephemeral")


def _text(message: dict[str, Any]) -> str | None:
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return body.get("body")
    if kind in MEDIA_TYPES:
        return body.get("caption")
    if kind == "location":
        parts = [body.get("name"), body.get("address")]
        return " - ".join(p for p in parts if p) or None
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return reply.get("title")
    if kind == "button":
        return body.get("text")
    return None


def normalize_message(
    message: dict[str, Any],
    contacts: dict[str, str] | None = None,
    source_query: str | None = None,
    fetched_at: str | None = None,
) -> dict[str, Any]:
    """One `messages[]` item of a webhook to a normalized post."""
    if not isinstance(message, dict):
        raise MalformedPost(f"WhatsApp message is not an object: {message!r}"[:200])
    message_id = message.get("id")
    if not message_id:
        raise MalformedPost("WhatsApp message has no id")
    kind = message.get("type")
    text = _text(message)
    if not isinstance(text, str) or not text.strip():
        raise MalformedPost(f"WhatsApp {kind or 'unknown'} message {message_id} has no text or caption")
    sender = message.get("from")
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    media = []
    if kind in MEDIA_TYPES:
        media.append({"id": body.get("id"), "type": kind, "mime_type": body.get("mime_type")})
    geo = None
    if kind == "location" and body.get("latitude") is not None and body.get("longitude") is not None:
        geo = {"lat": body["latitude"], "lon": body["longitude"]}
    context = message.get("context") or {}
    return validate_post(
        {
            "platform": PLATFORM,
            "platform_post_id": str(message_id),
            "url": None,
            "author_id": author_hash(PLATFORM, sender),
            "author_name": (contacts or {}).get(sender),
            "text": text,
            "created_at": message.get("timestamp"),
            "parent_id": post_key(PLATFORM, context["id"]) if context.get("id") else None,
            "metrics": None,
            "geo": geo,
            "media": media,
            "source_query": source_query,
            "fetched_at": fetched_at,
            "raw": message,
        }
    )


def iter_webhook(
    body: Any, source_query: str | None = "webhook", fetched_at: str | None = None
) -> Iterator[tuple[dict[str, Any] | None, MalformedPost | None, Any]]:
    """(post, None, raw) or (None, error, raw) for every message in one webhook body (parsed JSON)."""
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        yield None, MalformedPost("webhook body has no entry list"), body
        return
    for entry in body["entry"]:
        for change in (entry or {}).get("changes") or ():
            value = (change or {}).get("value") or {}
            contacts = {
                c.get("wa_id"): (c.get("profile") or {}).get("name")
                for c in value.get("contacts") or ()
                if isinstance(c, dict)
            }
            for message in value.get("messages") or ():
                if isinstance(message, dict) and message.get("type") in NOT_POSTS:
                    continue
                try:
                    yield normalize_message(message, contacts, source_query, fetched_at), None, message
                except MalformedPost as exc:
                    yield None, exc, message

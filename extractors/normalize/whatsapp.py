"""WhatsApp Business Cloud API webhook messages to normalized posts.

A webhook body is `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
"value": {"metadata", "contacts", "messages", "statuses"}}]}]}`. Each message becomes a post whose id is
the `wamid`; the sender's number (`from`) is only ever stored as a keyed hash. Media messages keep
their caption as text and the media id in `media`; a reply keeps the quoted message in `parent_id`.
Delivery statuses and reactions are not posts and are skipped. A part of a body with an unexpected
shape (`"messages": 5`, an entry that is not an object) comes out as an error with its path in the
body, and the rest of the body is still read.
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
    if sender is not None and not isinstance(sender, str | int):
        raise MalformedPost(f"WhatsApp message {message_id} has a sender of type {type(sender).__name__}")
    body = message.get(kind) if isinstance(kind, str) and isinstance(message.get(kind), dict) else {}
    media = []
    if kind in MEDIA_TYPES:
        media.append({"id": body.get("id"), "type": kind, "mime_type": body.get("mime_type")})
    geo = None
    if kind == "location" and body.get("latitude") is not None and body.get("longitude") is not None:
        geo = {"lat": body["latitude"], "lon": body["longitude"]}
    context = message.get("context") if isinstance(message.get("context"), dict) else {}
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


def _list_at(container: dict[str, Any], key: str, where: str) -> tuple[list, MalformedPost | None]:
    """`container[key]` as a list: absent is empty, any other type is an error naming where it was."""
    value = container.get(key)
    if value is None:
        return [], None
    if not isinstance(value, list):
        return [], MalformedPost(f"webhook {where}.{key} is not a list (got {type(value).__name__})")
    return value, None


def iter_webhook(
    body: Any, source_query: str | None = "webhook", fetched_at: str | None = None
) -> Iterator[tuple[dict[str, Any] | None, MalformedPost | None, Any]]:
    """(post, None, raw) or (None, error, raw) for every message in one webhook body (parsed JSON).

    Never raises on the body's shape: a part that cannot be read is yielded as an error with that part.
    """
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        yield None, MalformedPost("webhook body has no entry list"), body
        return
    for e, entry in enumerate(body["entry"]):
        if not isinstance(entry, dict):
            yield None, MalformedPost(f"webhook entry[{e}] is not an object"), entry
            continue
        changes, error = _list_at(entry, "changes", f"entry[{e}]")
        if error:
            yield None, error, entry
        for c, change in enumerate(changes):
            where = f"entry[{e}].changes[{c}]"
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                if value is not None or not isinstance(change, dict):
                    yield None, MalformedPost(f"webhook {where} has no value object"), change
                continue
            messages, error = _list_at(value, "messages", f"{where}.value")
            if error:
                yield None, error, value
            # Names are optional: contacts of another shape only leave the authors unnamed.
            listed = value.get("contacts") if isinstance(value.get("contacts"), list) else []
            contacts = {
                contact["wa_id"]: contact["profile"].get("name")
                for contact in listed
                if isinstance(contact, dict)
                and isinstance(contact.get("wa_id"), str)
                and isinstance(contact.get("profile"), dict)
            }
            for message in messages:
                if isinstance(message, dict) and message.get("type") in NOT_POSTS:
                    continue
                try:
                    yield normalize_message(message, contacts, source_query, fetched_at), None, message
                except MalformedPost as exc:
                    yield None, exc, message

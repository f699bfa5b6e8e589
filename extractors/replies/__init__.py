"""Replies to citizens, posted on the platform where they wrote (issue 14): the platform side.

One `ReplyPoster` per platform sends one `OutgoingReply` and, after an uncertain send, looks on the
platform for it (`find_sent`). The warehouse owns the state machine (pending -> approved -> sending ->
sent / failed) and calls these; nothing here knows DuckDB or retries on its own: each call makes one
attempt and says by its exception what the caller may do next.

| exception | meaning | the caller |
| --- | --- | --- |
| `ReplyRateLimited` | the platform said "later" (`retry_after_seconds`) | waits within its budget, sends again |
| `ReplyUncertain` | the request may have reached the platform | `find_sent` before any resend |
| `ReplyRejected` | permanent refusal (post deleted, no permission, no template) | marks failed, never retries |
| `ReplyAuthFailed` | the Connection is missing or refused; nothing sent | stops this platform, retries later |
| `ReplyError` (itself) | did not reach the platform, or a transient refusal | may send again later |

Clients: X through tweepy (OAuth 1.0a user context), Facebook and Instagram through facebook-sdk's
`GraphAPI`, WhatsApp through the Cloud API's `/{phone-number-id}/messages` (same Graph host). Base URLs
come from `SIAGA_X_API_BASE` and `SIAGA_GRAPH_API_BASE`; credentials from the Airflow Connections
(`extractors.credentials`). Messages never carry a token.
"""

from __future__ import annotations

from extractors.replies.base import (
    PLATFORMS,
    OutgoingReply,
    ReplyAuthFailed,
    ReplyError,
    ReplyPoster,
    ReplyRateLimited,
    ReplyRejected,
    ReplyUncertain,
    SentReply,
)

__all__ = [
    "PLATFORMS",
    "OutgoingReply",
    "ReplyAuthFailed",
    "ReplyError",
    "ReplyPoster",
    "ReplyRateLimited",
    "ReplyRejected",
    "ReplyUncertain",
    "SentReply",
    "poster_for",
]


def poster_for(
    platform: str,
    *,
    whatsapp_template: str | None = None,
    whatsapp_template_language: str = "id",
    timeout: float = 20.0,
) -> ReplyPoster:
    """The poster of `platform` ("x", "facebook", "instagram", "whatsapp"), with its credentials read now.

    Raises `ValueError` for another platform and `ReplyAuthFailed` when its Airflow Connection is missing
    or lacks what replying needs (the message says which key). `whatsapp_template` is the approved
    template sent outside the 24-hour window (None: such replies are rejected); `timeout` is the seconds
    one request may take before it counts as uncertain.
    """
    if platform == "x":
        from extractors.replies.x import XPoster

        return XPoster.from_connection(timeout=timeout)
    if platform == "facebook":
        from extractors.replies.graph import FacebookPoster

        return FacebookPoster.from_connection(timeout=timeout)
    if platform == "instagram":
        from extractors.replies.graph import InstagramPoster

        return InstagramPoster.from_connection(timeout=timeout)
    if platform == "whatsapp":
        from extractors.replies.whatsapp import WhatsAppPoster

        return WhatsAppPoster.from_connection(
            template=whatsapp_template, template_language=whatsapp_template_language, timeout=timeout
        )
    raise ValueError(f"no reply poster for platform {platform!r}: use one of {', '.join(PLATFORMS)}")

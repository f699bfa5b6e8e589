"""Replies on WhatsApp: Cloud API `POST /{version}/{phone-number-id}/messages` (text or template)."""

from __future__ import annotations

from extractors.replies.base import OutgoingReply, ReplyError, SentReply


class WhatsAppPoster:
    platform = "whatsapp"

    @classmethod
    def from_connection(
        cls, *, template: str | None = None, template_language: str = "id", timeout: float = 20.0
    ) -> WhatsAppPoster:
        raise ReplyError("WhatsApp replies are not implemented yet")

    def send(self, reply: OutgoingReply) -> SentReply:
        raise NotImplementedError

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        raise NotImplementedError

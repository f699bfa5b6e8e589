"""Replies on Facebook and Instagram through facebook-sdk's GraphAPI (the page token)."""

from __future__ import annotations

from extractors.replies.base import OutgoingReply, ReplyError, SentReply


class FacebookPoster:
    platform = "facebook"

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> FacebookPoster:
        raise ReplyError("Facebook replies are not implemented yet")

    def send(self, reply: OutgoingReply) -> SentReply:
        raise NotImplementedError

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        raise NotImplementedError


class InstagramPoster(FacebookPoster):
    platform = "instagram"

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> InstagramPoster:
        raise ReplyError("Instagram replies are not implemented yet")

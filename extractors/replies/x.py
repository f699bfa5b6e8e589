"""Replies on X: `POST /2/tweets` through tweepy's `Client.create_tweet` with OAuth 1.0a user context."""

from __future__ import annotations

from extractors.replies.base import OutgoingReply, ReplyError, SentReply


class XPoster:
    platform = "x"

    @classmethod
    def from_connection(cls, *, timeout: float = 20.0) -> XPoster:
        raise ReplyError("X replies are not implemented yet")

    def send(self, reply: OutgoingReply) -> SentReply:
        raise NotImplementedError

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        raise NotImplementedError

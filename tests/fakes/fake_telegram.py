"""A fake Telegram Bot API (https://core.telegram.org/bots/api) on 127.0.0.1: `getMe` and `sendMessage`
answered as api.telegram.org does ({"ok": true, "result": Message}), an unknown token 401, a missing
chat 400, and on demand 429 "Too Many Requests" with `parameters.retry_after`. `messages` holds
what reached a chat: {"token", "chat_id", "text", "parse_mode"}."""

from __future__ import annotations

import json
import time

from tests.fakes.platform_fake import PlatformFake, Reply, Seen


class FakeTelegram(PlatformFake):
    def __init__(self, tokens: dict[str, str] | None = None):
        super().__init__()
        self.tokens = dict(tokens or {"123456:TEST-token": "siaga_bot"})  # token -> bot username
        self.messages: list[dict] = []

    def rate_limit(self, retry_after: int = 1, times: int = 1) -> None:
        """The next `times` sendMessage calls answer 429 with retry_after seconds."""
        for _ in range(times):
            self.script.append(
                Reply(
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {retry_after}",
                        "parameters": {"retry_after": retry_after},
                    },
                    path_prefix="/bot",
                )
            )

    def fail(self, status: int = 502, times: int = 1) -> None:
        for _ in range(times):
            self.script.append(
                Reply(status, {"ok": False, "error_code": status, "description": "Bad Gateway"}, path_prefix="/bot")
            )

    def handle(self, request: Seen) -> Reply:
        token, _, method = request.path.removeprefix("/bot").partition("/")
        if not request.path.startswith("/bot") or token not in self.tokens:
            return Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        params = dict(request.query)
        if request.body and "json" in request.headers.get("content-type", ""):
            params.update(json.loads(request.body))
        if method == "getMe":
            return Reply(
                200,
                {
                    "ok": True,
                    "result": {"id": 123456, "is_bot": True, "first_name": "Siaga", "username": self.tokens[token]},
                },
            )
        if method != "sendMessage":
            return Reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if not params.get("chat_id"):
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
        if not params.get("text"):
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
        self.messages.append(
            {
                "token": token,
                "chat_id": str(params["chat_id"]),
                "text": params["text"],
                "parse_mode": params.get("parse_mode"),
            }
        )
        chat_id = int(params["chat_id"]) if str(params["chat_id"]).lstrip("-").isdigit() else params["chat_id"]
        return Reply(
            200,
            {
                "ok": True,
                "result": {
                    "message_id": len(self.messages),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "group", "title": "Siaga"},
                    "text": params["text"],
                },
            },
        )

"""Fake Meta side of the WhatsApp Cloud API webhook: builds and signs deliveries as Meta sends them.

`delivery(...)` builds a webhook body in the documented shape; `sign(body, secret)` gives the
`X-Hub-Signature-256` header value; `MetaSender(url).post(body, secret)` POSTs it over real HTTP to a
receiver (the route the UI mounts, or the tiny one the tests start) and `verify(...)` plays the GET
subscription handshake.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import requests

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
BUSINESS = {"display_phone_number": "6281100000000", "phone_number_id": "110000000000001"}


def text_message(wamid: str, body: str, sender: str = "6281234567890", timestamp: int = 1795144500) -> dict:
    return {"from": sender, "id": wamid, "timestamp": str(timestamp), "type": "text", "text": {"body": body}}


def image_message(
    wamid: str, caption: str, media_id: str, sender: str = "6281234567890", timestamp: int = 1795144500
) -> dict:
    return {
        "from": sender,
        "id": wamid,
        "timestamp": str(timestamp),
        "type": "image",
        "image": {"caption": caption, "mime_type": "image/jpeg", "sha256": "abc", "id": media_id},
    }


def delivery(*messages: dict, name: str = "Siti Rahayu", sender: str = "6281234567890") -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "120000000000001",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": BUSINESS,
                            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
                            "messages": list(messages),
                        },
                    }
                ],
            }
        ],
    }


def encode(body: dict | str) -> bytes:
    return (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode("utf-8")


def sign(raw: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


class MetaSender:
    def __init__(self, url: str):
        self.url = url

    def post(self, body: dict | str, secret: str | None = APP_SECRET) -> requests.Response:
        raw = encode(body)
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Hub-Signature-256"] = sign(raw, secret)
        return requests.post(self.url, data=raw, headers=headers, timeout=5)

    def verify(self, token: str, challenge: str = "1158201444") -> requests.Response:
        return requests.get(
            self.url,
            params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge},
            timeout=5,
        )

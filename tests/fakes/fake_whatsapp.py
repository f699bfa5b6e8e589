"""Fake Meta side of the WhatsApp Cloud API webhook: builds and signs deliveries as Meta sends them.

`delivery(...)` builds a webhook body in the documented shape; `sign(body, secret)` gives the
`X-Hub-Signature-256` header value; `MetaSender(url).post(body, secret)` POSTs it over real HTTP to a
receiver (the route the UI mounts, or the tiny one the tests start) and `verify(...)` plays the GET
subscription handshake.

`CloudMessages` is the sending side of the Cloud API, mounted by `fake_graph.FakeGraph` (the Cloud API
lives on the Graph host): `POST /{version}/{phone-number-id}/messages` with a Bearer token and a JSON
body, text (`context.message_id` answered, refused with 131047 outside a sender's 24-hour window when
`inbound` knows it) or template (refused with 132001 when `templates` lacks it), answered as Meta
documents (`{"messaging_product", "contacts": [{"input", "wa_id"}], "messages": [{"id"}]}`).
`status_delivery(...)` builds the status webhook Meta sends for a sent message (it carries
`biz_opaque_callback_data` back). Switches: `rate_limit_next_write(code)`, `unreachable` recipients
(131026), and the fake's `delay_next_write`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import requests

from tests.fakes.platform_fake import Reply, Seen

if TYPE_CHECKING:
    from tests.fakes.platform_fake import PlatformFake

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
BUSINESS = {"display_phone_number": "6281100000000", "phone_number_id": "110000000000001"}
ACCESS_TOKEN = "test-whatsapp-access-token"
TEMPLATE = ("kutim_tindak_lanjut", "id")  # (name, language) of the approved template in tests
CLOUD_CONNECTION = {
    "conn_type": "http",
    "password": APP_SECRET,
    "extra": {
        "verify_token": VERIFY_TOKEN,
        "access_token": ACCESS_TOKEN,
        "phone_number_id": BUSINESS["phone_number_id"],
    },
}


def cloud_error(code: int, title: str, details: str, status: int = 400, headers: dict | None = None) -> Reply:
    error = {
        "message": f"(#{code}) {title}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AwQ9xQwErTy12",
    }
    return Reply(status, {"error": error}, headers=headers or {})


class CloudMessages:
    """`POST /{version}/{phone-number-id}/messages` of the Cloud API, recorded on the owning fake."""

    def __init__(self, fake: PlatformFake, token: str = ACCESS_TOKEN):
        self.fake = fake
        self.token = token
        self.phone_number_id = BUSINESS["phone_number_id"]
        self.templates: set[tuple[str, str]] = {TEMPLATE}
        self.inbound: dict[str, datetime] = {}  # wa_id -> when that sender last wrote (window checks)
        self.unreachable: set[str] = set()
        self.sent: list[dict] = []  # every message accepted, with its id
        self._sequence = itertools.count(1)

    def rate_limit_next_write(self, code: int = 131056) -> None:
        titles = {
            130429: ("Rate limit hit", "Cloud API message throughput has been reached."),
            131056: (
                "(Business Account, Consumer Account) pair rate limit hit",
                "Message failed to send because there were too many messages sent from this phone number "
                "to the same phone number in a short period of time.",
            ),
            80007: ("Rate limit issues", "The WhatsApp Business Account has reached its rate limit."),
        }
        title, details = titles.get(code, ("Rate limit hit", "Too many messages."))
        self.fake.fail_next_write(cloud_error(code, title, details))

    def _new_id(self) -> str:
        raw = f"{self.phone_number_id}-{next(self._sequence):06d}".encode()
        return "wamid." + base64.b64encode(raw).decode()

    def handle(self, request: Seen, phone_number_id: str) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return self.fake.record_write(
                request,
                cloud_error(190, "Invalid OAuth access token - Cannot parse access token", "", status=401),
            )
        if phone_number_id != self.phone_number_id:
            return self.fake.record_write(
                request,
                cloud_error(
                    100,
                    "Invalid parameter",
                    f"Unsupported post request. Object with ID '{phone_number_id}' does not exist",
                ),
            )
        failure = self.fake.scripted_write_error(request)
        if failure:
            return failure
        try:
            body = request.parsed_body()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return self.fake.record_write(
                request, cloud_error(100, "Invalid parameter", "messaging_product and to are required")
            )
        to = str(body["to"])
        if to in self.unreachable:
            return self.fake.record_write(
                request,
                cloud_error(
                    131026,
                    "Message undeliverable",
                    "Unable to deliver message. The recipient is not on WhatsApp or cannot receive messages.",
                ),
            )
        kind = body.get("type")
        if kind == "text":
            text = (body.get("text") or {}).get("body")
            if not isinstance(text, str) or not text.strip():
                return self.fake.record_write(
                    request, cloud_error(131009, "Parameter value is not valid", "text.body is required")
                )
            last = self.inbound.get(to)
            if last is not None and datetime.now(UTC) - last > timedelta(hours=24):
                return self.fake.record_write(
                    request,
                    cloud_error(
                        131047,
                        "Re-engagement message",
                        "Message failed to send because more than 24 hours have passed since the customer "
                        "last replied to this number.",
                    ),
                )
        elif kind == "template":
            template = body.get("template") or {}
            key = (template.get("name"), (template.get("language") or {}).get("code"))
            if key not in self.templates:
                return self.fake.record_write(
                    request,
                    cloud_error(
                        132001,
                        "Template name does not exist in the translation",
                        f"template name ({key[0]}) does not exist in {key[1]}",
                        status=404,
                    ),
                )
        else:
            return self.fake.record_write(
                request, cloud_error(131009, "Parameter value is not valid", f"unsupported type {kind!r}")
            )
        message_id = self._new_id()
        self.sent.append(dict(body, id=message_id))
        message: dict[str, str] = {"id": message_id}
        if kind == "template":
            message["message_status"] = "accepted"
        answer = {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [message]}
        return self.fake.record_write(request, Reply(200, answer), created_id=message_id)


def status_delivery(
    message_id: str,
    recipient: str,
    status: str = "sent",
    callback_data: str | None = None,
    timestamp: int | None = None,
    category: str = "service",
) -> dict[str, Any]:
    """The webhook Meta sends when a message we sent changes status (sent, delivered, read, failed)."""
    item: dict[str, Any] = {
        "id": message_id,
        "status": status,
        "timestamp": str(timestamp or int(datetime.now(UTC).timestamp())),
        "recipient_id": recipient,
        "pricing": {"billable": category != "service", "pricing_model": "PMP", "category": category},
    }
    if callback_data is not None:
        item["biz_opaque_callback_data"] = callback_data
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "120000000000001",
                "changes": [
                    {
                        "field": "messages",
                        "value": {"messaging_product": "whatsapp", "metadata": BUSINESS, "statuses": [item]},
                    }
                ],
            }
        ],
    }


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

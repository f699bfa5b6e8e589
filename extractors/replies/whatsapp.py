"""Replies on WhatsApp: Cloud API `POST /{version}/{phone-number-id}/messages`, text or template.

Within 24 hours of the sender's last message (the customer-service window, `last_inbound_at`) a text
message answering their message (`context.message_id`); later only an approved template may open the
conversation: `whatsapp_template` in `whatsapp_template_language`, whose body has one variable `{{1}}`
that takes the reply's text (on one line: Meta refuses line breaks in variables). No template
configured: `ReplyRejected`. Every message carries `biz_opaque_callback_data` = our reply id, which Meta
sends back in the status webhooks of that message.

Credentials: `siaga_whatsapp`'s `extra` `access_token` (a system-user token with
`whatsapp_business_messaging`) and `phone_number_id`; optional `graph_api_version` (default v23.0).
The host is the Graph API's (`SIAGA_GRAPH_API_BASE`). The token travels in the Authorization header.

The Cloud API cannot list sent messages, so `find_sent` reads the status webhooks the service already
lands in its inbox (`extractors.whatsapp.receive_webhook`): a status carrying our reply id means Meta
accepted the message; none yet means it cannot tell (`ReplyUncertain`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from extractors.credentials import MissingCredentials, get_credentials, require_extra
from extractors.facebook import api_base
from extractors.http import RoutedSession
from extractors.replies.base import (
    OutgoingReply,
    ReplyAuthFailed,
    ReplyError,
    ReplyRateLimited,
    ReplyRejected,
    ReplyUncertain,
    SentReply,
    scrub,
    transport_error,
)
from extractors.whatsapp import CONN_ID, inbox_dir

REAL_BASE = "https://graph.facebook.com"
DEFAULT_VERSION = "v23.0"
# The window is 24 hours from the sender's last message; a text sent at its very edge may arrive after
# it closes, so texts stop a few minutes early and the template takes over.
SERVICE_WINDOW = timedelta(hours=24) - timedelta(minutes=5)
RATE_LIMIT_WAITS = {  # seconds; the Cloud API sends no reset time
    4: 3600.0,  # app call limit
    80007: 3600.0,  # WhatsApp Business Account rate limit
    130429: 5.0,  # the number's throughput (messages per second)
    131048: 3600.0,  # spam rate limit: too many messages from this number
    131056: 6.0,  # pair rate limit: one message to one customer every ~6 s
    133016: 3600.0,  # registration rate limit
}
AUTH_CODES = {0, 3, 10, 102, 190} | set(range(200, 300))
NOT_SENT_CODES = {1, 2, 131000, 131016, 133004, 131057}  # Meta's own failures: the message was not sent
OUTSIDE_WINDOW = 131047
INBOX_DAYS = 7  # find_sent reads this many days of status webhooks


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class WhatsAppPoster:
    platform = "whatsapp"

    def __init__(
        self,
        session: RoutedSession,
        token: str,
        phone_number_id: str,
        version: str = DEFAULT_VERSION,
        template: str | None = None,
        template_language: str = "id",
    ):
        self.session, self._token = session, token
        self.phone_number_id, self.version = phone_number_id, version
        self.template, self.template_language = template, template_language

    @classmethod
    def from_connection(
        cls, *, template: str | None = None, template_language: str = "id", timeout: float = 20.0
    ) -> WhatsAppPoster:
        try:
            credentials = get_credentials(CONN_ID)
            keys = require_extra(credentials, ("access_token", "phone_number_id"), "replies on WhatsApp")
        except MissingCredentials as exc:
            raise ReplyAuthFailed(str(exc)) from None
        version = str((credentials.extra or {}).get("graph_api_version") or DEFAULT_VERSION)
        session = RoutedSession(REAL_BASE, api_base(), timeout)
        return cls(
            session,
            keys["access_token"],
            keys["phone_number_id"],
            version if version.startswith("v") else f"v{version}",
            template,
            template_language,
        )

    # --- sending --------------------------------------------------------------------------------
    def payload(self, reply: OutgoingReply, now: datetime | None = None) -> tuple[dict[str, Any], str]:
        """The message body for `reply` and its `via`: text inside the window, else the template."""
        if not reply.recipient:
            raise ReplyRejected(f"WhatsApp reply {reply.reply_id}: no recipient (wa_id) to write to")
        now = now or datetime.now(UTC)
        inside = reply.last_inbound_at is not None and now - _aware(reply.last_inbound_at) < SERVICE_WINDOW
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": reply.recipient,
            "biz_opaque_callback_data": reply.reply_id,
        }
        if inside:
            body["type"] = "text"
            body["text"] = {"preview_url": False, "body": reply.text}
            if reply.in_reply_to:
                body["context"] = {"message_id": reply.in_reply_to}
            return body, "wa_text"
        return self._template(body, reply), "wa_template"

    def _template(self, body: dict[str, Any], reply: OutgoingReply) -> dict[str, Any]:
        if not self.template:
            raise ReplyRejected(
                f"WhatsApp reply {reply.reply_id}: the sender last wrote more than 24 hours ago and no template "
                "is configured: set the approved template (replies config), then approve the reply again"
            )
        body = {k: v for k, v in body.items() if k not in ("text", "context")}
        body["type"] = "template"
        body["template"] = {
            "name": self.template,
            "language": {"code": self.template_language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": " ".join(reply.text.split())}]}],
        }
        return body

    def send(self, reply: OutgoingReply) -> SentReply:
        body, via = self.payload(reply)
        try:
            return self._post(reply, body, via)
        except _OutsideWindow:
            # Meta's clock says the window has closed: the text was refused (nothing sent), so the
            # template may go now.
            return self._post(reply, self._template(body, reply), "wa_template")

    def _post(self, reply: OutgoingReply, body: dict[str, Any], via: str) -> SentReply:
        what = f"WhatsApp reply {reply.reply_id} ({via})"
        url = f"{REAL_BASE}/{self.version}/{self.phone_number_id}/messages"
        try:
            response = self.session.post(url, json=body, headers={"Authorization": f"Bearer {self._token}"})
        except requests.RequestException as exc:
            error = transport_error(exc, what)
            raise type(error)(self._scrub(str(error))) from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if 200 <= response.status_code < 300:
            messages = (answer or {}).get("messages") if isinstance(answer, dict) else None
            if messages and isinstance(messages[0], dict) and messages[0].get("id"):
                return SentReply(str(messages[0]["id"]), datetime.now(UTC), via)
            raise ReplyUncertain(f"{what}: the Cloud API answered {response.status_code} without a message id")
        error = (answer or {}).get("error") if isinstance(answer, dict) else None
        if not isinstance(error, dict) or not isinstance(error.get("code"), int):
            if response.status_code >= 500:
                raise ReplyUncertain(
                    f"{what}: the Cloud API answered {response.status_code}; the message may have gone out"
                )
            raise ReplyError(f"{what}: the Cloud API answered {response.status_code} without an error object")
        raise self._classify(error, what, via)

    def _classify(self, error: dict[str, Any], what: str, via: str) -> Exception:
        code = error["code"]
        details = str((error.get("error_data") or {}).get("details") or error.get("message") or "")[:300]
        if code == OUTSIDE_WINDOW and via == "wa_text" and self.template:
            return _OutsideWindow()
        if code in RATE_LIMIT_WAITS:
            wait = RATE_LIMIT_WAITS[code]
            return ReplyRateLimited(self._scrub(f"{what}: Cloud API rate limit (code {code}); wait {wait:.0f} s"), wait)
        if code in AUTH_CODES:
            return ReplyAuthFailed(
                self._scrub(
                    f"{what}: the Cloud API refused the token or number of the Airflow Connection {CONN_ID} "
                    f"(code {code}: {details}): renew the access token or check phone_number_id"
                )
            )
        if code in NOT_SENT_CODES:
            return ReplyError(self._scrub(f"{what}: the Cloud API failed (code {code}: {details}); send again later"))
        return ReplyRejected(
            self._scrub(f"{what}: the Cloud API refused it (code {code}: {details}); it will not be sent")
        )

    def _scrub(self, message: str) -> str:
        return scrub(message, (self._token,))

    # --- reconciling ----------------------------------------------------------------------------
    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        """Our message among the status webhooks in the inbox (see the module doc).

        Never returns None: the Cloud API cannot show that a message is absent. Raises `ReplyRejected`
        when Meta reported the message as failed, `ReplyUncertain` when no status mentions it yet.
        """
        statuses = list(_statuses_for(reply.reply_id))
        good = [s for s in statuses if s.get("status") in ("sent", "delivered", "read")]
        if good:
            first = min(good, key=lambda s: str(s.get("timestamp") or ""))
            return SentReply(str(first.get("id")), _epoch(first.get("timestamp")), _via(first, reply))
        failed = [s for s in statuses if s.get("status") == "failed"]
        if failed:
            errors = failed[0].get("errors") or [{}]
            code = errors[0].get("code") if isinstance(errors[0], dict) else None
            raise ReplyRejected(f"WhatsApp reply {reply.reply_id}: Meta reports the message failed (code {code})")
        raise ReplyUncertain(
            f"WhatsApp reply {reply.reply_id}: no status webhook mentions it yet (the Cloud API cannot list sent "
            "messages); look again after Meta's status webhooks have arrived"
        )


class _OutsideWindow(Exception):
    """Internal: Meta refused a text as outside the 24-hour window (131047); the template goes instead."""


def _epoch(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)


def _via(status: dict[str, Any], reply: OutgoingReply) -> str:
    category = (status.get("pricing") or {}).get("category")
    if category:
        return "wa_text" if category == "service" else "wa_template"
    inside = (
        reply.last_inbound_at is not None
        and _epoch(status.get("timestamp")) - _aware(reply.last_inbound_at) < SERVICE_WINDOW
    )
    return "wa_text" if inside else "wa_template"


def _statuses_for(reply_id: str):
    """Every status webhook item in the inbox of the last INBOX_DAYS days carrying `reply_id`."""
    today = datetime.now(UTC).date()
    for days in range(INBOX_DAYS, -1, -1):
        path = inbox_dir() / f"{today - timedelta(days=days):%Y-%m-%d}.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if reply_id not in line:
                    continue  # cheap filter before parsing
                try:
                    body = json.loads(line).get("body")
                except (ValueError, AttributeError):
                    continue
                for entry in (body or {}).get("entry") or () if isinstance(body, dict) else ():
                    for change in (entry or {}).get("changes") or ():
                        for status in ((change or {}).get("value") or {}).get("statuses") or ():
                            if isinstance(status, dict) and status.get("biz_opaque_callback_data") == reply_id:
                                yield status

"""Alerts out to people: an Airflow notifier that sends alerts to the configured channel.

Channels: "log" (the task log only), "webhook" (one JSON POST) and "email" (one message over SMTP).
The webhook URL comes from SIAGA_ALERT_WEBHOOK_URL or the Airflow Connection `siaga_alert_webhook`
(its host is the URL, its password, if any, is sent as a bearer token); e-mail goes through the
Connection `siaga_smtp` (host, port, login, password; extra {"from": ..., "starttls": true}).
A failed delivery raises, so the task retries and the alerts, still undelivered, go again.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)

WEBHOOK_CONN_ID = "siaga_alert_webhook"
SMTP_CONN_ID = "siaga_smtp"
TIMEOUT_S = 10.0


class AlertDeliveryError(RuntimeError):
    """The channel did not take the alerts; they stay undelivered and are sent on the retry."""


def alerts_payload(alerts: Sequence[dict]) -> dict[str, Any]:
    """The JSON document a webhook receives."""
    return {
        "service": "kutim-siaga",
        "count": len(alerts),
        "text": "\n".join(f"[{a['kind'].upper()}] {a['message']}" for a in alerts),
        "alerts": [
            {key: a.get(key) for key in (
                "alert_id", "kind", "day", "scope", "scope_key", "issue_id", "value", "baseline",
                "threshold", "message", "detail", "handoff_status",
            )}
            for a in alerts
        ],
    }


def _connection(conn_id: str):
    from airflow.sdk import Connection

    try:
        return Connection.get(conn_id)
    except Exception as exc:  # the SDK raises its own not-found error type
        raise AlertDeliveryError(
            f"the Airflow Connection {conn_id!r} is not set; add it (or AIRFLOW_CONN_{conn_id.upper()}) "
            "or set alerts.channel: log in config/pipeline.yaml"
        ) from exc


def webhook_target() -> tuple[str, str | None]:
    """(url, bearer token or None) from SIAGA_ALERT_WEBHOOK_URL or the `siaga_alert_webhook` Connection."""
    url = os.environ.get("SIAGA_ALERT_WEBHOOK_URL")
    if url:
        return url, None
    conn = _connection(WEBHOOK_CONN_ID)
    if not conn.host:
        raise AlertDeliveryError(f"Connection {WEBHOOK_CONN_ID!r} has no host (the webhook URL)")
    return conn.host, conn.password or None


def send_webhook(
    alerts: Sequence[dict], url: str, token: str | None = None, timeout_s: float = TIMEOUT_S
) -> None:
    import requests

    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(alerts_payload(alerts), ensure_ascii=False, default=str).encode("utf-8")
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout_s)
    except requests.RequestException as exc:
        raise AlertDeliveryError(f"webhook unreachable: {type(exc).__name__}") from exc
    if response.status_code >= 300:
        raise AlertDeliveryError(f"webhook answered HTTP {response.status_code}")


def send_email(alerts: Sequence[dict], to: Sequence[str], timeout_s: float = TIMEOUT_S) -> None:
    if not to:
        raise AlertDeliveryError("alerts.email_to in config/pipeline.yaml is empty")
    conn = _connection(SMTP_CONN_ID)
    extra = conn.extra_dejson or {}
    message = EmailMessage()
    kinds = sorted({a["kind"] for a in alerts})
    message["Subject"] = f"[Kutim Siaga] {len(alerts)} peringatan ({', '.join(kinds)})"
    message["From"] = extra.get("from") or conn.login or "kutim-siaga@localhost"
    message["To"] = ", ".join(to)
    message.set_content(alerts_payload(alerts)["text"])
    try:
        with smtplib.SMTP(conn.host, conn.port or 25, timeout=timeout_s) as smtp:
            if extra.get("starttls"):
                smtp.starttls()
            if conn.login and conn.password:
                smtp.login(conn.login, conn.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise AlertDeliveryError(f"SMTP delivery failed: {type(exc).__name__}: {exc}") from exc


def deliver_alerts(alerts: Sequence[dict], channel: str = "log", email_to: Sequence[str] = ()) -> int:
    """Send alerts to the channel; returns how many were sent, raises AlertDeliveryError on failure."""
    if not alerts:
        return 0
    for alert in alerts:
        log.warning("siaga alert [%s] %s", alert["kind"], alert["message"])
    if channel == "webhook":
        url, token = webhook_target()
        send_webhook(alerts, url, token)
    elif channel == "email":
        send_email(alerts, email_to)
    elif channel != "log":
        raise AlertDeliveryError(f"unknown alert channel {channel!r} (log, webhook or email)")
    return len(alerts)


class SiagaAlertNotifier(BaseNotifier):
    """Airflow notifier for Kutim Siaga alerts: `SiagaAlertNotifier(alerts=..., channel=...)(context)`.

    No template fields on purpose: alert text quotes citizens' posts, which may contain "{{"."""

    template_fields = ()

    def __init__(self, alerts: Sequence[dict], channel: str = "log", email_to: Sequence[str] = ()):
        super().__init__()
        self.alerts = list(alerts)
        self.channel = channel
        self.email_to = tuple(email_to)
        self.sent = 0

    def notify(self, context) -> None:
        self.sent = deliver_alerts(self.alerts, self.channel, self.email_to)

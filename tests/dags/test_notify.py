"""extractors.notify: alerts reach the configured channel (loopback webhook and SMTP receivers)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from extractors.notify import AlertDeliveryError, SiagaAlertNotifier, deliver_alerts
from tests.dags.alert_receivers import SmtpReceiver, WebhookReceiver

ALERTS = [
    {"alert_id": "a1", "kind": "emergency", "day": date(2026, 11, 19), "scope": "issue", "scope_key": "i1",
     "issue_id": "i1", "value": 3.0, "baseline": None, "threshold": None, "handoff_status": "pending",
     "message": "DARURAT KEBAKARAN di Kec. Bengalon {{ ds }}",
     "detail": {"where": {"kecamatan": "Bengalon"}}},
    {"alert_id": "a2", "kind": "spike", "day": date(2026, 11, 19), "scope": "category", "scope_key": "banjir",
     "issue_id": None, "value": 12.0, "baseline": 1.4, "threshold": 3.9, "handoff_status": None,
     "message": "Lonjakan keluhan kategori banjir", "detail": {}},
]


def test_webhook_gets_every_alert_in_one_json_post(monkeypatch):
    with WebhookReceiver() as hook:
        monkeypatch.setenv("SIAGA_ALERT_WEBHOOK_URL", hook.url)
        notifier = SiagaAlertNotifier(alerts=ALERTS, channel="webhook")
        notifier({})
    assert notifier.sent == 2
    (headers, body), = hook.received
    assert headers["Content-Type"].startswith("application/json")
    assert [a["alert_id"] for a in body["alerts"]] == ["a1", "a2"]
    assert body["alerts"][0]["detail"]["where"]["kecamatan"] == "Bengalon"
    assert body["alerts"][1]["day"] == "2026-11-19"
    # Post text is data, never a template: "{{ ds }}" arrives as written.
    assert "{{ ds }}" in body["alerts"][0]["message"]


def test_webhook_url_and_token_come_from_the_airflow_connection(monkeypatch):
    monkeypatch.delenv("SIAGA_ALERT_WEBHOOK_URL", raising=False)
    with WebhookReceiver() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_ALERT_WEBHOOK",
                           json.dumps({"conn_type": "http", "host": hook.url, "password": "rahasia-123"}))
        assert deliver_alerts(ALERTS[:1], channel="webhook") == 1
    (headers, _), = hook.received
    assert headers["Authorization"] == "Bearer rahasia-123"


def test_webhook_refusal_raises_so_the_task_retries(monkeypatch):
    with WebhookReceiver(status=500) as hook:
        monkeypatch.setenv("SIAGA_ALERT_WEBHOOK_URL", hook.url)
        with pytest.raises(AlertDeliveryError, match="HTTP 500"):
            deliver_alerts(ALERTS, channel="webhook")
    assert len(hook.received) == 1


def test_unreachable_webhook_raises_a_clear_error(monkeypatch):
    monkeypatch.setenv("SIAGA_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    with pytest.raises(AlertDeliveryError, match="unreachable"):
        deliver_alerts(ALERTS, channel="webhook")


def test_missing_webhook_connection_says_what_to_set(monkeypatch):
    monkeypatch.delenv("SIAGA_ALERT_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_SIAGA_ALERT_WEBHOOK", raising=False)
    with pytest.raises(AlertDeliveryError, match="siaga_alert_webhook"):
        deliver_alerts(ALERTS, channel="webhook")


def test_email_goes_through_the_smtp_connection(monkeypatch):
    with SmtpReceiver() as smtp:
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_SMTP", json.dumps(
            {"conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port,
             "extra": {"from": "siaga@kutaitimurkab.go.id"}}))
        to = ["humas@example.org", "bpbd@example.org"]
        assert deliver_alerts(ALERTS, channel="email", email_to=to) == 2
    (sender, rcpts, message), = smtp.messages
    assert sender == "<siaga@kutaitimurkab.go.id>"
    assert rcpts == ["<humas@example.org>", "<bpbd@example.org>"]
    assert "Subject: [Kutim Siaga] 2 peringatan (emergency, spike)" in message
    assert "DARURAT KEBAKARAN" in message


def test_email_without_recipients_is_refused():
    with pytest.raises(AlertDeliveryError, match="email_to"):
        deliver_alerts(ALERTS, channel="email", email_to=[])


def test_log_channel_only_logs(caplog):
    with caplog.at_level("WARNING"):
        assert deliver_alerts(ALERTS, channel="log") == 2
    assert "DARURAT KEBAKARAN" in caplog.text


def test_nothing_to_send_sends_nothing(monkeypatch):
    monkeypatch.setenv("SIAGA_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    assert deliver_alerts([], channel="webhook") == 0

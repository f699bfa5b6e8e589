"""extractors.notify through the real providers, over real HTTP and SMTP on 127.0.0.1: a fake Telegram
Bot API (TelegramHook, python-telegram-bot), an aiosmtpd server (SmtpHook) and a JSON receiver
(AppriseHook, Apprise's json://). The messages come from the warehouse as the DAG prepares them."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("AIRFLOW_HOME", str(Path(__file__).resolve().parents[2] / ".airflow"))

from extractors.notify import AlertDeliveryError, available_channels, deliver, send
from tests.dags.alert_receivers import WebhookReceiver
from tests.fakes.fake_smtp import FakeSmtp
from tests.fakes.fake_telegram import FakeTelegram
from tests.warehouse.test_alerts_delivery import add_emergency
from warehouse.alerts import list_deliveries, prepare_deliveries, record_deliveries

TOKEN = "123456:TEST-token"
CHAT = "-1001234567"
UI = "http://127.0.0.1:8080/siaga"
CHANNELS = {"emergency": ["siaga_alerts_telegram", "siaga_alerts_email"]}


@pytest.fixture
def telegram(monkeypatch):
    with FakeTelegram({TOKEN: "kutim_siaga_bot"}) as fake:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_TELEGRAM",
            json.dumps({"conn_type": "telegram", "password": TOKEN, "host": CHAT, "extra": {"base_url": fake.url}}),
        )
        yield fake


@pytest.fixture
def smtp(monkeypatch):
    with FakeSmtp(credentials=("siaga", "rahasia")) as fake:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_EMAIL",
            json.dumps(
                {
                    "conn_type": "smtp",
                    "host": "127.0.0.1",
                    "port": fake.port,
                    "login": "siaga",
                    "password": "rahasia",
                    "extra": {
                        "from_email": "siaga@kutaitimurkab.go.id",
                        "to": ["bpbd@example.org", "pusdalops@example.org"],
                        "disable_ssl": True,
                        "disable_tls": True,
                        "retry_limit": 0,
                        "timeout": 5,
                    },
                }
            ),
        )
        yield fake


@pytest.fixture
def warehouse(warehouse_file):
    return warehouse_file


def run_once(channels=CHANNELS, now: datetime | None = None, **options) -> list:
    """What send_alerts does: prepare, deliver, record; returns deliver's results."""
    messages = prepare_deliveries(
        channels=channels, now=now, ui_base_url=UI, digest_threshold=options.pop("digest_threshold", 10)
    )
    results = deliver(messages, backoff_s=0.0, **options)
    record_deliveries(results, now=now)
    return results


def emails(smtp: FakeSmtp) -> list[tuple[str, str]]:
    return [(message["Subject"], FakeSmtp.text(message)) for message in smtp.messages]


def test_a_new_emergency_reaches_telegram_and_email_exactly_once(warehouse, telegram, smtp):
    add_emergency(1, judul="Kebakaran rumah warga, kontak 0812-3456-7890", posts=3)
    run_once()

    (sent,) = telegram.messages
    assert (sent["token"], sent["chat_id"], sent["parse_mode"]) == (TOKEN, CHAT, "HTML")
    assert sent["text"] == (
        "<b>DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon</b>\n\n"
        "Apa: kebakaran (Kebakaran rumah warga, kontak 0812****7890)\n"
        "Di mana: Desa/Kel. Sepaso, Kec. Bengalon, Kutai Timur (kode wilayah 64.08.09.2001)\n"
        "Sejak: 19 Nov 2026 10.15 WITA\n"
        "Unggahan warga: 3\n"
        "Status: belum diteruskan ke 112\n"
        f"Buka: {UI}/darurat\n"
        f"Draf: {UI}/draf/draft-1"
    )
    ((subject, body),) = emails(smtp)
    assert subject == "DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon"
    assert "Unggahan warga: 3<br>" in body and "0812****7890" in body and "3456" not in body
    assert smtp.envelopes == [("siaga@kutaitimurkab.go.id", ["bpbd@example.org", "pusdalops@example.org"])]
    assert smtp.logins == ["siaga"], "logged in with the Connection's login and password"

    run_once()  # the same hour again
    assert len(telegram.messages) == 1 and len(smtp.messages) == 1, "nothing sent twice"


def test_telegram_429_is_waited_out_as_retry_after_says(warehouse, telegram, smtp):
    add_emergency(1)
    telegram.rate_limit(retry_after=1)
    began = time.monotonic()
    results = run_once()
    assert all(error is None for _, error in results)
    assert time.monotonic() - began >= 1.0, "retry_after was honoured"
    assert [r.path for r in telegram.requests] == [f"/bot{TOKEN}/sendMessage"] * 2
    assert len(telegram.messages) == 1


def test_a_failing_channel_does_not_stop_the_others_and_is_retried_next_run(warehouse, telegram, smtp):
    add_emergency(1)
    add_emergency(2, desa="Sepaso Selatan")
    telegram.fail(502, times=3)  # every try of the first message of this run

    results = run_once(attempts=3)

    failed = [(m.channel, error) for m, error in results if error]
    assert [channel for channel, _ in failed] == ["siaga_alerts_telegram"] * 2
    assert failed[0][1] == "Telegram: NetworkError: Bad Gateway"
    assert failed[1][1].startswith("not tried"), "a channel that failed is left for the next run"
    assert telegram.messages == [] and len(telegram.requests) == 3
    assert len(smtp.messages) == 2, "e-mail went on"
    assert TOKEN not in json.dumps(list_deliveries(), default=str), "no secret in the stored errors"

    run_once()  # the next run: Telegram is back
    assert len(telegram.messages) == 2 and len(smtp.messages) == 2
    assert {d["status"] for d in list_deliveries()} == {"sent"}
    run_once()
    assert len(telegram.messages) == 2 and len(smtp.messages) == 2


def test_an_smtp_server_that_refuses_is_retried_within_the_run(warehouse, telegram, smtp):
    add_emergency(1)
    smtp.refuse(1)  # 451 once
    assert all(error is None for _, error in run_once(attempts=2))
    assert len(smtp.messages) == 1


def test_an_emergency_left_waiting_is_escalated_once_on_every_channel(warehouse, telegram, smtp):
    add_emergency(1)
    opened = datetime.now(UTC)
    run_once(now=opened)
    run_once(now=opened + timedelta(minutes=20))
    assert len(telegram.messages) == 1

    run_once(now=opened + timedelta(minutes=35))
    run_once(now=opened + timedelta(minutes=36))
    run_once(now=opened + timedelta(hours=3))

    assert len(telegram.messages) == 2 and len(smtp.messages) == 2
    escalation = telegram.messages[1]["text"]
    title = "ESKALASI DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon: belum diteruskan ke 112"
    assert escalation.startswith(f"<b>{title}</b>\n\nSudah 35 menit sejak peringatan pertama")
    assert emails(smtp)[1][0] == title


def test_fifty_emergencies_in_one_hour_make_one_digest_per_channel(warehouse, telegram, smtp):
    for n in range(50):
        add_emergency(n, desa=f"Desa Uji {n}", posts=1)
    run_once(digest_threshold=10)

    (digest,) = telegram.messages
    assert digest["text"].startswith("<b>Kutim Siaga: ringkasan 50 peringatan (Darurat 50)</b>")
    assert digest["text"].count("DARURAT KEBAKARAN") == 25 and "dan 25 lainnya" in digest["text"]
    ((subject, body),) = emails(smtp)
    assert subject == "Kutim Siaga: ringkasan 50 peringatan (Darurat 50)"
    assert f"Buka: {UI}/darurat" in body
    run_once(digest_threshold=10)
    assert len(telegram.messages) == 1 and len(smtp.messages) == 1


def test_apprise_connection_posts_to_its_service_url(warehouse, monkeypatch):
    with WebhookReceiver() as hook:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_APPRISE",
            json.dumps({"conn_type": "apprise", "extra": {"config": {"path": hook.url.replace("http://", "json://")}}}),
        )
        add_emergency(1)
        run_once(channels={"emergency": ["siaga_alerts_apprise"]})
        run_once(channels={"emergency": ["siaga_alerts_apprise"]})
    (body,) = hook.bodies
    assert body["title"] == "DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon"
    assert "Di mana: Desa/Kel. Sepaso, Kec. Bengalon, Kutai Timur (kode wilayah 64.08.09.2001)" in body["message"]


def test_apprise_refusal_is_a_failure_not_silence(monkeypatch):
    with WebhookReceiver(status=500) as hook:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_APPRISE",
            json.dumps(
                {"conn_type": "apprise", "extra": {"config": [{"path": hook.url.replace("http://", "json://")}]}}
            ),
        )
        with pytest.raises(AlertDeliveryError, match="refused"):
            send("siaga_alerts_apprise", "judul", "isi")


def test_missing_and_unsupported_connections_are_named(monkeypatch, telegram):
    monkeypatch.delenv("AIRFLOW_CONN_SIAGA_ALERTS_NONE", raising=False)
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_ALERTS_HTTP", json.dumps({"conn_type": "http", "host": "x"}))
    found, missing = available_channels(["siaga_alerts_telegram", "siaga_alerts_none", "siaga_alerts_http"])
    assert (found, missing) == (["siaga_alerts_telegram"], ["siaga_alerts_none", "siaga_alerts_http"])
    with pytest.raises(AlertDeliveryError, match="AIRFLOW_CONN_SIAGA_ALERTS_NONE"):
        send("siaga_alerts_none", "judul", "isi")


def test_a_wrong_bot_token_fails_without_showing_it(monkeypatch, telegram):
    monkeypatch.setenv(
        "AIRFLOW_CONN_SIAGA_ALERTS_TELEGRAM",
        json.dumps(
            {"conn_type": "telegram", "password": "999:WRONG", "host": CHAT, "extra": {"base_url": telegram.url}}
        ),
    )
    with pytest.raises(AlertDeliveryError) as caught:
        send("siaga_alerts_telegram", "judul", "isi")
    assert "999:WRONG" not in str(caught.value)
    assert telegram.messages == []


def test_the_log_channel_only_logs(caplog):
    with caplog.at_level("WARNING"):
        send("log", "DARURAT KEBAKARAN", "Di mana: Sepaso")
    assert "DARURAT KEBAKARAN" in caplog.text and "Sepaso" in caplog.text

"""emergency_watch through Airflow's dag.test() on the bundled sample, its alerts delivered by the
providers to a fake Telegram Bot API and an aiosmtpd server on 127.0.0.1: a digest when the sample's
emergencies all open at once, nothing on a re-run of the same hour, one escalation for emergencies
left waiting, and a channel that was down served by the next run."""

from __future__ import annotations

import json
import os

import pytest

from tests.dags.test_daily_run import WHOLE_SAMPLE, run_dag, task_states
from tests.fakes.fake_smtp import FakeSmtp
from tests.fakes.fake_telegram import FakeTelegram

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

TOKEN = "654321:WATCH-token"
CHAT = "-100777"
EVERY_KIND = ["siaga_alerts_telegram", "siaga_alerts_email"]


@pytest.fixture
def channels(run_env, monkeypatch):
    with FakeTelegram({TOKEN: "kutim_siaga_bot"}) as telegram, FakeSmtp() as smtp:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_TELEGRAM",
            json.dumps({"conn_type": "telegram", "password": TOKEN, "host": CHAT, "extra": {"base_url": telegram.url}}),
        )
        monkeypatch.setenv(
            "AIRFLOW_CONN_SIAGA_ALERTS_EMAIL",
            json.dumps(
                {
                    "conn_type": "smtp",
                    "host": "127.0.0.1",
                    "port": smtp.port,
                    "extra": {
                        "from_email": "siaga@kutaitimurkab.go.id",
                        "to": "bpbd@example.org",
                        "disable_ssl": True,
                        "disable_tls": True,
                        "retry_limit": 0,
                        "timeout": 5,
                    },
                }
            ),
        )
        run_env(
            alerts={
                "channels": {"emergency": EVERY_KIND, "spike": EVERY_KIND, "viral": EVERY_KIND},
                "send_backoff_s": 0,
                "digest_threshold": 10,
            }
        )
        yield telegram, smtp


def events() -> dict[str, int]:
    from warehouse import connect

    with connect() as con:
        return dict(
            con.execute(
                "SELECT stage, count(*) FROM alert_events WHERE suppressed_by IS NULL GROUP BY stage"
            ).fetchall()
        )


def let_time_pass(minutes: int) -> None:
    """As if the alerts had been opened `minutes` earlier (the watch measures waiting on the wall clock)."""
    from warehouse import connect

    with connect(write=True) as con:
        con.execute(f"UPDATE alert_events SET created_at = created_at - INTERVAL {int(minutes)} MINUTE")


def emergencies_waiting() -> int:
    from warehouse import connect

    with connect() as con:
        return con.execute(
            "SELECT count(*) FROM alerts WHERE kind = 'emergency' AND handoff_status = 'pending'"
        ).fetchone()[0]


def test_watch_sends_once_escalates_once_and_a_rerun_sends_nothing(dagbag, channels):
    telegram, smtp = channels
    first = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
    assert str(first.state) == "success", task_states(first)
    opened = events()["opened"]
    waiting = emergencies_waiting()
    assert waiting > 10, "the sample's emergencies open together: more than the digest threshold"
    (digest,) = telegram.messages
    assert digest["chat_id"] == CHAT
    assert digest["text"].startswith(f"<b>Kutim Siaga: ringkasan {opened} peringatan (")
    assert f"Darurat {waiting}" in digest["text"]
    assert [m["Subject"] for m in smtp.messages] == [
        f"Kutim Siaga: ringkasan {opened} peringatan (" + digest["text"].split(" peringatan (", 1)[1].split("</b>")[0]
    ]

    again = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)  # the same hour once more
    assert str(again.state) == "success", task_states(again)
    assert len(telegram.messages) == 1 and len(smtp.messages) == 1, "a re-run of the hour sends nothing"

    let_time_pass(31)
    escalating = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
    assert str(escalating.state) == "success", task_states(escalating)
    assert events()["escalated"] == waiting
    escalation = telegram.messages[1]["text"]
    assert escalation.startswith(f"<b>Kutim Siaga: ringkasan {waiting} peringatan (Eskalasi {waiting})</b>")
    assert escalation.count("ESKALASI DARURAT") == min(waiting, 25)
    assert len(smtp.messages) == 2

    let_time_pass(120)
    run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
    assert len(telegram.messages) == 2 and len(smtp.messages) == 2, "escalated once, then it stops"


def test_a_channel_down_fails_the_task_and_the_next_run_delivers(dagbag, channels, monkeypatch):
    telegram, smtp = channels
    smtp.stop()  # the mail server is down: its port refuses

    down = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
    states = task_states(down)
    assert states[("send_alerts", -1)] == ("failed", 2), "failed, retried once by Airflow, failed"
    assert states[("load", -1)][0] == "success"
    assert len(telegram.messages) == 1, "Telegram got its digest once, not again on the task's retry"

    with FakeSmtp() as back:
        conn = json.loads(os.environ["AIRFLOW_CONN_SIAGA_ALERTS_EMAIL"])
        conn["port"] = back.port
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_ALERTS_EMAIL", json.dumps(conn))
        up = run_dag(dagbag, "emergency_watch", conf=WHOLE_SAMPLE)
        assert str(up.state) == "success", task_states(up)
    (mail,) = back.messages
    assert mail["Subject"].startswith("Kutim Siaga: ringkasan ")
    assert len(telegram.messages) == 1, "nothing new for the channel that had it"

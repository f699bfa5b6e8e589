"""The WhatsApp webhook receiver and the inbox extractor, directly and through real HTTP."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from extractors import whatsapp
from extractors.run import run_source
from tests.fakes.fake_whatsapp import (
    APP_SECRET,
    VERIFY_TOKEN,
    MetaSender,
    delivery,
    encode,
    image_message,
    sign,
    text_message,
)


@pytest.fixture(autouse=True)
def whatsapp_connection(monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_SIAGA_WHATSAPP",
        json.dumps(
            {
                "conn_type": "http",
                "password": APP_SECRET,
                "extra": {"verify_token": VERIFY_TOKEN, "access_token": "unused-here"},
            }
        ),
    )


def window():
    now = datetime.now(UTC)
    return now - timedelta(hours=1), now + timedelta(minutes=1)


def extract(tmp_path, **options):
    start, end = window()
    result = run_source("whatsapp", start, end, tmp_path / "wa.jsonl", **options)
    return result, [json.loads(line) for line in (tmp_path / "wa.jsonl").read_text(encoding="utf-8").splitlines()]


def test_subscription_handshake_echoes_the_challenge_only_for_our_token():
    assert whatsapp.verify_subscription("subscribe", VERIFY_TOKEN, "1158201444") == "1158201444"
    assert whatsapp.verify_subscription("subscribe", "someone-else", "1158201444") is None
    assert whatsapp.verify_subscription("unsubscribe", VERIFY_TOKEN, "1158201444") is None


def test_signed_delivery_lands_in_the_inbox_at_once(tmp_path):
    raw = encode(delivery(text_message("wamid.A", "Air PDAM mati di Teluk Lingga 😭")))
    assert whatsapp.receive_webhook(raw, sign(raw)) == 1
    files = list(whatsapp.inbox_dir().glob("*.jsonl"))
    line = json.loads(files[0].read_text(encoding="utf-8"))
    assert line["body"]["entry"][0]["changes"][0]["value"]["messages"][0]["id"] == "wamid.A"
    assert line["received_at"] and len(line["sha256"]) == 64


@pytest.mark.parametrize("header", [None, "sha256=" + "0" * 64, sign(b"another body"), "sha1=abc"])
def test_forged_or_missing_signature_is_refused_and_nothing_is_kept(header):
    raw = encode(delivery(text_message("wamid.F", "palsu")))
    with pytest.raises(whatsapp.InvalidSignature):
        whatsapp.receive_webhook(raw, header)
    assert not whatsapp.inbox_dir().exists() or not list(whatsapp.inbox_dir().glob("*.jsonl"))


def test_signed_with_another_apps_secret_is_refused():
    raw = encode(delivery(text_message("wamid.F", "palsu")))
    with pytest.raises(whatsapp.InvalidSignature):
        whatsapp.receive_webhook(raw, sign(raw, "not-our-secret"))


def test_redelivered_message_is_written_once_and_media_keeps_caption_and_id(tmp_path):
    first = encode(
        delivery(
            text_message("wamid.A", "Jalan Swarga Bara rusak 😡"),
            image_message("wamid.B", "Foto lubangnya", "MEDIA77"),
        )
    )
    for _ in range(2):  # Meta retries when our answer was late
        whatsapp.receive_webhook(first, sign(first))
    result, lines = extract(tmp_path)
    assert [line["platform_post_id"] for line in lines] == ["wamid.A", "wamid.B"]
    assert lines[1]["text"] == "Foto lubangnya" and lines[1]["media"][0]["id"] == "MEDIA77"
    assert lines[0]["author_name"] == "Siti Rahayu" and "6281234567890" not in json.dumps(lines[0]["author_id"])
    assert result.posts == 2 and result.cursors["inbox"]


def test_signed_body_that_is_not_json_is_kept_and_quarantined(tmp_path):
    raw = b'{"object": "whatsapp_business_account", "entry": [{"id'
    assert whatsapp.receive_webhook(raw, sign(raw)) == 0
    result, lines = extract(tmp_path)
    assert result.quarantined == 1 and lines[0]["raw"] == raw.decode() and "not valid JSON" in lines[0]["reason"]


def test_messages_outside_the_window_wait_for_their_run(tmp_path):
    raw = encode(delivery(text_message("wamid.A", "Banjir Singa Gembara")))
    whatsapp.receive_webhook(raw, sign(raw))
    later = datetime.now(UTC) + timedelta(hours=2)
    result = run_source("whatsapp", later, later + timedelta(hours=1), tmp_path / "none.jsonl")
    assert result.posts == 0


def test_exported_chat_is_imported_with_the_window_run(tmp_path):
    chat = tmp_path / "Chat WhatsApp dengan Forum Warga Bengalon.txt"
    chat.write_text(
        "20/11/26 08.15 - Budi: Listrik padam lagi di Bengalon 😤\n20/11/26 08.16 - Siti: <Media tidak disertakan>\n",
        encoding="utf-8",
    )
    result, lines = extract(tmp_path, chats=[str(chat)])
    assert lines[0]["text"] == "Listrik padam lagi di Bengalon 😤"
    assert lines[0]["source_query"] == "chat:Forum Warga Bengalon"
    assert result.posts == 1 and result.quarantined == 1


@pytest.fixture
def receiver():
    """A tiny web route like the UI's: GET handshake and POST deliveries, calling our two functions."""

    class Route(BaseHTTPRequestHandler):
        def do_GET(self):
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            answer = whatsapp.verify_subscription(
                query.get("hub.mode"), query.get("hub.verify_token"), query.get("hub.challenge")
            )
            self._send(200 if answer is not None else 403, answer or "forbidden")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                count = whatsapp.receive_webhook(body, self.headers.get("X-Hub-Signature-256"))
            except whatsapp.InvalidSignature:
                self._send(401, "invalid signature")
                return
            self._send(200, json.dumps({"received": count}))

        def _send(self, status, text):
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Route)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/siaga/webhooks/whatsapp"
    server.shutdown()
    server.server_close()


def test_webhook_over_real_http_accepts_signed_and_refuses_forged(receiver, tmp_path):
    meta = MetaSender(receiver)
    assert meta.verify(VERIFY_TOKEN).text == "1158201444"
    assert meta.verify("wrong").status_code == 403
    ok = meta.post(delivery(text_message("wamid.H", "Ada buaya di sungai Sangatta 🐊")))
    assert ok.status_code == 200 and ok.json() == {"received": 1}
    assert meta.post(delivery(text_message("wamid.X", "palsu")), secret="attacker").status_code == 401
    assert meta.post(delivery(text_message("wamid.Y", "tanpa tanda tangan")), secret=None).status_code == 401
    _, lines = extract(tmp_path)
    assert [line["platform_post_id"] for line in lines] == ["wamid.H"]


def _deliver_many(prefix: str, count: int) -> None:
    for n in range(count):
        raw = encode(delivery(text_message(f"wamid.{prefix}{n}", f"Laporan {prefix}{n}: air mati 😭")))
        whatsapp.receive_webhook(raw, sign(raw))


def test_two_processes_appending_at_once_leave_every_line_whole(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # like two API server workers
    workers = [context.Process(target=_deliver_many, args=(prefix, 40)) for prefix in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    result, lines = extract(tmp_path)
    assert result.quarantined == 0 and result.posts == 80
    assert {line["platform_post_id"] for line in lines} == {f"wamid.{p}{n}" for p in "AB" for n in range(40)}


# A validly signed body of a shape Meta does not document: each is stored, answered, and at extract
# time quarantined with where it went wrong, while the messages around it still become posts.
UNEXPECTED_SHAPES = {
    "messages is a number": {"entry": [{"changes": [{"value": {"messages": 5}}]}]},
    "entry is a number": {"entry": [5]},
    "changes is text": {"entry": [{"changes": "banyak"}]},
    "value is a list": {"entry": [{"changes": [{"value": [1, 2]}]}]},
    "message type is a list": delivery({"id": "wamid.T", "from": "62811", "type": ["text"], "text": {}}),
    "message context is a number": delivery({**text_message("wamid.C", "Balas ini"), "context": 5, "from": []}),
    "timestamp out of range": delivery(text_message("wamid.Z", "Jam rusak", timestamp=10**30)),
    "lone surrogate in the text": '{"entry":[{"changes":[{"value":{"messages":[{"id":"wamid.S","type":"text",'
    '"text":{"body":"air \\ud800 mati"}}]}}]}]}',
}


@pytest.mark.parametrize("shape", list(UNEXPECTED_SHAPES))
def test_a_signed_delivery_of_an_unexpected_shape_is_kept_and_quarantined_without_stopping_the_source(tmp_path, shape):
    before = encode(delivery(text_message("wamid.A", "Jalan Poros Bengalon amblas")))
    odd = encode(UNEXPECTED_SHAPES[shape])
    after = encode(delivery(text_message("wamid.B", "Lampu jalan mati di Rantau Pulung")))
    counts = [whatsapp.receive_webhook(raw, sign(raw)) for raw in (before, odd, after)]
    assert counts[0] == counts[2] == 1 and counts[1] in (0, 1)
    inbox = [json.loads(line) for f in whatsapp.inbox_dir().glob("*.jsonl") for line in f.open()]
    assert len(inbox) == 3  # the odd one is stored like the others
    result, lines = extract(tmp_path)
    posts = [line["platform_post_id"] for line in lines if not line.get("_quarantine")]
    quarantined = [line for line in lines if line.get("_quarantine")]
    assert posts[0] == "wamid.A" and posts[-1] == "wamid.B" and result.posts == len(posts) == 2
    assert len(quarantined) == result.quarantined >= 1
    assert all(q["reason"] and q["raw"] is not None for q in quarantined)


def test_the_quarantine_reason_says_where_the_delivery_was_unreadable(tmp_path):
    raw = encode(UNEXPECTED_SHAPES["messages is a number"])
    assert whatsapp.receive_webhook(raw, sign(raw)) == 0
    result, lines = extract(tmp_path)
    assert result.posts == 0 and result.quarantined == 1
    assert lines[0]["reason"] == "webhook entry[0].changes[0].value.messages is not a list (got int)"
    assert lines[0]["raw"] == {"messages": 5}


def test_a_body_over_the_limit_is_refused_before_its_signature_and_nothing_is_kept(monkeypatch):
    raw = encode(delivery(text_message("wamid.L", "x" * 2000)))
    monkeypatch.setenv("SIAGA_WHATSAPP_MAX_BODY_BYTES", "1024")
    with pytest.raises(whatsapp.BodyTooLarge, match="over the 1024-byte limit"):
        whatsapp.receive_webhook(raw, sign(raw))
    assert not whatsapp.inbox_dir().exists() or not list(whatsapp.inbox_dir().glob("*.jsonl"))
    monkeypatch.setenv("SIAGA_WHATSAPP_MAX_BODY_BYTES", "lots")
    with pytest.raises(ValueError, match="SIAGA_WHATSAPP_MAX_BODY_BYTES"):
        whatsapp.max_body_bytes()
    monkeypatch.delenv("SIAGA_WHATSAPP_MAX_BODY_BYTES")
    assert whatsapp.max_body_bytes() == 1024 * 1024
    assert whatsapp.receive_webhook(raw, sign(raw)) == 1


def test_a_delivery_that_fails_half_way_is_quarantined_whole_and_none_of_it_is_a_post(tmp_path, monkeypatch):
    """The safety net for a reader fault the shape checks did not foresee: the delivery goes to quarantine
    whole, so its first messages are not also among the posts (one message, one place)."""
    raw = encode(
        delivery(
            text_message("wamid.H1", "Banjir di Sangatta Selatan"), text_message("wamid.H2", "Air sudah masuk rumah")
        )
    )
    assert whatsapp.receive_webhook(raw, sign(raw)) == 2
    readable = whatsapp.iter_webhook

    def fails_after_the_first(body, *args):
        items = readable(body, *args)
        yield next(items)
        raise RuntimeError("reader fault")

    monkeypatch.setattr(whatsapp, "iter_webhook", fails_after_the_first)
    result, lines = extract(tmp_path)
    assert result.posts == 0 and [line.get("_quarantine") for line in lines] == [True]
    assert "delivery could not be read (RuntimeError: reader fault)" in lines[0]["reason"]

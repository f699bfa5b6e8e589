"""The WhatsApp webhook route as Meta (and an attacker) reach it: a bounded body, then the signature;
a signed body of any shape is kept and answered 200 so Meta does not send it again."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.fakes.fake_whatsapp import APP_SECRET, VERIFY_TOKEN, delivery, encode, sign, text_message

REPO = Path(__file__).resolve().parents[2]
URL = "/siaga/webhooks/whatsapp"
MiB = 1024 * 1024


@pytest.fixture
def whatsapp_env(tmp_path, monkeypatch):
    connection = {"conn_type": "http", "password": APP_SECRET, "extra": {"verify_token": VERIFY_TOKEN}}
    env = {
        "AIRFLOW_CONN_SIAGA_WHATSAPP": json.dumps(connection),
        "SIAGA_WHATSAPP_INBOX": str(tmp_path / "inbox"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _inbox(env: dict[str, str]) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(Path(env["SIAGA_WHATSAPP_INBOX"]).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_a_signed_body_of_an_unexpected_shape_is_kept_and_answered_200(client, whatsapp_env):
    raw = encode({"entry": [{"changes": [{"value": {"messages": 5}}]}]})
    response = client.post(URL, content=raw, headers={"X-Hub-Signature-256": sign(raw)})
    assert response.status_code == 200 and response.json() == {"received": 0}
    assert [line["body"] for line in _inbox(whatsapp_env)] == [json.loads(raw)]


def test_a_delivery_lands_while_the_warehouse_is_busy_and_concurrent_ones_each_land_whole(client, whatsapp_env):
    # The inbox is a plain file with its own lock: the webhook does not wait for the UI's warehouse turn.
    from concurrent.futures import ThreadPoolExecutor

    from warehouse import moderation

    def post_one(n: int) -> int:
        raw = encode(delivery(text_message(f"wamid.C{n}", f"lampu jalan padam di gang {n} " * 50)))
        return client.post(URL, content=raw, headers={"X-Hub-Signature-256": sign(raw)}).status_code

    with moderation.exclusive():  # another request of this server holds the warehouse
        assert post_one(0) == 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(post_one, range(1, 25))) == [200] * 24
    wamids = [line["body"]["entry"][0]["changes"][0]["value"]["messages"][0]["id"] for line in _inbox(whatsapp_env)]
    assert sorted(wamids) == sorted(f"wamid.C{n}" for n in range(25))


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(client, whatsapp_env, monkeypatch):
    monkeypatch.setenv("SIAGA_WHATSAPP_MAX_BODY_BYTES", str(64 * 1024))
    big = encode(delivery(text_message("wamid.BIG", "air mati " * 10_000)))
    assert len(big) > 64 * 1024
    declared = client.post(URL, content=big, headers={"X-Hub-Signature-256": sign(big)})
    assert declared.status_code == 413 and "limit 65536 bytes" in declared.json()["detail"]

    def chunks():  # no Content-Length: the route counts what arrives
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = client.post(URL, content=chunks(), headers={"X-Hub-Signature-256": sign(big)})
    assert streamed.status_code == 413
    assert _inbox(whatsapp_env) == []
    small = encode(delivery(text_message("wamid.OK", "Jembatan Kaubun retak")))
    assert client.post(URL, content=small, headers={"X-Hub-Signature-256": sign(small)}).json() == {"received": 1}


SERVER = textwrap.dedent(
    """
    import socket, sys, uvicorn
    from fastapi import FastAPI
    from siaga_ui import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    parent = FastAPI()
    parent.mount("/siaga", create_app())  # as Airflow's API server mounts the plugin
    config = uvicorn.Config(parent, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
    """
)


def _memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def _forged_post(port: int, size: int, chunked: bool) -> tuple[int, int]:
    """POST `size` bytes with a forged signature over a raw socket, as fast as the server takes them;
    stop sending once the server answers. Returns (status, bytes the server let us send)."""
    head = [f"POST {URL} HTTP/1.1", f"Host: 127.0.0.1:{port}", "X-Hub-Signature-256: sha256=" + "0" * 64]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    piece = b"x" * (256 * 1024)
    frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
    sent = 0
    try:
        while sent < size:
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable:
                break  # the answer came before the body was complete
            if writable:
                sock.sendall(frame)
                sent += len(piece)
        if sent >= size and chunked:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server closed the connection after its answer
    answer = b""
    try:
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    except ConnectionResetError:
        pass
    sock.close()
    return int(answer.split()[1]) if answer else 0, sent


@pytest.fixture
def real_server(airflow_env, warehouse_path, whatsapp_env):
    env = os.environ | {"PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'plugins'}"}
    process = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        port = int(process.stdout.readline())
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "server did not start"
                time.sleep(0.1)
        yield process.pid, port
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_100_mb_forged_post_is_refused_with_bounded_server_memory(real_server, capsys):
    pid, port = real_server
    before = _memory_kib(pid)
    results = {}
    for chunked in (False, True):
        status, sent = _forged_post(port, 100 * MiB, chunked=chunked)
        results["chunked" if chunked else "content-length"] = (status, sent)
        assert status == 413
        # The server stopped taking the body near the 1 MiB cap (plus what socket buffers hold).
        assert sent < 24 * MiB
    after = _memory_kib(pid)
    growth_mib = (after["VmHWM"] - before["VmHWM"]) / 1024
    with capsys.disabled():
        print(
            f"\n[webhook 100 MB forged POST] server RSS {before['VmRSS'] / 1024:.1f} -> "
            f"{after['VmRSS'] / 1024:.1f} MiB, peak {before['VmHWM'] / 1024:.1f} -> "
            f"{after['VmHWM'] / 1024:.1f} MiB (+{growth_mib:.1f}); sent before the answer: "
            + ", ".join(f"{k} {status} after {sent / MiB:.2f} MiB" for k, (status, sent) in results.items())
        )
    assert growth_mib < 16  # reading the whole 100 MB body cost +260 MB before the cap

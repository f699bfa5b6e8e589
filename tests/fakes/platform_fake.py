"""A small real HTTP server on 127.0.0.1 for the platform fakes (X, Graph API, Instagram, WhatsApp).

Each fake subclasses `PlatformFake` and answers in its platform's documented format. Tests can queue
`Reply`s in `script` (served first, in order, to requests whose path starts with the reply's
`path_prefix`) to play errors: rate limits, expired tokens, 500s, slow answers, bodies that are not
JSON. Every request is recorded in `requests` so a test can assert exactly what was asked.

Writes (replies to citizens, issue 14) are recorded again in `writes` as `Write`s: method, path, the
parsed body, the auth scheme the client used, the status answered and the id created. Switches shared
by every fake: `delay_next_write(seconds)` applies the next write, then answers only after `seconds`
(longer than the client's timeout: the write happened but the client saw a timeout);
`fail_next_write(reply)` answers the next write with `reply` (a rate limit, a refusal) and applies nothing.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON, str/bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    path_prefix: str = "/"
    content_type: str = "application/json; charset=UTF-8"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def auth_scheme(self) -> str | None:
        """ "OAuth" (1.0a), "Bearer", "access_token" (Graph's query or form field) or None."""
        header = self.headers.get("authorization") or ""
        if header:
            return header.split(" ", 1)[0]
        return "access_token" if "access_token" in self.query else None

    def parsed_body(self) -> Any:
        """The body as the client sent it: JSON, form fields (access token left out), or None."""
        if not self.body:
            return None
        kind = self.headers.get("content-type") or ""
        if "json" in kind:
            return json.loads(self.body)
        if "form-urlencoded" in kind:
            form = {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}
            form.pop("access_token", None)
            return form
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Write:
    """One write a fake received: what a closing note or an assertion needs, never the token."""

    method: str
    path: str
    body: Any
    auth: str | None
    status: int
    created_id: str | None = None


class PlatformFake:
    def __init__(self):
        self.script: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.writes: list[Write] = []
        self.write_delays: deque[float] = deque()
        self.write_errors: deque[Reply] = deque()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> PlatformFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                if body and "form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    query.update({k: v[-1] for k, v in parse_qs(body.decode()).items()})
                seen = Seen(self.command, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body)
                fake.requests.append(seen)
                reply = fake._scripted(parts.path) or fake.handle(seen)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = reply.body
                if isinstance(payload, dict | list):
                    payload = json.dumps(payload, ensure_ascii=False)
                if isinstance(payload, str):
                    payload = payload.encode("utf-8")
                payload = payload or b""
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PlatformFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- answers --------------------------------------------------------------------------------
    def _scripted(self, path: str) -> Reply | None:
        if self.script and path.startswith(self.script[0].path_prefix):
            return self.script.popleft()
        return None

    def handle(self, request: Seen) -> Reply:  # overridden by each fake
        return Reply(404, {"error": "not found"})

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # --- writes ---------------------------------------------------------------------------------
    def delay_next_write(self, seconds: float) -> None:
        """The next accepted write is applied at once but answered only after `seconds`."""
        self.write_delays.append(seconds)

    def fail_next_write(self, reply: Reply) -> None:
        """The next write gets `reply` (recorded, nothing applied); each fake has helpers building it."""
        self.write_errors.append(reply)

    def scripted_write_error(self, request: Seen) -> Reply | None:
        """The queued failure for this write, recorded, or None: a fake's write handler asks first."""
        if not self.write_errors:
            return None
        return self.record_write(request, self.write_errors.popleft())

    def record_write(self, request: Seen, reply: Reply, created_id: str | None = None) -> Reply:
        """Records a write and the answer it gets; an accepted one takes the next queued delay."""
        self.writes.append(
            Write(
                request.method,
                request.path,
                request.parsed_body(),
                request.auth_scheme,
                reply.status,
                created_id,
            )
        )
        if created_id is not None and self.write_delays:
            reply.delay_s = max(reply.delay_s, self.write_delays.popleft())
        return reply


# --- the loopback guard ---------------------------------------------------------------------------
def _is_loopback(host: object) -> bool:
    if not isinstance(host, str) or host in ("localhost", "", socket.gethostname()):
        return isinstance(host, str)
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Refuses every connection or name lookup that is not for this machine, and lists the attempts.

    Wraps `socket.socket.connect`/`connect_ex` and `socket.getaddrinfo` (what every HTTP client uses
    underneath), never a client's internals; a refused attempt raises `ConnectionRefusedError` in the
    caller and stays in the yielded list, so a test can fail even when the code swallowed the error.
    """
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: object) -> None:
        host = address[0] if isinstance(address, tuple) and address else address
        if not _is_loopback(host):
            attempts.append(str(address))
            raise ConnectionRefusedError(f"tests may reach 127.0.0.1 only, not {address!r}")

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        check(host.decode() if isinstance(host, bytes) else host)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
        socket.getaddrinfo = real_getaddrinfo

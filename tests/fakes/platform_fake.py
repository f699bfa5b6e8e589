"""A small real HTTP server on 127.0.0.1 for the platform fakes (X, Graph API, Instagram, WhatsApp).

Each fake subclasses `PlatformFake` and answers in its platform's documented format. Tests can queue
`Reply`s in `script` (served first, in order, to requests whose path starts with the reply's
`path_prefix`) to play errors: rate limits, expired tokens, 500s, slow answers, bodies that are not
JSON. Every request is recorded in `requests` so a test can assert exactly what was asked.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
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


class PlatformFake:
    def __init__(self):
        self.script: deque[Reply] = deque()
        self.requests: list[Seen] = []
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
                seen = Seen(
                    self.command, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body
                )
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
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
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

"""Loopback receivers for alert channels: an HTTP webhook and an SMTP server on 127.0.0.1,
recording what they receive; stopped by the test that starts them."""

from __future__ import annotations

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookReceiver:
    """POST endpoint answering `status`; `received` holds (headers, JSON body) per request."""

    def __init__(self, status: int = 204):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                received.append((dict(self.headers), json.loads(self.rfile.read(length))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def bodies(self) -> list[dict]:
        return [body for _, body in self.received]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class SmtpReceiver:
    """Just enough SMTP (RFC 5321: EHLO, MAIL, RCPT, DATA, QUIT) to accept messages; `messages` holds
    (envelope sender, recipients, raw message text)."""

    def __init__(self):
        messages = self.messages = []

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self):
                self.reply("220 loopback ESMTP")
                sender, rcpts = None, []
                while True:
                    line = self.rfile.readline().decode().rstrip("\r\n")
                    verb = line[:4].upper()
                    if not line or verb == "QUIT":
                        self.reply("221 bye")
                        return
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 loopback")
                    elif verb == "MAIL":
                        sender = line.split(":", 1)[1].strip()
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        rcpts.append(line.split(":", 1)[1].strip())
                        self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        body = []
                        while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                            body.append(data)
                        messages.append((sender, rcpts, "".join(body)))
                        self.reply("250 queued")
                    else:
                        self.reply("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

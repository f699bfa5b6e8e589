"""An SMTP server (aiosmtpd) on 127.0.0.1, port chosen by the system, that keeps what it receives.
`messages` holds email.message.EmailMessage objects with their envelope (`mail_from`, `rcpt_tos`);
`refuse(n)` answers the next n messages with 451 (try again later). With `credentials` (login,
password) it offers AUTH on the plain connection (loopback only) and refuses other logins; `logins`
holds the logins it accepted."""

from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class FakeSmtp:
    def __init__(self, credentials: tuple[str, str] | None = None):
        self.credentials = credentials
        self.logins: list[str] = []
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server = None
        self.port = 0

    def refuse(self, times: int = 1) -> None:
        self.refusals += times

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.credentials == (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ):
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def start(self) -> FakeSmtp:
        # The loop is made and run in its own thread: the main thread may already run one (Playwright's
        # sync API in the browser tests leaves it running), and run_until_complete there would refuse.
        ready, failed = threading.Event(), []

        def serve() -> None:
            loop = self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    loop.create_server(
                        lambda: SMTP(
                            self,
                            hostname="fake-smtp.local",
                            authenticator=self._authenticate if self.credentials else None,
                            auth_require_tls=False,
                        ),
                        "127.0.0.1",
                        0,
                    )
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except Exception as exc:  # reported to the caller below
                failed.append(exc)
                return
            finally:
                ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(timeout=10)
        if failed or not self.port:
            raise RuntimeError(f"fake SMTP server did not start: {failed[0] if failed else 'timeout'}")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
        self._loop = None

    def __enter__(self) -> FakeSmtp:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @staticmethod
    def text(message: EmailMessage) -> str:
        """The message's body as text (the provider sends HTML)."""
        part = message.get_body(preferencelist=("html", "plain"))
        return part.get_content() if part is not None else ""

"""Alerts out to people, through Airflow's notifier providers: one Airflow Connection per channel.

A channel is a Connection named `siaga_alerts_*` (listed per alert kind in config/pipeline.yaml,
`alerts.channels`), of the provider's own connection type:

- `telegram` (apache-airflow-providers-telegram, TelegramHook): `password` the bot token, `host` the
  chat id; extra `base_url` (optional, default https://api.telegram.org) for a local Bot API server.
  The provider's hook always builds `telegram.Bot(token)` with Telegram's address, so this module's
  subclass of it passes the extra's base URL on to python-telegram-bot (`Bot(base_url=...)`).
- `smtp` (apache-airflow-providers-smtp, SmtpHook): `host`, `port`, `login`, `password`; extra
  `from_email`, `to` (a list or "a@x, b@y"), and the provider's own `disable_ssl`, `disable_tls`,
  `timeout`, `retry_limit`.
- `apprise` (apache-airflow-providers-apprise, AppriseHook): extra `config` {"path": "<Apprise URL>"} or a
  list of them: tgram://, mailto://, whatsapp://, slack://, json:// ... one URL per service.

Messages come prepared by `warehouse.alerts.prepare_deliveries` (Bahasa Indonesia, masked); `deliver`
sends each to its channel, tries a channel a few times (honouring Telegram's `retry_after`), and
returns what happened to each, so the warehouse knows what to try again next run. A channel that
fails is not tried again in the same run and never stops the others. The channel `log` is the task
log: with no Connection configured, alerts still reach the log and the warehouse.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)

LOG_CHANNEL = "log"
CHANNEL_PREFIX = "siaga_alerts_"
CONN_TYPES = ("telegram", "smtp", "apprise")
TELEGRAM_API = "https://api.telegram.org"
TELEGRAM_MAX_CHARS = 4096  # sendMessage's limit on `text`


class AlertMessageLike(Protocol):
    channel: str
    title: str
    body: str
    keys: tuple


class AlertDeliveryError(RuntimeError):
    """A channel did not take a message; `retry_after` (seconds) when the service said when to come back."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def get_connection(conn_id: str):
    """The Airflow Connection (metadata database, secrets backend or AIRFLOW_CONN_* variable)."""
    from airflow.sdk import Connection

    try:
        return Connection.get(conn_id)
    except Exception as exc:  # the SDK raises its own not-found error type
        raise AlertDeliveryError(
            f"the Airflow Connection {conn_id!r} is not set; add it (or AIRFLOW_CONN_{conn_id.upper()}) "
            "or remove it from alerts.channels in config/pipeline.yaml"
        ) from exc


def available_channels(conn_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(the Connections that exist and are of a supported type, the ones missing or unusable)."""
    found, missing = [], []
    for conn_id in dict.fromkeys(conn_ids):
        try:
            conn = get_connection(conn_id)
        except AlertDeliveryError:
            missing.append(conn_id)
            continue
        if conn.conn_type in CONN_TYPES:
            found.append(conn_id)
        else:
            log.warning(
                "siaga alerts: Connection %s has conn_type %r; use one of %s",
                conn_id,
                conn.conn_type,
                ", ".join(CONN_TYPES),
            )
            missing.append(conn_id)
    return found, missing


# --- one sender per provider -------------------------------------------------------------------


def _seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def _telegram_text(title: str, body: str) -> str:
    text = f"<b>{html.escape(title)}</b>\n\n{html.escape(body)}"
    if len(text) <= TELEGRAM_MAX_CHARS:
        return text
    return text[: TELEGRAM_MAX_CHARS - 40].rsplit("\n", 1)[0] + "\n... (selengkapnya di UI)"


def _outside_running_loop(function, *args):
    """Call `function` here, or in a short-lived thread when this thread already runs an event loop:
    the Telegram hook uses asyncio.run, which refuses inside a running loop (an async caller, a test
    process whose browser driver keeps one)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def send_telegram(conn_id: str, title: str, body: str) -> None:
    """One sendMessage through the provider's TelegramHook (HTML, as the hook sends by default)."""
    import telegram
    import tenacity
    from airflow.providers.telegram.hooks.telegram import TelegramHook

    class SiagaTelegramHook(TelegramHook):
        """TelegramHook with the Bot API address from the Connection's extra `base_url`."""

        def __init__(self, telegram_conn_id: str):
            extra = self.get_connection(telegram_conn_id).extra_dejson or {}
            self.base_url = str(extra.get("base_url") or TELEGRAM_API).rstrip("/")
            super().__init__(telegram_conn_id=telegram_conn_id)

        def get_conn(self) -> telegram.Bot:
            return telegram.Bot(self.token, base_url=f"{self.base_url}/bot")

    try:
        hook = SiagaTelegramHook(conn_id)  # a new Bot per message: asyncio.run closes its loop each time
    except Exception as exc:
        raise AlertDeliveryError(f"Telegram Connection {conn_id!r} unusable: {exc}") from exc
    # The hook retries every TelegramError five times a second apart; this module retries itself,
    # honouring retry_after, so the hook's own method runs once per try.
    once = TelegramHook.send_message.retry_with(stop=tenacity.stop_after_attempt(1), reraise=True)
    try:
        _outside_running_loop(once, hook, {"text": _telegram_text(title, body)})
    except telegram.error.RetryAfter as exc:
        raise AlertDeliveryError("Telegram: too many requests", retry_after=_seconds(exc.retry_after)) from exc
    except telegram.error.TelegramError as exc:
        raise AlertDeliveryError(f"Telegram: {type(exc).__name__}: {str(exc).replace(hook.token, '***')}") from exc


def _recipients(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return [str(address).strip() for address in value or () if str(address).strip()]


def send_email(conn_id: str, title: str, body: str) -> None:
    """One e-mail through the provider's SmtpHook, to the Connection's extra `to`."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    to = _recipients((get_connection(conn_id).extra_dejson or {}).get("to"))
    if not to:
        raise AlertDeliveryError(f"SMTP Connection {conn_id!r} has no recipients: set extra 'to'")
    content = "<br>\n".join(html.escape(line) for line in body.splitlines())
    try:
        with SmtpHook(smtp_conn_id=conn_id) as hook:
            hook.send_email_smtp(to=to, subject=title, html_content=f"<p>{content}</p>")
    except Exception as exc:  # smtplib, OSError, or the provider's AirflowException
        raise AlertDeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from exc


def send_apprise(conn_id: str, title: str, body: str) -> None:
    """One notification to every Apprise URL of the Connection. The provider's AppriseHook.notify drops
    Apprise's answer, so its configuration is read through the hook and the answer checked here."""
    import apprise
    from airflow.providers.apprise.hooks.apprise import AppriseHook

    hook = AppriseHook(apprise_conn_id=conn_id)
    services = apprise.Apprise()
    try:
        hook.set_config_from_conn(conn=get_connection(conn_id), apprise_obj=services)
    except (KeyError, ValueError, TypeError) as exc:
        raise AlertDeliveryError(f"Apprise Connection {conn_id!r}: extra 'config' is missing or wrong") from exc
    if len(services) == 0:
        raise AlertDeliveryError(f"Apprise Connection {conn_id!r}: no usable service URL in extra 'config'")
    if not services.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT):
        raise AlertDeliveryError(f"Apprise: a service of {conn_id!r} refused the notification (see the log)")


SENDERS: dict[str, Callable[[str, str, str], None]] = {
    "telegram": send_telegram,
    "smtp": send_email,
    "apprise": send_apprise,
}


def send(channel: str, title: str, body: str) -> None:
    """Send one message to one channel; raises AlertDeliveryError when it did not arrive."""
    if channel == LOG_CHANNEL:
        log.warning("siaga alert: %s\n%s", title, body)
        return
    conn_type = get_connection(channel).conn_type
    sender = SENDERS.get(conn_type)
    if sender is None:
        raise AlertDeliveryError(f"Connection {channel!r} has conn_type {conn_type!r}; use {', '.join(CONN_TYPES)}")
    sender(channel, title, body)


def deliver(
    messages: Sequence[AlertMessageLike],
    *,
    attempts: int = 3,
    backoff_s: float = 1.0,
    max_wait_s: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[tuple[AlertMessageLike, str | None]]:
    """Send every message; returns (message, error or None) in the same order.

    A channel gets `attempts` tries per message (waiting `retry_after` when the service says so, at most
    `max_wait_s`, else `backoff_s` doubling); once it has failed, its remaining messages of this run are
    left for the next run, and the other channels go on."""
    results: list[tuple[AlertMessageLike, str | None]] = []
    down: dict[str, str] = {}
    for message in messages:
        if message.channel in down:
            results.append((message, f"not tried: {down[message.channel]}"))
            continue
        error = None
        for attempt in range(1, attempts + 1):
            try:
                send(message.channel, message.title, message.body)
                error = None
                break
            except AlertDeliveryError as exc:
                error = str(exc)
                if attempt == attempts:
                    break
                wait = exc.retry_after if exc.retry_after is not None else backoff_s * 2 ** (attempt - 1)
                log.info(
                    "siaga alerts: %s try %d failed (%s); again in %.1f s",
                    message.channel,
                    attempt,
                    error,
                    min(wait, max_wait_s),
                )
                sleep(min(wait, max_wait_s))
        if error:
            log.warning(
                "siaga alerts: channel %s failed after %d tries: %s; the next run tries again",
                message.channel,
                attempts,
                error,
            )
            down[message.channel] = error
        results.append((message, error))
    return results


class SiagaAlertNotifier(BaseNotifier):
    """Airflow notifier for prepared alert messages: `SiagaAlertNotifier(messages=...)(context)`; the
    outcome per message is in `results` afterwards.

    No template fields on purpose: alert text quotes citizens' posts, which may contain "{{"."""

    template_fields = ()

    def __init__(self, messages: Sequence[AlertMessageLike], **deliver_options: Any):
        super().__init__()
        self.messages = list(messages)
        self.deliver_options = deliver_options
        self.results: list[tuple[AlertMessageLike, str | None]] = []

    def notify(self, context) -> None:
        self.results = deliver(self.messages, **self.deliver_options)

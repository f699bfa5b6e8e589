"""Credentials from Airflow Connections (`siaga_x`, `siaga_facebook`, `siaga_instagram`, `siaga_whatsapp`,
`siaga_lapor`), one hook per platform (`XHook`, ..., `LaporHook`: the one reader of its Connection).

Inside an Airflow task they come from `airflow.sdk.BaseHook.get_connection` (so any secrets backend
works); outside Airflow (the `siaga` command, tests) from the `AIRFLOW_CONN_<ID>` environment variable
that Airflow itself reads, in its JSON or URI form. The secret is never logged or put in a repr.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class MissingCredentials(RuntimeError):
    """No connection with that id: says which variable or Airflow Connection to create."""


@dataclass(frozen=True)
class Credentials:
    conn_id: str
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    host: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    port: int | None = None
    schema: str | None = None
    conn_type: str | None = None


def _env_name(conn_id: str) -> str:
    return f"AIRFLOW_CONN_{conn_id.upper()}"


def parse_connection(conn_id: str, value: str) -> Credentials:
    """An `AIRFLOW_CONN_*` value: JSON (`{"conn_type": ..., "password": ..., "extra": {...}}`) or a URI."""
    value = value.strip()
    if value.startswith("{"):
        data = json.loads(value)
        extra = data.get("extra") or {}
        if isinstance(extra, str):
            extra = json.loads(extra) if extra.strip() else {}
        port = data.get("port")
        return Credentials(
            conn_id,
            data.get("login"),
            data.get("password"),
            data.get("host"),
            extra,
            int(port) if port else None,
            data.get("schema"),
            data.get("conn_type"),
        )
    parts = urlsplit(value)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    extra = json.loads(query["__extra__"]) if "__extra__" in query else query
    return Credentials(
        conn_id,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        parts.hostname,
        extra,
        parts.port,
        unquote(parts.path.lstrip("/")) or None,
        parts.scheme or None,
    )


def _inside_airflow_task() -> bool:
    # The task runner is only imported in the process that runs a task instance.
    return "airflow.sdk.execution_time.task_runner" in sys.modules


class SiagaHook:
    """The one reader of one platform's Connection, shaped like an Airflow hook (`default_conn_name`,
    `conn_name_attr`, `conn_type`, `hook_name`, `get_conn()`), without needing Airflow outside a task."""

    conn_name_attr = "conn_id"
    default_conn_name: str = ""
    conn_type = "generic"
    hook_name = "Kutim Siaga connection"

    def __init__(self, conn_id: str | None = None):
        self.conn_id = conn_id or self.default_conn_name

    def get_conn(self) -> Credentials:
        """The Connection (Airflow inside a task, else `AIRFLOW_CONN_<ID>`); MissingCredentials when absent."""
        return get_credentials(self.conn_id)

    def exists(self) -> bool:
        try:
            self.get_conn()
        except MissingCredentials:
            return False
        return True


class XHook(SiagaHook):
    default_conn_name = "siaga_x"
    hook_name = "X API v2 (password: bearer token)"


class FacebookHook(SiagaHook):
    default_conn_name = "siaga_facebook"
    hook_name = "Facebook Graph API (password: page access token)"


class InstagramHook(SiagaHook):
    default_conn_name = "siaga_instagram"
    hook_name = "Instagram (login, password: session id)"


class WhatsAppHook(SiagaHook):
    default_conn_name = "siaga_whatsapp"
    hook_name = "WhatsApp Cloud API webhook (password: app secret, extra verify_token)"


class LaporHook(SiagaHook):
    default_conn_name = "siaga_lapor"
    conn_type = "http"
    hook_name = "SP4N-LAPOR! (host, password: token, extra: transport, pelapor, ...)"


# platform -> its hook (docs/interfaces.md lists the Connection ids and extras)
HOOKS: dict[str, type[SiagaHook]] = {
    "x": XHook,
    "facebook": FacebookHook,
    "instagram": InstagramHook,
    "whatsapp": WhatsAppHook,
    "lapor": LaporHook,
}


def get_credentials(conn_id: str) -> Credentials:
    """The connection `conn_id`, from Airflow inside a task, else from `AIRFLOW_CONN_<ID>`."""
    value = os.environ.get(_env_name(conn_id))
    if not value and ("airflow" in sys.modules or _inside_airflow_task()):
        # Inside another Airflow process (the API server serving the webhook route): ask Airflow.
        try:
            from airflow.sdk import BaseHook

            conn = BaseHook.get_connection(conn_id)
            return Credentials(
                conn_id,
                conn.login,
                conn.password,
                conn.host,
                conn.extra_dejson or {},
                conn.port,
                conn.schema,
                conn.conn_type,
            )
        except Exception:  # any failure here means "not configured", said below
            pass
    if not value:
        raise MissingCredentials(
            f"no credentials for {conn_id}: create the Airflow Connection {conn_id} or set "
            f"{_env_name(conn_id)} (JSON or URI), with the token or secret in `password`."
        )
    try:
        return parse_connection(conn_id, value)
    except (ValueError, json.JSONDecodeError) as exc:
        raise MissingCredentials(f"{_env_name(conn_id)} is neither valid JSON nor a connection URI") from exc


def require_extra(credentials: Credentials, keys: tuple[str, ...], purpose: str) -> dict[str, str]:
    """The `extra` values `keys` of a connection, or MissingCredentials naming every missing key.

    For what a connection holds beyond its `password`: X's user context for replies (`api_key`,
    `api_secret`, `access_token`, `access_token_secret` of `siaga_x`), WhatsApp's `access_token` and
    `phone_number_id`. The message names keys only, never values.
    """
    extra = credentials.extra or {}
    missing = [key for key in keys if not isinstance(extra.get(key), str) or not extra[key].strip()]
    if missing:
        raise MissingCredentials(
            f"the Airflow Connection {credentials.conn_id} lacks {', '.join(missing)} in `extra`, "
            f"needed for {purpose}: add them (see docs/extractors.md, Replies)"
        )
    return {key: extra[key].strip() for key in keys}

"""`LaporClient`: how a report reaches SP4N-LAPOR!, by its HTTP API or by an export batch.

Both transports answer the same questions for the warehouse's state machine: send this report,
did a report with this key arrive (reconciliation after a crash or timeout), and what is this
ticket's status. The wire format lives in `mapping`; credentials come from the Airflow
Connection `siaga_lapor` (password = token, extra = options), never from code.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

import requests

from core.env import SiagaEnv, env_values
from extractors import credentials
from extractors.lapor import mapping
from extractors.lapor.models import (
    LaporAuthError,
    LaporLookupUnavailable,
    LaporOutcomeUnknown,
    LaporReport,
    LaporRetryableError,
    LaporValidationError,
    Receipt,
    TicketStatus,
)

log = logging.getLogger(__name__)

CONN_ID = credentials.LaporHook.default_conn_name
CONN_ENV = "AIRFLOW_CONN_SIAGA_LAPOR"
DEFAULT_EXPORT_DIR = Path("data") / "exports"


@runtime_checkable
class LaporClient(Protocol):
    """What the state machine needs from a transport."""

    transport: str  # "http" | "export"

    def submit(self, report: LaporReport) -> Receipt:
        """Send one report. Raises LaporValidationError, LaporAuthError, LaporRetryableError
        (incl. LaporOutcomeUnknown when the request may have arrived)."""
        ...

    def lookup(self, idempotency_key: str, transaksi_id: str | None = None) -> Receipt | None:
        """The receipt of a report sent earlier with this key, or None if LAPOR! has none.
        Raises LaporLookupUnavailable when it cannot tell."""
        ...

    def status(self, tracking_id: str) -> TicketStatus:
        """The ticket's status and tindak lanjut."""
        ...


@dataclass(frozen=True)
class LaporSettings:
    """Where and how to reach LAPOR!; built from the connection and the environment."""

    transport: str = "export"
    api_base: str | None = None
    token: str | None = field(default=None, repr=False)
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    export_dir: Path = DEFAULT_EXPORT_DIR
    pelapor: dict = field(default_factory=dict)  # the service's own contact (email, telpon, nama…)


def parse_connection(value: str) -> dict:
    """An Airflow connection in JSON or URI form -> {"host", "password", "extra", ...} (host with its port)."""
    return _as_dict(credentials.parse_connection(CONN_ID, value))


def _as_dict(conn: credentials.Credentials) -> dict:
    host = f"{conn.host}:{conn.port}" if conn.host and conn.port else conn.host
    return {
        "host": host,
        "schema": conn.schema,
        "password": conn.password,
        "extra": conn.extra,
        "conn_type": conn.conn_type,
    }


def _default_export_dir(env: SiagaEnv) -> Path:
    # Beside the warehouse (data/exports by default), not wherever the process happens to run.
    return Path(env.warehouse).parent / "exports"


def settings_from(conn: dict | None, env: dict | None = None) -> LaporSettings:
    """Settings from a parsed connection plus the environment (`SIAGA_LAPOR_API_BASE` wins).

    The transport is the connection's extra `transport`, else `SIAGA_LAPOR_TRANSPORT`, else http
    when an API base is known, else export (the embedded default has no LAPOR! access).
    """
    env = env_values(env)  # SettingsError naming a wrong SIAGA_LAPOR_* variable
    conn = conn or {}
    extra = conn.get("extra") or {}
    api_base = env.lapor_api_base or extra.get("api_base")
    if not api_base and conn.get("host"):
        # Airflow's HTTP connections keep the protocol in `schema`; LAPOR! is reached over https otherwise.
        scheme = conn.get("schema") if conn.get("schema") in ("http", "https") else "https"
        api_base = f"{scheme}://{conn['host']}"
    transport = extra.get("transport") or env.lapor_transport or ("http" if api_base else "export")
    if transport not in ("http", "export"):
        raise ValueError(f"unknown LAPOR! transport {transport!r}: use 'http' or 'export'")
    return LaporSettings(
        transport=transport,
        api_base=api_base.rstrip("/") if api_base else None,
        token=conn.get("password"),
        connect_timeout_s=float(extra.get("connect_timeout_s", env.lapor_connect_timeout_s)),
        read_timeout_s=float(extra.get("read_timeout_s", env.lapor_timeout_s)),
        export_dir=Path(extra.get("export_dir") or env.lapor_export_dir or _default_export_dir(env)),
        pelapor=dict(extra.get("pelapor") or {}),
    )


def settings_from_env(env: dict | None = None) -> LaporSettings:
    """Outside Airflow (the `siaga` command): the connection from `AIRFLOW_CONN_SIAGA_LAPOR`."""
    env = os.environ if env is None else env
    raw = env.get(CONN_ENV)
    return settings_from(parse_connection(raw) if raw else None, env)


def settings_from_airflow() -> LaporSettings:
    """Inside an Airflow task: the `siaga_lapor` connection through its hook (Airflow's secrets chain)."""
    try:
        conn = credentials.LaporHook().get_conn()
    except credentials.MissingCredentials:  # no (readable) connection means export, as before
        log.info("lapor: no %s connection; using settings from the environment", CONN_ID)
        return settings_from(None)
    return settings_from(_as_dict(conn))


def make_client(settings: LaporSettings) -> LaporClient:
    if settings.transport == "http":
        return HttpLaporClient(settings)
    return ExportLaporClient(settings.export_dir)


class HttpLaporClient:
    """The integration API over HTTP (requests), in the format of `mapping`."""

    transport = "http"

    def __init__(self, settings: LaporSettings, session: requests.Session | None = None):
        if not settings.api_base:
            raise ValueError("SIAGA_LAPOR_API_BASE is not set: the http transport needs LAPOR!'s address")
        if not settings.token:
            raise LaporAuthError(
                f"the {CONN_ID} connection has no password (the LAPOR! token); set it in Airflow or in {CONN_ENV}"
            )
        self._settings = settings
        self._session = session or requests.Session()
        self._timeout = (settings.connect_timeout_s, settings.read_timeout_s)

    def _url(self, path: str) -> str:
        return self._settings.api_base + path

    def _raise_for_status(self, response: requests.Response, what: str) -> None:
        code = response.status_code
        if code < 400:
            return
        if code in (401, 403):
            raise LaporAuthError(f"LAPOR! refused the token ({code}) on {what}: check the {CONN_ID} connection")
        if code == 429 or code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise LaporRetryableError(
                f"LAPOR! answered {code} on {what}",
                retry_after_s=float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if code == 409:  # "already have it": an idempotent server's answer to a repeat; look it up
            raise LaporOutcomeUnknown(f"LAPOR! answered 409 (conflict) on {what}")
        if code in (400, 422):
            if what != "addstream":  # our own lookup/status call was refused, not the draft
                raise LaporLookupUnavailable(f"LAPOR! refused the {what} call ({code})")
            raise LaporValidationError(
                mapping.parse_error_reason(response.content, f"LAPOR! menolak laporan (HTTP {code})")
            )
        raise LaporRetryableError(f"LAPOR! answered {code} on {what}")

    def submit(self, report: LaporReport) -> Receipt:
        body = mapping.build_push_body(report, self._settings.token, self._settings.pelapor)
        try:
            response = self._session.post(
                self._url(mapping.PUSH_PATH),
                data=body,
                headers=mapping.push_headers(report),
                timeout=self._timeout,
            )
        except requests.ConnectTimeout as exc:
            raise LaporRetryableError(f"could not connect to LAPOR! ({type(exc).__name__})") from exc
        except requests.ConnectionError as exc:
            # A refused connection sent nothing; a reset mid-request may have. Be safe: unknown.
            raise LaporOutcomeUnknown(f"connection to LAPOR! failed ({type(exc).__name__})") from exc
        except requests.Timeout as exc:
            raise LaporOutcomeUnknown(
                f"LAPOR! did not answer within {self._settings.read_timeout_s:g} s after the report was sent"
            ) from exc
        self._raise_for_status(response, "addstream")
        try:
            return mapping.parse_push_answer(response.content)
        except mapping.MalformedAnswer as exc:
            raise LaporOutcomeUnknown(f"LAPOR!'s answer to addstream is unreadable: {exc}") from exc

    def _get(self, path: str, params: dict, what: str) -> requests.Response:
        try:
            response = self._session.get(
                self._url(path),
                params=params,
                headers={mapping.TOKEN_HEADER: self._settings.token},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise LaporRetryableError(f"{what} at LAPOR! failed ({type(exc).__name__})") from exc
        return response

    def lookup(self, idempotency_key: str, transaksi_id: str | None = None) -> Receipt | None:
        params = {"transaksiid": transaksi_id} if transaksi_id else {"ref": idempotency_key}
        response = self._get(mapping.LOOKUP_PATH, params, "lookup")
        if response.status_code in (404, 405, 501) and b"<" not in response.content[:200]:
            raise LaporLookupUnavailable("LAPOR! offers no lookup by reference at this address")
        if response.status_code == 404:
            return None
        self._raise_for_status(response, "lookup")
        try:
            return mapping.parse_lookup_answer(response.content)
        except mapping.MalformedAnswer as exc:
            raise LaporRetryableError(f"LAPOR!'s lookup answer is unreadable: {exc}") from exc

    def status(self, tracking_id: str) -> TicketStatus:
        response = self._get(mapping.STATUS_PATH, {"trackingid": tracking_id}, "status")
        self._raise_for_status(response, "status")
        try:
            return mapping.parse_status_answer(response.content, tracking_id)
        except mapping.MalformedAnswer as exc:
            raise LaporRetryableError(f"LAPOR!'s status answer for {tracking_id} is unreadable: {exc}") from exc


@dataclass(frozen=True)
class ExportBatch:
    batch_id: str
    csv_path: Path
    json_path: Path
    count: int


class ExportLaporClient:
    """No API access: write batches (CSV for a spreadsheet, JSON for tools) for a LAPOR! admin.

    The JSON file is written last and renamed into place, so its presence means the batch is
    complete: `lookup` answers from it, which is how a crashed export is reconciled.
    """

    transport = "export"

    def __init__(self, export_dir: Path | str = DEFAULT_EXPORT_DIR):
        self.export_dir = Path(export_dir)

    @staticmethod
    def new_batch_id(now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        return f"lapor_batch_{now:%Y%m%dT%H%M%S%f}"

    def write_batch(self, batch_id: str, reports: Sequence[LaporReport]) -> ExportBatch:
        """Both files for `reports` (LaporValidationError, before anything is written, if one is bad)."""
        rows = [mapping.export_row(report) for report in reports]
        self.export_dir.mkdir(parents=True, exist_ok=True)
        csv_path = self.export_dir / f"{batch_id}.csv"
        json_path = self.export_dir / f"{batch_id}.json"
        tmp_csv = csv_path.with_suffix(".csv.tmp")
        with tmp_csv.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
            writer = csv.DictWriter(handle, fieldnames=mapping.EXPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        tmp_csv.replace(csv_path)
        document = {
            "batch_id": batch_id,
            "dibuat": datetime.now(UTC).isoformat(timespec="seconds"),
            "petunjuk": (
                "Masukkan setiap laporan ke SP4N-LAPOR! (lapor.go.id) apa adanya, lalu catat Tracking ID "
                "per kode_referensi dengan `siaga lapor record KODE_REFERENSI TRACKING_ID`."
            ),
            "jumlah": len(rows),
            "laporan": rows,
        }
        tmp_json = json_path.with_suffix(".json.tmp")
        tmp_json.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp_json.replace(json_path)
        return ExportBatch(batch_id, csv_path, json_path, len(rows))

    def submit(self, report: LaporReport) -> Receipt:
        batch_id = self.new_batch_id()
        self.write_batch(batch_id, [report])
        return Receipt(tracking_id=None, transaksi_id=None, export_batch=batch_id)

    def lookup(self, idempotency_key: str, transaksi_id: str | None = None) -> Receipt | None:
        for path in sorted(self.export_dir.glob("lapor_batch_*.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            if any(row.get("kode_referensi") == idempotency_key for row in document.get("laporan", [])):
                return Receipt(tracking_id=None, transaksi_id=None, export_batch=document["batch_id"])
        return None

    def status(self, tracking_id: str) -> TicketStatus:
        raise LaporLookupUnavailable("the export transport cannot ask LAPOR! for a ticket's status")

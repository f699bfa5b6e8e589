"""Every `SIAGA_*` environment variable, declared once with its type, default and meaning.

`setting("warehouse_wait_s")` is how code reads one (cheap: the raw value is validated once and cached);
`check_environment()` validates them all at start (`siaga` does, before any command). A wrong value is a
`SettingsError` naming the variable, what is wrong and what to set; an empty variable counts as unset.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, SecretStr, TypeAdapter, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import SettingsError, error_from

PREFIX = "SIAGA_"
log = logging.getLogger(__name__)


def _url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return value.rstrip("/") if value else value


def _relative_to(value: str | None) -> str | None:
    from datetime import date

    if value is None or value.strip().lower() in ("", "today"):
        return value.strip().lower() if value else value
    date.fromisoformat(value.strip())  # ValueError names the format
    return value.strip()


Url = Annotated[str | None, AfterValidator(_url)]


class SiagaEnv(BaseSettings):
    """The `SIAGA_*` variables. `description` says what to set; docs/deployment.md lists them too."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True, env_ignore_empty=True)

    # files and folders
    warehouse: Path = Field(Path("data/siaga.duckdb"), description="the path of the DuckDB warehouse file")
    config_dir: Path | None = Field(None, description="a folder holding clustering.yaml and ingest.yaml")
    pipeline_config: Path | None = Field(None, description="the path of a pipeline.yaml")
    listening_config: Path | None = Field(None, description="the path of a listening.yaml")
    opd_routing: Path | None = Field(None, description="the path of an opd_routing.yaml")
    ui_config: Path | None = Field(None, description="the path of a ui.yaml")
    staging_dir: Path = Field(Path("data/staging"), description="the folder `siaga extract` writes to")
    reports_dir: Path = Field(Path("data/reports"), description="the folder monthly monev reports go to")
    sample_dir: Path | None = Field(None, description="a folder of raw sample payloads (default data/sample)")
    replay_extra_dir: Path | None = Field(None, description="a folder of normalized-post *.jsonl files")
    whatsapp_inbox: Path = Field(Path("data/inbox/whatsapp"), description="the WhatsApp webhook's inbox folder")
    lapor_export_dir: Path | None = Field(None, description="the folder of LAPOR! export batches")
    # waits and limits
    warehouse_wait_s: float = Field(30.0, ge=0, description="seconds a command waits for the warehouse lock")
    ui_warehouse_wait_s: float | None = Field(None, gt=0, description="seconds a UI request waits for the lock")
    whatsapp_max_body_bytes: int = Field(1 << 20, gt=0, description="the largest webhook body in bytes")
    http_timeout_s: float = Field(20.0, gt=0, description="seconds per platform HTTP request")
    http_retries: int = Field(3, ge=0, description="retries of a failed platform request (a whole number)")
    http_retry_base_s: float = Field(1.0, ge=0, description="seconds of the first retry's backoff")
    extract_budget_s: float = Field(900.0, ge=0, description="seconds one extraction may wait on rate limits")
    lapor_timeout_s: float = Field(30.0, gt=0, description="seconds to wait for LAPOR!'s answer")
    lapor_connect_timeout_s: float = Field(5.0, gt=0, description="seconds to connect to LAPOR!")
    # behaviour
    replay_relative_to: Annotated[str | None, AfterValidator(_relative_to)] = Field(
        None, description="`today` or a date YYYY-MM-DD the replayed sample ends the day before"
    )
    lapor_transport: Literal["http", "export"] | None = Field(None, description="`http` or `export`")
    # where the outside services are (the loopback fakes in tests)
    x_api_base: Url = Field(None, description="the X API's base URL")
    graph_api_base: Url = Field(None, description="the Graph API's base URL")
    instagram_base: Url = Field(None, description="Instagram's base URL")
    lapor_api_base: Url = Field(None, description="SP4N-LAPOR!'s base URL")
    # secrets (never shown)
    author_hash_key: SecretStr | None = Field(None, description="a long random secret for author hashes")
    ui_secret: SecretStr | None = Field(None, description="a long random secret for the UI's CSRF tokens")


FIELDS = SiagaEnv.model_fields
# Variables read by the image and tooling, not by the code: known, so not reported as typos.
OTHER_KNOWN = frozenset({"SIAGA_HOME"})


def variable(name: str) -> str:
    return PREFIX + name.upper()


def _problem(name: str, exc: ValidationError) -> SettingsError:
    var = variable(name)
    hint = FIELDS[name].description or "a valid value"
    return error_from(exc, var, field_name=lambda _: "", fix=f"set it to {hint}, or unset it for the default")


_adapters: dict[str, TypeAdapter] = {}
_cache: dict[tuple[str, str | None], Any] = {}


def _adapter(name: str) -> TypeAdapter:
    adapter = _adapters.get(name)
    if adapter is None:
        info = FIELDS[name]
        kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        adapter = _adapters[name] = TypeAdapter(kind)
    return adapter


def setting(name: str) -> Any:
    """One variable's validated value (its default when unset or empty); raises SettingsError."""
    raw = os.environ.get(variable(name)) or None
    key = (name, raw)
    if key in _cache:
        return _cache[key]
    info = FIELDS[name]
    if raw is None:
        value = info.get_default(call_default_factory=True)
    else:
        try:
            value = _adapter(name).validate_python(raw)
        except ValidationError as exc:
            raise _problem(name, exc) from None
    _cache[key] = value
    return value


def check_environment(environ: dict[str, str] | None = None) -> SiagaEnv:
    """Validate every SIAGA_* variable at once (at start); unknown SIAGA_* names are logged as likely typos."""
    environ = os.environ if environ is None else environ
    known = {variable(n) for n in FIELDS} | OTHER_KNOWN
    for name in sorted(k for k in environ if k.startswith(PREFIX) and k not in known):
        log.warning("%s is not a Kutim Siaga setting; check its spelling (docs/deployment.md lists them)", name)
    for name in FIELDS:
        raw = environ.get(variable(name)) or None
        if raw is not None:
            try:
                _adapter(name).validate_python(raw)
            except ValidationError as exc:
                raise _problem(name, exc) from None
    if environ is os.environ:
        return SiagaEnv()
    values = {n: environ[variable(n)] for n in FIELDS if environ.get(variable(n))}
    return SiagaEnv(**values)


def env_values(environ: dict[str, str] | None = None) -> SiagaEnv:
    """All variables as one typed record: from `environ` when given (tests, a subprocess's env), else the
    process environment. Raises SettingsError naming the first wrong variable."""
    if environ is None:
        return SiagaEnv.model_construct(**{name: setting(name) for name in FIELDS})
    values: dict[str, Any] = {}
    for name in FIELDS:
        raw = environ.get(variable(name)) or None
        if raw is None:
            values[name] = FIELDS[name].get_default(call_default_factory=True)
            continue
        try:
            values[name] = _adapter(name).validate_python(raw)
        except ValidationError as exc:
            raise _problem(name, exc) from None
    return SiagaEnv.model_construct(**values)

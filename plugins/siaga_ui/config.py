"""The UI's settings from config/ui.yaml, typed and validated on load (core.settings: one error style)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from core.env import setting
from core.settings import REPO_CONFIG, SettingsError, SettingsModel, read_yaml, shown, validate

ROLES = ("humas", "moderator")
DEFAULT_PATH = REPO_CONFIG / "ui.yaml"

# The one settings error; the old name stays for call sites written before issue 16.
ConfigError = SettingsError

# Keys an older ui.yaml may still carry, and why they went.
REMOVED_KEYS = {
    "lapor_sla_working_days": "LAPOR!'s SLA clocks (3/5/10 working days) are defined once, in "
    "extractors/lapor/sla.py; delete this line",
}

Role = Literal["humas", "moderator"]


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a positive number")
    return value


Positive = Annotated[float, BeforeValidator(_number), Field(gt=0)]
PositiveWhole = Annotated[int, BeforeValidator(_number), Field(gt=0)]


class UIConfig(SettingsModel):
    roles: dict[str, Role] = Field(default_factory=dict)
    users: dict[str, Role] = Field(default_factory=dict)
    default_role: Role | None = None
    warehouse_wait_s: Positive = 8.0
    page_size: PositiveWhole = 50
    viral_window_hours: PositiveWhole = 24
    trend_days: PositiveWhole = 14
    kecamatan_days: PositiveWhole = 30

    @model_validator(mode="before")
    @classmethod
    def _removed_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in sorted(set(data) & set(REMOVED_KEYS)):
                raise ValueError(f"{key} is no longer a setting: {REMOVED_KEYS[key]}")
        return data

    @field_validator("roles", "users", mode="before")
    @classmethod
    def _keys(cls, value: Any, info: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict) and info.field_name == "roles":
            return {str(k).lower(): v for k, v in value.items()}
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value

    def role_for(self, username: str, airflow_role: str | None) -> str | None:
        """humas, moderator, or None (no access) for an Airflow user."""
        if username in self.users:
            return self.users[username]
        if airflow_role and airflow_role.lower() in self.roles:
            return self.roles[airflow_role.lower()]
        return self.default_role


def parse_config(data: dict, source: str = "config") -> UIConfig:
    if not isinstance(data, dict):
        raise SettingsError(source, None, "expected a mapping at the top level", "write `key: value` lines")
    return validate(
        UIConfig,
        data,
        source,
        hints={
            "roles": f"use one of {ROLES}",
            "users": f"use one of {ROLES}",
            "default_role": f"use one of {ROLES} or null",
        },
    )


@lru_cache(maxsize=1)
def load_config() -> UIConfig:
    """config/ui.yaml (or $SIAGA_UI_CONFIG); $SIAGA_UI_WAREHOUSE_WAIT_S overrides the wait bound."""
    path = Path(setting("ui_config") or DEFAULT_PATH)
    data = read_yaml(path, env_var="SIAGA_UI_CONFIG", empty_ok=True)
    wait = setting("ui_warehouse_wait_s")
    if wait is not None:
        data["warehouse_wait_s"] = wait
    return parse_config(data, shown(path))

"""The UI's settings from config/ui.yaml, validated on load with a clear message."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ROLES = ("humas", "moderator")
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "config" / "ui.yaml"


class ConfigError(ValueError):
    pass


# Keys an older ui.yaml may still carry, and why they went.
REMOVED_KEYS = {
    "lapor_sla_working_days": "LAPOR!'s SLA clocks (3/5/10 working days) are defined once, in "
    "extractors/lapor/sla.py; delete this line",
}


@dataclass(frozen=True)
class UIConfig:
    roles: dict[str, str]
    users: dict[str, str] = field(default_factory=dict)
    default_role: str | None = None
    warehouse_wait_s: float = 8.0
    page_size: int = 50
    viral_window_hours: int = 24
    trend_days: int = 14
    kecamatan_days: int = 30

    def role_for(self, username: str, airflow_role: str | None) -> str | None:
        """humas, moderator, or None (no access) for an Airflow user."""
        if username in self.users:
            return self.users[username]
        if airflow_role and airflow_role.lower() in self.roles:
            return self.roles[airflow_role.lower()]
        return self.default_role


def parse_config(data: dict, source: str = "config") -> UIConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    known = set(UIConfig.__dataclass_fields__)
    removed = sorted(set(data) & set(REMOVED_KEYS))
    if removed:
        raise ConfigError(f"{source}: {removed[0]} is no longer a setting: {REMOVED_KEYS[removed[0]]}")
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{source}: unknown keys {sorted(unknown)}; known keys are {sorted(known)}")
    roles = {str(k).lower(): v for k, v in (data.get("roles") or {}).items()}
    users = {str(k): v for k, v in (data.get("users") or {}).items()}
    for where, mapping in (("roles", roles), ("users", users)):
        for key, role in mapping.items():
            if role not in ROLES:
                raise ConfigError(f"{source}: {where}.{key} is {role!r}; use one of {ROLES}")
    default_role = data.get("default_role")
    if default_role is not None and default_role not in ROLES:
        raise ConfigError(f"{source}: default_role is {default_role!r}; use one of {ROLES} or null")
    values = {k: v for k, v in data.items() if k not in ("roles", "users", "default_role")}
    for key, value in values.items():
        if not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{source}: {key} must be a positive number, got {value!r}")
    return UIConfig(roles=roles, users=users, default_role=default_role, **values)


@lru_cache(maxsize=1)
def load_config() -> UIConfig:
    """config/ui.yaml (or $SIAGA_UI_CONFIG); $SIAGA_UI_WAREHOUSE_WAIT_S overrides the wait bound."""
    path = Path(os.environ.get("SIAGA_UI_CONFIG") or DEFAULT_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(
            f"UI config {path} not found; set SIAGA_UI_CONFIG or restore config/ui.yaml"
        ) from exc
    if os.environ.get("SIAGA_UI_WAREHOUSE_WAIT_S"):
        data["warehouse_wait_s"] = float(os.environ["SIAGA_UI_WAREHOUSE_WAIT_S"])
    return parse_config(data, str(path))

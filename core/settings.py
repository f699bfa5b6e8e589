"""The settings base every folder builds on: one error, one base model, one YAML reader.

Each folder keeps its own typed settings beside the code that uses them (`warehouse/settings.py`,
`extractors/listening.py`, `nlp/routing.py`, `dags/siaga_dag_config.py`, `plugins/siaga_ui/config.py`);
they are pydantic models on `SettingsModel`, read with `load_yaml_model`, and every mistake surfaces as
one `SettingsError` whose message names the file or variable, the field and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

REPO_ROOT = Path(__file__).resolve().parents[1]
REPO_CONFIG = REPO_ROOT / "config"


# libyaml's safe loader when PyYAML was built with it (several times faster: every command reads every file)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SettingsError(ValueError):
    """A setting is missing or wrong: `where` (file or variable): `field`: `problem`; `fix`.

    Called with one argument it carries a whole message (kept for call sites that build their own).
    """

    def __init__(self, where: str, field: str | None = None, problem: str | None = None, fix: str | None = None):
        self.where, self.field, self.problem = where, field, problem
        self.fix = fix or (f"fix it in {where}" if problem is not None else None)
        if problem is None:
            message = where
        else:
            message = f"{where}: {field}: {problem}; {self.fix}" if field else f"{where}: {problem}; {self.fix}"
        super().__init__(message)


class SettingsModel(BaseModel):
    """A typed settings record: unknown keys are refused (a typo must not pass as a default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


def shown(path: Path | str) -> str:
    """A config path as people read it: relative to the repository when it lies inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def read_yaml(path: Path | str, *, env_var: str | None = None, empty_ok: bool = False) -> dict[str, Any]:
    """The mapping in a YAML file; a missing, unreadable or malformed file is a SettingsError."""
    where = shown(path)
    restore = f"restore it from git or point {env_var} at your copy" if env_var else "restore it from git"
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise SettingsError(where, None, "the file is missing", restore) from exc
    except OSError as exc:
        raise SettingsError(where, None, f"cannot read the file ({exc.strerror or exc})", restore) from exc
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise SettingsError(where, None, f"not valid YAML ({detail})", "fix the syntax") from exc
    if data is None and empty_ok:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(
            where,
            None,
            f"must hold a mapping of settings, found {type(data).__name__}",
            "write `key: value` lines at the top level",
        )
    return data


def _field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def error_from(
    exc: ValidationError,
    where: str,
    *,
    field_name: Callable[[str], str] | None = None,
    fix: str | None = None,
    hints: Mapping[str, str] | None = None,
) -> SettingsError:
    """The first problem pydantic found, as one SettingsError naming the field and what to do."""
    first = exc.errors(include_url=False)[0]
    path = _field_path(tuple(first.get("loc") or ()))
    if field_name is not None:
        path = field_name(path)
    message = str(first.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message[:1].lower() + message[1:]
    if first.get("type") == "extra_forbidden":
        return SettingsError(where, path, "not a known setting", fix or "remove it or check its spelling")
    if first.get("type") == "missing":
        return SettingsError(where, path, "missing", fix or f"add it to {where}")
    if "input" in first and first.get("type") not in ("model_type", "dict_type"):
        value = first["input"]
        message = f"{message} (got {value!r})"
    hint = (hints or {}).get(path.split(".")[0])
    return SettingsError(where, path, message, fix or (f"{hint}; fix it in {where}" if hint else None))


def validate(model: type[M], data: Any, where: str, **kwargs: Any) -> M:
    """`model` from `data`, or a SettingsError naming `where`, the field and what to do."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error_from(exc, where, **kwargs) from None


def load_yaml_model(
    path: Path | str,
    model: type[M],
    *,
    env_var: str | None = None,
    empty_ok: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> M:
    """Read and validate one YAML settings file (plus `overrides`, e.g. from the environment)."""
    data = read_yaml(path, env_var=env_var, empty_ok=empty_ok)
    if overrides:
        data = {**data, **overrides}
    return validate(model, data, shown(path))

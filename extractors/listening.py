"""The listening config (config/listening.yaml): who and what to listen to, typed and validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints

from core.env import setting
from core.settings import REPO_CONFIG, SettingsError, SettingsModel, load_yaml_model

# The one settings error; the old name stays for call sites written before issue 16.
ListeningConfigError = SettingsError


@dataclass(frozen=True)
class XQuery:
    key: str
    text: str


class Open(SettingsModel):
    """A section whose further keys are the platform's own (kept as written)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Agency(Open):
    key: Annotated[str, StringConstraints(min_length=1)]
    name: Annotated[str, StringConstraints(min_length=1)]


class FacebookPage(Open):
    id: Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]


class XSettings(Open):
    lang: str = "id"
    max_results: int = Field(100, ge=10, le=100)
    monthly_post_cap: int = Field(10_000, ge=0)
    max_query_length: int = Field(512, ge=32)


class FacebookSettings(Open):
    graph_api_version: str = "v23.0"
    page_limit: int = Field(25, ge=1)
    lookback_days: float = Field(2, ge=0)


class InstagramSettings(Open):
    min_interval_s: float = Field(4.0, ge=0)
    max_pages_per_hashtag: int = Field(3, ge=1)
    profiles: list[str] = Field(default_factory=list)
    fetch_comments: bool = False
    max_media_with_comments: int = Field(20, ge=0)


class ListeningSettings(SettingsModel):
    version: int
    retention_days: int = Field(180, ge=1)
    agencies: list[Agency]
    facebook_pages: list[FacebookPage]
    hashtags: list[str]
    instagram_hashtags: list[str] = Field(default_factory=list)
    places: list[str]
    x: XSettings
    facebook: FacebookSettings
    instagram: InstagramSettings


def config_path() -> Path:
    """`SIAGA_LISTENING_CONFIG`, else config/listening.yaml of the repository."""
    return setting("listening_config") or REPO_CONFIG / "listening.yaml"


def listening_settings(path: Path | None = None) -> ListeningSettings:
    """The typed listening config; raises SettingsError naming the file, the key and what to do."""
    return load_yaml_model(path or config_path(), ListeningSettings, env_var="SIAGA_LISTENING_CONFIG")


def load(path: Path | None = None) -> dict[str, Any]:
    """The listening config as the extractors read it (a plain mapping), validated first."""
    return listening_settings(path).model_dump()


def retention_days(path: Path | None = None) -> int:
    return listening_settings(path).retention_days


def x_handles(config: dict[str, Any]) -> list[str]:
    return [a["x"]["handle"] for a in config["agencies"] if (a.get("x") or {}).get("handle")]


def _quote(term: str) -> str:
    return f'"{term}"' if " " in term else term


def x_queries(config: dict[str, Any]) -> list[XQuery]:
    """Recent-search queries from the config, each within the plan's query length.

    Mentions of the agencies, the hashtags, and the places, each OR-ed and restricted to the language;
    a group too long for one query is split (`mentions-1`, `mentions-2`, ...).
    """
    settings = config["x"]
    suffix = f" lang:{settings.get('lang', 'id')}"
    limit = int(settings.get("max_query_length", 512))
    groups = {
        "mentions": [f"@{h}" for h in x_handles(config)],
        "hashtags": [f"#{t}" for t in config["hashtags"]],
        "places": [_quote(p) for p in config["places"]],
    }
    queries: list[XQuery] = []
    for name, terms in groups.items():
        chunks: list[list[str]] = [[]]
        for term in terms:
            candidate = chunks[-1] + [term]
            if len(f"({' OR '.join(candidate)}){suffix}") > limit and chunks[-1]:
                chunks.append([term])
            else:
                chunks[-1] = candidate
        for number, chunk in enumerate(c for c in chunks if c):
            key = name if len(chunks) == 1 else f"{name}-{number + 1}"
            queries.append(XQuery(key, f"({' OR '.join(chunk)}){suffix}"))
    return queries

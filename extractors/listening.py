"""The listening config (config/listening.yaml): who and what to listen to, validated on load."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class ListeningConfigError(ValueError):
    """The config file is missing something or has a wrong type; the message says which key."""


@dataclass(frozen=True)
class XQuery:
    key: str
    text: str


def config_path() -> Path:
    """`SIAGA_LISTENING_CONFIG`, else config/listening.yaml of the repository."""
    configured = os.environ.get("SIAGA_LISTENING_CONFIG")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "config" / "listening.yaml"


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ListeningConfigError(f"listening config not found: {path}") from exc
    if not isinstance(data, dict):
        raise ListeningConfigError(f"{path}: expected a mapping at the top level")
    for key, kind in (
        ("version", int),
        ("agencies", list),
        ("hashtags", list),
        ("places", list),
        ("facebook_pages", list),
        ("x", dict),
        ("facebook", dict),
        ("instagram", dict),
    ):
        if not isinstance(data.get(key), kind):
            raise ListeningConfigError(f"{path}: `{key}` must be a {kind.__name__}")
    for agency in data["agencies"]:
        if not isinstance(agency, dict) or not agency.get("key") or not agency.get("name"):
            raise ListeningConfigError(f"{path}: every agency needs `key` and `name`: {agency!r}")
    for page in data["facebook_pages"]:
        if not isinstance(page, dict) or not str(page.get("id") or "").isdigit():
            raise ListeningConfigError(f"{path}: every facebook_pages entry needs a numeric `id`: {page!r}")
    return data


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

"""Versioned YAML settings under config/, validated on load with a clear message."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

REPO_CONFIG = Path(__file__).resolve().parents[1] / "config"


def config_dir() -> Path:
    """`SIAGA_CONFIG_DIR`, else the repository's config/ folder."""
    return Path(os.environ.get("SIAGA_CONFIG_DIR") or REPO_CONFIG)


class ConfigError(ValueError):
    """A config file is missing, unreadable or has a wrong value; the message says which."""


def load_yaml(name: str) -> dict:
    path = config_dir() / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path} is missing: restore it from git or set SIAGA_CONFIG_DIR") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of settings, found {type(data).__name__}")
    return data


SIMILARITIES = (
    "same_place_similarity",
    "weak_place_similarity",
    "no_place_similarity",
    "neighbour_similarity",
    "distant_neighbour_similarity",
    "other_category_similarity",
    "duplicate_similarity",
    "follow_up_similarity",
    "lasting_issue_similarity",
)


@dataclass(frozen=True)
class ClusteringSettings:
    window_days: float = 14
    same_place_similarity: float = 0.0
    weak_place_similarity: float = 0.15
    no_place_similarity: float = 0.5
    neighbour_similarity: float = 0.0
    distant_neighbour_similarity: float = 0.0
    other_category_similarity: float = 0.5
    duplicate_similarity: float = 0.8
    follow_up_similarity: float = 0.15
    lasting_issue_similarity: float = 0.3
    max_distance_km: float = 1.0
    km_marker_tolerance: int = 2
    regency_wide_categories: frozenset[str] = frozenset()
    # unordered pairs of categories one problem is often given ({"banjir", "lingkungan_sampah"})
    neighbour_categories: frozenset[frozenset[str]] = frozenset()
    # neighbours that are also two different problems at one place (a broken road and a flood in one desa):
    # they share an issue only on `distant_neighbour_similarity` wording
    distant_neighbour_categories: frozenset[frozenset[str]] = frozenset()
    # categories that say "no category" (lainnya): a neighbour of every category
    open_categories: frozenset[str] = frozenset()
    # words nearly every post we listen to carries ("kutim"): no evidence that two posts agree
    common_words: frozenset[str] = frozenset()

    def neighbours(self, category: str) -> frozenset[str]:
        """Categories a report of `category` may share an issue with on similar wording."""
        if category in self.open_categories:
            return frozenset({"*"})
        pairs = self.neighbour_categories | self.distant_neighbour_categories
        found = {c for pair in pairs if category in pair for c in pair if c != category}
        return frozenset(found | self.open_categories)

    def neighbour_similarity_of(self, category: str, other: str) -> float:
        """What a neighbouring category adds to the wording a report needs."""
        if frozenset((category, other)) in self.distant_neighbour_categories:
            return self.distant_neighbour_similarity
        return self.neighbour_similarity

    @classmethod
    def from_mapping(cls, data: dict, source: str = "clustering settings") -> ClusteringSettings:
        known = {f.name: f for f in fields(cls)}
        unknown = set(data) - set(known) - {"version"}
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        values = {}
        for name, value in data.items():
            if name == "version":
                continue
            if name in ("regency_wide_categories", "open_categories", "common_words"):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{source}: {name} must be a list of words")
                values[name] = frozenset(v.lower() if name == "common_words" else v for v in value)
                continue
            if name in ("neighbour_categories", "distant_neighbour_categories"):
                if not isinstance(value, list) or not all(
                    isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) for c in p) and p[0] != p[1]
                    for p in value
                ):
                    raise ConfigError(f"{source}: {name} must be a list of pairs of two different category names")
                values[name] = frozenset(frozenset(p) for p in value)
                continue
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{source}: {name} must be a non-negative number, got {value!r}")
            values[name] = value
        for name in SIMILARITIES:
            if values.get(name, 0) > 1:
                raise ConfigError(f"{source}: {name} is a similarity between 0 and 1")
        return cls(**values)


@lru_cache(maxsize=1)
def clustering_settings() -> ClusteringSettings:
    return ClusteringSettings.from_mapping(load_yaml("clustering.yaml"), "config/clustering.yaml")


# A source's name as the warehouse stores it in `platform`: a lower-case identifier.
SOURCE_NAME_PATTERN = r"[a-z][a-z0-9_]{0,31}"


@dataclass(frozen=True)
class IngestSettings:
    """What the loader accepts as a post (config/ingest.yaml); anything else is quarantined with the reason."""

    platforms: tuple[str, ...] = ("x", "facebook", "instagram", "whatsapp")
    earliest_post: date = date(2004, 1, 1)
    future_skew_hours: float = 24.0

    @classmethod
    def from_mapping(cls, data: dict, source: str = "ingest settings") -> IngestSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known - {"version"}
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        values: dict = {}
        if "platforms" in data:
            platforms = data["platforms"]
            if (not isinstance(platforms, list) or not platforms
                    or not all(isinstance(p, str) and re.fullmatch(SOURCE_NAME_PATTERN, p) for p in platforms)):
                raise ConfigError(f"{source}: platforms must be a non-empty list of lower-case source names "
                                  f"(letters, digits, _), got {platforms!r}")
            values["platforms"] = tuple(platforms)
        if "earliest_post" in data:
            value = data["earliest_post"]
            try:
                values["earliest_post"] = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError as exc:
                raise ConfigError(f"{source}: earliest_post must be a date (YYYY-MM-DD), got {value!r}") from exc
        if "future_skew_hours" in data:
            value = data["future_skew_hours"]
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{source}: future_skew_hours must be a non-negative number, got {value!r}")
            values["future_skew_hours"] = float(value)
        return cls(**values)


@lru_cache(maxsize=1)
def ingest_settings() -> IngestSettings:
    return IngestSettings.from_mapping(load_yaml("ingest.yaml"), "config/ingest.yaml")

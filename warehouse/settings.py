"""The warehouse's settings: config/clustering.yaml and config/ingest.yaml, typed and validated on load.

Built on `core.settings` (one error, `SettingsError`, naming the file, the field and what to do);
`SIAGA_CONFIG_DIR` points at another folder holding both files.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from core.env import setting
from core.settings import REPO_CONFIG, SettingsError, SettingsModel, load_yaml_model, read_yaml, validate

__all__ = [
    "REPO_CONFIG",
    "ClusteringSettings",
    "ConfigError",
    "IngestSettings",
    "SettingsError",
    "clustering_settings",
    "config_dir",
    "ingest_settings",
    "load_yaml",
]

# The one settings error; the old name stays for call sites written before issue 16.
ConfigError = SettingsError


def config_dir() -> Path:
    """`SIAGA_CONFIG_DIR`, else the repository's config/ folder."""
    return setting("config_dir") or REPO_CONFIG


def load_yaml(name: str) -> dict:
    """The raw mapping of config/`name` (validated as a mapping only)."""
    return read_yaml(config_dir() / name, env_var="SIAGA_CONFIG_DIR")


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
    "unplaced_similarity",
    "detailed_account_similarity",
)

NonNegative = Annotated[float, Field(ge=0, strict=False), BeforeValidator(lambda v: _number(v))]
Similarity = Annotated[float, Field(ge=0, le=1), BeforeValidator(lambda v: _number(v))]


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    return value


def _words(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of words")
    return value


def _pairs(value: Any) -> frozenset[frozenset[str]]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) for c in p) and p[0] != p[1] for p in value
    ):
        raise ValueError("must be a list of pairs of two different category names")
    return frozenset(frozenset(p) for p in value)


Words = Annotated[frozenset[str], BeforeValidator(_words)]
Pairs = Annotated[frozenset[frozenset[str]], BeforeValidator(lambda v: v if isinstance(v, frozenset) else _pairs(v))]


class ClusteringSettings(SettingsModel):
    """config/clustering.yaml: when a report joins an issue (README "Deduplication and issues")."""

    version: int | None = None
    window_days: NonNegative = 14
    same_place_similarity: Similarity = 0.0
    weak_place_similarity: Similarity = 0.15
    no_place_similarity: Similarity = 0.5
    neighbour_similarity: Similarity = 0.0
    distant_neighbour_similarity: Similarity = 0.0
    other_category_similarity: Similarity = 0.5
    duplicate_similarity: Similarity = 0.8
    follow_up_similarity: Similarity = 0.15
    lasting_issue_similarity: Similarity = 0.3
    unplaced_similarity: Similarity = 0.2
    # two detailed accounts (this many wording words each) at one place must share some wording
    detailed_account_words: Annotated[int, Field(ge=1), BeforeValidator(lambda v: _number(v))] = 15
    detailed_account_similarity: Similarity = 0.0
    max_distance_km: NonNegative = 1.0
    km_marker_tolerance: Annotated[int, Field(ge=0), BeforeValidator(lambda v: _number(v))] = 2
    regency_wide_categories: Words = frozenset()
    # problems that cover an area (a flood over several RTs and streets): a street or an RT does not tell two apart
    area_categories: Words = frozenset()
    # unordered pairs of categories one problem is often given ({"banjir", "lingkungan_sampah"})
    neighbour_categories: Pairs = frozenset()
    # neighbours that are also two different problems at one place (a broken road and a flood in one desa):
    # they share an issue only on `distant_neighbour_similarity` wording
    distant_neighbour_categories: Pairs = frozenset()
    # categories that say "no category" (lainnya): a neighbour of every category
    open_categories: Words = frozenset()
    # words nearly every post we listen to carries ("kutim"): no evidence that two posts agree
    common_words: Annotated[Words, AfterValidator(lambda words: frozenset(w.lower() for w in words))] = frozenset()

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
        return validate(cls, data, source)


@lru_cache(maxsize=1)
def clustering_settings() -> ClusteringSettings:
    return load_yaml_model(config_dir() / "clustering.yaml", ClusteringSettings, env_var="SIAGA_CONFIG_DIR")


# A source's name as the warehouse stores it in `platform`: a lower-case identifier.
SOURCE_NAME_PATTERN = r"[a-z][a-z0-9_]{0,31}"


class IngestSettings(SettingsModel):
    """What the loader accepts as a post (config/ingest.yaml); anything else is quarantined with the reason."""

    version: int | None = None
    platforms: tuple[Annotated[str, Field(pattern=f"^{SOURCE_NAME_PATTERN}$")], ...] = Field(
        ("x", "facebook", "instagram", "whatsapp"), min_length=1
    )
    earliest_post: date = date(2004, 1, 1)
    future_skew_hours: NonNegative = 24.0

    @field_validator("platforms", mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise ValueError("must be a non-empty list of lower-case source names (letters, digits, _)")
        return value

    @classmethod
    def from_mapping(cls, data: dict, source: str = "ingest settings") -> IngestSettings:
        return validate(cls, data, source)


@lru_cache(maxsize=1)
def ingest_settings() -> IngestSettings:
    return load_yaml_model(config_dir() / "ingest.yaml", IngestSettings, env_var="SIAGA_CONFIG_DIR")

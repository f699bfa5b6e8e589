"""Which agency (OPD) should act: the routing table in config/opd_routing.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.domain import CATEGORIES
from core.env import setting
from core.settings import REPO_CONFIG, SettingsError, read_yaml, shown

DEFAULT_PATH = REPO_CONFIG / "opd_routing.yaml"

# The one settings error; the old name stays for call sites written before issue 16.
RoutingConfigError = SettingsError


@dataclass(frozen=True, slots=True)
class Rule:
    opd: str
    keywords: frozenset[str] = frozenset()
    landmarks: frozenset[str] = frozenset()
    emergency: bool | None = None

    def matches(self, grams: set[str], landmarks: set[str], is_emergency: bool) -> bool:
        if self.keywords and not (self.keywords & grams):
            return False
        if self.landmarks and not (self.landmarks & landmarks):
            return False
        return self.emergency is None or self.emergency == is_emergency


@dataclass(frozen=True, slots=True)
class RoutingTable:
    defaults: dict[str, str]
    rules: dict[str, tuple[Rule, ...]]

    def route(self, category: str | None, grams: set[str], landmarks: set[str], is_emergency: bool) -> str | None:
        """The OPD for a complaint of `category`, or None when there is no category."""
        if category is None:
            return None
        for rule in self.rules.get(category, ()):
            if rule.matches(grams, landmarks, is_emergency):
                return rule.opd
        return self.defaults.get(category)


def parse(data: dict, source: str = "opd_routing.yaml") -> RoutingTable:
    """Validates the routing data and builds the table; raises SettingsError naming the file and the field."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise SettingsError(source, "categories", "needs a 'categories' mapping", "map each category to its OPD")
    categories = data["categories"]
    missing = [c for c in CATEGORIES if c not in categories]
    if missing:
        raise SettingsError(
            source, "categories", f"categories without a routing: {', '.join(missing)}", "give each a `default` OPD"
        )
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise SettingsError(
            source,
            "categories",
            f"unknown categories: {', '.join(unknown)}",
            f"use the category names of core/domain.py ({', '.join(CATEGORIES)})",
        )
    defaults: dict[str, str] = {}
    rules: dict[str, tuple[Rule, ...]] = {}
    for category, spec in categories.items():
        where = f"categories.{category}"
        if not isinstance(spec, dict) or not spec.get("default"):
            raise SettingsError(
                source,
                f"{where}.default",
                f"category '{category}' needs a 'default' OPD",
                "name the OPD that acts when no rule matches",
            )
        defaults[category] = str(spec["default"])
        parsed = []
        for index, rule in enumerate(spec.get("rules") or []):
            field = f"{where}.rules.{index + 1}"
            if not isinstance(rule, dict) or not rule.get("opd"):
                raise SettingsError(
                    source, field, f"rule {index + 1} of '{category}' needs an 'opd'", "name the OPD the rule routes to"
                )
            if not any(k in rule for k in ("keywords", "landmarks", "emergency")):
                raise SettingsError(
                    source,
                    field,
                    f"rule {index + 1} of '{category}' needs keywords, landmarks or emergency",
                    "say when the rule applies",
                )
            if rule.get("emergency") is not None and not isinstance(rule["emergency"], bool):
                raise SettingsError(source, f"{field}.emergency", "must be true or false", "write true or false")
            parsed.append(
                Rule(
                    opd=str(rule["opd"]),
                    keywords=frozenset(str(k).lower() for k in rule.get("keywords") or ()),
                    landmarks=frozenset(rule.get("landmarks") or ()),
                    emergency=rule.get("emergency"),
                )
            )
        rules[category] = tuple(parsed)
    return RoutingTable(defaults, rules)


@cache
def load(path: str | None = None) -> RoutingTable:
    """The routing table from `path`, $SIAGA_OPD_ROUTING or config/opd_routing.yaml."""
    chosen = Path(path or setting("opd_routing") or DEFAULT_PATH)
    return parse(read_yaml(chosen, env_var="SIAGA_OPD_ROUTING"), shown(chosen))

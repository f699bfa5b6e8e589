"""Which agency (OPD) should act: the routing table in config/opd_routing.yaml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nlp.rules import CATEGORIES

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "opd_routing.yaml"


class RoutingConfigError(ValueError):
    """The routing file is missing a category or has a malformed rule."""


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

    def route(
        self, category: str | None, grams: set[str], landmarks: set[str], is_emergency: bool
    ) -> str | None:
        """The OPD for a complaint of `category`, or None when there is no category."""
        if category is None:
            return None
        for rule in self.rules.get(category, ()):
            if rule.matches(grams, landmarks, is_emergency):
                return rule.opd
        return self.defaults.get(category)


def parse(data: dict, source: str = "opd_routing.yaml") -> RoutingTable:
    """Validates the routing data and builds the table; raises RoutingConfigError with what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise RoutingConfigError(f"{source}: needs a 'categories' mapping")
    categories = data["categories"]
    missing = [c for c in CATEGORIES if c not in categories]
    if missing:
        raise RoutingConfigError(f"{source}: categories without a routing: {', '.join(missing)}")
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise RoutingConfigError(f"{source}: unknown categories: {', '.join(unknown)}")
    defaults: dict[str, str] = {}
    rules: dict[str, tuple[Rule, ...]] = {}
    for category, spec in categories.items():
        if not isinstance(spec, dict) or not spec.get("default"):
            raise RoutingConfigError(f"{source}: category '{category}' needs a 'default' OPD")
        defaults[category] = str(spec["default"])
        parsed = []
        for index, rule in enumerate(spec.get("rules") or []):
            if not isinstance(rule, dict) or not rule.get("opd"):
                raise RoutingConfigError(f"{source}: rule {index + 1} of '{category}' needs an 'opd'")
            if not any(k in rule for k in ("keywords", "landmarks", "emergency")):
                raise RoutingConfigError(
                    f"{source}: rule {index + 1} of '{category}' needs keywords, landmarks or emergency"
                )
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
    chosen = Path(path or os.environ.get("SIAGA_OPD_ROUTING") or DEFAULT_PATH)
    try:
        data = yaml.safe_load(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RoutingConfigError(f"OPD routing file not found: {chosen} (set SIAGA_OPD_ROUTING)") from exc
    return parse(data, str(chosen))

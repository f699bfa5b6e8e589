"""The normalized post: the one record every extractor writes and the warehouse reads.

Field names follow docs/interfaces.md, "Normalized posts". Only `platform`, `platform_post_id` and `text`
are required; `validate_post` fills the optional fields with their empty values and raises
`MalformedPost` (with a reason a moderator can read) for anything the warehouse could not store.
References to other posts (`parent_id`, `shared_from`) are post keys, `"platform:platform_post_id"`,
the same form the warehouse uses for `post_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.env import setting

PLATFORMS = ("x", "facebook", "instagram", "whatsapp")
METRIC_KEYS = ("likes", "shares", "comments", "views")
POST_FIELDS = (
    "platform",
    "platform_post_id",
    "url",
    "author_id",
    "author_name",
    "text",
    "created_at",
    "lang",
    "parent_id",
    "shared_from",
    "metrics",
    "geo",
    "media",
    "source_query",
    "fetched_at",
    "raw",
)
# The keyed hash keeps authors apart without storing their handles or phone numbers. Production sets
# SIAGA_AUTHOR_HASH_KEY (a secret); the demo key only serves the bundled sample.
DEMO_AUTHOR_HASH_KEY = "kutim-siaga-demo-only"


class MalformedPost(ValueError):
    """A raw item that cannot become a post. `reason` says what was wrong, in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Post:
    """One normalized post (see docs/interfaces.md); `to_dict()` is the JSON Lines record."""

    platform: str
    platform_post_id: str
    text: str
    url: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    created_at: str | None = None
    lang: str | None = None
    parent_id: str | None = None
    shared_from: str | None = None
    metrics: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(METRIC_KEYS))
    geo: dict[str, float] | None = None
    media: list[dict[str, Any]] = field(default_factory=list)
    source_query: str | None = None
    fetched_at: str | None = None
    raw: Any = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def post_key(platform: str, platform_post_id: str) -> str:
    return f"{platform}:{platform_post_id}"


_author_key_cache: dict[str, bytes] = {}


def author_hash(platform: str, handle: str | None) -> str | None:
    """Keyed hash (HMAC-SHA256, 16 bytes hex) of a platform's author id or handle; None stays None."""
    if handle is None or handle == "":
        return None
    configured = setting("author_hash_key")
    secret = configured.get_secret_value() if configured else DEMO_AUTHOR_HASH_KEY
    key = _author_key_cache.get(secret)
    if key is None:
        key = _author_key_cache[secret] = secret.encode()
    digest = hmac.new(key, f"{platform}:{handle}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def iso_utc(value: Any) -> str | None:
    """ISO 8601 UTC ('2026-11-20T03:15:00Z') from an ISO string (any offset), epoch seconds or datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            moment = datetime.fromtimestamp(int(text), UTC)
        else:
            # Graph API writes "+0000"; fromisoformat wants "+00:00" before Python 3.12 in some forms.
            if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
                text = f"{text[:-2]}:{text[-2:]}"
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError as exc:
                raise MalformedPost(f"created_at is not an ISO 8601 time: {value!r}") from exc
    else:
        raise MalformedPost(f"created_at has an unknown type: {type(value).__name__}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedPost(f"metrics.{name} is not a number: {value!r}")
    try:
        number = int(value)
    except ValueError as exc:
        raise MalformedPost(f"metrics.{name} is not a number: {value!r}") from exc
    if number < 0:
        raise MalformedPost(f"metrics.{name} is negative: {number}")
    return number


def _optional_str(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise MalformedPost(f"{name} must be text, got {type(value).__name__}")
    return value


def validate_post(record: dict[str, Any]) -> dict[str, Any]:
    """A complete normalized post from `record`, or `MalformedPost(reason)`.

    Ids given as numbers become strings, times become ISO 8601 UTC, missing optional fields get their
    empty value (None, `{likes: None, ...}`, `[]`). Unknown keys are dropped.
    """
    if not isinstance(record, dict):
        raise MalformedPost(f"a post must be a JSON object, got {type(record).__name__}")
    platform = record.get("platform")
    if not isinstance(platform, str) or not platform.strip():
        raise MalformedPost("platform is missing")
    post_id = record.get("platform_post_id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id.strip():
        raise MalformedPost("platform_post_id is missing")
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedPost("text is missing" if text is None else "text must be a string")
    if not text.strip():
        raise MalformedPost("text is empty")

    metrics_in = record.get("metrics") or {}
    if not isinstance(metrics_in, dict):
        raise MalformedPost("metrics must be an object")
    metrics = {name: _count(name, metrics_in.get(name)) for name in METRIC_KEYS}

    geo = record.get("geo")
    if geo is not None:
        try:
            lat, lon = float(geo["lat"]), float(geo["lon"])
        except (TypeError, KeyError, ValueError) as exc:
            raise MalformedPost(f"geo must be {{lat, lon}} numbers, got {geo!r}") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise MalformedPost(f"geo is out of range: lat={lat}, lon={lon}")
        geo = {"lat": lat, "lon": lon}

    media = record.get("media") or []
    if not isinstance(media, list):
        raise MalformedPost("media must be a list")

    return {
        "platform": platform.strip(),
        "platform_post_id": post_id.strip(),
        "url": _optional_str(record, "url"),
        "author_id": _optional_str(record, "author_id"),
        "author_name": _optional_str(record, "author_name"),
        "text": text,
        "created_at": iso_utc(record.get("created_at")),
        "lang": _optional_str(record, "lang"),
        "parent_id": _optional_str(record, "parent_id"),
        "shared_from": _optional_str(record, "shared_from"),
        "metrics": metrics,
        "geo": geo,
        "media": media,
        "source_query": _optional_str(record, "source_query"),
        "fetched_at": iso_utc(record.get("fetched_at")),
        "raw": record.get("raw"),
    }


def quarantine_record(source: str, reason: str, raw: Any, received_at: str | None = None) -> dict[str, Any]:
    """The line an extractor writes instead of a post it could not normalize (see docs/extractors.md).

    `raw` is kept as received: text stays text, parsed JSON stays JSON.
    """
    return {
        "_quarantine": True,
        "source": source,
        "reason": reason,
        "raw": raw,
        "received_at": received_at or iso_utc(datetime.now(UTC)),
    }


def is_quarantine(record: dict[str, Any]) -> bool:
    return bool(record.get("_quarantine"))


def dumps(record: dict[str, Any]) -> str:
    """One JSON Lines line (UTF-8 text kept readable, no trailing newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

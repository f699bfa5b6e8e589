"""What the DAG tests share: the committed pipeline config and a fast-retry variant of it."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
BASE_CONFIG = yaml.safe_load((REPO / "config" / "pipeline.yaml").read_text(encoding="utf-8"))


def write_pipeline_config(path: Path, **overrides) -> Path:
    """The committed config with fast retries (one retry, no delay) and `overrides` on top."""
    config = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    for section in ("daily_ingest", "emergency_watch"):
        config[section].update(retries=1, retry_delay_s=0, backoff_multiplier=0)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key].update(value)
        else:
            config[key] = value
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path

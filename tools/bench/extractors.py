"""Extractors benchmark (`siaga bench --only extractors`, `python -m tools.bench.extractors`): normalization
speed, daily API calls. Tooling: it needs the loopback fakes of tests/fakes, so it runs from the repository.

Throughput: the bundled sample's raw payloads (tweets with their page's includes, Graph posts with
comments, Instagram media, WhatsApp webhook messages), repeated to `n` items, normalized in this one
process (one core). Calls: one daily run of the X, Facebook and Instagram extractors, through their
real clients, against the loopback fakes (tests/fakes) serving the sample shifted to yesterday, with the
listening config; WhatsApp is pushed to us (webhook), so it costs no calls.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from extractors import listening
from extractors.normalize import facebook, instagram, whatsapp, x
from extractors.replay import SAMPLE_ANCHOR, sample_dir


def _raw_items(folder: Path) -> list[tuple[str, Any, Any]]:
    items: list[tuple[str, Any, Any]] = []
    for line in (folder / "x" / "search_recent.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)["response"]
        includes = x.Includes(page.get("includes"))
        items.extend(("x", tweet, includes) for tweet in page.get("data") or ())
    for line in (folder / "facebook" / "page_posts.jsonl").read_text(encoding="utf-8").splitlines():
        items.extend(("facebook", post, None) for post in json.loads(line)["response"]["data"])
    for line in (folder / "instagram" / "media.jsonl").read_text(encoding="utf-8").splitlines():
        items.extend(("instagram", item["node"], None) for item in json.loads(line)["items"])
    for line in (folder / "whatsapp" / "webhooks.jsonl").read_text(encoding="utf-8").splitlines():
        body = json.loads(line)["body"]
        if isinstance(body, dict):
            items.append(("whatsapp", body, None))
    return items


def normalization_throughput(n: int = 50_000) -> dict[str, Any]:
    raw = _raw_items(sample_dir())
    work = (raw * (n // len(raw) + 1))[:n]
    posts = errors = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for platform, item, extra in work:
        if platform == "x":
            try:
                x.normalize_tweet(item, extra, "bench")
                posts += 1
            except x.MalformedPost:
                errors += 1
        elif platform == "facebook":
            for post, _, _ in facebook.iter_post_and_comments(item, "bench"):
                posts += post is not None
                errors += post is None
        elif platform == "instagram":
            try:
                instagram.normalize_media(item, "bench")
                posts += 1
            except instagram.MalformedPost:
                errors += 1
        else:
            for post, _, _ in whatsapp.iter_webhook(item):
                posts += post is not None
                errors += post is None
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "raw_items": n,
        "posts": posts,
        "quarantined": errors,
        "seconds": round(elapsed, 3),
        "posts_per_s": round(posts / elapsed),
        "posts_per_cpu_s": round(posts / cpu) if cpu else None,
        "target_posts_per_s": 20_000,
    }


def _shift_days() -> int:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    return (yesterday - (SAMPLE_ANCHOR - timedelta(days=1))).days


def daily_api_calls() -> dict[str, Any]:
    """One run for yesterday (UTC) per API source against the loopback fakes serving the sample."""
    from extractors.run import run_source
    from tests.fakes.fake_graph import TOKEN as GRAPH_TOKEN
    from tests.fakes.fake_graph import FakeGraph, sample_posts
    from tests.fakes.fake_instagram import SESSION_ID, FakeInstagram, sample_media, sample_profiles
    from tests.fakes.fake_x import TOKEN as X_TOKEN
    from tests.fakes.fake_x import FakeX, sample_data

    days = _shift_days()
    delta = timedelta(days=days)

    def shift(value: str, fmt: str) -> str:
        return (datetime.strptime(value, fmt) + delta).strftime(fmt)

    tweets, users, places = sample_data()
    for tweet in tweets:
        if tweet.get("created_at"):
            tweet["created_at"] = shift(tweet["created_at"], "%Y-%m-%dT%H:%M:%S.000Z")
    posts = sample_posts()
    for items in posts.values():
        for post in items:
            if post.get("created_time"):
                post["created_time"] = shift(post["created_time"], "%Y-%m-%dT%H:%M:%S%z")
    media = sample_media()
    profiles, comments = sample_profiles()
    for number, name in enumerate(listening.load()["instagram"].get("profiles") or ()):
        profiles.setdefault(name, {"id": str(9_000_000 + number), "items": []})  # no posts in the sample
    for node in media + [item for profile in profiles.values() for item in profile["items"]]:
        if isinstance(node.get("taken_at"), int):
            node["taken_at"] += int(delta.total_seconds())

    env = {
        "AIRFLOW_CONN_SIAGA_X": json.dumps({"password": X_TOKEN}),
        "AIRFLOW_CONN_SIAGA_FACEBOOK": json.dumps({"password": GRAPH_TOKEN}),
        "AIRFLOW_CONN_SIAGA_INSTAGRAM": json.dumps(
            {"login": "bench", "password": SESSION_ID, "extra": {"csrftoken": "bench"}}
        ),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    start = datetime.combine(datetime.now(UTC).date() - timedelta(days=1), datetime.min.time(), UTC)
    end = start + timedelta(days=1)
    figures: dict[str, Any] = {"window": [start.isoformat(), end.isoformat()]}
    saved = {k: os.environ.get(k) for k in [*env, "SIAGA_X_API_BASE", "SIAGA_GRAPH_API_BASE", "SIAGA_INSTAGRAM_BASE"]}
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        fx = stack.enter_context(FakeX(tweets, users, places))
        fg = stack.enter_context(FakeGraph(posts))
        fi = stack.enter_context(FakeInstagram({"kutim": media}, profiles=profiles, comments=comments))
        os.environ.update(env, SIAGA_X_API_BASE=fx.url, SIAGA_GRAPH_API_BASE=fg.url, SIAGA_INSTAGRAM_BASE=fi.url)
        try:
            for source in ("x", "facebook", "instagram"):
                result = run_source(source, start, end, Path(tmp) / f"{source}.jsonl", {}, min_interval_s=0)
                figures[source] = {
                    "api_calls": result.api_calls,
                    "posts": result.posts,
                    "quarantined": result.quarantined,
                    "complete": result.complete,
                }
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    figures["whatsapp"] = {"api_calls": 0, "note": "pushed by Meta to the webhook"}
    figures["total_api_calls"] = sum(v["api_calls"] for k, v in figures.items() if isinstance(v, dict))
    return figures


def run(n: int = 50_000) -> dict[str, Any]:
    figures: dict[str, Any] = {"normalization": normalization_throughput(n)}
    figures["daily_run"] = daily_api_calls()
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))

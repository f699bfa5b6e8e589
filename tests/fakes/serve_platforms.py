"""Serve the X, Graph API and Instagram fakes on 127.0.0.1 with the bundled sample, until Ctrl-C.

    .venv/bin/python -m tests.fakes.serve_platforms [--relative-to-today]

Prints the environment a shell (or the demo) needs so that `siaga extract x|facebook|instagram` runs
the real clients against them, and so that the reply posters (`extractors.replies`) post to them: X's
user context in `siaga_x`, WhatsApp's Cloud API token and number in `siaga_whatsapp` (the Cloud API is
served by the Graph fake). `--relative-to-today` shifts the sample so it ends yesterday.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from datetime import UTC, datetime, timedelta

from extractors.replay import SAMPLE_ANCHOR
from tests.fakes import fake_graph, fake_instagram, fake_whatsapp, fake_x


def environment(x_url: str, graph_url: str, instagram_url: str | None = None) -> dict[str, str]:
    """The variables that point the extractors and the reply posters at the fakes, with the test tokens."""
    env = {
        "SIAGA_X_API_BASE": x_url,
        "SIAGA_GRAPH_API_BASE": graph_url,
        "AIRFLOW_CONN_SIAGA_X": json.dumps(
            {"conn_type": "http", "password": fake_x.TOKEN, "extra": fake_x.USER_CONTEXT}
        ),
        "AIRFLOW_CONN_SIAGA_FACEBOOK": json.dumps({"conn_type": "http", "password": fake_graph.TOKEN}),
        "AIRFLOW_CONN_SIAGA_WHATSAPP": json.dumps(fake_whatsapp.CLOUD_CONNECTION),
    }
    if instagram_url:
        env["SIAGA_INSTAGRAM_BASE"] = instagram_url
        env["AIRFLOW_CONN_SIAGA_INSTAGRAM"] = json.dumps(
            {
                "conn_type": "http",
                "login": "demo",
                "password": fake_instagram.SESSION_ID,
                "extra": {"csrftoken": "demo"},
            }
        )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relative-to-today", action="store_true")
    args = parser.parse_args()
    days = (datetime.now(UTC).date() - SAMPLE_ANCHOR).days if args.relative_to_today else 0
    delta = timedelta(days=days)
    tweets, users, places = fake_x.sample_data()
    posts, media = fake_graph.sample_posts(), fake_instagram.sample_media()
    profiles, comments = fake_instagram.sample_profiles()
    if days:
        for tweet in tweets:
            if tweet.get("created_at"):
                moment = datetime.strptime(tweet["created_at"], "%Y-%m-%dT%H:%M:%S.000Z") + delta
                tweet["created_at"] = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for items in posts.values():
            for post in items:
                if post.get("created_time"):
                    moment = datetime.strptime(post["created_time"], "%Y-%m-%dT%H:%M:%S%z") + delta
                    post["created_time"] = moment.strftime("%Y-%m-%dT%H:%M:%S%z")
        for node in media + [item for profile in profiles.values() for item in profile["items"]]:
            if isinstance(node.get("taken_at"), int):
                node["taken_at"] += int(delta.total_seconds())
    fakes = [
        fake_x.FakeX(tweets, users, places).start(),
        fake_graph.FakeGraph(posts).start(),
        fake_instagram.FakeInstagram({"kutim": media}, profiles=profiles, comments=comments).start(),
    ]
    x, graph, instagram = fakes
    env = environment(x.url, graph.url, instagram.url)
    for key, value in env.items():
        print(f"export {key}='{value}'", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    for fake in fakes:
        fake.stop()


if __name__ == "__main__":
    main()

"""Fake X API v2 recent search (`GET /2/tweets/search/recent`), answering as X documents it.

Data: tweets and users (by default the bundled sample's). The query's OR-ed terms are matched against
the text (case-insensitive); `since_id`, `start_time`, `end_time`, `max_results` and `next_token`
work as documented; results come newest first with `includes.users`, `includes.tweets` (referenced)
and `includes.places`. A wrong bearer token gets X's 401 problem document.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.fakes.platform_fake import PlatformFake, Reply, Seen

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "x" / "search_recent.jsonl"
TOKEN = "test-bearer-token"


def sample_data(relative_to_today: bool = False) -> tuple[list[dict], dict[str, dict], list[dict]]:
    """The bundled sample's tweets, users and places; shifted by whole days to end yesterday if asked."""
    days = (datetime.now(UTC).date() - date(2026, 11, 23)).days if relative_to_today else 0
    tweets, users, places = {}, {}, {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        response = json.loads(line)["response"]
        for tweet in response.get("data") or ():
            if tweet.get("id") and tweet.get("text"):
                if days and tweet.get("created_at"):
                    moment = datetime.strptime(tweet["created_at"], "%Y-%m-%dT%H:%M:%S.000Z") + timedelta(
                        days=days
                    )
                    tweet["created_at"] = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
                tweets[tweet["id"]] = tweet
        for user in (response.get("includes") or {}).get("users") or ():
            users[user["id"]] = user
        for place in (response.get("includes") or {}).get("places") or ():
            places[place["id"]] = place
    return list(tweets.values()), users, list(places.values())


def _terms(query: str) -> list[str]:
    inner = query[query.find("(") + 1 : query.rfind(")")] if "(" in query else query
    return [t.strip().strip('"').lower() for t in inner.split(" OR ") if t.strip()]


class FakeX(PlatformFake):
    def __init__(self, tweets=None, users=None, places=None, token: str = TOKEN):
        super().__init__()
        if tweets is None:
            tweets, users, places = sample_data()
        self.tweets = list(tweets)
        self.users = dict(users or {})
        self.places = list(places or [])
        self.token = token

    def handle(self, request: Seen) -> Reply:
        if request.path != "/2/tweets/search/recent":
            return Reply(404, {"title": "Not Found Error", "type": "about:blank", "status": 404})
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Reply(
                401,
                {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
                content_type="application/problem+json",
            )
        q = request.query
        terms = _terms(q.get("query", ""))
        matches = [t for t in self.tweets if not terms or any(term in t["text"].lower() for term in terms)]
        if q.get("since_id"):
            matches = [t for t in matches if int(t["id"]) > int(q["since_id"])]
        if q.get("start_time"):
            matches = [t for t in matches if (t.get("created_at") or "9") >= q["start_time"]]
        if q.get("end_time"):
            matches = [t for t in matches if (t.get("created_at") or "") < q["end_time"]]
        matches.sort(key=lambda t: int(t["id"]), reverse=True)
        size = int(q.get("max_results") or 10)
        offset = (
            int((q.get("next_token") or "")[-6:] or 0) if (q.get("next_token") or "")[-6:].isdigit() else 0
        )
        page = matches[offset : offset + size]
        meta = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + size < len(matches):
            meta["next_token"] = f"b26v89c19zqg8o3f{offset + size:06d}"
        body: dict = {"meta": meta}
        if page:
            body["data"] = page
            by_id = {t["id"]: t for t in self.tweets}
            referenced = [
                by_id[r["id"]] for t in page for r in t.get("referenced_tweets") or () if r["id"] in by_id
            ]
            authors = {t.get("author_id") for t in page + referenced}
            body["includes"] = {"users": [self.users[a] for a in authors if a in self.users]}
            if referenced:
                body["includes"]["tweets"] = referenced
            place_ids = {(t.get("geo") or {}).get("place_id") for t in page}
            places = [p for p in self.places if p["id"] in place_ids]
            if places:
                body["includes"]["places"] = places
        return Reply(200, body)

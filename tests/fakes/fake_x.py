"""Fake X API v2 recent search (`GET /2/tweets/search/recent`), answering as X documents it.

Data: tweets and users (by default the bundled sample's). The query's OR-ed terms are matched against
the text (case-insensitive); `since_id`, `start_time`, `end_time`, `max_results` and `next_token`
work as documented; results come newest first with `includes.users`, `includes.tweets` (referenced)
and `includes.places`. A wrong bearer token gets X's 401 problem document.

Replies (issue 14), with OAuth 1.0a user context (the HMAC-SHA1 signature is checked with the test
consumer and token secrets): `POST /2/tweets` (`{"text", "reply": {"in_reply_to_tweet_id"}}` -> 201
`{"data": {"id", "text", "edit_history_tweet_ids"}}`; a reply to a deleted or unknown tweet and a
duplicate of the account's own text get X's 403 problem documents), `GET /2/users/me` and
`GET /2/users/{id}/tweets` (the account's tweets, newest first, `referenced_tweets`, paged by
`pagination_token`). Switches: `rate_limit_next_write(reset_in_s)`, `delay_next_write(seconds)`,
`delete_tweet(id)`.
"""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from oauthlib.oauth1.rfc5849 import signature

from tests.fakes.platform_fake import PlatformFake, Reply, Seen

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "x" / "search_recent.jsonl"
TOKEN = "test-bearer-token"
# User context (OAuth 1.0a) of the account that replies: what `siaga_x`'s extra holds in tests.
API_KEY = "test-consumer-key"
API_SECRET = "test-consumer-secret"
ACCESS_TOKEN = "1795000000000000001-test-access-token"
ACCESS_TOKEN_SECRET = "test-access-token-secret"
ACCOUNT = {"id": "1795000000000000001", "name": "Kutim Siaga (uji)", "username": "kutimsiaga_uji"}
USER_CONTEXT = {
    "api_key": API_KEY,
    "api_secret": API_SECRET,
    "access_token": ACCESS_TOKEN,
    "access_token_secret": ACCESS_TOKEN_SECRET,
}
TWITTER_EPOCH_MS = 1288834974657


def _problem(status: int, title: str, detail: str) -> Reply:
    body = {"title": title, "type": "about:blank", "status": status, "detail": detail}
    return Reply(status, body, content_type="application/problem+json")


def sample_data(relative_to_today: bool = False) -> tuple[list[dict], dict[str, dict], list[dict]]:
    """The bundled sample's tweets, users and places; shifted by whole days to end yesterday if asked."""
    days = (datetime.now(UTC).date() - date(2026, 11, 23)).days if relative_to_today else 0
    tweets, users, places = {}, {}, {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        response = json.loads(line)["response"]
        for tweet in response.get("data") or ():
            if tweet.get("id") and tweet.get("text"):
                if days and tweet.get("created_at"):
                    moment = datetime.strptime(tweet["created_at"], "%Y-%m-%dT%H:%M:%S.000Z") + timedelta(days=days)
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
        self.account = dict(ACCOUNT)
        self.user_tweets: list[dict] = []  # what the account posted, oldest first
        self.deleted: set[str] = set()
        self._sequence = itertools.count()

    # --- replies --------------------------------------------------------------------------------
    def rate_limit_next_write(self, reset_in_s: float = 30, daily: bool = False) -> None:
        """The next `POST /2/tweets` gets 429 with X's headers; `daily`: the user's 24-hour cap."""
        now = time.time()
        headers = {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "99" if daily else "0",
            "x-rate-limit-reset": str(int(now + (900 if daily else reset_in_s))),
            "x-user-limit-24hour-limit": "17",
            "x-user-limit-24hour-remaining": "0" if daily else "12",
            "x-user-limit-24hour-reset": str(int(now + (reset_in_s if daily else 86000))),
        }
        reply = _problem(429, "Too Many Requests", "Too Many Requests")
        reply.headers = headers
        self.fail_next_write(reply)

    def delete_tweet(self, tweet_id: str) -> None:
        self.deleted.add(str(tweet_id))
        self.tweets = [t for t in self.tweets if t["id"] != str(tweet_id)]

    def _oauth_ok(self, request: Seen) -> bool:
        """The Authorization header is OAuth 1.0a for our consumer and token, correctly signed."""
        header = request.headers.get("authorization") or ""
        if not header.startswith("OAuth "):
            return False
        params = dict(
            signature.collect_parameters(
                headers={"Authorization": header}, exclude_oauth_signature=False, with_realm=False
            )
        )
        if params.get("oauth_consumer_key") != API_KEY or params.get("oauth_token") != ACCESS_TOKEN:
            return False
        if params.get("oauth_signature_method") != "HMAC-SHA1":
            return False
        query = urlencode(request.query) if request.method == "GET" and request.query else ""
        uri = f"http://{request.headers.get('host')}{request.path}" + (f"?{query}" if query else "")
        collected = signature.collect_parameters(
            uri_query=query, headers={"Authorization": header}, exclude_oauth_signature=True, with_realm=False
        )
        base = signature.signature_base_string(
            request.method, signature.base_string_uri(uri), signature.normalize_parameters(collected)
        )
        expected = signature.sign_hmac_sha1(base, API_SECRET, ACCESS_TOKEN_SECRET)
        return signature.safe_string_equals(expected, params.get("oauth_signature", ""))

    def _new_id(self) -> str:
        # A snowflake from the clock, like X's: newer than every sample tweet, increasing.
        millis = int(time.time() * 1000) - TWITTER_EPOCH_MS
        return str((millis << 22) + next(self._sequence) % 4096)

    def _create_tweet(self, request: Seen) -> Reply:
        if not self._oauth_ok(request):
            return self.record_write(request, _problem(401, "Unauthorized", "Unauthorized"))
        failure = self.scripted_write_error(request)
        if failure:
            return failure
        body = request.parsed_body() or {}
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return self.record_write(
                request, _problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
            )
        target = str((body.get("reply") or {}).get("in_reply_to_tweet_id") or "")
        known = {t["id"] for t in self.tweets} | {t["id"] for t in self.user_tweets}
        if target and (target in self.deleted or target not in known):
            return self.record_write(
                request,
                _problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you."),
            )
        if any(t["text"] == text for t in self.user_tweets):
            return self.record_write(
                request, _problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
            )
        tweet_id = self._new_id()
        tweet = {
            "id": tweet_id,
            "text": text,
            "author_id": self.account["id"],
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "edit_history_tweet_ids": [tweet_id],
        }
        if target:
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": target}]
            tweet["in_reply_to_user_id"] = next((t.get("author_id") for t in self.tweets if t["id"] == target), None)
        self.user_tweets.append(tweet)
        data = {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}
        return self.record_write(request, Reply(201, {"data": data}), created_id=tweet_id)

    def _users_tweets(self, request: Seen, user_id: str) -> Reply:
        if user_id != self.account["id"]:
            return Reply(200, {"meta": {"result_count": 0}})
        fields = set((request.query.get("tweet.fields") or "").split(","))
        size = max(5, min(100, int(request.query.get("max_results") or 10)))
        newest_first = list(reversed(self.user_tweets))
        token = request.query.get("pagination_token") or ""
        offset = int(token[-6:]) if token[-6:].isdigit() else 0
        page = newest_first[offset : offset + size]
        data = []
        for tweet in page:
            item = {"id": tweet["id"], "text": tweet["text"], "edit_history_tweet_ids": [tweet["id"]]}
            for name in ("referenced_tweets", "created_at", "author_id", "in_reply_to_user_id"):
                if name in fields and tweet.get(name) is not None:
                    item[name] = tweet[name]
            data.append(item)
        meta: dict = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
            body: dict = {"data": data, "meta": meta}
        else:
            body = {"meta": meta}
        if offset + size < len(newest_first):
            meta["next_token"] = f"7140dibdnow9c7btw4{offset + size:06d}"
        return Reply(200, body)

    def handle(self, request: Seen) -> Reply:
        if request.method == "POST" and request.path == "/2/tweets":
            return self._create_tweet(request)
        if request.path == "/2/users/me" or (request.path.startswith("/2/users/") and request.path.endswith("/tweets")):
            user_context = self._oauth_ok(request)
            if not user_context and request.headers.get("authorization") != f"Bearer {self.token}":
                return _problem(401, "Unauthorized", "Unauthorized")
            if request.path == "/2/users/me":
                if not user_context:  # X: "me" needs a user; an app-only bearer token is forbidden
                    return _problem(
                        403,
                        "Unsupported Authentication",
                        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.",
                    )
                return Reply(200, {"data": dict(self.account)})
            return self._users_tweets(request, request.path.split("/")[3])
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
        offset = int((q.get("next_token") or "")[-6:] or 0) if (q.get("next_token") or "")[-6:].isdigit() else 0
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
            referenced = [by_id[r["id"]] for t in page for r in t.get("referenced_tweets") or () if r["id"] in by_id]
            authors = {t.get("author_id") for t in page + referenced}
            body["includes"] = {"users": [self.users[a] for a in authors if a in self.users]}
            if referenced:
                body["includes"]["tweets"] = referenced
            place_ids = {(t.get("geo") or {}).get("place_id") for t in page}
            places = [p for p in self.places if p["id"] in place_ids]
            if places:
                body["includes"]["places"] = places
        return Reply(200, body)

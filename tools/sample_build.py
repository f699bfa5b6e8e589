"""Writes the bundled sample (data/sample/) in each platform's raw format from `sample_texts`.

Run `python -m tools.sample_build` (from the repository) to regenerate; the output is deterministic (fixed seed) and
committed, so tests and `make run` never need this module. Every post falls in the 14 days before
`SAMPLE_ANCHOR`. See data/sample/README.md for what each file holds.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.domain import WITA_OFFSET as WITA
from tools import sample_texts as T

SAMPLE_ANCHOR = datetime(2026, 11, 23, tzinfo=UTC)
WINDOW_START = SAMPLE_ANCHOR - timedelta(days=14)
TWITTER_EPOCH_MS = 1288834974657

FIRST_NAMES = [
    "Budi",
    "Siti",
    "Rahmat",
    "Nur",
    "Andi",
    "Dewi",
    "Hendra",
    "Rina",
    "Agus",
    "Yuli",
    "Fajar",
    "Ani",
    "Rudi",
    "Wati",
    "Iwan",
    "Sri",
    "Doni",
    "Lina",
    "Eko",
    "Maya",
    "Arif",
    "Fitri",
    "Joko",
    "Ratna",
    "Yusuf",
    "Indah",
    "Bayu",
    "Putri",
    "Hasan",
    "Nanda",
    "Samsul",
    "Erna",
    "Dedi",
    "Lestari",
    "Taufik",
]
LAST_NAMES = [
    "Santoso",
    "Rahayu",
    "Hidayat",
    "Lestari",
    "Saputra",
    "Wulandari",
    "Gunawan",
    "Pratama",
    "Kurniawan",
    "Sari",
    "Setiawan",
    "Nugroho",
    "Hasibuan",
    "Bakri",
    "Lamba",
    "Daeng",
    "Ismail",
    "Tarigan",
]
AGENCY_X = {"id": "1201000000000000001", "username": "PemkabKutim", "name": "Pemkab Kutai Timur"}
FB_PAGES = {
    "pemkab": {"id": "100064000000101", "name": "Pemerintah Kabupaten Kutai Timur"},
    "warga": {"id": "100064000000202", "name": "Info Sangatta dan Sekitarnya"},
}
IG_AGENCY = {"id": "5120000001", "username": "pemkabkutim", "full_name": "Pemkab Kutai Timur"}
WA_BUSINESS = {"display_phone_number": "6281100000000", "phone_number_id": "110000000000001"}
WA_ACCOUNT_ID = "120000000000001"


@dataclass
class Report:
    """One thing someone said, before it becomes a platform payload."""

    text: str
    when: datetime
    kind: str  # incident | outside | notice | chatter
    key: str
    emergency: bool = False
    extras: dict[str, Any] = field(default_factory=dict)


class Builder:
    def __init__(self, seed: int = 4):
        self.rng = random.Random(seed)
        self.seq = 0
        self.people: dict[str, dict[str, str]] = {}

    # --- helpers -------------------------------------------------------------------------------
    def person(self, platform: str) -> dict[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        handle = f"{first.lower()}{self.rng.choice(['', '_'])}{last.lower()[:5]}{self.rng.randint(1, 99)}"
        self.seq += 1
        return {
            "id": str(1_500_000_000_000_000_000 + self.seq * 7919 + self.rng.randint(0, 999)),
            "username": handle,
            "name": f"{first} {last}",
        }

    def when(self, day: int, spread_h: float) -> datetime:
        start = WINDOW_START + timedelta(days=day, hours=self.rng.uniform(0, 14))
        moment = start + timedelta(hours=self.rng.uniform(0, spread_h))
        return min(moment, SAMPLE_ANCHOR - timedelta(minutes=self.rng.randint(5, 600)))

    def snowflake(self, moment: datetime) -> str:
        self.seq += 1
        ms = int(moment.timestamp() * 1000)
        return str(((ms - TWITTER_EPOCH_MS) << 22) | (self.seq % 4096))

    def digits(self, n: int) -> str:
        return str(self.rng.randint(10 ** (n - 1), 10**n - 1))

    # --- reports -------------------------------------------------------------------------------
    def reports(self) -> list[Report]:
        out: list[Report] = []
        for key, _cat, _kec, _desa, emergency, texts in T.INCIDENTS:
            day = self.rng.randint(0, 12)
            for text in texts:
                out.append(Report(text, self.when(day, 10 if emergency else 70), "incident", key, emergency))
        for place, _cat, texts in T.OUTSIDE:
            day = self.rng.randint(0, 13)
            for text in texts:
                out.append(Report(text, self.when(day, 30), "outside", place))
        for who, text in T.NON_COMPLAINTS:
            out.append(
                Report(
                    text,
                    self.when(self.rng.randint(0, 13), 10),
                    "notice" if who == "agency" else "chatter",
                    who,
                )
            )
        return out


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# --- X ---------------------------------------------------------------------------------------------
def build_x(b: Builder, reports: list[Report]) -> list[dict[str, Any]]:
    tweets, users = [], {AGENCY_X["id"]: AGENCY_X}
    originals: list[tuple[dict[str, Any], dict[str, str]]] = []
    for report in reports:
        author = AGENCY_X if report.kind == "notice" else b.person("x")
        users[author["id"]] = author
        tweet = {
            "id": b.snowflake(report.when),
            "text": report.text,
            "author_id": author["id"],
            "created_at": iso(report.when),
            "lang": "in",
            "conversation_id": None,
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": b.rng.randint(0, 12),
                "like_count": b.rng.randint(0, 150),
                "quote_count": 0,
                "bookmark_count": b.rng.randint(0, 5),
                "impression_count": b.rng.randint(80, 9000),
            },
            "entities": _entities(report.text),
            "edit_history_tweet_ids": [],
        }
        tweet["conversation_id"] = tweet["id"]
        tweet["edit_history_tweet_ids"] = [tweet["id"]]
        if report.kind == "incident" and b.rng.random() < 0.3:
            tweet["geo"] = {"place_id": "5f3b2a1c0d9e8f70"}
        tweets.append(tweet)
        originals.append((tweet, author))
        report.extras["x"] = tweet
    # Retweets and quotes of complaints: more reach for the same report, not new reports.
    complaints = [(t, a) for (t, a), r in zip(originals, reports, strict=True) if r.kind == "incident"]
    for tweet, author in b.rng.sample(complaints, 40):
        fan = b.person("x")
        users[fan["id"]] = fan
        moment = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00")) + timedelta(
            minutes=b.rng.randint(3, 600)
        )
        moment = min(moment, SAMPLE_ANCHOR - timedelta(minutes=1))
        text = f"RT @{author['username']}: {tweet['text']}"
        if len(text) > 140:
            text = text[:139] + "…"
        tweet["public_metrics"]["retweet_count"] += 1
        tweets.append(
            {
                "id": b.snowflake(moment),
                "text": text,
                "author_id": fan["id"],
                "created_at": iso(moment),
                "lang": "in",
                "conversation_id": tweet["id"],
                "referenced_tweets": [{"type": "retweeted", "id": tweet["id"]}],
                "public_metrics": {
                    "retweet_count": 0,
                    "reply_count": 0,
                    "like_count": 0,
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": 0,
                },
                "edit_history_tweet_ids": [],
            }
        )
    for tweet, _author in b.rng.sample(complaints, 12):
        fan = b.person("x")
        users[fan["id"]] = fan
        moment = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00")) + timedelta(
            hours=b.rng.randint(1, 20)
        )
        moment = min(moment, SAMPLE_ANCHOR - timedelta(minutes=1))
        tweet["public_metrics"]["quote_count"] += 1
        tweets.append(
            {
                "id": b.snowflake(moment),
                "text": f"{b.rng.choice(T.QUOTE_REACTIONS)} https://t.co/{b.digits(6)}",
                "author_id": fan["id"],
                "created_at": iso(moment),
                "lang": "in",
                "conversation_id": None,
                "referenced_tweets": [{"type": "quoted", "id": tweet["id"]}],
                "public_metrics": {
                    "retweet_count": 0,
                    "reply_count": 0,
                    "like_count": b.rng.randint(0, 30),
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": b.rng.randint(50, 900),
                },
            }
        )
    # Replies to the agency account: a complaint under an announcement.
    notices = [(t, a) for (t, a), r in zip(originals, reports, strict=True) if r.kind == "notice"]
    for tweet, _ in notices[:6]:
        fan = b.person("x")
        users[fan["id"]] = fan
        moment = datetime.fromisoformat(tweet["created_at"].replace("Z", "+00:00")) + timedelta(hours=2)
        moment = min(moment, SAMPLE_ANCHOR - timedelta(minutes=1))
        complaint = b.rng.choice(complaints)[0]["text"]
        tweets.append(
            {
                "id": b.snowflake(moment),
                "text": f"@PemkabKutim {complaint}",
                "author_id": fan["id"],
                "created_at": iso(moment),
                "lang": "in",
                "conversation_id": tweet["id"],
                "in_reply_to_user_id": AGENCY_X["id"],
                "referenced_tweets": [{"type": "replied_to", "id": tweet["id"]}],
                "public_metrics": {
                    "retweet_count": 0,
                    "reply_count": 0,
                    "like_count": b.rng.randint(0, 20),
                    "quote_count": 0,
                    "bookmark_count": 0,
                    "impression_count": b.rng.randint(30, 600),
                },
            }
        )
    # Every optional field missing, and two malformed tweets that must be quarantined.
    moment = SAMPLE_ANCHOR - timedelta(days=3, hours=5)
    tweets.append({"id": b.snowflake(moment), "text": "jalan rusak lagi di sangatta 😩"})
    tweets.append(
        {
            "id": b.snowflake(moment),
            "author_id": AGENCY_X["id"],
            "created_at": iso(moment),
            "public_metrics": {"like_count": 3},
        }
    )  # no text
    tweets.append({"text": "banjir di bengalon, mohon bantuan", "created_at": "kemarin sore"})  # no id, bad time

    tweets.sort(key=lambda t: t.get("created_at") or "", reverse=True)
    place = {
        "id": "5f3b2a1c0d9e8f70",
        "full_name": "Sangatta, Indonesia",
        "country_code": "ID",
        "place_type": "city",
        "geo": {"type": "Feature", "bbox": [117.45, 0.45, 117.62, 0.56]},
    }
    pages, size = [], 25
    queries = [
        "(@PemkabKutim OR #kutim OR #kutaitimur OR #sangatta) lang:id -is:retweet",
        '(Sangatta OR Bengalon OR "Muara Wahau" OR Kaliorang OR Sangkulirang) lang:id',
    ]
    for number, start in enumerate(range(0, len(tweets), size)):
        chunk = tweets[start : start + size]
        query = queries[number % 2]
        _write_x_page(pages, chunk, users, tweets, place, query, number, start + size < len(tweets))
    # The same tweets fetched again by the other query: one row in the warehouse, not two.
    again = [t for t in tweets[5:17] if "text" in t and "id" in t]
    _write_x_page(pages, again, users, tweets, place, queries[1], len(pages), False)
    return pages


def _write_x_page(pages, chunk, users, tweets, place, query, number, more) -> None:
    by_id = {t.get("id"): t for t in tweets}
    referenced = []
    for tweet in chunk:
        for ref in tweet.get("referenced_tweets") or ():
            if ref["id"] in by_id:
                referenced.append(by_id[ref["id"]])
    authors = {t["author_id"] for t in chunk + referenced if t.get("author_id")}
    newest = max((t["created_at"] for t in chunk if (t.get("created_at") or "")[:1].isdigit()), default="")
    meta = {"result_count": len(chunk)}
    ids = [t["id"] for t in chunk if t.get("id")]
    if ids:
        meta.update({"newest_id": max(ids, key=int), "oldest_id": min(ids, key=int)})
    if more:
        meta["next_token"] = f"b26v89c19zqg8o3f{number:04d}"
    includes: dict[str, Any] = {"users": [users[a] for a in sorted(authors) if a in users]}
    if referenced:
        includes["tweets"] = referenced
    if any("geo" in t for t in chunk):
        includes["places"] = [place]
    fetched = datetime.fromisoformat(newest.replace("Z", "+00:00")) + timedelta(hours=1) if newest else SAMPLE_ANCHOR
    pages.append(
        {
            "fetched_at": iso(min(fetched, SAMPLE_ANCHOR)),
            "query": query,
            "response": {"data": chunk, "includes": includes, "meta": meta},
        }
    )


def _entities(text: str) -> dict[str, Any]:
    entities: dict[str, list[dict[str, Any]]] = {}
    for word in text.split():
        clean = word.strip(".,!?:;")
        start = text.find(clean)
        if clean.startswith("#") and len(clean) > 1:
            entities.setdefault("hashtags", []).append({"start": start, "end": start + len(clean), "tag": clean[1:]})
        elif clean.startswith("@") and len(clean) > 1:
            entities.setdefault("mentions", []).append(
                {"start": start, "end": start + len(clean), "username": clean[1:]}
            )
    return entities


# --- Facebook --------------------------------------------------------------------------------------
def build_facebook(b: Builder, reports: list[Report], crossposted: list[Report]) -> list[dict[str, Any]]:
    posts: dict[str, list[dict[str, Any]]] = {"pemkab": [], "warga": []}
    notices = [r for r in reports if r.kind == "notice"]
    for report in notices:
        posts["pemkab"].append(_fb_post(b, FB_PAGES["pemkab"], report.text, report.when, FB_PAGES["pemkab"]))
    # A page's posts edge holds what the page published: the community page relays residents' reports
    # ("Kiriman warga"), word for word when they also tweeted them. Residents speak in the comments.
    citizen = [r for r in reports if r.kind != "notice"]
    for report in citizen:
        b.person("facebook")  # keeps the generator's sequence (ids) stable
        person = FB_PAGES["warga"]
        text = report.text if report.kind != "incident" or b.rng.random() < 0.5 else f"Kiriman warga: {report.text}"
        posts["warga"].append(_fb_post(b, FB_PAGES["warga"], text, report.when, person))
    for report in crossposted:  # the same words the author also tweeted
        b.person("facebook")
        person = FB_PAGES["warga"]
        posts["warga"].append(
            _fb_post(
                b,
                FB_PAGES["warga"],
                report.text,
                report.when + timedelta(minutes=b.rng.randint(2, 90)),
                person,
            )
        )
    # Comments: people adding their own reports under posts about the same problem, and complaints
    # written under the government's announcements.
    for post in posts["warga"][:25]:
        for _ in range(b.rng.randint(0, 3)):
            _fb_comment(
                b,
                post,
                b.rng.choice(
                    [
                        "Betul, di sini juga sama 😤",
                        "Sudah lapor tapi belum ada respon",
                        "Semoga cepat ditangani 🙏",
                        "Tolong pemkab tindaklanjuti",
                        "Di RT kami juga begitu, sudah seminggu",
                    ]
                ),
            )
    incident_texts = [r.text for r in reports if r.kind == "incident"]
    for post in posts["pemkab"][:12]:
        _fb_comment(b, post, "Pak, " + b.rng.choice(incident_texts))
    # Every optional field missing, and malformed items for the quarantine.
    bare_time = SAMPLE_ANCHOR - timedelta(days=2, hours=7)
    posts["warga"].append(
        {
            "id": f"{FB_PAGES['warga']['id']}_{b.digits(16)}",
            "message": "air mati lagi 😩",
            "created_time": graph_time(bare_time),
        }
    )
    posts["warga"].append(
        {
            "id": f"{FB_PAGES['warga']['id']}_{b.digits(16)}",
            "created_time": graph_time(bare_time),
            "attachments": {"data": [{"type": "photo", "media": {"image": {"src": "https://scontent.example/p.jpg"}}}]},
        }
    )
    posts["warga"].append({"message": "Jalan di Kaubun rusak parah", "created_time": graph_time(bare_time)})

    pages = []
    for key, items in posts.items():
        items.sort(key=lambda p: p.get("created_time") or "", reverse=True)
        page = FB_PAGES[key]
        for number, start in enumerate(range(0, len(items), 25)):
            chunk = items[start : start + 25]
            more = start + 25 < len(items)
            paging = {"cursors": {"before": f"QVFIU{number:03d}b", "after": f"QVFIU{number:03d}a"}}
            if more:
                paging["next"] = f"https://graph.facebook.com/v21.0/{page['id']}/posts?after=QVFIU{number:03d}a"
            pages.append(
                {
                    "fetched_at": iso(SAMPLE_ANCHOR - timedelta(hours=2)),
                    "query": f"page:{page['id']}",
                    "page": page,
                    "response": {"data": chunk, "paging": paging},
                }
            )
    # A post fetched twice (the next day's run overlaps): same id, updated reaction count.
    again = json.loads(json.dumps(posts["warga"][3]))
    again["reactions"]["summary"]["total_count"] += 7
    pages.append(
        {
            "fetched_at": iso(SAMPLE_ANCHOR - timedelta(hours=1)),
            "query": f"page:{FB_PAGES['warga']['id']}",
            "page": FB_PAGES["warga"],
            "response": {"data": [again], "paging": {"cursors": {}}},
        }
    )
    return pages


def _fb_post(b: Builder, page: dict[str, str], text: str, moment: datetime, author: dict[str, str]) -> dict[str, Any]:
    post_id = f"{page['id']}_{b.digits(16)}"
    return {
        "id": post_id,
        "message": text,
        "created_time": graph_time(moment),
        "permalink_url": f"https://www.facebook.com/{page['id']}/posts/{post_id.split('_')[1]}",
        "from": {"name": author["name"], "id": author["id"][-15:]},
        "shares": {"count": b.rng.randint(0, 40)},
        "reactions": {
            "data": [],
            "summary": {"total_count": b.rng.randint(0, 300), "viewer_reaction": "NONE"},
        },
        "comments": {
            "data": [],
            "summary": {"order": "chronological", "total_count": 0, "can_comment": True},
        },
    }


def _fb_comment(b: Builder, post: dict[str, Any], text: str) -> None:
    person = b.person("facebook")
    created = datetime.strptime(post["created_time"], "%Y-%m-%dT%H:%M:%S%z") + timedelta(minutes=b.rng.randint(5, 300))
    created = min(created, SAMPLE_ANCHOR - timedelta(minutes=1))
    comment_id = f"{post['id'].split('_')[1]}_{b.digits(15)}"
    post["comments"]["data"].append(
        {
            "id": comment_id,
            "message": text,
            "created_time": graph_time(created),
            "from": {"name": person["name"], "id": person["id"][-15:]},
            "like_count": b.rng.randint(0, 25),
            "comment_count": 0,
            "permalink_url": f"https://www.facebook.com/{post['id']}?comment_id={comment_id.split('_')[1]}",
        }
    )
    post["comments"]["summary"]["total_count"] += 1


# --- Instagram -------------------------------------------------------------------------------------
def build_instagram(b: Builder, reports: list[Report]) -> list[dict[str, Any]]:
    hashtag_items, profile_items = [], []
    for report in reports:
        if report.kind == "notice":
            node = _ig_graphql_node(b, report.text + "\n\n#kutim #kutaitimur #pemkabkutim", report.when, IG_AGENCY)
            profile_items.append({"node": node, "comments": []})
        else:
            tags = " #kutim #sangatta" if report.kind != "outside" else ""
            hashtag_items.append({"node": _ig_app_media(b, report.text + tags, report.when), "comments": []})
    incident_texts = [r.text for r in reports if r.kind == "incident"]
    for item in profile_items[:10]:
        node = item["node"]
        person = b.person("instagram")
        created = datetime.fromtimestamp(node["taken_at_timestamp"], UTC) + timedelta(hours=b.rng.randint(1, 8))
        created = min(created, SAMPLE_ANCHOR - timedelta(minutes=1))
        item["comments"].append(
            {
                "id": b.digits(17),
                "text": "Min, " + b.rng.choice(incident_texts),
                "created_at": int(created.timestamp()),
                "owner": {"id": person["id"][-10:], "username": person["username"], "is_verified": False},
                "edge_liked_by": {"count": b.rng.randint(0, 40)},
            }
        )
    bare = SAMPLE_ANCHOR - timedelta(days=4)
    hashtag_items.append(
        {
            "node": {
                "pk": b.digits(19),
                "caption": {"text": "Sungai Sangatta meluap lagi 🌊"},
                "taken_at": int(bare.timestamp()),
            },
            "comments": [],
        }
    )
    hashtag_items.append(
        {
            "node": {"code": "DBx" + b.digits(8), "taken_at": int(bare.timestamp()), "like_count": 2},
            "comments": [],
        }
    )  # no id, no caption: quarantine
    fetched = iso(SAMPLE_ANCHOR - timedelta(hours=3))
    pages = []
    for start in range(0, len(hashtag_items), 20):
        pages.append({"fetched_at": fetched, "query": "hashtag:kutim", "items": hashtag_items[start : start + 20]})
    pages.append({"fetched_at": fetched, "query": "profile:pemkabkutim", "items": profile_items})
    return pages


def _ig_graphql_node(b: Builder, caption: str, moment: datetime, owner: dict[str, str]) -> dict[str, Any]:
    media_id = b.digits(19)
    return {
        "__typename": "GraphImage",
        "id": media_id,
        "shortcode": "C" + b.digits(10),
        "edge_media_to_caption": {"edges": [{"node": {"text": caption}}]},
        "taken_at_timestamp": int(moment.timestamp()),
        "is_video": False,
        "display_url": f"https://scontent.cdninstagram.com/v/{media_id}.jpg",
        "owner": {"id": owner["id"], "username": owner["username"]},
        "edge_media_preview_like": {"count": b.rng.randint(10, 900)},
        "edge_media_to_comment": {"count": b.rng.randint(0, 60)},
        "accessibility_caption": None,
        "location": None,
    }


def _ig_app_media(b: Builder, caption: str, moment: datetime) -> dict[str, Any]:
    person = b.person("instagram")
    media_id = b.digits(19)
    node = {
        "pk": media_id,
        "id": f"{media_id}_{person['id'][-10:]}",
        "code": "D" + b.digits(10),
        "media_type": 1,
        "taken_at": int(moment.timestamp()),
        "caption": {"text": caption},
        "user": {"pk": person["id"][-10:], "username": person["username"], "full_name": person["name"]},
        "like_count": b.rng.randint(0, 400),
        "comment_count": b.rng.randint(0, 30),
        "has_liked": False,
        "image_versions2": {"candidates": [{"url": f"https://scontent.cdninstagram.com/v/{media_id}.jpg"}]},
    }
    if b.rng.random() < 0.2:
        node["location"] = {"pk": b.digits(9), "name": "Sangatta", "lat": 0.5026, "lng": 117.5521}
    return node


# --- WhatsApp --------------------------------------------------------------------------------------
def build_whatsapp(b: Builder, reports: list[Report]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    deliveries = []
    for report in reports:
        opener, closer = b.rng.choice(T.WA_OPENERS), b.rng.choice(T.WA_CLOSERS)
        body = report.text + "." if closer and report.text[-1].isalnum() else report.text
        text = " ".join(part for part in (opener, body, closer) if part)
        phone = "628" + b.digits(10)
        name = f"{b.rng.choice(FIRST_NAMES)} {b.rng.choice(LAST_NAMES)}"
        message: dict[str, Any] = {
            "from": phone,
            "id": "wamid.HBgN" + b.digits(20) + "AA==",
            "timestamp": str(int(report.when.timestamp())),
        }
        roll = b.rng.random()
        if roll < 0.15:
            message.update(
                {
                    "type": "image",
                    "image": {
                        "caption": text,
                        "mime_type": "image/jpeg",
                        "sha256": b.digits(20),
                        "id": b.digits(16),
                    },
                }
            )
        elif roll < 0.22:
            message.update(
                {
                    "type": "location",
                    "location": {
                        "latitude": 0.5121 + b.rng.uniform(-0.02, 0.02),
                        "longitude": 117.5612 + b.rng.uniform(-0.02, 0.02),
                        "name": report.text[:60],
                        "address": "Sangatta Utara",
                    },
                }
            )
        else:
            message.update({"type": "text", "text": {"body": text}})
        deliveries.append(_wa_delivery(report.when, [message], {phone: name}))
    # A redelivery (Meta retries when our answer was late), a voice note without caption, a status
    # update (not a message), and a body cut off in transit.
    deliveries.append(json.loads(json.dumps(deliveries[4])))
    deliveries[-1]["received_at"] = iso(
        datetime.fromisoformat(deliveries[4]["received_at"].replace("Z", "+00:00")) + timedelta(minutes=3)
    )
    moment = SAMPLE_ANCHOR - timedelta(days=1, hours=4)
    phone = "628" + b.digits(10)
    deliveries.append(
        _wa_delivery(
            moment,
            [
                {
                    "from": phone,
                    "id": "wamid.HBgN" + b.digits(20) + "AA==",
                    "timestamp": str(int(moment.timestamp())),
                    "type": "audio",
                    "audio": {"mime_type": "audio/ogg; codecs=opus", "id": b.digits(16), "voice": True},
                }
            ],
            {phone: "Warga"},
        )
    )
    read_receipt = {
        "id": "wamid.HBgN" + b.digits(20) + "AA==",
        "status": "read",
        "timestamp": str(int(moment.timestamp())),
        "recipient_id": phone,
    }
    deliveries.append({"received_at": iso(moment), "body": _wa_envelope({"statuses": [read_receipt]})})
    deliveries.append(
        {
            "received_at": iso(moment + timedelta(minutes=9)),
            "body": '{"object": "whatsapp_business_account", "entry": [{"id": "'
            + WA_ACCOUNT_ID
            + '", "changes": [{"field": "messages", "value": {"messages": [{"from": "6281',
        }
    )
    deliveries.sort(key=lambda d: d["received_at"])
    return deliveries, {}


def _wa_envelope(value: dict[str, Any]) -> dict[str, Any]:
    """A Cloud API webhook body carrying one `messages` change with `value` (messages or statuses)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WA_ACCOUNT_ID,
                "changes": [
                    {
                        "field": "messages",
                        "value": {"messaging_product": "whatsapp", "metadata": WA_BUSINESS, **value},
                    }
                ],
            }
        ],
    }


def _wa_delivery(moment: datetime, messages: list[dict[str, Any]], names: dict[str, str]) -> dict[str, Any]:
    contacts = [{"profile": {"name": name}, "wa_id": phone} for phone, name in names.items()]
    body = _wa_envelope({"contacts": contacts, "messages": messages})
    return {"received_at": iso(moment + timedelta(seconds=2)), "body": body}


def build_chat(b: Builder, reports: list[Report]) -> str:
    """An exported complaint-group chat (Android, Indonesian locale, local time WITA)."""
    lines = [
        "09/11/26 07.00 - Pesan dan panggilan dienkripsi secara end-to-end. "
        "Tidak seorang pun di luar chat ini, "
        "termasuk WhatsApp, yang dapat membaca atau mendengarkannya.",
        '09/11/26 07.02 - Admin Forum membuat grup "Forum Warga Peduli Kutim"',
    ]
    members = [f"{b.rng.choice(FIRST_NAMES)} {b.rng.choice(LAST_NAMES)}" for _ in range(8)] + ["+62 812-5500-1234"]
    for report in sorted(reports, key=lambda r: r.when):
        local = report.when + WITA
        who = b.rng.choice(members)
        text = report.text
        if b.rng.random() < 0.2:
            text = "<Media tidak disertakan>\n" + text
        lines.append(f"{local:%d/%m/%y %H.%M} - {who}: {text}")
        if b.rng.random() < 0.6:
            lines.append(
                f"{local + timedelta(minutes=4):%d/%m/%y %H.%M} - {b.rng.choice(members)}: "
                + b.rng.choice(
                    [
                        "Betul pak, sudah lama begitu",
                        "Mohon admin teruskan ke pemkab 🙏",
                        "Di tempat kami juga sama",
                    ]
                )
            )
    lines[2:] = sorted(lines[2:], key=_chat_sort_key)
    # A line whose date was mangled when the export was edited by hand: quarantined, the rest goes on.
    lines.append("31/02/26 10.15 - Budi Santoso: Jalan poros Kaubun rusak lagi, mohon diperhatikan")
    lines.append("22/11/26 21.40 - Rina Wulandari: <Media tidak disertakan>")
    lines.append("22/11/26 21.41 - Rina Wulandari keluar")
    return "\n".join(lines) + "\n"


def _chat_sort_key(line: str) -> str:
    day, month, year = line[:8].split("/")
    return f"{year[:2]}{month}{day}{line[9:14]}"


# --- all -------------------------------------------------------------------------------------------
def build(out_dir: Path) -> dict[str, int]:
    b = Builder()
    reports = b.reports()
    incidents = [r for r in reports if r.kind == "incident"]
    others = [r for r in reports if r.kind != "incident"]
    by_platform: dict[str, list[Report]] = {
        "x": [],
        "facebook": [],
        "instagram": [],
        "whatsapp": [],
        "chat": [],
    }
    cycle = ["x", "facebook", "instagram", "x", "whatsapp", "facebook", "chat", "instagram", "x", "whatsapp"]
    for number, report in enumerate(incidents):
        by_platform[cycle[number % len(cycle)]].append(report)
    for number, report in enumerate(others):
        if report.kind == "notice":
            # Announcements go out on every official channel.
            for platform in ("x", "facebook", "instagram"):
                by_platform[platform].append(report)
        else:
            by_platform[["x", "facebook", "instagram", "whatsapp"][number % 4]].append(report)
    # The same words on X and Facebook (people cross-post): a third of the X complaints.
    crossposted = [r for r in by_platform["x"] if r.kind == "incident"][::3]
    # People who report an incident again on WhatsApp after seeing it online.
    wa_reports = by_platform["whatsapp"] + [r for r in incidents if r.emergency][::2]

    x_pages = build_x(b, by_platform["x"])
    fb_pages = build_facebook(b, by_platform["facebook"], crossposted)
    ig_pages = build_instagram(b, by_platform["instagram"])
    wa_deliveries, _ = build_whatsapp(b, wa_reports)
    chat = build_chat(b, by_platform["chat"])

    for sub in ("x", "facebook", "instagram", "whatsapp/chats"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    _write_jsonl(out_dir / "x" / "search_recent.jsonl", x_pages)
    _write_jsonl(out_dir / "facebook" / "page_posts.jsonl", fb_pages)
    _write_jsonl(out_dir / "instagram" / "media.jsonl", ig_pages)
    _write_jsonl(out_dir / "whatsapp" / "webhooks.jsonl", wa_deliveries)
    (out_dir / "whatsapp" / "chats" / "Chat WhatsApp dengan Forum Warga Peduli Kutim.txt").write_text(
        chat, encoding="utf-8"
    )
    return {
        "x_pages": len(x_pages),
        "facebook_pages": len(fb_pages),
        "instagram_pages": len(ig_pages),
        "whatsapp_deliveries": len(wa_deliveries),
        "chat_lines": chat.count("\n"),
    }


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    print(json.dumps(build(Path(__file__).resolve().parent.parent / "data" / "sample")))

"""Fake Graph API (`GET /{version}/{page-id}/posts`, `GET /{version}/{post-id}/comments`).

Answers as Meta documents it: `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`,
`since`/`until` (unix seconds) on `created_time`, `limit`, `after`; the access token in the query;
errors as `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`. Default data: the
bundled sample's page posts (with their nested comments).

Replies (issue 14), token in the form body as facebook-sdk sends it: `GET /{version}/me` (the Page of the
token, with its `instagram_business_account`), `POST /{version}/{post-or-comment-id}/comments`
(`message` -> `{"id"}`, the comment then listed by `GET .../comments` with `from` = the Page), the
Instagram Graph API's `POST /{version}/{ig-comment-id}/replies` and `POST /{version}/{ig-media-id}/comments`
(listed by `GET` on the same edges, `from` = the Instagram business account), and the WhatsApp Cloud
API's `POST /{version}/{phone-number-id}/messages` (`fake_whatsapp.CloudMessages`, Bearer token).
Writes to an unknown or deleted object get Graph's error 100 (subcode 33). Switches:
`rate_limit_next_write(code, regain_minutes)`, `delay_next_write(seconds)`, `delete_object(id)`.
"""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.fake_whatsapp import CloudMessages
from tests.fakes.platform_fake import PlatformFake, Reply, Seen

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "facebook" / "page_posts.jsonl"
TOKEN = "test-page-token"
# The Page the token belongs to (the sample's Pemkab page) and its linked Instagram business account.
PAGE = {"id": "100064000000101", "name": "Pemerintah Kabupaten Kutai Timur"}
IG_ACCOUNT = {"id": "17841400000000101", "username": "pemkabkutim_uji"}


def graph_error(
    code: int,
    message: str,
    kind: str = "OAuthException",
    subcode: int | None = None,
    status: int = 400,
    headers: dict | None = None,
) -> Reply:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
    if subcode:
        error["error_subcode"] = subcode
    return Reply(status, {"error": error}, headers=headers or {})


def sample_posts() -> dict[str, list[dict]]:
    pages: dict[str, dict[str, dict]] = {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        page_id = record["page"]["id"]
        for post in record["response"]["data"]:
            if post.get("id"):
                pages.setdefault(page_id, {})[post["id"]] = post
    return {page_id: list(posts.values()) for page_id, posts in pages.items()}


def _epoch(created_time: str) -> int:
    return int(datetime.strptime(created_time, "%Y-%m-%dT%H:%M:%S%z").timestamp())


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.b64decode(cursor).decode().split(":")[1])


class FakeGraph(PlatformFake):
    def __init__(
        self,
        posts: dict[str, list[dict]] | None = None,
        comments: dict[str, list[dict]] | None = None,
        token: str = TOKEN,
    ):
        super().__init__()
        self.posts = sample_posts() if posts is None else posts
        self.comments = comments or {}
        self.token = token
        self.page = dict(PAGE)
        self.ig_account = dict(IG_ACCOUNT)
        # Instagram: media id -> its comments; comment id -> its replies (both newest last).
        self.ig_media: dict[str, list[dict]] = {}
        self.ig_replies: dict[str, list[dict]] = {}
        self.deleted: set[str] = set()
        self.whatsapp = CloudMessages(self)
        self._sequence = itertools.count(1)

    # --- replies --------------------------------------------------------------------------------
    def rate_limit_next_write(self, code: int = 32, regain_minutes: int | None = 1) -> None:
        """The next write gets Graph's rate-limit error `code`, with the usage header when minutes are given."""
        headers = {}
        if regain_minutes is not None:
            usage = {
                self.page["id"]: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 12,
                        "total_time": 30,
                        "estimated_time_to_regain_access": regain_minutes,
                    }
                ]
            }
            headers["x-business-use-case-usage"] = json.dumps(usage)
        messages = {
            4: "(#4) Application request limit reached",
            17: "(#17) User request limit reached",
            32: "(#32) Page request limit reached",
            613: "(#613) Calls to this api have exceeded the rate limit.",
        }
        self.fail_next_write(
            graph_error(code, messages.get(code, f"(#{code}) Rate limit reached"), status=400, headers=headers)
        )

    def delete_object(self, object_id: str) -> None:
        """The post or comment is gone: writes to it get error 100/33."""
        self.deleted.add(object_id)

    def add_ig_media(self, media_id: str, comments: list[dict] | None = None) -> None:
        """Media of our business account, with its comments (`{"id", "text", "username"}`)."""
        self.ig_media[media_id] = list(comments or [])
        for comment in self.ig_media[media_id]:
            self.ig_replies.setdefault(comment["id"], [])

    def _fb_objects(self) -> set[str]:
        ids = set()
        for posts in self.posts.values():
            for post in posts:
                ids.add(post.get("id"))
                ids.update(c.get("id") for c in (post.get("comments") or {}).get("data") or ())
        for parent, items in self.comments.items():
            ids.add(parent)
            ids.update(c.get("id") for c in items)
        return ids - self.deleted - {None}

    def _missing(self, request: Seen, object_id: str) -> Reply:
        return self.record_write(
            request,
            graph_error(
                100,
                f"Unsupported post request. Object with ID '{object_id}' does not exist, cannot be loaded due "
                "to missing permissions, or does not support this operation. Please read the Graph API "
                "documentation at https://developers.facebook.com/docs/graph-api",
                kind="GraphMethodException",
                subcode=33,
            ),
        )

    def _write(self, request: Seen, object_id: str, edge: str) -> Reply:
        failure = self.scripted_write_error(request)
        if failure:
            return failure
        message = request.query.get("message") or ""
        if not message.strip():
            return self.record_write(request, graph_error(100, "(#100) The parameter message is required"))
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
        number = f"{next(self._sequence):04d}"
        if object_id in self.deleted:
            return self._missing(request, object_id)
        if edge == "comments" and object_id in self._fb_objects():
            comment_id = f"{object_id.split('_')[-1]}_99000000000{number}"
            comment = {"id": comment_id, "message": message, "created_time": now, "from": dict(self.page)}
            self.comments.setdefault(object_id, []).append(comment)
            return self.record_write(request, Reply(200, {"id": comment_id}), created_id=comment_id)
        ig_comments = {c["id"] for items in self.ig_media.values() for c in items}
        if (edge == "comments" and object_id in self.ig_media) or (edge == "replies" and object_id in ig_comments):
            comment_id = f"1790000000000{number}"
            comment = {
                "id": comment_id,
                "text": message,
                "timestamp": now,
                "username": self.ig_account["username"],
                "from": dict(self.ig_account),
            }
            if edge == "comments":
                self.ig_media[object_id].append(comment)
                self.ig_replies[comment_id] = []
            else:
                comment["parent_id"] = object_id
                self.ig_replies.setdefault(object_id, []).append(comment)
            return self.record_write(request, Reply(200, {"id": comment_id}), created_id=comment_id)
        return self._missing(request, object_id)

    def handle(self, request: Seen) -> Reply:
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and len(parts) == 3 and parts[2] == "messages":
            return self.whatsapp.handle(request, phone_number_id=parts[1])
        if len(parts) == 2 and parts[0].startswith("v") and parts[1] == "me":
            if request.query.get("access_token") != self.token:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token", status=400)
            me = dict(self.page, instagram_business_account={"id": self.ig_account["id"]})
            wanted = (request.query.get("fields") or "id,name").split(",")
            return Reply(200, {k: v for k, v in me.items() if k in wanted or k == "id"})
        if request.method == "POST" and len(parts) == 3 and parts[0].startswith("v"):
            if request.query.get("access_token") != self.token:
                return self.record_write(
                    request, graph_error(190, "Invalid OAuth access token - Cannot parse access token")
                )
            return self._write(request, parts[1], parts[2])
        if len(parts) == 3 and parts[2] == "replies" and parts[1] in self.ig_replies:
            if request.query.get("access_token") != self.token:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token", status=400)
            return self._page_of(request, parts, self.ig_replies[parts[1]])
        if len(parts) == 3 and parts[2] == "comments" and parts[1] in self.ig_media:
            if request.query.get("access_token") != self.token:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token", status=400)
            return self._page_of(request, parts, self.ig_media[parts[1]])
        if len(parts) != 3 or not parts[0].startswith("v"):
            return graph_error(2500, "Unknown path components", status=400)
        if request.query.get("access_token") != self.token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token", status=400)
        _, object_id, edge = parts
        if edge == "posts":
            items = self.posts.get(object_id)
            if items is None:
                return graph_error(
                    100,
                    f"Unsupported get request. Object with ID '{object_id}' does not exist",
                    kind="GraphMethodException",
                )
            since, until = int(request.query.get("since") or 0), int(request.query.get("until") or 2**40)
            items = [p for p in items if "created_time" not in p or since <= _epoch(p["created_time"]) < until]
            items.sort(key=lambda p: p.get("created_time") or "", reverse=True)
        elif edge == "comments":
            items = self.comments.get(object_id, [])
        else:
            return graph_error(100, f"Tried accessing nonexisting field ({edge})", kind="OAuthException")
        return self._page_of(request, parts, items)

    def _page_of(self, request: Seen, parts: list[str], items: list[dict]) -> Reply:
        _, object_id, edge = parts
        if request.query.get("order") == "reverse_chronological":
            items = list(reversed(items))
        limit = int(request.query.get("limit") or 25)
        offset = _offset(request.query.get("after"))
        chunk = items[offset : offset + limit]
        paging: dict = {"cursors": {"before": _cursor(offset), "after": _cursor(offset + len(chunk))}}
        if offset + limit < len(items):
            paging["next"] = f"https://graph.facebook.com/{parts[0]}/{object_id}/{edge}?after={_cursor(offset + limit)}"
        return Reply(200, {"data": chunk, "paging": paging})

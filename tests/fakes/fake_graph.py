"""Fake Graph API (`GET /{version}/{page-id}/posts`, `GET /{version}/{post-id}/comments`).

Answers as Meta documents it: `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`,
`since`/`until` (unix seconds) on `created_time`, `limit`, `after`; the access token in the query;
errors as `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`. Default data: the
bundled sample's page posts (with their nested comments).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path

from tests.fakes.platform_fake import PlatformFake, Reply, Seen

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "facebook" / "page_posts.jsonl"
TOKEN = "test-page-token"


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

    def handle(self, request: Seen) -> Reply:
        parts = request.path.strip("/").split("/")
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
            items = [
                p for p in items if "created_time" not in p or since <= _epoch(p["created_time"]) < until
            ]
            items.sort(key=lambda p: p.get("created_time") or "", reverse=True)
        elif edge == "comments":
            items = self.comments.get(object_id, [])
        else:
            return graph_error(100, f"Tried accessing nonexisting field ({edge})", kind="OAuthException")
        limit = int(request.query.get("limit") or 25)
        offset = _offset(request.query.get("after"))
        chunk = items[offset : offset + limit]
        paging: dict = {"cursors": {"before": _cursor(offset), "after": _cursor(offset + len(chunk))}}
        if offset + limit < len(items):
            paging["next"] = (
                f"https://graph.facebook.com/{parts[0]}/{object_id}/{edge}?after={_cursor(offset + limit)}"
            )
        return Reply(200, {"data": chunk, "paging": paging})

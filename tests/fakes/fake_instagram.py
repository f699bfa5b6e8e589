"""Fake Instagram web endpoint for hashtag sections (`GET /explore/tags/{tag}/?__a=1&__d=dis[&max_id=]`).

Answers as the web app receives it: `{"data": {"recent": {"sections": [{"layout_type": "media_grid",
"layout_content": {"medias": [{"media": {...}}]}}], "more_available", "next_max_id"}}, "status": "ok"}`
with the app's media structs (`pk`, `code`, `caption.text`, `taken_at`, `user`, `like_count`,
`comment_count`), and `GET /api/v1/media/{id}/comments/` (the app endpoint, cookie or
`Authorization: Bearer IGT:2:...`) with `{"comments": [...], "next_min_id"}`. A request without our
session is redirected to the login page, as Instagram does. Default data: the bundled sample's
hashtag media. Any other path answers 404 and is recorded, so a test can assert that no unplanned
request was made.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from tests.fakes.platform_fake import PlatformFake, Reply, Seen

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "instagram" / "media.jsonl"
SESSION_ID = "test-session-id"
PER_SECTION = 3
PER_PAGE = 6


def sample_media() -> list[dict]:
    media = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["query"].startswith("hashtag:"):
            media.extend(item["node"] for item in record["items"])
    return media


def checkpoint() -> Reply:
    return Reply(
        400,
        {"message": "checkpoint_required", "checkpoint_url": "/challenge/", "lock": False, "status": "fail"},
    )


def rate_limited() -> Reply:
    return Reply(429, {"message": "Please wait a few minutes before you try again.", "status": "fail"})


class FakeInstagram(PlatformFake):
    def __init__(self, media: dict[str, list[dict]] | None = None, session_id: str = SESSION_ID):
        super().__init__()
        self.media = {"kutim": sample_media()} if media is None else media
        self.session_id = session_id
        self.comments: dict[str, list[dict]] = {}

    def planned(self) -> bool:
        return all(r.path.startswith(("/explore/tags/", "/api/v1/media/")) for r in self.requests)

    def _session_of(self, request: Seen) -> str | None:
        cookies = dict(
            part.strip().split("=", 1) for part in request.headers.get("cookie", "").split(";") if "=" in part
        )
        if cookies.get("sessionid"):
            return cookies["sessionid"]
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer IGT:2:"):  # the app API's token: base64 of {ds_user_id, sessionid}
            try:
                return json.loads(base64.b64decode(bearer.removeprefix("Bearer IGT:2:"))).get("sessionid")
            except ValueError:
                return None
        return None

    def handle(self, request: Seen) -> Reply:
        if request.path.startswith("/api/v1/media/") and request.path.endswith("/comments/"):
            if self._session_of(request) != self.session_id:
                return Reply(403, {"message": "login_required", "status": "fail"})
            comments = self.comments.get(request.path.split("/")[4], [])
            return Reply(
                200,
                {
                    "comments": comments,
                    "comment_count": len(comments),
                    "has_more_comments": False,
                    "status": "ok",
                },
            )
        if not request.path.startswith("/explore/tags/"):
            return Reply(404, {"message": "not found", "status": "fail"})
        if self._session_of(request) != self.session_id:
            return Reply(
                302,
                "",
                headers={"Location": "https://www.instagram.com/accounts/login/?next=/explore/"},
                content_type="text/html",
            )
        tag = request.path.strip("/").split("/")[-1]
        items = sorted(self.media.get(tag, []), key=lambda m: m.get("taken_at") or 0, reverse=True)
        offset = int(request.query.get("max_id") or 0)
        chunk = items[offset : offset + PER_PAGE]
        sections = [
            {
                "layout_type": "media_grid",
                "feed_type": "media",
                "layout_content": {"medias": [{"media": m} for m in chunk[i : i + PER_SECTION]]},
            }
            for i in range(0, len(chunk), PER_SECTION)
        ]
        more = offset + PER_PAGE < len(items)
        recent = {
            "sections": sections,
            "more_available": more,
            "next_max_id": str(offset + PER_PAGE) if more else None,
            "next_page": offset // PER_PAGE + 1,
        }
        return Reply(200, {"data": {"name": tag, "recent": recent}, "status": "ok"})

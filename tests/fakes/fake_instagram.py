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


def sample_profiles() -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """The sample's profile timeline (GraphQL nodes) as the app feed's media structs, and their comments."""
    profiles: dict[str, dict] = {}
    comments: dict[str, list[dict]] = {}
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if not record["query"].startswith("profile:"):
            continue
        for item in record["items"]:
            node = item["node"]
            owner = node["owner"]
            profile = profiles.setdefault(owner["username"], {"id": owner["id"], "items": []})
            profile["items"].append(
                {
                    "pk": node["id"],
                    "id": f"{node['id']}_{owner['id']}",
                    "code": node["shortcode"],
                    "media_type": 1,
                    "taken_at": node["taken_at_timestamp"],
                    "caption": {"text": node["edge_media_to_caption"]["edges"][0]["node"]["text"]},
                    "user": {"pk": owner["id"], "username": owner["username"]},
                    "like_count": node["edge_media_preview_like"]["count"],
                    "comment_count": len(item["comments"]),
                    "image_versions2": {"candidates": [{"url": node["display_url"]}]},
                }
            )
            comments[node["id"]] = [
                {
                    "pk": c["id"],
                    "text": c["text"],
                    "created_at": c["created_at"],
                    "user": {"pk": c["owner"]["id"], "username": c["owner"]["username"]},
                    "comment_like_count": c["edge_liked_by"]["count"],
                }
                for c in item["comments"]
            ]
    return profiles, comments


def checkpoint() -> Reply:
    return Reply(
        400,
        {"message": "checkpoint_required", "checkpoint_url": "/challenge/", "lock": False, "status": "fail"},
    )


def rate_limited() -> Reply:
    return Reply(429, {"message": "Please wait a few minutes before you try again.", "status": "fail"})


class FakeInstagram(PlatformFake):
    def __init__(
        self,
        media: dict[str, list[dict]] | None = None,
        session_id: str = SESSION_ID,
        profiles: dict[str, dict] | None = None,
        comments: dict[str, list[dict]] | None = None,
    ):
        super().__init__()
        if media is None:
            media = {"kutim": sample_media()}
            sample_profiles_, sample_comments = sample_profiles()
            profiles = sample_profiles_ if profiles is None else profiles
            comments = sample_comments if comments is None else comments
        self.media = media
        self.profiles = profiles or {}  # username -> {"id", "items": [media structs]}
        self.session_id = session_id
        self.comments: dict[str, list[dict]] = comments or {}

    def planned(self) -> bool:
        return all(
            r.path.startswith(
                ("/explore/tags/", "/api/v1/media/", "/api/v1/feed/user/", "/api/v1/users/web_profile_info/")
            )
            for r in self.requests
        )

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
        if request.path == "/api/v1/users/web_profile_info/":
            profile = self.profiles.get(request.query.get("username", ""))
            if profile is None:
                return Reply(404, {"message": "User not found", "status": "fail"})
            return Reply(
                200,
                {
                    "data": {"user": {"id": profile["id"], "username": request.query["username"]}},
                    "status": "ok",
                },
            )
        if request.path.startswith("/api/v1/feed/user/"):
            if self._session_of(request) != self.session_id:
                return Reply(403, {"message": "login_required", "status": "fail"})
            user_id = request.path.split("/")[5]
            items = next((p["items"] for p in self.profiles.values() if p["id"] == user_id), [])
            items = sorted(items, key=lambda m: m.get("taken_at") or 0, reverse=True)
            offset = int(request.query.get("max_id") or 0)
            size = int(request.query.get("count") or 12)
            chunk = items[offset : offset + size]
            more = offset + size < len(items)
            return Reply(
                200,
                {
                    "items": chunk,
                    "num_results": len(chunk),
                    "more_available": more,
                    "next_max_id": str(offset + size) if more else None,
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

"""Instagram hashtags through instaloader over real HTTP against the fake Instagram on 127.0.0.1."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from extractors import listening
from extractors.errors import ExtractorAuthError
from extractors.run import run_source
from tests.fakes.fake_instagram import SESSION_ID, FakeInstagram, checkpoint, rate_limited
from tests.fakes.platform_fake import Reply

NOW = datetime.now(UTC).replace(microsecond=0)


def media(n: int, caption: str | None = "Banjir lagi di Sangatta 🌊 #kutim", **extra) -> dict:
    node = {
        "pk": str(3400000000000000000 + n),
        "id": f"{3400000000000000000 + n}_77",
        "code": f"DC{n:08d}",
        "media_type": 1,
        "taken_at": int((NOW - timedelta(hours=n)).timestamp()),
        "user": {"pk": "77", "username": "warga_sgt", "full_name": "Warga Sangatta"},
        "like_count": n,
        "comment_count": 1,
        "has_liked": False,
        "image_versions2": {"candidates": [{"url": f"https://scontent.example/{n}.jpg"}]},
        **extra,
    }
    if caption is not None:
        node["caption"] = {"text": caption}
    return node


@pytest.fixture
def config():
    data = listening.load()
    data["instagram_hashtags"] = ["kutim"]
    data["instagram"] = dict(
        data["instagram"], min_interval_s=0, max_pages_per_hashtag=5, fetch_comments=False, profiles=[]
    )
    return data


@pytest.fixture
def fake_ig(monkeypatch):
    fake = FakeInstagram({"kutim": [media(n) for n in range(1, 15)]}).start()
    monkeypatch.setenv("SIAGA_INSTAGRAM_BASE", fake.url)
    monkeypatch.setenv(
        "AIRFLOW_CONN_SIAGA_INSTAGRAM",
        json.dumps(
            {
                "conn_type": "http",
                "login": "humaskutim",
                "password": SESSION_ID,
                "extra": {"csrftoken": "csrf-test", "ds_user_id": "555"},
            }
        ),
    )
    yield fake
    fake.stop()


def run(tmp_path, config, cursors=None, **options):
    out = tmp_path / "ig.jsonl"
    result = run_source("instagram", NOW - timedelta(days=2), NOW, out, cursors, config=config, **options)
    return result, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_hashtag_pages_are_read_with_only_the_planned_requests(fake_ig, tmp_path, config):
    result, lines = run(tmp_path, config)
    assert fake_ig.planned() and [r.path for r in fake_ig.requests] == ["/explore/tags/kutim/"] * 3
    assert [r.query.get("max_id") for r in fake_ig.requests] == [None, "6", "12"]
    assert len(lines) == 14 and result.api_calls == 3 and result.complete
    assert lines[0]["url"] == "https://www.instagram.com/p/DC00000001/" and lines[0]["metrics"]["likes"] == 1
    assert result.cursors["hashtag:kutim"] == max(line["created_at"] for line in lines)


def test_media_older_than_the_window_end_the_reading(fake_ig, tmp_path, config):
    fake_ig.media["kutim"] = [media(n) for n in range(1, 4)] + [media(100 + n) for n in range(20)]
    _, lines = run(tmp_path, config)
    assert len(lines) == 3 and len(fake_ig.requests) <= 3


def test_empty_hashtag_keeps_the_cursor(fake_ig, tmp_path, config):
    fake_ig.media["kutim"] = []
    result, lines = run(tmp_path, config, cursors={"hashtag:kutim": "2026-11-01T00:00:00Z"})
    assert lines == [] and result.cursors["hashtag:kutim"] == "2026-11-01T00:00:00Z"


def test_media_with_every_optional_field_missing_is_stored_and_one_without_caption_quarantined(
    fake_ig, tmp_path, config
):
    bare = {"pk": "3499", "caption": {"text": "Listrik padam di Bengalon 😭🙏"}}
    fake_ig.media["kutim"] = [media(1, caption=None), bare]
    result, lines = run(tmp_path, config)
    post = next(line for line in lines if line.get("platform_post_id") == "3499")
    assert post["text"] == "Listrik padam di Bengalon 😭🙏" and post["created_at"] is None and post["url"] is None
    assert post["metrics"] == {"likes": None, "shares": None, "comments": None, "views": None}
    assert result.quarantined == 1 and fake_ig.planned()


def test_login_redirect_is_an_auth_error(fake_ig, tmp_path, config, monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_SIAGA_INSTAGRAM",
        json.dumps({"login": "humaskutim", "password": "old-session", "extra": {"csrftoken": "x"}}),
    )
    with pytest.raises(ExtractorAuthError, match="siaga_instagram"):
        run(tmp_path, config)
    assert fake_ig.planned()


def test_checkpoint_is_an_auth_error(fake_ig, tmp_path, config):
    fake_ig.script.append(checkpoint())
    with pytest.raises(ExtractorAuthError, match="checkpoint"):
        run(tmp_path, config)


def test_rate_limit_past_the_budget_stops_cleanly(fake_ig, tmp_path, config):
    fake_ig.script.append(rate_limited())
    result, lines = run(tmp_path, config, budget_s=1)
    assert not result.complete and "budget" in result.notes[0] and lines == []
    assert "hashtag:kutim" not in result.cursors


def test_server_error_then_success_and_timeout_are_retried(fake_ig, tmp_path, config):
    fake_ig.script.extend(
        [
            Reply(500, "<html>error</html>", content_type="text/html"),
            Reply(200, {"status": "ok"}, delay_s=1.5),
        ]
    )
    result, lines = run(tmp_path, config, timeout_s=0.5, retries=2)
    assert result.complete and len(lines) == 14


def test_malformed_json_is_quarantined_and_stops_the_hashtag(fake_ig, tmp_path, config):
    fake_ig.script.extend([Reply(200, '{"data": {"recent": {"sections": ['), Reply(200, '{"data": {"rec')])
    result, lines = run(tmp_path, config, retries=1)
    assert not result.complete and lines[0]["_quarantine"] and "not valid JSON" in lines[0]["reason"]


def test_comments_are_read_with_one_planned_request_per_media_that_has_comments(fake_ig, tmp_path, config):
    config["instagram"]["fetch_comments"] = True
    fake_ig.media["kutim"] = [media(1), media(2, comment_count=0)]
    fake_ig.comments[media(1)["pk"]] = [
        {
            "pk": "18000000001",
            "text": "Betul, di Gang Sepakat juga banjir 😭",
            "created_at": 1795144600,
            "user": {"pk": "88", "username": "tetangga"},
            "comment_like_count": 4,
        },
        {"pk": "18000000002", "created_at": 1795144700, "user": {"pk": "89"}},
    ]
    result, lines = run(tmp_path, config)
    assert [r.path for r in fake_ig.requests] == [
        "/explore/tags/kutim/",
        f"/api/v1/media/{media(1)['pk']}/comments/",
    ]
    comment = next(line for line in lines if line.get("platform_post_id") == "18000000001")
    assert comment["parent_id"] == f"instagram:{media(1)['pk']}" and comment["metrics"]["likes"] == 4
    assert result.quarantined == 1 and result.posts == 3 and result.api_calls == 2


def test_agency_profile_posts_and_the_complaints_under_them(fake_ig, tmp_path, config):
    config["instagram"].update(profiles=["pemkabkutim"], fetch_comments=True)
    fake_ig.media["kutim"] = []
    announcement = media(
        3, "Jadwal pelayanan Disdukcapil keliling pekan ini", user={"pk": "5120", "username": "pemkabkutim"}
    )
    fake_ig.profiles["pemkabkutim"] = {"id": "5120", "items": [announcement, media(200)]}
    fake_ig.comments[announcement["pk"]] = [
        {
            "pk": "18100000001",
            "text": "Min, blanko KTP kosong lagi di Disdukcapil 😤",
            "created_at": 1795144600,
            "user": {"pk": "91", "username": "warga"},
            "comment_like_count": 2,
        }
    ]
    result, lines = run(tmp_path, config)
    paths = [r.path for r in fake_ig.requests if not r.path.startswith("/explore/")]
    assert paths == [
        "/api/v1/users/web_profile_info/",
        "/api/v1/feed/user/5120/",
        f"/api/v1/media/{announcement['pk']}/comments/",
    ]
    assert [line["text"] for line in lines] == [
        "Jadwal pelayanan Disdukcapil keliling pekan ini",
        "Min, blanko KTP kosong lagi di Disdukcapil 😤",
    ]
    cursor = json.loads(result.cursors["profile:pemkabkutim"])
    assert cursor["user_id"] == "5120" and cursor["newest"] == lines[0]["created_at"]
    fake_ig.requests.clear()
    run(tmp_path, config, cursors=result.cursors)
    assert "/api/v1/users/web_profile_info/" not in fake_ig.paths()  # the id is kept in the cursor


def test_unknown_profile_is_noted_and_the_rest_goes_on(fake_ig, tmp_path, config):
    config["instagram"]["profiles"] = ["tidakada"]
    result, lines = run(tmp_path, config)
    assert len(lines) == 14 and not result.complete and "tidakada" in result.notes[0]


def test_half_page_with_more_available_is_followed(fake_ig, tmp_path, config):
    half = {
        "data": {
            "recent": {
                "sections": [
                    {
                        "layout_type": "media_grid",
                        "layout_content": {
                            "medias": [{"media": media(40, "Sampah menumpuk di Singa Gembara 🤮 #kutim")}]
                        },
                    }
                ],
                "more_available": True,
                "next_max_id": "0",
            }
        },
        "status": "ok",
    }
    fake_ig.script.append(Reply(200, half))
    result, lines = run(tmp_path, config)
    assert fake_ig.requests[1].query.get("max_id") == "0"
    assert len(lines) == 15 and result.complete

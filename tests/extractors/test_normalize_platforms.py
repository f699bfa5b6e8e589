"""Raw payloads of each platform, in their documented shapes, to normalized posts."""

import pytest

from extractors.normalize import facebook, instagram, whatsapp, x
from extractors.post import MalformedPost

PAGE = {
    "data": [
        {
            "id": "2001",
            "text": "RT @warga_swarga: Jalan Swarga Bara rusak parah 😡",
            "author_id": "11",
            "created_at": "2026-11-20T03:15:00.000Z",
            "lang": "in",
            "referenced_tweets": [{"type": "retweeted", "id": "2000"}],
            "public_metrics": {
                "retweet_count": 0,
                "reply_count": 0,
                "like_count": 0,
                "quote_count": 0,
                "impression_count": 4,
            },
        },
        {
            "id": "2002",
            "text": "@PemkabKutim air PDAM mati",
            "author_id": "12",
            "referenced_tweets": [{"type": "replied_to", "id": "1999"}],
            "geo": {"place_id": "p1"},
            "public_metrics": {"retweet_count": 2, "quote_count": 1, "like_count": 9, "reply_count": 1},
        },
        {
            "id": "2003",
            "text": "short",
            "note_tweet": {"text": "the whole long text"},
            "geo": {"coordinates": {"type": "Point", "coordinates": [117.55, 0.51]}},
        },
    ],
    "includes": {
        "users": [{"id": "11", "username": "budi_sgt", "name": "Budi"}],
        "places": [{"id": "p1", "geo": {"bbox": [117.4, 0.4, 117.6, 0.6]}}],
    },
}


def test_retweet_points_at_the_original_and_keeps_its_own_text():
    posts = [post for post, error, _ in x.iter_page(PAGE, "q", "2026-11-20T04:00:00Z")]
    retweet = posts[0]
    assert retweet["shared_from"] == "x:2000"
    assert retweet["text"].startswith("RT @warga_swarga:") and "😡" in retweet["text"]
    assert retweet["url"] == "https://x.com/budi_sgt/status/2001"
    assert retweet["author_name"] == "Budi" and retweet["author_id"] not in ("11", "budi_sgt")
    assert retweet["created_at"] == "2026-11-20T03:15:00Z" and retweet["source_query"] == "q"
    assert retweet["lang"] == "id"  # X's "in" is ISO 639-1 "id"


def test_reply_has_parent_and_place_centre_as_geo():
    reply = next(x.iter_page(PAGE))[0] and list(x.iter_page(PAGE))[1][0]
    assert reply["parent_id"] == "x:1999" and reply["shared_from"] is None
    assert reply["geo"] == {"lat": pytest.approx(0.5), "lon": pytest.approx(117.5)}
    assert reply["metrics"] == {"likes": 9, "shares": 3, "comments": 1, "views": None}
    assert reply["url"] == "https://x.com/i/web/status/2002"  # author not in includes


def test_long_tweet_uses_note_text_and_point_geo():
    post = list(x.iter_page(PAGE))[2][0]
    assert post["text"] == "the whole long text"
    assert post["geo"] == {"lat": 0.51, "lon": 117.55}
    assert post["metrics"] == {"likes": None, "shares": None, "comments": None, "views": None}


def test_tweet_without_text_is_reported_not_dropped():
    results = list(x.iter_page({"data": [{"id": "9"}, {"id": "10", "text": "ok"}]}))
    assert results[0][0] is None and "has no text" in results[0][1].reason and results[0][2] == {"id": "9"}
    assert results[1][0]["platform_post_id"] == "10"


FB_POST = {
    "id": "100064_555",
    "message": "Kiriman warga: air PDAM keruh di Singa Geweh",
    "created_time": "2026-11-18T07:00:00+0000",
    "permalink_url": "https://www.facebook.com/100064/posts/555",
    "from": {"name": "Info Sangatta", "id": "100064"},
    "shares": {"count": 4},
    "reactions": {"data": [], "summary": {"total_count": 31}},
    "comments": {
        "data": [
            {
                "id": "555_1",
                "message": "Di sini juga keruh",
                "created_time": "2026-11-18T08:00:00+0000",
                "from": {"name": "Ani", "id": "77"},
                "like_count": 2,
                "comment_count": 1,
            },
            {
                "id": "555_2",
                "message": "Betul",
                "parent": {"id": "555_1"},
                "created_time": "2026-11-18T08:05:00+0000",
            },
            {"id": "555_3", "created_time": "2026-11-18T08:06:00+0000"},
        ],
        "summary": {"total_count": 3},
    },
}


def test_facebook_post_metrics_and_comment_threads():
    results = list(facebook.iter_post_and_comments(FB_POST, "page:100064"))
    post, comment, answer, broken = (r[0] for r in results)
    assert post["metrics"] == {"likes": 31, "shares": 4, "comments": 3, "views": None}
    assert post["created_at"] == "2026-11-18T07:00:00Z"
    assert "comments" not in post["raw"]  # comments are posts of their own
    assert comment["parent_id"] == "facebook:100064_555" and comment["metrics"]["likes"] == 2
    assert answer["parent_id"] == "facebook:555_1"
    assert broken is None and "has no message" in results[3][1].reason


def test_facebook_shared_post_points_at_its_parent():
    post = facebook.normalize_post({"id": "1_2", "message": "bagikan", "parent_id": "9_8"})
    assert post["shared_from"] == "facebook:9_8" and post["url"] == "https://www.facebook.com/1_2"


def test_instagram_graphql_node_and_app_struct_give_the_same_fields():
    node = {
        "id": "301",
        "shortcode": "Cabc",
        "edge_media_to_caption": {"edges": [{"node": {"text": "Banjir 🌊"}}]},
        "taken_at_timestamp": 1795144500,
        "owner": {"id": "9", "username": "warga"},
        "edge_media_preview_like": {"count": 12},
        "edge_media_to_comment": {"count": 3},
        "display_url": "https://cdn/x.jpg",
        "__typename": "GraphImage",
    }
    struct = {
        "pk": "301",
        "code": "Cabc",
        "caption": {"text": "Banjir 🌊"},
        "taken_at": 1795144500,
        "user": {"pk": "9", "username": "warga"},
        "like_count": 12,
        "comment_count": 3,
        "media_type": 1,
        "image_versions2": {"candidates": [{"url": "https://cdn/x.jpg"}]},
    }
    a, b = instagram.normalize_media(node), instagram.normalize_media(struct)
    for key in ("platform_post_id", "url", "author_id", "text", "created_at", "metrics", "media"):
        assert a[key] == b[key], key
    assert a["url"] == "https://www.instagram.com/p/Cabc/" and a["metrics"]["likes"] == 12


def test_instagram_comment_and_missing_caption():
    comment = instagram.normalize_comment(
        {
            "id": "5",
            "text": "Min, jalan rusak",
            "created_at": 1795144600,
            "owner": {"id": "3", "username": "u"},
            "edge_liked_by": {"count": 0},
        },
        "301",
    )
    assert comment["parent_id"] == "instagram:301" and comment["metrics"]["likes"] == 0
    with pytest.raises(MalformedPost, match="no caption"):
        instagram.normalize_media({"id": "302", "shortcode": "C2"})


def _webhook(*messages, contacts=None, statuses=None):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": "1"},
        "contacts": contacts or [{"profile": {"name": "Siti"}, "wa_id": "6281234567890"}],
        "messages": list(messages),
    }
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


def test_whatsapp_text_image_location_and_reply():
    body = _webhook(
        {
            "from": "6281234567890",
            "id": "wamid.A",
            "timestamp": "1795144500",
            "type": "text",
            "text": {"body": "Air mati di Teluk Lingga 😭"},
        },
        {
            "from": "6281234567890",
            "id": "wamid.B",
            "timestamp": "1795144510",
            "type": "image",
            "image": {"caption": "Foto jalan rusak", "id": "MEDIA1", "mime_type": "image/jpeg"},
            "context": {"from": "6281100000000", "id": "wamid.OUT"},
        },
        {
            "from": "6281234567890",
            "id": "wamid.C",
            "timestamp": "1795144520",
            "type": "location",
            "location": {"latitude": 0.51, "longitude": 117.56, "name": "Simpang Swarga Bara"},
        },
        {
            "from": "6281234567890",
            "id": "wamid.D",
            "timestamp": "1795144530",
            "type": "reaction",
            "reaction": {"message_id": "wamid.A", "emoji": "👍"},
        },
        {
            "from": "6281234567890",
            "id": "wamid.E",
            "timestamp": "1795144540",
            "type": "audio",
            "audio": {"id": "MEDIA2", "voice": True},
        },
    )
    results = list(whatsapp.iter_webhook(body))
    assert len(results) == 4  # the reaction is not a post
    text, image, location, audio = results
    assert text[0]["author_name"] == "Siti" and "6281234567890" not in text[0]["author_id"]
    assert text[0]["created_at"] == "2026-11-20T03:15:00Z" and text[0]["text"].endswith("😭")
    assert image[0]["text"] == "Foto jalan rusak" and image[0]["media"][0]["id"] == "MEDIA1"
    assert image[0]["parent_id"] == "whatsapp:wamid.OUT"
    assert location[0]["geo"] == {"lat": 0.51, "lon": 117.56} and location[0]["text"] == "Simpang Swarga Bara"
    assert audio[0] is None and "no text or caption" in audio[1].reason and audio[2]["audio"]["id"] == "MEDIA2"


def test_whatsapp_status_only_body_has_no_posts_and_junk_is_reported():
    statuses = [{"id": "wamid.X", "status": "read", "timestamp": "1", "recipient_id": "62"}]
    assert list(whatsapp.iter_webhook(_webhook(statuses=statuses))) == []
    junk = list(whatsapp.iter_webhook({"object": "whatsapp_business_account"}))
    assert junk[0][0] is None and "no entry" in junk[0][1].reason

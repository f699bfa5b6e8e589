"""`siaga evaluate` also reads normalized posts with `gold` labels (the clustering set's format)."""

from __future__ import annotations

import json

from nlp.evaluate import read_labelled


def test_posts_with_gold_are_flattened_and_a_refetched_post_is_scored_once(tmp_path):
    post = {
        "platform": "x",
        "platform_post_id": "1",
        "text": "Banjir di Teluk Lingga",
        "gold": {
            "category": "banjir",
            "is_complaint": True,
            "is_emergency": True,
            "kecamatan": "Sangatta Utara",
            "desa": "Teluk Lingga",
            "region_code": "64.08.04.1010",
        },
    }
    chat = {
        "platform": "x",
        "platform_post_id": "2",
        "text": "Selamat HUT Kutim",
        "gold": {
            "category": "lainnya",
            "is_complaint": False,
            "is_emergency": False,
            "kecamatan": "Sangatta Utara",
            "desa": None,
        },
    }
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (post, post, chat)) + "\n", encoding="utf-8")
    records = read_labelled(path)
    assert [r["id"] for r in records] == ["x:1", "x:2"]
    assert records[0]["category"] == "banjir" and records[0]["in_kutim"] is True
    assert records[1]["category"] is None  # category is scored on complaints only

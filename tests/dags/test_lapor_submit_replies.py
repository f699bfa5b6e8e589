"""Done-when of issue 14, through Airflow: from the bundled sample, a moderator approves a draft whose issue
has X, Facebook and WhatsApp evidence; `lapor_submit` (dag.test() in a child, as test_lapor_submit.py)
sends it to the fake SP4N-LAPOR!, and its `reply_posters` step drafts one reply per reporting thread;
the moderator approves them (editing one); the next runs post them to the platform fakes (X, Graph API,
WhatsApp Cloud API on 127.0.0.1) exactly once, through a timeout on X and one on WhatsApp, and a rerun
posts nothing. What each fake received is written to test-artifacts/replies/requests.json.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

import warehouse
from tests.dags.test_lapor_submit import REPO, TOKEN, airflow_env, dag_runner  # noqa: F401 (fixtures)
from tests.fakes import fake_whatsapp
from tests.fakes.fake_graph import FakeGraph
from tests.fakes.fake_lapor import FakeLapor
from tests.fakes.fake_x import FakeX
from tests.fakes.serve_platforms import environment
from tests.warehouse.report_sample import siaga
from warehouse import moderation, replies

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DRAFT = "DRF-A62CE38509E9"  # the collapsed bridge in Sepaso: X, Facebook, three WhatsApp senders (and Instagram)
ARTIFACT = REPO / "test-artifacts" / "replies" / "requests.json"
CLIENT_TIMEOUT_S = 1


def reply_rows() -> list[dict]:
    with warehouse.connect() as con:
        cursor = con.execute(
            "SELECT reply_id, platform, post_key, status, text, platform_reply_id, sent_via, attempts, reason "
            "FROM replies ORDER BY platform, post_key"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def reporting_threads(draft_id: str) -> set[str]:
    """From the issue's membership: its reports and copies of them that are no repost or quote and no
    comment under another of its posts (a page's relay of a report its author also tweeted is a thread
    of its own); per platform the earliest of each content; WhatsApp: the earliest per sender the Cloud
    API can reach."""
    with warehouse.connect() as con:
        rows = con.execute(
            "SELECT p.post_key, p.platform, "
            "CASE WHEN p.platform = 'whatsapp' THEN p.author_id ELSE p.canonical_key END "
            "FROM issue_posts ip JOIN posts p USING (post_key) JOIN drafts d USING (issue_id) "
            "WHERE d.draft_id = ? AND ip.role IN ('report', 'duplicate') AND p.shared_from IS NULL "
            "AND (p.parent_id IS NULL OR p.parent_id NOT IN (SELECT post_key FROM issue_posts)) "
            "AND (p.platform <> 'whatsapp' OR json_extract_string(p.raw, '$.from') IS NOT NULL) "
            "ORDER BY coalesce(p.created_at, p.fetched_at, p.loaded_at), p.post_key",
            [draft_id],
        ).fetchall()
    first: dict[tuple[str, str], str] = {}
    for key, platform, content in rows:
        first.setdefault((platform, content), key)
    return set(first.values())


@pytest.fixture
def sample_warehouse(airflow_env, tmp_path, monkeypatch):  # noqa: F811
    """The sample through `siaga extract replay` + `siaga ingest`, the road draft approved by a moderator,
    and a fresh "thank you" from one WhatsApp sender (so one reply falls in the 24-hour window)."""
    path = Path(airflow_env["SIAGA_WAREHOUSE"])
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    lines = tmp_path / "sample.jsonl"
    for args in (("extract", "replay", "--out", str(lines)), ("ingest", str(lines))):
        done = siaga(*args, warehouse_file=path)
        assert done.returncode == 0, done.stderr
    now = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.connect(write=True) as con:
        sender, number = con.execute(
            "SELECT p.author_id, json_extract_string(p.raw, '$.from') FROM issue_posts ip "
            "JOIN posts p USING (post_key) JOIN drafts d USING (issue_id) "
            "WHERE d.draft_id = ? AND p.platform = 'whatsapp' "
            "ORDER BY p.created_at DESC LIMIT 1",
            [DRAFT],
        ).fetchone()
        con.execute(
            "INSERT INTO posts (platform, platform_post_id, post_key, author_id, text, created_at, raw, loaded_at, "
            "updated_at) VALUES ('whatsapp', 'wamid.SEGAR01', 'whatsapp:wamid.SEGAR01', ?, "
            "'Terima kasih min, ditunggu kabarnya', ?, ?, ?, ?)",
            [sender, now - timedelta(hours=2), json.dumps({"from": number, "id": "wamid.SEGAR01"}), now, now],
        )
    moderation.approve(DRAFT, actor="moderator", role="moderator")
    return path


@pytest.fixture
def config_dir(tmp_path, airflow_env):  # noqa: F811
    """The committed config with a short client timeout and the fakes' approved WhatsApp template."""
    folder = tmp_path / "config"
    shutil.copytree(REPO / "config", folder)
    config = yaml.safe_load((folder / "replies.yaml").read_text(encoding="utf-8"))
    config["send"]["timeout_s"] = CLIENT_TIMEOUT_S
    # Instagram's posting has its own tests (tests/extractors/test_reply_posters.py); here X, Facebook, WhatsApp
    config["platforms"] = ["x", "facebook", "whatsapp"]
    config["whatsapp"]["template"], config["whatsapp"]["template_language"] = fake_whatsapp.TEMPLATE
    (folder / "replies.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    airflow_env["SIAGA_CONFIG_DIR"] = str(folder)
    airflow_env["SIAGA_WHATSAPP_INBOX"] = str(tmp_path / "inbox")
    return folder


def test_one_reply_per_reporting_thread_with_the_tracking_id_none_twice(
    airflow_env,  # noqa: F811 (fixtures imported above)
    dag_runner,  # noqa: F811
    sample_warehouse,
    config_dir,
    monkeypatch,
):
    monkeypatch.setenv("SIAGA_WHATSAPP_INBOX", airflow_env["SIAGA_WHATSAPP_INBOX"])
    monkeypatch.setenv("SIAGA_CONFIG_DIR", str(config_dir))
    with FakeLapor(token=TOKEN) as lapor, FakeX() as x, FakeGraph() as graph:
        airflow_env["SIAGA_LAPOR_API_BASE"] = lapor.base_url
        airflow_env.update(environment(x.url, graph.url))
        tasks = {"send_approved": "success", "sync_status": "success", "reply_posters": "success"}

        # Run 1: the draft becomes a LAPOR! ticket; its replies are drafted, waiting for a moderator.
        assert dag_runner() == {"run": "success", "tasks": tasks}
        [ticket] = lapor.tickets
        drafted = reply_rows()
        threads = {k for k in reporting_threads(DRAFT) if not k.startswith("instagram:")}
        assert {r["post_key"] for r in drafted} == threads
        assert {r["platform"] for r in drafted} == {"x", "facebook", "whatsapp"}
        assert {r["status"] for r in drafted} == {"pending"} and not x.writes and not graph.writes
        assert all(ticket.tracking_id in r["text"] for r in drafted)

        # The moderator approves them all, editing the Facebook one; WhatsApp first, so that the Graph
        # fake's delayed write below is a WhatsApp message (approved replies go out in approval order).
        pending = replies.list_replies(status="pending")["items"]
        for item in sorted(pending, key=lambda i: (i["platform"] != "whatsapp", i["platform"], i["in_reply_to"])):
            text = None
            if item["platform"] == "facebook":
                text = (
                    f"Terima kasih, Kak. Laporan ini kini tiket SP4N-LAPOR! {ticket.tracking_id}: "
                    f"https://www.lapor.go.id/pengaduan/{ticket.tracking_id}"
                )
            replies.approve(item["id"], actor="moderator", role="moderator", text=text)

        # Run 2: X and WhatsApp each take their first reply but answer after the client gave up.
        x.delay_next_write(CLIENT_TIMEOUT_S + 2)
        graph.delay_next_write(CLIENT_TIMEOUT_S + 2)  # the Graph fake serves the WhatsApp Cloud API too
        assert dag_runner() == {"run": "success", "tasks": tasks}
        after = {r["post_key"]: r for r in reply_rows()}
        uncertain = [r for r in after.values() if r["status"] != "sent"]
        # X was asked and had it; WhatsApp cannot tell until Meta's status webhook arrives: a moderator's call.
        assert [(r["platform"], r["status"]) for r in uncertain] == [("whatsapp", "uncertain")], [
            (r["platform"], r["status"], r["reason"], r["attempts"]) for r in uncertain
        ]

        # Meta's status webhook for that message reaches our webhook (signed), then run 3 settles it.
        [wa_write] = [
            w
            for w in graph.writes
            if "/messages" in w.path and w.body.get("biz_opaque_callback_data") == uncertain[0]["reply_id"]
        ]
        from extractors.whatsapp import receive_webhook

        status = fake_whatsapp.status_delivery(
            wa_write.created_id, wa_write.body["to"], "delivered", callback_data=uncertain[0]["reply_id"]
        )
        raw = fake_whatsapp.encode(status)
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_WHATSAPP", airflow_env["AIRFLOW_CONN_SIAGA_WHATSAPP"])
        assert receive_webhook(raw, fake_whatsapp.sign(raw)) == 0
        writes_before = (len(x.writes), len(graph.writes))
        assert dag_runner() == {"run": "success", "tasks": tasks}
        # Run 4: nothing left to send.
        assert dag_runner() == {"run": "success", "tasks": tasks}
        assert (len(x.writes), len(graph.writes)) == writes_before

    final = {r["post_key"]: r for r in reply_rows()}
    assert set(final) == threads and {r["status"] for r in final.values()} == {"sent"}
    x_posts = [w for w in x.writes if w.method == "POST" and w.path == "/2/tweets"]
    fb_posts = [w for w in graph.writes if w.path.endswith("/comments")]
    wa_posts = [w for w in graph.writes if w.path.endswith("/messages")]
    by_platform = {p: [k for k in threads if k.startswith(p + ":")] for p in ("x", "facebook", "whatsapp")}
    # exactly one request per reporting thread, none to copies, none twice
    assert sorted(w.body["reply"]["in_reply_to_tweet_id"] for w in x_posts) == sorted(
        k.split(":", 1)[1] for k in by_platform["x"]
    )
    assert sorted(w.path.split("/")[-2] for w in fb_posts) == sorted(
        k.split(":", 1)[1] for k in by_platform["facebook"]
    )
    assert sorted(w.body["biz_opaque_callback_data"] for w in wa_posts) == sorted(
        r["reply_id"] for r in final.values() if r["platform"] == "whatsapp"
    )
    assert all(ticket.tracking_id in w.body["text"] for w in x_posts)
    assert all(ticket.tracking_id in w.body["message"] for w in fb_posts)
    kinds = sorted(w.body["type"] for w in wa_posts)
    # one sender wrote within 24 hours (the fixture's fresh message): a text; the others did not: the template
    assert kinds.count("text") == 1 and kinds.count("template") == len(kinds) - 1 >= 1, kinds
    for w in wa_posts:
        carried = json.dumps(w.body, ensure_ascii=False)
        assert ticket.tracking_id in carried
    assert {r["sent_via"] for r in final.values() if r["platform"] == "whatsapp"} >= {"wa_text"}
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(
        json.dumps(
            {
                name: [
                    {"method": w.method, "path": w.path, "auth": w.auth, "status": w.status, "body": w.body}
                    for w in writes
                ]
                for name, writes in (("x", x_posts), ("facebook", fb_posts), ("whatsapp", wa_posts))
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )

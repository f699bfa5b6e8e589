"""Replies to citizens (warehouse/replies.py): drafting per reporting thread, moderation, and the
exactly-once sender against an in-memory poster that plays timeouts, crashes and rate limits.

The warehouse is the bundled sample through `siaga extract replay` + `siaga ingest` (built once per
module, copied per test); a ticket is given its tracking ID the way the LAPOR! bridge leaves it.
"""

from __future__ import annotations

import shutil
import threading
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import warehouse
from extractors.replies import (
    OutgoingReply,
    ReplyError,
    ReplyRateLimited,
    ReplyRejected,
    ReplyUncertain,
    SentReply,
)
from tests.warehouse.report_sample import siaga
from warehouse import replies
from warehouse.moderation import AlreadyDecided, InvalidChange, VersionConflict

ROAD = "DRF-37FD3ED22893"  # the sample's Jl. Yos Sudarso II / Jl. Pendidikan road issue: X, Facebook, WhatsApp
HOSPITAL = "DRF-48E5DA92CAF2"  # RSUD Kudungga: comments under agency pages and under a page's own post


@pytest.fixture(scope="module")
def sample_base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("replies_sample")
    base, lines = folder / "sample.duckdb", folder / "sample.jsonl"
    for args in (("extract", "replay", "--out", str(lines)), ("ingest", str(lines))):
        done = siaga(*args, warehouse_file=base)
        assert done.returncode == 0, done.stderr
    return base


@pytest.fixture
def wh(sample_base, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "siaga.duckdb"
    shutil.copyfile(sample_base, path)
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    monkeypatch.setenv("SIAGA_WHATSAPP_INBOX", str(tmp_path / "inbox"))
    return path


def submit(draft_id: str, tracking_id: str) -> None:
    """The state `warehouse.lapor` leaves a draft in once LAPOR! answered with a tracking ID."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.connect(write=True) as con:
        con.execute("UPDATE drafts SET status = 'submitted' WHERE draft_id = ?", [draft_id])
        con.execute(
            "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, "
            "lapor_status, submitted_at, updated_at) "
            "VALUES (?, ?, 'http', 'submitted', ?, 'belum_terverifikasi', ?, ?)",
            [draft_id, f"key-{draft_id}", tracking_id, now, now],
        )
        con.execute("INSERT INTO lapor_status_history VALUES (?, 'belum_terverifikasi', '{}', ?)", [tracking_id, now])


def settings(**overrides) -> replies.ReplySettings:
    from dataclasses import replace

    return replace(replies.reply_settings(), **overrides)


def rows(sql: str, params=()) -> list[tuple]:
    with warehouse.connect() as con:
        return con.execute(sql, list(params)).fetchall()


class FakePoster:
    """A platform that keeps what it got. `script` plays, per send: an exception to raise, 'lost' (the
    write lands but the answer never comes: ReplyUncertain), or 'crash' (the write lands, then the run dies)."""

    def __init__(self, platform: str, cannot_tell: bool = False):
        self.platform = platform
        self.cannot_tell = cannot_tell
        self.script: deque = deque()
        self.writes: list[OutgoingReply] = []
        self.lookups = 0

    def _land(self, reply: OutgoingReply) -> SentReply:
        self.writes.append(reply)
        return SentReply(f"{self.platform}-{len(self.writes)}", datetime.now(UTC), f"{self.platform}_via")

    def send(self, reply: OutgoingReply) -> SentReply:
        step = self.script.popleft() if self.script else None
        if isinstance(step, Exception):
            raise step
        if step == "lost":
            self._land(reply)
            raise ReplyUncertain("read timeout after 20 s")
        if step == "crash":
            self._land(reply)
            raise KeyboardInterrupt  # the run dies between the platform's answer and our commit
        return self._land(reply)

    def find_sent(self, reply: OutgoingReply) -> SentReply | None:
        self.lookups += 1
        if self.cannot_tell:
            raise ReplyUncertain("the Cloud API cannot list sent messages")
        for n, sent in enumerate(self.writes, start=1):
            if sent.reply_id == reply.reply_id:
                return SentReply(f"{self.platform}-{n}", datetime.now(UTC), f"{self.platform}_via")
        return None


@pytest.fixture
def platforms() -> dict[str, FakePoster]:
    return {p: FakePoster(p, cannot_tell=p == "whatsapp") for p in replies.PLATFORMS}


def send(platforms, sleeps=None, **kwargs) -> dict:
    return replies.send_approved(
        kwargs.pop("settings", None) or settings(),
        posters=platforms.__getitem__,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        **kwargs,
    )


def reporting_threads(draft_id: str) -> set[str]:
    """From the issue's membership: its reports and copies of them that are no repost or quote and no
    comment under another of its posts; per platform the earliest of each content, on WhatsApp the
    earliest of each sender."""
    members = rows(
        "SELECT p.post_key, p.platform, CASE WHEN p.platform = 'whatsapp' THEN p.author_id ELSE p.canonical_key END "
        "FROM issue_posts ip JOIN posts p USING (post_key) JOIN drafts d USING (issue_id) "
        "WHERE d.draft_id = ? AND ip.role IN ('report', 'duplicate') AND p.shared_from IS NULL "
        "AND (p.parent_id IS NULL OR p.parent_id NOT IN (SELECT post_key FROM issue_posts)) "
        "ORDER BY coalesce(p.created_at, p.fetched_at, p.loaded_at), p.post_key",
        [draft_id],
    )
    first: dict[tuple[str, str], str] = {}
    for key, platform, content in members:
        first.setdefault((platform, content), key)
    return set(first.values())


def approve_all(status: str = "pending") -> list[str]:
    ids = [r["id"] for r in replies.list_replies(status=status, limit=500)["items"]]
    for reply_id in ids:
        replies.approve(reply_id, actor="moderator", role="moderator")
    return ids


# --- Drafting --------------------------------------------------------------------------------------
def test_one_reply_per_reporting_thread_none_to_copies_reposts_or_comments(wh):
    submit(ROAD, "LPR-ROAD1")
    submit(HOSPITAL, "LPR-RSUD1")
    counts = replies.draft_replies(settings())
    drafted = rows(
        "SELECT r.draft_id, r.platform, r.post_key, p.shared_from, p.parent_id, ip.role, p.canonical_key, "
        "p.author_id FROM replies r JOIN posts p USING (post_key) JOIN issue_posts ip USING (post_key)"
    )
    assert counts["drafted"] == len(drafted) > 0
    assert all(shared is None and role in ("report", "duplicate") for _, _, _, shared, _, role, _, _ in drafted)
    # none answers a comment under another post of its issue
    in_issue = {key for (key,) in rows("SELECT post_key FROM issue_posts")}
    assert not [d for d in drafted if d[4] and d[4] in in_issue]
    # per platform one reply per content; on WhatsApp one per sender
    per_content = [(d[0], d[1], d[7] if d[1] == "whatsapp" else d[6]) for d in drafted]
    assert len(per_content) == len(set(per_content))
    # every reporting thread of the issues got its reply: each X thread, each page post (a relay of a
    # report that the author also tweeted is a thread of its own on Facebook), both senders
    assert {d[2] for d in drafted} == reporting_threads(ROAD) | reporting_threads(HOSPITAL)
    road = [d for d in drafted if d[0] == ROAD]
    assert {d[1] for d in road} == {"x", "facebook", "whatsapp"}
    retweets = rows(
        "SELECT count(*) FROM issue_posts ip JOIN posts p USING (post_key) JOIN drafts d USING (issue_id) "
        "WHERE d.draft_id = ? AND p.shared_from IS NOT NULL",
        [ROAD],
    )[0][0]
    assert retweets >= 2  # the issue has reposts, and none of them is answered
    comments = rows(
        "SELECT count(*) FROM issue_posts ip JOIN drafts d USING (issue_id) WHERE d.draft_id = ? AND ip.role = 'reply'",
        [HOSPITAL],
    )[0][0]
    assert comments >= 3 and not [d for d in drafted if d[5] == "reply"]


def test_drafting_again_drafts_nothing_and_keeps_a_moderators_edit(wh):
    submit(ROAD, "LPR-ROAD2")
    first = replies.draft_replies(settings())
    [one, *_] = replies.list_replies(status="pending")["items"]
    replies.approve(one["id"], actor="moderator", role="moderator", text="Terima kasih, tiket LPR-ROAD2 sudah dibuat.")
    again = replies.draft_replies(settings())
    assert first["drafted"] > 0 and again["drafted"] == 0
    assert rows("SELECT count(*) FROM replies")[0][0] == first["drafted"]
    assert rows("SELECT text FROM replies WHERE reply_id = ?", [one["id"]]) == [
        ("Terima kasih, tiket LPR-ROAD2 sudah dibuat.",)
    ]


def test_reply_text_names_the_ticket_link_and_opd_and_nothing_personal(wh):
    submit(ROAD, "LPR-ROAD3")
    replies.draft_replies(settings())
    opd = rows("SELECT opd FROM drafts WHERE draft_id = ?", [ROAD])[0][0]
    people = rows(
        "SELECT author_name, json_extract_string(raw, '$.from') FROM posts p "
        "JOIN issue_posts USING (post_key) JOIN drafts d USING (issue_id) WHERE d.draft_id = ?",
        [ROAD],
    )
    for item in replies.list_replies(draft_id=ROAD)["items"]:
        text = item["text"]
        assert "LPR-ROAD3" in text and "https://www.lapor.go.id/pengaduan/LPR-ROAD3" in text and opd in text
        assert replies.text_length(item["platform"], text) <= replies.MAX_CHARS[item["platform"]]
        for name, number in people:
            assert not (name and name in text) and not (number and number in text)


def test_an_edit_is_masked_and_must_fit_the_platform(wh):
    submit(ROAD, "LPR-ROAD4")
    replies.draft_replies(settings())
    x_reply = next(i for i in replies.list_replies(status="pending")["items"] if i["platform"] == "x")
    with pytest.raises(InvalidChange, match="terlalu panjang"):
        replies.approve(x_reply["id"], actor="moderator", role="moderator", text="panjang " * 40)
    saved = replies.approve(
        x_reply["id"],
        actor="moderator",
        role="moderator",
        text="Terima kasih. Hubungi 081234567890 bila perlu. Tiket LPR-ROAD4.",
    )
    assert "081234567890" not in saved["text"] and saved["status"] == "approved" and saved["moderator_edited"]
    actions = [
        a
        for (a,) in rows(
            "SELECT action FROM moderation_events WHERE detail->>'$.reply_id' = ? ORDER BY event_id", [x_reply["id"]]
        )
    ]
    assert actions == ["reply_edit", "reply_approve"]


# --- Moderation ------------------------------------------------------------------------------------
def test_stale_version_and_second_decision_are_refused(wh):
    submit(ROAD, "LPR-ROAD5")
    replies.draft_replies(settings())
    item = replies.list_replies(status="pending")["items"][0]
    replies.skip(item["id"], actor="mod_a", role="moderator", version=item["version"], reason="sudah dijawab")
    with pytest.raises(VersionConflict):
        replies.approve(item["id"], actor="mod_b", role="moderator", version=item["version"])
    with pytest.raises(AlreadyDecided):
        replies.approve(item["id"], actor="mod_b", role="moderator")
    assert replies.get_reply(item["id"])["status"] == "skipped"


def test_two_moderators_at_once_one_wins(wh):
    submit(ROAD, "LPR-ROAD6")
    replies.draft_replies(settings())
    item = replies.list_replies(status="pending")["items"][0]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def decide(actor: str, action) -> None:
        start.wait()
        try:
            action(item["id"], actor=actor, role="moderator", version=item["version"])
            outcomes.append("ok")
        except (VersionConflict, AlreadyDecided):
            outcomes.append("409")

    threads = [
        threading.Thread(target=decide, args=("mod_a", replies.approve)),
        threading.Thread(target=decide, args=("mod_b", replies.skip)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409", "ok"]
    assert (
        rows(
            "SELECT count(*) FROM moderation_events WHERE action IN ('reply_approve', 'reply_skip') "
            "AND detail->>'$.reply_id' = ?",
            [item["id"]],
        )[0][0]
        == 1
    )


def test_auto_approved_platforms_skip_the_queue_and_are_audited(wh):
    submit(ROAD, "LPR-ROAD7")
    replies.draft_replies(settings(auto_approve_platforms=("x",)))
    statuses = rows("SELECT platform, status, decided_by FROM replies")
    assert {(s, d) for p, s, d in statuses if p == "x"} == {("approved", "auto")}
    assert {s for p, s, _ in statuses if p != "x"} == {"pending"}
    audited = rows("SELECT count(*) FROM moderation_events WHERE action = 'reply_approve' AND actor = 'auto'")
    assert audited[0][0] == sum(p == "x" for p, _, _ in statuses) > 0


# --- Sending ---------------------------------------------------------------------------------------
def test_sends_each_approved_reply_once_and_a_rerun_sends_nothing(wh, platforms):
    submit(ROAD, "LPR-ROAD8")
    replies.draft_replies(settings())
    approved = approve_all()
    first = send(platforms)
    second = send(platforms)
    writes = [w for p in platforms.values() for w in p.writes]
    assert first["sent"] == len(approved) == len(writes) and second["sent"] == 0
    assert sorted(w.reply_id for w in writes) == sorted(approved)
    assert all("LPR-ROAD8" in w.text for w in writes)
    whatsapp = platforms["whatsapp"].writes
    assert whatsapp and all(w.recipient and w.recipient.isdigit() and w.last_inbound_at for w in whatsapp)
    assert all("wamid." in w.in_reply_to and ":" not in w.in_reply_to for w in whatsapp)
    assert {s for (s,) in rows("SELECT status FROM replies")} == {"sent"}
    assert rows("SELECT count(*) FROM moderation_events WHERE action = 'reply_sent'")[0][0] == len(approved)


def test_pending_replies_are_not_sent(wh, platforms):
    submit(ROAD, "LPR-ROAD9")
    counts = send(platforms)
    assert counts["drafted"] > 0 and counts["sent"] == 0 and not any(p.writes for p in platforms.values())


def test_timeout_after_the_platform_took_it_is_reconciled_not_resent(wh, platforms):
    submit(ROAD, "LPR-ROAD10")
    replies.draft_replies(settings())
    approve_all()
    platforms["x"].script.append("lost")
    counts = send(platforms)
    x_ids = [i for (i,) in rows("SELECT reply_id FROM replies WHERE platform = 'x'")]
    assert sorted(w.reply_id for w in platforms["x"].writes) == sorted(x_ids)  # each once, the lost one too
    assert counts["reconciled"] == 1 and platforms["x"].lookups == 1
    assert {s for (s,) in rows("SELECT status FROM replies WHERE platform = 'x'")} == {"sent"}


def test_crash_while_sending_then_resume_reconciles_before_any_resend(wh, platforms):
    submit(ROAD, "LPR-ROAD11")
    replies.draft_replies(settings())
    approve_all()
    platforms["facebook"].script.append("crash")
    with pytest.raises(KeyboardInterrupt):
        send(platforms)
    # the first Facebook reply: committed 'sending' before the request left
    [(crashed,)] = rows("SELECT reply_id FROM replies WHERE platform = 'facebook' AND status = 'sending'")
    assert [w.reply_id for w in platforms["facebook"].writes] == [crashed]

    def posted(reply_id: str) -> int:
        return [w.reply_id for w in platforms["facebook"].writes].count(reply_id)

    # A run soon after leaves it alone (the first run may still be waiting for its answer) ...
    again = send(platforms)
    assert rows("SELECT status FROM replies WHERE reply_id = ?", [crashed]) == [("sending",)]
    assert posted(crashed) == 1 and again["reconciled"] == 0
    # ... once stale, it is looked up: found, so marked sent and not posted again.
    resumed = send(platforms, stale_sending_s=0)
    assert resumed["reconciled"] == 1 and posted(crashed) == 1
    assert rows("SELECT status, platform_reply_id FROM replies WHERE reply_id = ?", [crashed]) == [
        ("sent", "facebook-1")
    ]


def test_a_crash_before_the_request_left_is_sent_after_the_lookup_finds_nothing(wh, platforms):
    submit(ROAD, "LPR-ROAD12")
    replies.draft_replies(settings())
    approve_all()
    with warehouse.connect(write=True) as con:  # a run died right after committing 'sending'
        con.execute(
            "UPDATE replies SET status = 'sending', sending_at = now()::TIMESTAMP - INTERVAL 1 HOUR "
            "WHERE platform = 'x'"
        )
    counts = send(platforms)
    x_count = rows("SELECT count(*) FROM replies WHERE platform = 'x'")[0][0]
    assert counts["resend"] == x_count and len(platforms["x"].writes) == x_count
    assert platforms["x"].lookups == x_count


def test_whatsapp_uncertain_is_left_for_a_moderator_and_never_resent(wh, platforms):
    submit(ROAD, "LPR-ROAD13")
    replies.draft_replies(settings())
    approve_all()
    platforms["whatsapp"].script.append("lost")
    counts = send(platforms)
    assert counts["uncertain"] == 1
    [(reply_id, reason)] = rows("SELECT reply_id, reason FROM replies WHERE status = 'uncertain'")
    assert "Periksa" in reason
    writes = len(platforms["whatsapp"].writes)
    send(platforms, stale_sending_s=0)
    send(platforms, stale_sending_s=0)
    assert len(platforms["whatsapp"].writes) == writes
    assert replies.list_replies(status="uncertain")["total"] == 1
    # the moderator checked the chat: not there; approving sends it again, once
    replies.approve(reply_id, actor="moderator", role="moderator")
    send(platforms)
    assert len(platforms["whatsapp"].writes) == writes + 1


def test_a_lookup_that_reports_the_message_failed_marks_it_failed_not_resent(wh, platforms):
    submit(ROAD, "LPR-ROAD14")
    replies.draft_replies(settings())
    approve_all()
    platforms["whatsapp"].script.append("crash")
    with pytest.raises(KeyboardInterrupt):
        send(platforms)
    [(reply_id,)] = rows("SELECT reply_id FROM replies WHERE status = 'sending'")

    def failed_status(reply):  # Meta's status webhook said "failed" for this reply id
        raise ReplyRejected(f"WhatsApp reply {reply.reply_id}: Meta reports the message failed (code 131026)")

    platforms["whatsapp"].find_sent = failed_status
    counts = send(platforms, stale_sending_s=0)
    assert counts["failed"] == 1
    assert [w.reply_id for w in platforms["whatsapp"].writes].count(reply_id) == 1  # never posted again
    [(status, reason)] = rows("SELECT status, reason FROM replies WHERE reply_id = ?", [reply_id])
    assert status == "failed" and "131026" in reason


def test_a_refused_connection_keeps_the_replies_and_stops_that_platform(wh, platforms):
    from extractors.replies import ReplyAuthFailed

    submit(ROAD, "LPR-ROAD20")
    replies.draft_replies(settings())
    approve_all()
    platforms["x"].script.append(ReplyAuthFailed("X refused the user-context token (401): renew siaga_x"))
    counts = send(platforms)
    assert counts["unavailable"] == 1 and "x" in counts["unavailable_platforms"]
    assert {s for (s,) in rows("SELECT status FROM replies WHERE platform = 'x'")} == {"approved"}
    assert rows("SELECT max(attempts) FROM replies WHERE platform = 'x'") == [(0,)]
    assert platforms["facebook"].writes and not platforms["x"].writes


def test_rate_limit_is_waited_out_within_the_budget(wh, platforms):
    submit(ROAD, "LPR-ROAD15")
    replies.draft_replies(settings())
    approve_all()
    platforms["x"].script.append(ReplyRateLimited("429 Too Many Requests", retry_after_seconds=7))
    sleeps: list[float] = []
    counts = send(platforms, sleeps=sleeps, settings=settings(rate_limit_budget_s=10))
    assert sleeps == [7] and counts["rate_limited"] == 0
    assert {s for (s,) in rows("SELECT status FROM replies WHERE platform = 'x'")} == {"sent"}


def test_rate_limit_beyond_the_budget_leaves_the_platform_for_the_next_run(wh, platforms):
    submit(ROAD, "LPR-ROAD16")
    replies.draft_replies(settings())
    approve_all()
    platforms["x"].script.append(ReplyRateLimited("429 Too Many Requests", retry_after_seconds=900))
    sleeps: list[float] = []
    counts = send(platforms, sleeps=sleeps, settings=settings(rate_limit_budget_s=60))
    x_rows = rows("SELECT status, next_attempt_at FROM replies WHERE platform = 'x'")
    assert sleeps == [] and counts["rate_limited"] == 1 and not platforms["x"].writes
    assert {s for s, _ in x_rows} == {"approved"}
    assert platforms["facebook"].writes  # other platforms are not held up
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=901)
    send(platforms, now=later)
    assert len(platforms["x"].writes) == len(x_rows)


def test_a_permanent_refusal_fails_with_its_reason_and_a_transient_one_retries_later(wh, platforms):
    submit(ROAD, "LPR-ROAD17")
    replies.draft_replies(settings())
    approve_all()
    platforms["facebook"].script.append(ReplyRejected("(#100) the post was deleted"))
    platforms["x"].script.append(ReplyError("503 from X before the request was taken"))
    counts = send(platforms)
    assert counts["failed"] == 1 and counts["retry_later"] == 1
    # the first Facebook reply failed with its reason; the platform's other replies went out
    facebook = rows("SELECT status, reason FROM replies WHERE platform = 'facebook'")
    assert [r for r in facebook if r[0] != "sent"] == [("failed", "(#100) the post was deleted")]
    assert ("approved",) in rows("SELECT status FROM replies WHERE platform = 'x'")


def test_berhenti_opts_a_whatsapp_sender_out(wh, platforms):
    submit(ROAD, "LPR-ROAD18")
    replies.draft_replies(settings())
    approve_all()
    [(post_key, author_id)] = rows(
        "SELECT post_key, author_id FROM replies WHERE platform = 'whatsapp' ORDER BY post_key LIMIT 1"
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.connect(write=True) as con:  # the sender wrote " Berhenti. " to the service's number
        con.execute(
            "INSERT INTO posts (platform, platform_post_id, post_key, author_id, text, created_at, raw, loaded_at, "
            "updated_at) VALUES ('whatsapp', 'wamid.STOP1', 'whatsapp:wamid.STOP1', ?, ' Berhenti. ', ?, '{}', ?, ?)",
            [author_id, now, now, now],
        )
    counts = send(platforms)
    assert counts["senders_opted_out"] == 1
    assert rows("SELECT status FROM replies WHERE post_key = ?", [post_key]) == [("skipped",)]
    assert "BERHENTI" in rows("SELECT reason FROM replies WHERE post_key = ?", [post_key])[0][0]
    assert post_key.split(":", 1)[1] not in [w.in_reply_to for w in platforms["whatsapp"].writes]
    assert rows("SELECT count(*) FROM reply_optouts")[0][0] == 1


def test_a_word_beside_berhenti_is_not_an_opt_out(wh):
    now = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.connect(write=True) as con:
        con.execute(
            "INSERT INTO posts (platform, platform_post_id, post_key, author_id, text, created_at, loaded_at, "
            "updated_at) VALUES ('whatsapp', 'wamid.NOSTOP', 'whatsapp:wamid.NOSTOP', 'abc', "
            "'air PDAM berhenti mengalir', ?, ?, ?)",
            [now, now, now],
        )
        assert replies.record_optouts(con) == 0


def test_follow_ups_are_off_by_default_and_one_per_status_change_when_on(wh, platforms):
    submit(ROAD, "LPR-ROAD19")
    replies.draft_replies(settings())
    approve_all()
    send(platforms)
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)
    with warehouse.connect(write=True) as con:
        for status in ("terverifikasi", "ditindaklanjuti"):
            con.execute("INSERT INTO lapor_status_history VALUES ('LPR-ROAD19', ?, '{}', ?)", [status, later])
    assert replies.draft_replies(settings())["followups"] == 0
    threads = rows("SELECT count(*) FROM replies WHERE status = 'sent'")[0][0]
    on = settings(followups_enabled=True)
    assert replies.draft_replies(on)["followups"] == threads
    assert replies.draft_replies(on)["followups"] == 0
    texts = rows("SELECT DISTINCT ticket_status, text LIKE '%ditindaklanjuti%' FROM replies WHERE kind = 'followup'")
    assert texts == [("ditindaklanjuti", True)]


def test_a_template_with_a_personal_field_is_refused(tmp_path, monkeypatch):
    import yaml

    from warehouse.settings import REPO_CONFIG, ConfigError

    config = yaml.safe_load((REPO_CONFIG / "replies.yaml").read_text(encoding="utf-8"))
    config["templates"]["forwarded"] = ["Terima kasih {author_name}, tiket {tracking_id}"]
    (tmp_path / "replies.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.setenv("SIAGA_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="author_name"):
        replies.reply_settings()


def test_a_platform_that_never_answers_and_never_has_it_ends_failed_after_max_attempts(wh, platforms):
    submit(ROAD, "LPR-ROAD21")
    replies.draft_replies(settings())
    approve_all()
    facebook = [reply_id for (reply_id,) in rows("SELECT reply_id FROM replies WHERE platform = 'facebook'")]
    platforms["facebook"].script.extend(
        [ReplyUncertain("connection reset before the request was sent")] * 3 * len(facebook)
    )
    counts = send(platforms, settings=settings(max_attempts=2))
    assert counts["failed"] == len(facebook) and platforms["facebook"].lookups == 2 * len(facebook)
    assert not platforms["facebook"].writes
    for reply_id in facebook:  # each: sent twice, looked up twice, then left to a person
        [(status, attempts, reason)] = rows(
            "SELECT status, attempts, reason FROM replies WHERE reply_id = ?", [reply_id]
        )
        assert (status, attempts) == ("failed", 2) and "2 percobaan" in reason

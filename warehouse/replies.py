"""Replies to citizens: once a ticket has its SP4N-LAPOR! tracking ID, tell the people who reported it.

Drafting (`draft_replies`, an idempotent upsert keyed on draft, kind, ticket status and thread post):
one reply per reporting thread of the ticket's issue, i.e. per platform each original report, not its
copies (same content on that platform), retweets or quotes (`shared_from`) nor comments under another
post of the issue; on WhatsApp one per sender reachable through the Cloud API. The text comes from the
templates in config/replies.yaml and holds only the ticket's fields (tracking ID, link, OPD): nothing
personal. Optional follow-ups, one per later status change (ditindaklanjuti, selesai), off by default.

Moderation (`approve`, `skip`, `list_replies`): versioned like drafts, each decision one
`moderation_events` row in the same transaction; a stale version or a decided reply is refused.

Sending (`send_approved`), exactly once per reply:

    pending --moderator / auto--> approved --claim, COMMITTED--> sending --answer--> sent
       |                             ^   \\--rate limited: wait within the run's budget, else next run
       \\--skip / BERHENTI--> skipped  |    \\--ReplyRejected--> failed (reason)
                                     |     \\--ReplyUncertain--> find_sent: found -> sent, absent -> approved,
                                     |                           cannot tell -> uncertain (a moderator checks)
                                     \\------ a 'sending' row left by a run that died is reconciled the same way

A WhatsApp sender who wrote "BERHENTI" (alone, any case) is recorded as opted out and gets nothing more.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from string import Formatter
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool

from core.settings import SettingsModel, load_yaml_model
from warehouse.db import connect

if TYPE_CHECKING:
    from extractors.replies import OutgoingReply, ReplyPoster, SentReply

log = logging.getLogger(__name__)

ACTOR = "reply_poster"  # who the audit names for the sender's own transitions
STATUSES = ("pending", "approved", "sending", "sent", "failed", "skipped", "uncertain")
KINDS = ("forwarded", "followup")
PLATFORMS = ("x", "facebook", "instagram", "whatsapp")
FOLLOWUP_STATUSES = ("ditindaklanjuti", "selesai")
TEMPLATE_FIELDS = {"tracking_id", "lapor_url", "opd", "kategori", "status"}
TEMPLATE_KEYS = ("forwarded", "forwarded_no_opd", *(f"followup_{s}" for s in FOLLOWUP_STATUSES))
# Longest text each platform takes (X counts every link as 23 characters).
MAX_CHARS = {"x": 280, "facebook": 8000, "instagram": 2200, "whatsapp": 4096}
X_LINK_WEIGHT = 23
LINK_RE = re.compile(r"https?://\S+")
# "BERHENTI" alone: the word, with nothing but spaces and punctuation around it, any case.
STOP_SQL = r"regexp_full_match(lower(trim(p.text)), '[[:space:][:punct:]]*berhenti[[:space:][:punct:]]*')"
DECIDABLE = ("pending", "uncertain", "failed")  # what a moderator may approve (send again: checked first)
SKIPPABLE = ("pending", "approved", "uncertain", "failed")
OPTED_OUT_REASON = "Pengirim meminta berhenti (BERHENTI): tidak dikirimi pesan lagi."


# --- Settings ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReplySettings:
    platforms: tuple[str, ...] = PLATFORMS
    auto_approve_platforms: tuple[str, ...] = ()
    followups_enabled: bool = False
    followup_statuses: tuple[str, ...] = FOLLOWUP_STATUSES
    whatsapp_template: str | None = None
    whatsapp_template_language: str = "id"
    timeout_s: float = 20.0
    rate_limit_budget_s: float = 120.0
    max_attempts: int = 5
    stale_sending_s: float = 300.0
    max_per_run: int = 500
    templates: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def variants(self, key: str) -> tuple[str, ...]:
        return dict(self.templates)[key]


class _Followups(SettingsModel):
    enabled: StrictBool = False
    statuses: tuple[Literal["ditindaklanjuti", "selesai"], ...] = FOLLOWUP_STATUSES


class _WhatsApp(SettingsModel):
    template: str | None = None
    template_language: str = "id"


class _Send(SettingsModel):
    timeout_s: float = Field(20.0, ge=0)
    rate_limit_budget_s: float = Field(120.0, ge=0)
    max_attempts: int = Field(5, ge=1)
    stale_sending_s: float = Field(300.0, ge=0)
    max_per_run: int = Field(500, ge=1)


def _template_texts(value: Any) -> tuple[str, ...]:
    variants = [value] if isinstance(value, str) else value
    if not isinstance(variants, list) or not variants or not all(isinstance(v, str) and v.strip() for v in variants):
        raise ValueError("must be a text or a list of texts")
    for variant in variants:
        try:
            used = {field for _, field, _, _ in Formatter().parse(variant) if field is not None}
        except ValueError as exc:
            raise ValueError(f"has a broken {{field}}: {exc}") from None
        unknown = used - TEMPLATE_FIELDS
        if unknown:
            raise ValueError(
                f"uses {', '.join(sorted(unknown))}; only {', '.join(sorted(TEMPLATE_FIELDS))} may be used"
                " (nothing personal)"
            )
    return tuple(" ".join(v.split()) for v in variants)


TemplateTexts = Annotated[tuple[str, ...], BeforeValidator(_template_texts)]
Platform = Literal["x", "facebook", "instagram", "whatsapp"]


class _Templates(SettingsModel):
    forwarded: TemplateTexts
    forwarded_no_opd: TemplateTexts
    followup_ditindaklanjuti: TemplateTexts
    followup_selesai: TemplateTexts


class RepliesFile(SettingsModel):
    """config/replies.yaml as written; `reply_settings()` turns it into the sender's `ReplySettings`."""

    version: int | None = None
    platforms: tuple[Platform, ...] = PLATFORMS
    auto_approve_platforms: tuple[Platform, ...] = ()
    followups: _Followups = _Followups()
    whatsapp: _WhatsApp = _WhatsApp()
    send: _Send = _Send()
    templates: _Templates


def reply_settings(name: str = "replies.yaml") -> ReplySettings:
    """config/replies.yaml (under SIAGA_CONFIG_DIR), validated; a wrong value raises the one SettingsError
    naming the file, the field and what to do."""
    from warehouse.settings import config_dir

    data = load_yaml_model(config_dir() / name, RepliesFile, env_var="SIAGA_CONFIG_DIR")
    return ReplySettings(
        platforms=data.platforms,
        auto_approve_platforms=data.auto_approve_platforms,
        followups_enabled=data.followups.enabled,
        followup_statuses=data.followups.statuses,
        whatsapp_template=data.whatsapp.template or None,
        whatsapp_template_language=data.whatsapp.template_language or "id",
        timeout_s=data.send.timeout_s,
        rate_limit_budget_s=data.send.rate_limit_budget_s,
        max_attempts=data.send.max_attempts,
        stale_sending_s=data.send.stale_sending_s,
        max_per_run=data.send.max_per_run,
        templates=tuple((key, getattr(data.templates, key)) for key in TEMPLATE_KEYS),
    )


# --- Text ------------------------------------------------------------------------------------------
def text_length(platform: str, text: str) -> int:
    """Characters as the platform counts them (X: a link is 23)."""
    if platform == "x":
        return len(LINK_RE.sub("x" * X_LINK_WEIGHT, text))
    return len(text)


def compose(settings: ReplySettings, key: str, platform: str, fields: dict[str, str], reply_id: str = "") -> str:
    """The first variant of template `key` that fits `platform`; the last one cut to fit otherwise.

    On X each reply ends with a short reference: X refuses a tweet whose text repeats one of the
    account's recent tweets, and one ticket's threads would otherwise all get the same text."""
    suffix = f" (ref. {reply_id[-6:]})" if platform == "x" and reply_id else ""
    limit = MAX_CHARS.get(platform, 2000) - len(suffix)
    text = ""
    for variant in settings.variants(key):
        text = variant.format(**fields)
        if text_length(platform, text) <= limit:
            return text + suffix
    return text[:limit] + suffix


def _fields(tracking_id: str, opd: str | None, kategori: str | None, status: str = "") -> dict[str, str]:
    from extractors.lapor import mapping

    return {
        "tracking_id": tracking_id,
        "lapor_url": mapping.PUBLIC_TICKET_URL.format(tracking_id=tracking_id),
        "opd": opd or "instansi terkait",
        "kategori": mapping.KATEGORI_LABELS.get(kategori or "", kategori or "pengaduan"),
        "status": status,
    }


def reply_id_for(draft_id: str, kind: str, ticket_status: str, post_key: str) -> str:
    digest = hashlib.sha256(f"{draft_id}\x1f{kind}\x1f{ticket_status}\x1f{post_key}".encode()).hexdigest()
    return f"rpl-{digest[:20]}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _event(con, reply: dict, actor: str, role: str, action: str, detail: dict, now: datetime) -> None:
    con.execute(
        "INSERT INTO moderation_events (draft_id, issue_id, actor, role, action, detail, occurred_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            reply["draft_id"],
            reply["issue_id"],
            actor,
            role,
            action,
            json.dumps({"reply_id": reply["reply_id"], "platform": reply["platform"], **detail}, ensure_ascii=False),
            now,
        ],
    )


def _rows(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- Drafting --------------------------------------------------------------------------------------
# The reporting threads of every ticket with a tracking ID. A thread is a post of the issue that is a
# report or a copy of one, is no repost or quote, and answers no other post of the issue; per platform
# the earliest of each content (canonical_key), on WhatsApp the earliest per sender with a number.
THREADS_SQL = """
WITH tickets AS (
    SELECT d.draft_id, d.issue_id, s.tracking_id, d.opd, d.kategori
    FROM lapor_submissions s JOIN drafts d USING (draft_id)
    WHERE s.state = 'submitted' AND s.tracking_id IS NOT NULL
), members AS (
    SELECT t.*, p.post_key, p.platform, p.author_id, p.canonical_key,
           coalesce(p.created_at, p.fetched_at, p.loaded_at) AS posted_at,
           CASE WHEN p.parent_id IS NULL THEN NULL WHEN p.parent_id LIKE '%:%' THEN p.parent_id
                ELSE p.platform || ':' || p.parent_id END AS parent_key,
           json_extract_string(p.raw, '$.from') AS wa_from
    FROM tickets t
    JOIN issue_posts ip ON ip.issue_id = t.issue_id AND ip.role IN ('report', 'duplicate')
    JOIN posts p ON p.post_key = ip.post_key
    WHERE p.shared_from IS NULL AND p.platform IN (SELECT unnest(?::VARCHAR[]))
)
SELECT m.draft_id, m.issue_id, m.tracking_id, m.opd, m.kategori, m.post_key, m.platform, m.author_id
FROM members m
WHERE (m.parent_key IS NULL
       OR NOT EXISTS (SELECT 1 FROM issue_posts x WHERE x.issue_id = m.issue_id AND x.post_key = m.parent_key))
  AND (m.platform <> 'whatsapp' OR (m.wa_from IS NOT NULL AND m.author_id IS NOT NULL))
QUALIFY row_number() OVER (
    PARTITION BY m.draft_id, m.platform,
                 CASE WHEN m.platform = 'whatsapp' THEN m.author_id ELSE m.canonical_key END
    ORDER BY m.posted_at NULLS LAST, m.post_key) = 1
ORDER BY m.draft_id, m.platform, m.post_key
"""

INSERT_SQL = """
INSERT INTO replies (reply_id, draft_id, issue_id, tracking_id, kind, ticket_status, platform, post_key,
                     author_id, text, status, reason, auto_approved, decided_by, decided_at, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING
RETURNING reply_id, draft_id, issue_id, platform, status
"""


def record_optouts(con, now: datetime | None = None) -> int:
    """Record every WhatsApp sender who wrote BERHENTI, and skip what still waits for them; returns new ones."""
    now = now or _now()
    added = con.execute(
        f"""
        INSERT INTO reply_optouts
        SELECT p.platform, p.author_id, arg_min(p.post_key, coalesce(p.created_at, p.loaded_at)),
               min(coalesce(p.created_at, p.loaded_at))
        FROM posts p WHERE p.platform = 'whatsapp' AND p.author_id IS NOT NULL AND {STOP_SQL}
        GROUP BY ALL
        ON CONFLICT DO NOTHING RETURNING author_id
        """
    ).fetchall()
    skipped = con.execute(
        "UPDATE replies r SET status = 'skipped', reason = ?, updated_at = ?, version = version + 1 "
        "FROM reply_optouts o WHERE o.platform = r.platform AND o.author_id = r.author_id "
        "AND r.status IN ('pending', 'approved') RETURNING r.reply_id, r.draft_id, r.issue_id, r.platform",
        [OPTED_OUT_REASON, now],
    ).fetchall()
    for reply_id, draft_id, issue_id, platform in skipped:
        reply = {"reply_id": reply_id, "draft_id": draft_id, "issue_id": issue_id, "platform": platform}
        _event(con, reply, ACTOR, "system", "reply_skip", {"reason": "berhenti"}, now)
    return len(added)


def draft_replies(settings: ReplySettings | None = None, now: datetime | None = None) -> dict[str, int]:
    """Draft the replies every ticket with a tracking ID still lacks (and follow-ups when enabled).

    Idempotent: keyed on (draft, kind, ticket status, thread post), so a rerun drafts nothing twice and
    a moderator's edit or decision is never overwritten.
    """
    settings = settings or reply_settings()
    now = now or _now()
    counts = {"drafted": 0, "auto_approved": 0, "senders_opted_out": 0, "followups": 0}
    with connect(write=True) as con:
        counts["senders_opted_out"] = record_optouts(con, now)
        optouts = {row[0] for row in con.execute("SELECT author_id FROM reply_optouts").fetchall()}
        threads = con.execute(THREADS_SQL, [list(settings.platforms)]).fetchall()
        for draft_id, issue_id, tracking_id, opd, kategori, post_key, platform, author_id in threads:
            key = "forwarded" if opd else "forwarded_no_opd"
            reply_id = reply_id_for(draft_id, "forwarded", "", post_key)
            text = compose(settings, key, platform, _fields(tracking_id, opd, kategori), reply_id)
            inserted = _insert(
                con,
                settings,
                now,
                draft_id,
                issue_id,
                tracking_id,
                "forwarded",
                "",
                platform,
                post_key,
                author_id,
                text,
                opted_out=platform == "whatsapp" and author_id in optouts,
            )
            counts["drafted"] += inserted[0]
            counts["auto_approved"] += inserted[1]
        if settings.followups_enabled:
            counts["followups"] = _draft_followups(con, settings, now, optouts)
    return counts


def _insert(
    con,
    settings,
    now,
    draft_id,
    issue_id,
    tracking_id,
    kind,
    ticket_status,
    platform,
    post_key,
    author_id,
    text,
    opted_out,
) -> tuple[int, int]:
    auto = platform in settings.auto_approve_platforms and not opted_out
    status = "skipped" if opted_out else "approved" if auto else "pending"
    row = con.execute(
        INSERT_SQL,
        [
            reply_id_for(draft_id, kind, ticket_status, post_key),
            draft_id,
            issue_id,
            tracking_id,
            kind,
            ticket_status,
            platform,
            post_key,
            author_id,
            text,
            status,
            OPTED_OUT_REASON if opted_out else None,
            auto,
            "auto" if auto else None,
            now if auto else None,
            now,
            now,
        ],
    ).fetchone()
    if row is None:
        return 0, 0
    if auto:
        reply = dict(zip(("reply_id", "draft_id", "issue_id", "platform", "status"), row, strict=True))
        _event(con, reply, "auto", "system", "reply_approve", {"auto": True}, now)
    return 1, int(auto)


def _draft_followups(con, settings: ReplySettings, now: datetime, optouts: set[str]) -> int:
    """One follow-up per status change observed after a thread's first reply was sent."""
    rows = con.execute(
        "SELECT r.draft_id, r.issue_id, r.tracking_id, r.platform, r.post_key, r.author_id, h.status, d.opd, "
        "d.kategori FROM replies r JOIN lapor_status_history h ON h.tracking_id = r.tracking_id "
        "JOIN drafts d ON d.draft_id = r.draft_id "
        "WHERE r.kind = 'forwarded' AND r.status = 'sent' AND h.observed_at >= r.sent_at "
        "AND h.status IN (SELECT unnest(?::VARCHAR[])) ORDER BY h.observed_at, r.post_key",
        [list(settings.followup_statuses)],
    ).fetchall()
    drafted = 0
    for draft_id, issue_id, tracking_id, platform, post_key, author_id, status, opd, kategori in rows:
        reply_id = reply_id_for(draft_id, "followup", status, post_key)
        text = compose(settings, f"followup_{status}", platform, _fields(tracking_id, opd, kategori, status), reply_id)
        drafted += _insert(
            con,
            settings,
            now,
            draft_id,
            issue_id,
            tracking_id,
            "followup",
            status,
            platform,
            post_key,
            author_id,
            text,
            opted_out=platform == "whatsapp" and author_id in optouts,
        )[0]
    return drafted


# --- Moderation (the UI and the API) -----------------------------------------------------------------
LIST_SELECT = """
SELECT r.reply_id AS id, r.reply_id, r.draft_id, r.issue_id, r.tracking_id, r.kind, r.ticket_status, r.platform,
       r.post_key AS in_reply_to, r.text, r.status, r.reason, r.attempts, r.platform_reply_id, r.sent_via,
       r.auto_approved, r.moderator_edited, r.decided_by, r.decided_at, r.version, r.sending_at, r.sent_at,
       r.created_at, r.updated_at, d.judul, p.url AS post_url
FROM replies r LEFT JOIN drafts d ON d.draft_id = r.draft_id LEFT JOIN posts p ON p.post_key = r.post_key
"""
ORDER = "ORDER BY r.created_at DESC, r.draft_id, r.kind, r.platform, r.post_key"


def list_replies(
    status: str | None = None, draft_id: str | None = None, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """Replies (newest first) with the total and the count per status: {"items", "total", "counts"}."""
    from warehouse.moderation import InvalidChange, _connect

    if status is not None and status not in STATUSES:
        raise InvalidChange(f"Status '{status}' tidak dikenal; pilih salah satu: {', '.join(STATUSES)}.")
    clauses, params = ["true"], []
    if draft_id:
        clauses.append("r.draft_id = ?")
        params.append(draft_id)
    where = " AND ".join(clauses)
    with _connect() as con:
        per_status = con.execute(f"SELECT r.status, count(*) FROM replies r WHERE {where} GROUP BY 1", params)
        counts = dict(per_status.fetchall())
        if status:
            where, params = f"{where} AND r.status = ?", [*params, status]
        items = _rows(con.execute(f"{LIST_SELECT} WHERE {where} {ORDER} LIMIT ? OFFSET ?", [*params, limit, offset]))
    total = counts.get(status, 0) if status else sum(counts.values())
    return {"items": items, "total": total, "counts": {s: counts.get(s, 0) for s in STATUSES}}


def get_reply(reply_id: str) -> dict[str, Any]:
    from warehouse.moderation import _connect

    with _connect() as con:
        return _current(con, reply_id)


def _current(con, reply_id: str) -> dict[str, Any]:
    from warehouse.moderation import DraftNotFound

    found = _rows(con.execute(f"{LIST_SELECT} WHERE r.reply_id = ?", [reply_id]))
    if not found:
        raise DraftNotFound(f"Balasan {reply_id} tidak ditemukan.")
    return found[0]


def _check(row: dict[str, Any], allowed: tuple[str, ...], version: int | None, what: str) -> None:
    from warehouse.moderation import AlreadyDecided, VersionConflict

    if version is not None and int(version) != row["version"]:
        raise VersionConflict(
            f"Balasan {row['reply_id']} sudah diubah orang lain sejak Anda membukanya (versi Anda {version}, "
            f"versi sekarang {row['version']}). Periksa lalu {what} lagi.",
            row,
        )
    if row["status"] not in allowed:
        who = f" oleh {row['decided_by']}" if row.get("decided_by") else ""
        raise AlreadyDecided(f"Balasan {row['reply_id']} sudah berstatus '{row['status']}'{who}; tidak dapat di{what}.")


def clean_text(platform: str, text: str) -> str:
    """A moderator's text: trimmed, personal data masked, within the platform's length."""
    from nlp import mask_pii
    from warehouse.moderation import InvalidChange

    text = " ".join((text or "").split()) if "\n" not in (text or "") else (text or "").strip()
    if not text:
        raise InvalidChange("Teks balasan tidak boleh kosong.")
    text = mask_pii(text)
    limit = MAX_CHARS.get(platform, 2000)
    if text_length(platform, text) > limit:
        raise InvalidChange(
            f"Teks balasan terlalu panjang untuk {platform}: {text_length(platform, text)} karakter, "
            f"paling banyak {limit}" + (" (tautan dihitung 23)." if platform == "x" else ".")
        )
    return text


def approve(
    reply_id: str, *, actor: str, role: str, version: int | None = None, text: str | None = None
) -> dict[str, Any]:
    """Approve a reply (editing its text first when `text` is given); it goes out with the next send run.

    Also sends again a failed or uncertain reply: the moderator has checked it is not on the platform.
    """
    from warehouse.moderation import _connect

    with _connect(write=True) as con:
        row = _current(con, reply_id)
        _check(row, DECIDABLE, version, "setujui")
        now = _now()
        if text is not None:
            cleaned = clean_text(row["platform"], text)
            if cleaned != row["text"]:
                con.execute(
                    "UPDATE replies SET text = ?, moderator_edited = true, version = version + 1, updated_at = ? "
                    "WHERE reply_id = ?",
                    [cleaned, now, reply_id],
                )
                _event(con, row, actor, role, "reply_edit", {"from_version": row["version"]}, now)
        con.execute(
            "UPDATE replies SET status = 'approved', reason = NULL, next_attempt_at = NULL, decided_by = ?, "
            "decided_at = ?, version = version + 1, updated_at = ? WHERE reply_id = ?",
            [actor, now, now, reply_id],
        )
        _event(con, row, actor, role, "reply_approve", {"version": row["version"], "from": row["status"]}, now)
        return _current(con, reply_id)


def skip(
    reply_id: str, *, actor: str, role: str, version: int | None = None, reason: str | None = None
) -> dict[str, Any]:
    """Skip a reply: it is never sent (e.g. the thread was deleted, or it is already answered)."""
    from warehouse.moderation import _connect

    reason = " ".join((reason or "").split())[:500] or None
    with _connect(write=True) as con:
        row = _current(con, reply_id)
        _check(row, SKIPPABLE, version, "lewati")
        now = _now()
        con.execute(
            "UPDATE replies SET status = 'skipped', reason = ?, decided_by = ?, decided_at = ?, "
            "version = version + 1, updated_at = ? WHERE reply_id = ?",
            [reason or "Dilewati moderator.", actor, now, now, reply_id],
        )
        _event(
            con,
            row,
            actor,
            role,
            "reply_skip",
            {"version": row["version"], "from": row["status"], **({"reason": reason} if reason else {})},
            now,
        )
        return _current(con, reply_id)


# --- Sending ---------------------------------------------------------------------------------------
PosterFactory = Callable[[str], "ReplyPoster"]


def _default_factory(settings: ReplySettings) -> PosterFactory:
    from extractors.replies import poster_for

    def make(platform: str) -> ReplyPoster:
        return poster_for(
            platform,
            whatsapp_template=settings.whatsapp_template,
            whatsapp_template_language=settings.whatsapp_template_language,
            timeout=settings.timeout_s,
        )

    return make


class _Posters:
    """One poster per platform for the run; a platform whose poster cannot be made waits for the next."""

    def __init__(self, factory: PosterFactory):
        self.factory = factory
        self.made: dict[str, ReplyPoster] = {}
        self.unavailable: dict[str, str] = {}

    def get(self, platform: str) -> ReplyPoster | None:
        if platform in self.unavailable:
            return None
        if platform not in self.made:
            try:
                self.made[platform] = self.factory(platform)
            except Exception as exc:  # a missing or incomplete Connection: the replies stay approved
                self.unavailable[platform] = f"{type(exc).__name__}: {exc}"
                log.warning("replies: no poster for %s: %s", platform, exc)
                return None
        return self.made[platform]


def _outgoing(con, row: dict[str, Any]) -> OutgoingReply:
    from extractors.replies import OutgoingReply

    recipient = last_inbound = None
    if row["platform"] == "whatsapp":
        recipient, last_inbound = con.execute(
            "SELECT json_extract_string(p.raw, '$.from'), "
            "(SELECT max(coalesce(q.created_at, q.loaded_at)) FROM posts q "
            " WHERE q.platform = 'whatsapp' AND q.author_id = p.author_id) "
            "FROM posts p WHERE p.post_key = ?",
            [row["post_key"]],
        ).fetchone() or (None, None)
    return OutgoingReply(
        reply_id=row["reply_id"],
        platform=row["platform"],
        in_reply_to=row["post_key"].split(":", 1)[1],
        text=row["text"],
        recipient=recipient,
        last_inbound_at=last_inbound.replace(tzinfo=UTC) if last_inbound else None,
    )


def _load(con, reply_id: str) -> dict[str, Any] | None:
    found = _rows(con.execute("SELECT * FROM replies WHERE reply_id = ?", [reply_id]))
    return found[0] if found else None


def _opted_out(con, row: dict[str, Any]) -> bool:
    return row["platform"] == "whatsapp" and bool(
        con.execute(
            "SELECT 1 FROM reply_optouts WHERE platform = 'whatsapp' AND author_id = ?", [row["author_id"]]
        ).fetchone()
    )


def _claim(reply_id: str, now: datetime, in_run: bool) -> OutgoingReply | str:
    """Mark an approved reply 'sending' and COMMIT, before any request: a crash leaves a row that says so."""
    with connect(write=True) as con:
        row = _load(con, reply_id)
        if row is None or row["status"] != "approved":
            return "not_due"
        if not in_run and row["next_attempt_at"] is not None and row["next_attempt_at"] > now:
            return "not_due"
        if _opted_out(con, row):
            con.execute(
                "UPDATE replies SET status = 'skipped', reason = ?, version = version + 1, updated_at = ? "
                "WHERE reply_id = ?",
                [OPTED_OUT_REASON, now, reply_id],
            )
            _event(con, row, ACTOR, "system", "reply_skip", {"reason": "berhenti"}, now)
            return "opted_out"
        outgoing = _outgoing(con, row)
        con.execute(
            "UPDATE replies SET status = 'sending', attempts = attempts + 1, sending_at = ?, "
            "version = version + 1, updated_at = ? WHERE reply_id = ? AND status = 'approved'",
            [now, now, reply_id],
        )
    return outgoing


def _finish(
    reply_id: str,
    status: str,
    now: datetime,
    *,
    sent: SentReply | None = None,
    reason: str | None = None,
    next_attempt_at: datetime | None = None,
    audit: str | None = None,
    detail: dict | None = None,
) -> None:
    with connect(write=True) as con:
        row = _load(con, reply_id)
        con.execute(
            "UPDATE replies SET status = ?, reason = ?, next_attempt_at = ?, platform_reply_id = ?, sent_via = ?, "
            "sent_at = ?, version = version + 1, updated_at = ? WHERE reply_id = ?",
            [
                status,
                reason,
                next_attempt_at,
                sent.platform_reply_id if sent else None,
                sent.via if sent else None,
                (sent.sent_at.astimezone(UTC).replace(tzinfo=None) if sent.sent_at.tzinfo else sent.sent_at)
                if sent
                else None,
                now,
                reply_id,
            ],
        )
        if audit:
            _event(con, row, ACTOR, "system", audit, detail or {}, now)


def _mark_sent(reply_id: str, sent: SentReply, how: str) -> str:
    _finish(
        reply_id,
        "sent",
        _now(),
        sent=sent,
        audit="reply_sent",
        detail={"platform_reply_id": sent.platform_reply_id, "via": sent.via, "how": how},
    )
    return "sent" if how == "sent" else "reconciled"


def _reconcile(
    reply_id: str, outgoing: OutgoingReply, poster: ReplyPoster, sending_at: datetime | None, again: bool = False
) -> str:
    """After an uncertain send (or a run that died while 'sending'): look before any resend.

    `again`: the reply is already 'uncertain' (asked at every run, e.g. until Meta's status webhook
    arrives); still not knowing changes nothing."""
    from extractors.replies import ReplyError, ReplyRejected, ReplyUncertain

    try:
        # WhatsApp: the poster reads Meta's status webhooks (biz_opaque_callback_data = reply id).
        found = poster.find_sent(outgoing)
    except ReplyUncertain as exc:
        if again:
            return "uncertain"
        _finish(
            reply_id,
            "uncertain",
            _now(),
            reason="Tidak pasti apakah balasan sudah terkirim dan platform tidak dapat ditanya "
            f"({exc}). Periksa di {outgoing.platform}, lalu kirim ulang atau lewati.",
            audit="reply_uncertain",
            detail={"reason": str(exc)[:300]},
        )
        return "uncertain"
    except ReplyRejected as exc:  # the platform says it failed: nothing to resend automatically
        _finish(
            reply_id, "failed", _now(), reason=str(exc)[:1000], audit="reply_failed", detail={"reason": str(exc)[:300]}
        )
        return "failed"
    except ReplyError as exc:
        # The lookup itself failed: the row stays 'sending' and the next run asks again.
        log.warning("replies: lookup of %s failed, asked again next run: %s", reply_id, exc)
        return "still_sending"
    if found is not None:
        return _mark_sent(reply_id, found, "reconciled")
    with connect(write=True) as con:  # not on the platform: safe to send again
        con.execute(
            "UPDATE replies SET status = 'approved', version = version + 1, updated_at = ? "
            "WHERE reply_id = ? AND status IN ('sending', 'uncertain')",
            [_now(), reply_id],
        )
    return "resend"


@dataclass
class _Run:
    settings: ReplySettings
    posters: _Posters
    sleep: Callable[[float], None]
    budget_s: float
    now: datetime  # the run's clock (due times are judged against it)


def send_one(reply_id: str, run: _Run) -> str:
    """Drive one approved reply through the state machine; returns what happened (a count key)."""
    from extractors.replies import ReplyAuthFailed, ReplyError, ReplyRateLimited, ReplyRejected, ReplyUncertain

    in_run = False
    for _ in range(3):  # rate limits waited out, and one resend after a lookup found nothing
        with connect() as con:
            row = _load(con, reply_id)
        if row is None:
            return "not_due"
        poster = run.posters.get(row["platform"])
        if poster is None:
            return "unavailable"
        claimed = _claim(reply_id, max(run.now, _now()), in_run)
        if isinstance(claimed, str):
            return claimed
        sending_at = _now()
        try:
            sent = poster.send(claimed)
        except ReplyRateLimited as exc:
            wait = max(exc.retry_after_seconds, 0.0)
            _finish(
                reply_id,
                "approved",
                _now(),
                reason=f"Dibatasi {row['platform']}: {exc}",
                next_attempt_at=_now() + timedelta(seconds=wait),
            )
            if wait > run.budget_s:
                return "rate_limited"
            run.sleep(wait)
            run.budget_s -= wait
            in_run = True
            continue
        except ReplyAuthFailed as exc:  # the Connection, not the reply: it waits, the platform stops for this run
            _finish(reply_id, "approved", _now(), reason=str(exc)[:1000])
            with connect(write=True) as con:
                con.execute("UPDATE replies SET attempts = greatest(attempts - 1, 0) WHERE reply_id = ?", [reply_id])
            run.posters.unavailable[row["platform"]] = f"ReplyAuthFailed: {exc}"
            return "unavailable"
        except ReplyRejected as exc:
            _finish(
                reply_id,
                "failed",
                _now(),
                reason=str(exc)[:1000],
                audit="reply_failed",
                detail={"reason": str(exc)[:300]},
            )
            return "failed"
        except ReplyUncertain:
            outcome = _reconcile(reply_id, claimed, poster, sending_at)
            if outcome != "resend":
                return outcome
            if row["attempts"] + 1 >= run.settings.max_attempts:  # never answered, never found: a person looks
                reason = f"Tidak ada jawaban dari {row['platform']} setelah {row['attempts'] + 1} percobaan."
                _finish(reply_id, "failed", _now(), reason=reason, audit="reply_failed", detail={"reason": reason})
                return "failed"
            in_run = True
            continue
        except ReplyError as exc:
            attempts = row["attempts"] + 1
            if attempts >= run.settings.max_attempts:
                _finish(
                    reply_id,
                    "failed",
                    _now(),
                    reason=f"Gagal {attempts} kali: {exc}"[:1000],
                    audit="reply_failed",
                    detail={"reason": str(exc)[:300], "attempts": attempts},
                )
                return "failed"
            backoff = min(60.0 * 2 ** (attempts - 1), 6 * 3600.0)
            _finish(
                reply_id,
                "approved",
                _now(),
                reason=str(exc)[:1000],
                next_attempt_at=_now() + timedelta(seconds=backoff),
            )
            return "retry_later"
        return _mark_sent(reply_id, sent, "sent")
    return "retry_later"


def _to_reconcile(now: datetime, stale_s: float) -> list[tuple[str, datetime | None, bool]]:
    """'sending' rows a dead run left (older than `stale_s`), and 'uncertain' ones, asked again each run."""
    with connect() as con:
        return con.execute(
            "SELECT reply_id, sending_at, status = 'uncertain' FROM replies WHERE (status = 'sending' "
            "AND coalesce(sending_at, updated_at) <= ?) OR status = 'uncertain' ORDER BY sending_at, reply_id",
            [now - timedelta(seconds=stale_s)],
        ).fetchall()


def _due(now: datetime, limit: int) -> list[tuple[str, str]]:
    with connect() as con:
        return con.execute(
            "SELECT reply_id, platform FROM replies WHERE status = 'approved' "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY decided_at NULLS LAST, reply_id LIMIT ?",
            [now, limit],
        ).fetchall()


def send_approved(
    settings: ReplySettings | None = None,
    posters: PosterFactory | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
    stale_sending_s: float | None = None,
) -> dict[str, Any]:
    """Draft what is owed, reconcile what a dead run left 'sending', then send every approved reply once.

    Returns counts (JSON-able). Safe to run again at any time: a sent reply is never sent again.
    """
    settings = settings or reply_settings()
    now = now or _now()
    counts: dict[str, Any] = dict(draft_replies(settings, now))
    outcomes: dict[str, int] = {}
    run = _Run(settings, _Posters(posters or _default_factory(settings)), sleep, settings.rate_limit_budget_s, now)
    stale_s = settings.stale_sending_s if stale_sending_s is None else stale_sending_s
    for reply_id, sending_at, again in _to_reconcile(now, stale_s):
        with connect() as con:
            row = _load(con, reply_id)
            outgoing = _outgoing(con, row)
        poster = run.posters.get(row["platform"])
        outcome = "unavailable" if poster is None else _reconcile(reply_id, outgoing, poster, sending_at, again)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    blocked: set[str] = set()
    for reply_id, platform in _due(now, settings.max_per_run):
        if platform in blocked:
            outcome = "waiting"
        else:
            outcome = send_one(reply_id, run)
            if outcome in ("rate_limited", "unavailable"):
                blocked.add(platform)  # the platform said later (or has no poster): the rest wait too
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    for key in ("sent", "reconciled", "failed", "uncertain", "rate_limited", "opted_out"):
        outcomes.setdefault(key, 0)
    counts.update(outcomes)
    if run.posters.unavailable:
        counts["unavailable_platforms"] = run.posters.unavailable
    return counts

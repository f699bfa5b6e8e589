-- Replies to citizens (issue 14): once a ticket has its SP4N-LAPOR! tracking ID, one reply per
-- reporting thread tells the people who reported it where their complaint went. warehouse/replies.py
-- is the one writer; every moderator decision is also a moderation_events row (same transaction).
--
-- status: pending -> approved -> sending -> sent | failed | approved (rate limited, next run)
--         pending | approved | failed | uncertain -> skipped (a moderator, or the sender said BERHENTI)
--         sending -> uncertain (the platform may have it and cannot tell: a moderator checks)
-- 'sending' is committed before the request leaves, so a run that dies leaves a row that says so.
CREATE TABLE replies (
    reply_id           VARCHAR PRIMARY KEY,       -- hash of the key below: stable, sent as correlation data
    draft_id           VARCHAR NOT NULL,
    issue_id           VARCHAR,
    tracking_id        VARCHAR NOT NULL,
    kind               VARCHAR NOT NULL,          -- forwarded | followup
    ticket_status      VARCHAR NOT NULL,          -- '' for forwarded; the LAPOR! status a follow-up announces
    platform           VARCHAR NOT NULL,
    post_key           VARCHAR NOT NULL,          -- the thread's post answered: 'platform:platform_post_id'
    author_id          VARCHAR,                   -- keyed hash (opt-outs); never the handle or the number
    text               VARCHAR NOT NULL,          -- no personal data: templates fill only ticket fields
    status             VARCHAR NOT NULL,
    reason             VARCHAR,                   -- why skipped, failed or uncertain
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at    TIMESTAMP,                 -- rate limited: not before this
    platform_reply_id  VARCHAR,
    sent_via           VARCHAR,                   -- tweet | fb_comment | ig_reply | ig_comment | wa_text | wa_template
    auto_approved      BOOLEAN NOT NULL DEFAULT false,
    moderator_edited   BOOLEAN NOT NULL DEFAULT false,
    decided_by         VARCHAR,
    decided_at         TIMESTAMP,
    version            INTEGER NOT NULL DEFAULT 1,  -- optimistic locking, as drafts
    sending_at         TIMESTAMP,
    sent_at            TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (draft_id, kind, ticket_status, post_key)
);

-- WhatsApp senders who wrote "BERHENTI": no further messages to them.
CREATE TABLE reply_optouts (
    platform      VARCHAR NOT NULL,
    author_id     VARCHAR NOT NULL,               -- keyed hash, as posts.author_id
    post_key      VARCHAR NOT NULL,               -- the message that said it
    opted_out_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (platform, author_id)
);

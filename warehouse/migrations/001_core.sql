-- Core schema of the Kutim Siaga warehouse. Timestamps are UTC (TIMESTAMP without zone).
-- Keys are natural where the world gives one (platform + platform_post_id) so that every
-- write can be an upsert and a retried task writes nothing twice.

CREATE TABLE posts (
    platform          VARCHAR NOT NULL,
    platform_post_id  VARCHAR NOT NULL,
    post_key          VARCHAR NOT NULL,          -- 'platform:platform_post_id'
    url               VARCHAR,
    author_id         VARCHAR,                   -- keyed hash of the handle, never the handle
    author_name       VARCHAR,
    text              VARCHAR NOT NULL,
    created_at        TIMESTAMP,
    lang              VARCHAR,
    parent_id         VARCHAR,
    shared_from       VARCHAR,
    likes             BIGINT,
    shares            BIGINT,
    comments          BIGINT,
    views             BIGINT,
    lat               DOUBLE,
    lon               DOUBLE,
    media             JSON,
    source_query      VARCHAR,
    fetched_at        TIMESTAMP,
    raw               JSON,
    content_hash      VARCHAR,                   -- fingerprint of the normalized text (exact duplicates)
    canonical_key     VARCHAR,                   -- post_key of the first post with this content
    loaded_at         TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (platform, platform_post_id)
);
-- No secondary indexes: DuckDB joins by hash, and ART index upkeep would halve the load rate.

CREATE TABLE post_analysis (
    post_key             VARCHAR NOT NULL,
    model_version        VARCHAR NOT NULL,
    is_complaint         BOOLEAN,
    complaint_score      DOUBLE,
    category             VARCHAR,
    is_emergency         BOOLEAN,
    in_kutim             BOOLEAN,
    kecamatan            VARCHAR,
    desa                 VARCHAR,
    region_code          VARCHAR,
    opd                  VARCHAR,
    lapor_classification VARCHAR,
    entities             JSON,
    analyzed_at          TIMESTAMP NOT NULL,
    PRIMARY KEY (post_key, model_version)
);

-- One real-world problem. Posts join it through issue_posts.
CREATE TABLE issues (
    issue_id        VARCHAR PRIMARY KEY,
    category        VARCHAR,
    kecamatan       VARCHAR,
    desa            VARCHAR,
    region_code     VARCHAR,
    lat             DOUBLE,
    lon             DOUBLE,
    is_emergency    BOOLEAN NOT NULL DEFAULT false,
    first_seen      TIMESTAMP,
    last_seen       TIMESTAMP,
    post_count      BIGINT NOT NULL DEFAULT 0,  -- all posts, duplicates and reposts included
    report_count    BIGINT NOT NULL DEFAULT 0,  -- distinct reports (canonical posts)
    reach           BIGINT NOT NULL DEFAULT 0,  -- likes + shares + comments + reposts
    status          VARCHAR NOT NULL DEFAULT 'open',   -- open | merged | closed
    merged_into     VARCHAR,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE issue_posts (
    post_key    VARCHAR PRIMARY KEY,            -- a post belongs to one issue
    issue_id    VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,               -- report | duplicate
    similarity  DOUBLE,
    linked_at   TIMESTAMP NOT NULL
);
CREATE INDEX issue_posts_issue ON issue_posts (issue_id);

-- A draft SP4N-LAPOR! ticket, one per issue.
-- status: pending | approved | rejected | merged | sending | submitted | failed_retryable
--         | failed_permanent | exported
CREATE TABLE drafts (
    draft_id          VARCHAR PRIMARY KEY,
    issue_id          VARCHAR NOT NULL UNIQUE,
    status            VARCHAR NOT NULL DEFAULT 'pending',
    judul             VARCHAR NOT NULL,
    isi               VARCHAR NOT NULL,         -- masked text (phone, NIK, e-mail)
    isi_unmasked      VARCHAR,                  -- shown only when a moderator unmasks (audited)
    kategori          VARCHAR,
    lokasi            VARCHAR,
    region_code       VARCHAR,
    opd               VARCHAR,
    klasifikasi       VARCHAR,                  -- pengaduan | aspirasi | permintaan_informasi
    rahasia           BOOLEAN NOT NULL DEFAULT true,
    anonim            BOOLEAN NOT NULL DEFAULT true,
    is_emergency      BOOLEAN NOT NULL DEFAULT false,
    moderator_edited  BOOLEAN NOT NULL DEFAULT false,
    new_evidence      VARCHAR,                  -- evidence that arrived after a moderator's edit
    reject_reason     VARCHAR,
    merged_into       VARCHAR,
    decided_by        VARCHAR,
    decided_at        TIMESTAMP,
    version           INTEGER NOT NULL DEFAULT 1,  -- optimistic locking for the UI
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

-- Audit: every moderator decision and every unmasking, with who and when.
CREATE SEQUENCE moderation_event_seq;
CREATE TABLE moderation_events (
    event_id    BIGINT PRIMARY KEY DEFAULT nextval('moderation_event_seq'),
    draft_id    VARCHAR,
    issue_id    VARCHAR,
    actor       VARCHAR NOT NULL,
    role        VARCHAR,
    action      VARCHAR NOT NULL,               -- edit | approve | reject | merge | unmask | submit ...
    detail      JSON,
    occurred_at TIMESTAMP NOT NULL
);

-- Bad input, kept with its reason and the raw payload: nothing is dropped.
CREATE TABLE quarantine (
    quarantine_id  VARCHAR PRIMARY KEY,         -- hash of source + raw, so a retry adds nothing
    source         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    raw            VARCHAR NOT NULL,
    received_at    TIMESTAMP NOT NULL
);

-- Incremental extraction: where each source/query stopped (advanced only past stored data).
CREATE TABLE source_cursors (
    source       VARCHAR NOT NULL,
    query_key    VARCHAR NOT NULL,
    cursor_value VARCHAR,
    detail       JSON,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (source, query_key)
);

-- SP4N-LAPOR! hand-over, one row per draft; state machine in the LAPOR! bridge.
-- state: approved | sending | submitted | failed_retryable | failed_permanent | exported
CREATE TABLE lapor_submissions (
    draft_id         VARCHAR PRIMARY KEY,
    idempotency_key  VARCHAR NOT NULL UNIQUE,
    transport        VARCHAR NOT NULL,          -- http | export
    state            VARCHAR NOT NULL,
    tracking_id      VARCHAR,
    transaksi_id     VARCHAR,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       VARCHAR,
    lapor_status     VARCHAR,
    sent_at          TIMESTAMP,
    submitted_at     TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE lapor_status_history (
    tracking_id  VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    detail       JSON,
    observed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (tracking_id, status)
);

-- Viral/spike and emergency alerts, one per (kind, day, scope, scope_key).
CREATE TABLE alerts (
    alert_id        VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,           -- spike | viral | emergency
    day             DATE NOT NULL,
    scope           VARCHAR NOT NULL,           -- issue | category | kecamatan
    scope_key       VARCHAR NOT NULL,
    issue_id        VARCHAR,
    value           DOUBLE,
    baseline        DOUBLE,
    threshold       DOUBLE,
    message         VARCHAR NOT NULL,
    detail          JSON,
    handoff_status  VARCHAR,                    -- emergencies: pending | handed_to_112 | dismissed
    delivered_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);

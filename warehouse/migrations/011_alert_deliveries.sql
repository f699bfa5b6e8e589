-- Alert delivery (issue 12): what was said about each alert, and where it went, so a re-run of the
-- same hour sends nothing twice and a failing channel is retried by the next run.
--
-- An event is one thing said about an alert, once: 'opened' when the alert is first found,
-- 'escalated' when an emergency is still waiting for its hand-off after escalate_after_minutes.
-- Its text is kept as it was composed, so a retry sends the very same message.
CREATE TABLE alert_events (
    alert_id       VARCHAR NOT NULL,
    stage          VARCHAR NOT NULL,          -- opened | escalated
    kind           VARCHAR NOT NULL,          -- the alert's kind: which channels hear it
    title          VARCHAR NOT NULL,
    body           VARCHAR NOT NULL,          -- Bahasa Indonesia, personal data masked
    suppressed_by  VARCHAR,                   -- spike/viral: the earlier alert that already said it
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_id, stage)
);

-- One row per event and channel: 'log' (always) or an Airflow Connection id (siaga_alerts_*).
CREATE TABLE alert_deliveries (
    alert_id         VARCHAR NOT NULL,
    stage            VARCHAR NOT NULL,
    channel          VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,        -- pending | sent | failed | expired
    attempts         INTEGER NOT NULL,        -- runs that tried this channel for this event
    digest_size      INTEGER,                 -- sent inside one digest of this many events
    last_error       VARCHAR,
    last_attempt_at  TIMESTAMP,
    sent_at          TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_id, stage, channel)
);

-- Alerts delivered before this migration were announced already: never again.
INSERT INTO alert_events
SELECT alert_id, 'opened', kind, kind, message, NULL, delivered_at FROM alerts WHERE delivered_at IS NOT NULL;
INSERT INTO alert_deliveries
SELECT alert_id, 'opened', 'log', 'sent', 1, NULL, NULL, delivered_at, delivered_at, delivered_at
FROM alerts WHERE delivered_at IS NOT NULL;

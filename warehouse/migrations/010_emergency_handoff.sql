-- The 112 hand-off of emergency issues, one row per issue a moderator has decided on; an emergency
-- issue without a row is still waiting ('pending'). warehouse/emergencies.py is its one writer (it
-- also keeps alerts.handoff_status in step) and every change is audited in moderation_events.
-- A dismissed emergency keeps its issue and draft: the row is the labelled example
-- (`siaga export handoffs`) for evaluating the emergency detector.
CREATE TABLE emergency_handoffs (
    issue_id          VARCHAR PRIMARY KEY,
    status            VARCHAR NOT NULL,           -- handed_to_112 | dismissed
    reference         VARCHAR,                    -- 112 call-centre reference or the officer who took it
    handed_at         TIMESTAMP,                  -- when 112 took it over (UTC), as the moderator recorded
    reason            VARCHAR,                    -- why it is not an emergency
    decided_by        VARCHAR NOT NULL,
    decided_role      VARCHAR,
    decided_at        TIMESTAMP NOT NULL,         -- the last decision or correction
    first_decided_at  TIMESTAMP NOT NULL,         -- when the emergency stopped waiting
    corrections       INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL            -- optimistic locking; no row is version 0
);

-- SP4N-LAPOR! bridge: what the exactly-once state machine and the SLA clocks need beyond 001.

-- Why a draft came back from LAPOR! (a validation error); shown to the moderator. Kept apart
-- from reject_reason because the draft was not rejected: it waits for an edit and a new approval.
ALTER TABLE drafts ADD COLUMN lapor_return_reason VARCHAR;
-- A moderator's explicit decision that the request may carry isi_unmasked (e.g. the citizen
-- consented to being identified). Off by default: LAPOR! gets the masked isi.
ALTER TABLE drafts ADD COLUMN lapor_send_unmasked BOOLEAN DEFAULT false;

-- When a failed_retryable row may be tried again (backoff across runs).
ALTER TABLE lapor_submissions ADD COLUMN next_attempt_at TIMESTAMP;
-- An attempt whose outcome is unknown (timeout or unreadable answer after the request left,
-- or a run that died while 'sending'): LAPOR! must be asked before anything is sent again.
ALTER TABLE lapor_submissions ADD COLUMN uncertain BOOLEAN DEFAULT false;
-- The export batch (file stem under data/exports/) that carries this draft.
ALTER TABLE lapor_submissions ADD COLUMN export_batch VARCHAR;
-- SLA milestones (UTC), from LAPOR!'s status answers, else the time we first saw them.
ALTER TABLE lapor_submissions ADD COLUMN verified_at TIMESTAMP;
ALTER TABLE lapor_submissions ADD COLUMN followed_up_at TIMESTAMP;
ALTER TABLE lapor_submissions ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE lapor_submissions ADD COLUMN last_polled_at TIMESTAMP;

-- Tindak lanjut: the agency's and admin's responses on a ticket, in LAPOR!'s order.
CREATE TABLE lapor_followups (
    tracking_id  VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    tanggal      TIMESTAMP,
    oleh         VARCHAR,
    isi          VARCHAR,
    observed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (tracking_id, seq)
);

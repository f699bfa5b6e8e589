-- The moderation queue (Antrian draf) in one table (issue 17). The queue orders the pending drafts by their
-- issue's reach, counts them per filter value and shows 50 of them with their issue's figures: at 1M posts
-- that was a join of ~80k pending drafts with 100k issues for the order, again for the counts, and a third
-- time (with issue_summary) for the page's rows, each table read cold by the page's fresh connection
-- (~50 ms of the page's ~100). Here one row per draft holds every column the queue sorts, filters and
-- shows, so the page reads this one table.
--
-- warehouse/summaries.py is its one writer, inside the writers' own transactions: `summaries.refresh`
-- (the clustering run after it refreshes issue figures and drafts, merge, split, a moderator's OPD edit)
-- and `summaries.refresh_queue` (a moderator's decision or edit of a draft, the LAPOR! bridge's changes of a
-- draft). Every write is an upsert on draft_id; `summaries.rebuild` recounts it from drafts and issues.
CREATE TABLE draft_queue (
    draft_id             VARCHAR PRIMARY KEY,
    issue_id             VARCHAR NOT NULL,
    -- from drafts, as they are
    status               VARCHAR NOT NULL,
    judul                VARCHAR NOT NULL,
    kategori             VARCHAR,
    lokasi               VARCHAR,
    region_code          VARCHAR,
    opd                  VARCHAR,
    klasifikasi          VARCHAR,
    is_emergency         BOOLEAN NOT NULL,
    moderator_edited     BOOLEAN NOT NULL,
    new_evidence         VARCHAR,
    version              INTEGER NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    decided_by           VARCHAR,
    decided_at           TIMESTAMP,
    reject_reason        VARCHAR,
    lapor_return_reason  VARCHAR,
    -- from the draft's issue
    kecamatan            VARCHAR,
    desa                 VARCHAR,
    post_count           BIGINT NOT NULL,
    report_count         BIGINT NOT NULL,
    reach                BIGINT NOT NULL,
    first_seen           TIMESTAMP,
    last_seen            TIMESTAMP,
    -- issue_summary.platforms: its posts' platforms, sorted, ','-separated ('' when none)
    platforms            VARCHAR NOT NULL
);

-- Backfill for an existing warehouse (the same statement as summaries.rebuild).
INSERT INTO draft_queue
SELECT d.draft_id, d.issue_id, d.status, d.judul, d.kategori, d.lokasi, d.region_code, d.opd, d.klasifikasi,
       d.is_emergency, d.moderator_edited, d.new_evidence, d.version, d.created_at, d.updated_at, d.decided_by,
       d.decided_at, d.reject_reason, d.lapor_return_reason, i.kecamatan, i.desa, i.post_count, i.report_count,
       i.reach, i.first_seen, i.last_seen, coalesce(s.platforms, '')
FROM drafts d JOIN issues i ON i.issue_id = d.issue_id LEFT JOIN issue_summary s ON s.issue_id = d.issue_id
ORDER BY d.status, d.draft_id;

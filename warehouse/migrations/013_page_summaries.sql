-- Summaries the pages read instead of scanning posts (issue 17). warehouse/summaries.py is their one
-- writer: the clustering run, a moderator's edit, merge and split refresh the issues they touch in the
-- same transaction as the change, so a page never reads figures older than the issues beside them.
-- `summaries.rebuild` recounts everything from posts and issue_posts (this backfill, and the tests' oracle).
--
-- Engagement of a post, as the Isu viral page counts it: likes + shares + comments + 1 (the post itself).
-- Posts without a time (created_at NULL) fall in no hour or day; they still count in issue_summary.

-- Per issue: what its posts add up to, and the dimensions its posts count under in post_counts.
CREATE TABLE issue_summary (
    issue_id    VARCHAR NOT NULL,                 -- one row per issue (no key: rows are replaced, not updated)
    category    VARCHAR NOT NULL,                 -- the issue's category, '' when it has none
    kecamatan   VARCHAR NOT NULL,                 -- the issue's kecamatan, '' when unknown
    opd         VARCHAR NOT NULL,                 -- its draft's OPD, '' when none
    platforms   VARCHAR NOT NULL,                 -- its posts' platforms, sorted, ','-separated ('' when none)
    posts       BIGINT NOT NULL,
    engagement  BIGINT NOT NULL,
    first_post  TIMESTAMP,                        -- its earliest and newest post time (created_at)
    last_post   TIMESTAMP
);

-- Which platforms an issue's posts came from, one row each (the queue's Sumber column and filter).
CREATE TABLE issue_platforms (
    issue_id    VARCHAR NOT NULL,
    platform    VARCHAR NOT NULL
);

-- Per issue, UTC hour and platform: the viral window (the last 24 hours against the 24 before) and the
-- platform filter, without joining posts to issue_posts.
CREATE TABLE issue_hours (
    issue_id    VARCHAR NOT NULL,
    hour        TIMESTAMP NOT NULL,               -- date_trunc('hour', created_at), UTC
    platform    VARCHAR NOT NULL,
    posts       BIGINT NOT NULL,
    engagement  BIGINT NOT NULL
);

-- Posts linked to issues per WITA day x category x kecamatan x OPD x platform (the trend chart, the filters'
-- platform list): a few thousand rows for a year. '' stands for "none" in each dimension.
CREATE TABLE post_counts (
    day         DATE NOT NULL,
    category    VARCHAR NOT NULL,
    kecamatan   VARCHAR NOT NULL,
    opd         VARCHAR NOT NULL,
    platform    VARCHAR NOT NULL,
    posts       BIGINT NOT NULL,
    engagement  BIGINT NOT NULL
);

-- A moderator's split: these posts were taken out of from_issue into to_issue. Kept so clustering can
-- respect it (a later run must not put them, or the issue they now form, back together), and as the record
-- of what moved beside the audit row in moderation_events.
CREATE TABLE issue_splits (
    post_key    VARCHAR NOT NULL,
    from_issue  VARCHAR NOT NULL,
    to_issue    VARCHAR NOT NULL,
    split_by    VARCHAR NOT NULL,
    split_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (post_key, from_issue)
);

-- Backfill for an existing warehouse (the same statements as summaries.rebuild).
INSERT INTO issue_hours
SELECT ip.issue_id, date_trunc('hour', p.created_at), p.platform, count(*),
       sum(coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) + 1)
FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key
WHERE p.created_at IS NOT NULL
GROUP BY ALL
ORDER BY 2;  -- in time order, as the writers append day after day: a window's scan skips other row groups

INSERT INTO issue_summary
SELECT i.issue_id, coalesce(i.category, ''), coalesce(i.kecamatan, ''), coalesce(d.opd, ''),
       coalesce(x.platforms, ''), coalesce(x.posts, 0), coalesce(x.engagement, 0), x.first_post, x.last_post
FROM issues i LEFT JOIN drafts d ON d.issue_id = i.issue_id
LEFT JOIN (
    SELECT ip.issue_id, string_agg(DISTINCT p.platform, ',' ORDER BY p.platform) AS platforms, count(*) AS posts,
           sum(coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) + 1) AS engagement,
           min(p.created_at) AS first_post, max(p.created_at) AS last_post
    FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key
    GROUP BY ip.issue_id
) x ON x.issue_id = i.issue_id;

INSERT INTO issue_platforms
SELECT DISTINCT ip.issue_id, p.platform FROM issue_posts ip JOIN posts p ON p.post_key = ip.post_key;

INSERT INTO post_counts
SELECT CAST(h.hour + INTERVAL 8 HOUR AS DATE), s.category, s.kecamatan, s.opd, h.platform, sum(h.posts),
       sum(h.engagement)
FROM issue_hours h JOIN issue_summary s ON s.issue_id = h.issue_id
GROUP BY ALL
ORDER BY 1;

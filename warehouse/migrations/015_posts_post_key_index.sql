-- The draft page's evidence reads an issue's posts by post_key (issue_posts -> posts). DuckDB answers
-- that join with an index scan only on a one-column index: the composite primary key (platform,
-- platform_post_id) is never used, so without this every draft view scanned all of posts (~110 ms at
-- 1M posts). Measured (issue 17): the evidence query drops to ~4 ms at 1M; a 500k-post upsert in five
-- batches took ~20% longer with the index (3.7 s -> 4.6 s, noisy machine), not the halving 001 feared.
CREATE INDEX posts_post_key ON posts (post_key);

-- Every bad line is kept, once per occurrence (issue 10): identical bad lines no longer collapse into
-- one row. A row now says where its line came from and is keyed (quarantine_id) by the load's source,
-- the origin, the line's text and which occurrence of that text in that origin it is, so loading the
-- same file again adds nothing, and a re-extracted file whose lines moved adds nothing either.
ALTER TABLE quarantine ADD COLUMN origin VARCHAR;      -- the file's absolute path, or '' for a stream
ALTER TABLE quarantine ADD COLUMN line_no BIGINT;      -- 1-based line number in the origin (first load)
ALTER TABLE quarantine ADD COLUMN occurrence BIGINT;   -- 1 for the first line with this text, 2 ...

-- +goose Up
-- Tips from the public are recorded in the audit log by day, not one by one
-- as they arrive (issue 12, finding 6): an entry's place in the chain would
-- otherwise date the tip to the minute among the entries around it.
-- logged is FALSE for a tip not yet in the log; store.LogTips records them
-- at the day's end or when the office first reads them. Tips before this
-- column were logged one by one.
ALTER TABLE tips ADD COLUMN logged BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX tips_unlogged ON tips(submitted_on) WHERE logged = FALSE;

-- +goose Down
DROP INDEX tips_unlogged;
ALTER TABLE tips DROP COLUMN logged;

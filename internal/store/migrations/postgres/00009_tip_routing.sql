-- +goose Up
-- Tips routed to the police (issue 11): the office or the discipline
-- commission may route a tip to 公安机关 in triage; police accounts see only
-- the tips routed to them. '' is not routed.
ALTER TABLE tips ADD COLUMN routed_to TEXT NOT NULL DEFAULT '';
-- The day a case's outcome was decided, which the office sees with the
-- outcome (not the investigation). '' for cases decided before this column,
-- whose day is read from updated_at.
ALTER TABLE cases ADD COLUMN decided_on TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cases DROP COLUMN decided_on;
ALTER TABLE tips DROP COLUMN routed_to;

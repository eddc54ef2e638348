-- +goose Up
-- The election calendar (issue 14, point 1). Each community has two
-- election days, the party organisation's and then the residents'
-- committee's; a community without its own uses the cycle's (party_day,
-- election_day), and deadlines and ages count from the day of the
-- committee concerned (progress.Resolve). Party stages now count from the
-- party's own vote: the stored templates move by the 28 days the party vote
-- was assumed to precede the residents' one, so no deadline changes.
ALTER TABLE cycles ADD COLUMN party_day TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN created_at TIMESTAMP;
CREATE TABLE election_days (
    cycle_id  INTEGER NOT NULL REFERENCES cycles(id),
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    committee TEXT NOT NULL,
    day       TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);
UPDATE progress_stages SET offset_days = offset_days + 28 WHERE election = 'party';

-- +goose Down
UPDATE progress_stages SET offset_days = offset_days - 28 WHERE election = 'party';
DROP TABLE election_days;
ALTER TABLE cycles DROP COLUMN created_at;
ALTER TABLE cycles DROP COLUMN party_day;

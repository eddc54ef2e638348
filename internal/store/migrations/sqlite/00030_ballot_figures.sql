-- +goose Up
-- What the statistics, the battle map and the progress table read of a
-- decided ballot, kept beside it when its outcome is decided (derived from
-- its confirmed total and its outcome, both protected, so not audited
-- itself, as result_tallies): who voted (参加投票人数, else the ballots
-- returned) and whether the outcome left seats to fill (a further ballot,
-- a revote between the tied, the women's seat). With the index on the
-- ballots' own figures, the statistics of a province read no ballot's
-- JSON and no ballot row.
CREATE TABLE ballot_figures (
    ballot_id INTEGER PRIMARY KEY REFERENCES ballots(id),
    voted     INTEGER NOT NULL,
    unfilled  INTEGER NOT NULL
);
CREATE INDEX ballots_figures ON ballots (cycle_id, committee, round, state, org_id, registered, should_attend, present);
INSERT INTO ballot_figures (ballot_id, voted, unfilled)
SELECT b.id, COALESCE(json_extract(b.total, '$.voted'), json_extract(b.total, '$.ballots_returned'), 0),
    CASE WHEN EXISTS (SELECT 1 FROM json_each(bo.outcome) p
        WHERE COALESCE(json_extract(p.value, '$.further_ballot_seats'), 0) > 0
        OR COALESCE(json_extract(p.value, '$.revote_between'), '[]') <> '[]'
        OR COALESCE(json_extract(p.value, '$.women_seat_unfilled'), 0) = 1) THEN 1 ELSE 0 END
FROM ballots b JOIN ballot_outcomes bo ON bo.ballot_id = b.id WHERE b.total <> '';

-- +goose Down
DROP INDEX ballots_figures;
DROP TABLE ballot_figures;

-- +goose Up
-- What the statistics, the battle map and the progress table read of a
-- decided ballot, kept beside it when its outcome is decided (derived from
-- its confirmed total and its outcome, both protected, so not audited
-- itself, as result_tallies): who voted (参加投票人数, else the ballots
-- returned) and whether the outcome left seats to fill (a further ballot,
-- a revote between the tied, the women's seat). With the index on the
-- ballots' own figures, the statistics of a province read no ballot's
-- JSON.
CREATE TABLE ballot_figures (
    ballot_id BIGINT PRIMARY KEY REFERENCES ballots(id),
    voted     INTEGER NOT NULL,
    unfilled  INTEGER NOT NULL
);
CREATE INDEX ballots_figures ON ballots (cycle_id, committee, round, state, org_id, registered, should_attend, present);
INSERT INTO ballot_figures (ballot_id, voted, unfilled)
SELECT b.id, COALESCE(CAST(CAST(b.total AS json) ->> 'voted' AS INTEGER), CAST(CAST(b.total AS json) ->> 'ballots_returned' AS INTEGER), 0),
    CASE WHEN EXISTS (SELECT 1 FROM json_each(CAST(bo.outcome AS json)) p
        WHERE COALESCE(CAST(p.value ->> 'further_ballot_seats' AS INTEGER), 0) > 0
        OR COALESCE(p.value ->> 'revote_between', '[]') <> '[]'
        OR COALESCE(p.value ->> 'women_seat_unfilled', 'false') = 'true') THEN 1 ELSE 0 END
FROM ballots b JOIN ballot_outcomes bo ON bo.ballot_id = b.id WHERE b.total <> '';

-- +goose Down
DROP INDEX ballots_figures;
DROP TABLE ballot_figures;

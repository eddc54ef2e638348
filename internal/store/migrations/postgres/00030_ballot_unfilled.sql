-- +goose Up
-- Whether a confirmed ballot's outcome left seats to fill (a further
-- ballot, a revote between the tied, the women's seat), kept beside the
-- outcome when it is decided so that the battle map's colouring by
-- election and the statistics' first-ballot success read it in SQL. It is
-- derived from the outcome, which is protected: the column is left out of
-- the record's content (store/protected.go) and of its triggers.
ALTER TABLE ballot_outcomes ADD COLUMN unfilled INTEGER NOT NULL DEFAULT 0;
UPDATE ballot_outcomes SET unfilled = 1 WHERE EXISTS (SELECT 1 FROM json_each(CAST(outcome AS json)) p
    WHERE COALESCE(CAST(p.value ->> 'further_ballot_seats' AS INTEGER), 0) > 0
    OR COALESCE(p.value ->> 'revote_between', '[]') <> '[]'
    OR COALESCE(p.value ->> 'women_seat_unfilled', 'false') = 'true');

-- +goose Down
ALTER TABLE ballot_outcomes DROP COLUMN unfilled;

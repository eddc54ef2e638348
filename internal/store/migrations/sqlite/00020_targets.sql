-- +goose Up
-- The structure targets of a cycle (issue 14, point 6) when the office
-- changed them (absent: slate.DefaultTargets), and its margins for the
-- formal candidate lists (point 7; absent: slate.DefaultMargins).
CREATE TABLE targets (
    id        INTEGER PRIMARY KEY,
    cycle_id  INTEGER NOT NULL REFERENCES cycles(id),
    name      TEXT NOT NULL,
    rule      TEXT NOT NULL,
    threshold REAL NOT NULL,
    hard      BOOLEAN NOT NULL,
    sort      INTEGER NOT NULL
);
CREATE INDEX targets_cycle ON targets(cycle_id, sort);
CREATE TABLE margins (
    cycle_id      INTEGER PRIMARY KEY REFERENCES cycles(id),
    party_percent INTEGER NOT NULL,
    chief_min     INTEGER NOT NULL,
    chief_max     INTEGER NOT NULL,
    member_min    INTEGER NOT NULL,
    member_max    INTEGER NOT NULL,
    publish_days  INTEGER NOT NULL,
    withdraw_days INTEGER NOT NULL,
    replacement_days INTEGER NOT NULL,
    notice_days   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE margins;
DROP TABLE targets;
